/**
 * Call detail records of the telephone exchange (semicolon CSV, one file per day). Found by the
 * external party's number in any notation, compared as E.164.
 */
import { parse } from "csv-parse/sync";
import { PROCESSING_ACTIVITY } from "../activities";
import { bestMatch } from "../subject";
import { parseBerlinLocal } from "../time";
import { type LineFormat, LineStoreConnector } from "./line-store.server";

const COLUMNS = ["call_id", "start", "duration_s", "direction", "caller", "callee", "extension", "result"] as const;
type CallRecord = Record<(typeof COLUMNS)[number], string> & { time: Date };

export const callRecordFormat: LineFormat<CallRecord> = {
  kind: "call-records-csv",
  activity: PROCESSING_ACTIVITY.telephone,
  files: /(^|\/)cdr-\d{4}-\d{2}-\d{2}\.csv$/,
  prefilter: () => null,
  isHeader: (line, offset) => offset === 0 && line.startsWith("call_id;"),
  parse(line) {
    let rows: string[][];
    try {
      rows = parse(line, { delimiter: ";", relax_column_count: true }) as string[][];
    } catch {
      return null;
    }
    const fields = rows[0];
    if (rows.length !== 1 || !fields || fields.length !== COLUMNS.length) return null;
    const time = parseBerlinLocal(fields[1]!);
    if (!time) return null;
    return { ...(Object.fromEntries(COLUMNS.map((c, i) => [c, fields[i]!])) as Record<(typeof COLUMNS)[number], string>), time };
  },
  recordedAt: (record) => record.time,
  match(record, subject) {
    const external = record.direction === "in" ? record.caller : record.callee;
    const identifier = bestMatch(subject.phone(external));
    return identifier ? { identifier, role: "subject" } : null;
  },
  content: (record, raw) => {
    const { time, ...fields } = record;
    return { raw, ...fields, time: time.toISOString() };
  },
};

export function createCallRecordConnector(id: string, root: string): LineStoreConnector<CallRecord> {
  return new LineStoreConnector(id, root, callRecordFormat);
}
