/**
 * Call detail records of the telephone exchange: the exchange's own export (one CSV per day,
 * `call_id;start;duration_s;direction;caller;callee;extension;result`, also written with comma or
 * tab by other export tools) and Asterisk's `Master.csv` (comma-separated, quoted, no header).
 * Files as they rotate: cdr-2025-10-01.csv, cdr-2025-10-01.csv.gz, Master.csv.1, Master.csv-20251008.gz.
 * A quoted field may hold a line break: the record then spans several lines and is one record,
 * referenced by its first line. Found by the external party's number in any notation, compared
 * as E.164, including E.164 written without "+" (493619876543) as exchanges export it. A record's
 * raw bytes are searched for the subject's numbers (their digits with any separators) before it is
 * parsed; most records are never parsed.
 */
import { PROCESSING_ACTIVITY } from "../activities";
import { bytePatterns } from "../byte-patterns";
import type { MatchedIdentifier } from "../connector";
import type { CompiledSubject } from "../subject";
import { bestMatch } from "../subject";
import { parseBerlinLocal } from "../time";
import { type LineFormat, LineStoreConnector } from "./line-store.server";

const EXCHANGE_COLUMNS = [
  "call_id",
  "start",
  "duration_s",
  "direction",
  "caller",
  "callee",
  "extension",
  "result",
] as const;
// Asterisk cdr_csv: the first 16 always, uniqueid and userfield when configured.
const ASTERISK_COLUMNS = [
  "accountcode",
  "src",
  "dst",
  "dcontext",
  "clid",
  "channel",
  "dstchannel",
  "lastapp",
  "lastdata",
  "start",
  "answer",
  "end",
  "duration",
  "billsec",
  "disposition",
  "amaflags",
  "uniqueid",
  "userfield",
] as const;

interface CallRecord {
  layout: "exchange" | "asterisk";
  columns: Record<string, string>;
  time: Date;
  /** The numbers of the other party the record may name. */
  external: string[];
}

/** RFC 4180 fields of one record (quoted fields may hold the delimiter, doubled quotes, line breaks); null if a quote is left open. */
function splitCsv(text: string, delimiter: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const quote = text.indexOf('"', j);
        if (quote === -1) return null;
        value += text.slice(j, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          j = quote + 2;
          continue;
        }
        j = quote + 1;
        break;
      }
      // Text between the closing quote and the delimiter is not CSV.
      if (j < text.length && text[j] !== delimiter) return null;
      fields.push(value);
      if (j >= text.length) return fields;
      i = j + 1;
    } else {
      const end = text.indexOf(delimiter, i);
      const value = end === -1 ? text.slice(i) : text.slice(i, end);
      if (value.includes('"')) return null;
      fields.push(value);
      if (end === -1) return fields;
      i = end + 1;
    }
  }
}

function parseCallLine(text: string): CallRecord | null {
  for (const delimiter of [";", ",", "\t"]) {
    const fields = splitCsv(text, delimiter);
    if (!fields) continue;
    if (fields.length === EXCHANGE_COLUMNS.length) {
      const time = parseBerlinLocal(fields[1]!);
      if (!time) continue;
      const columns = Object.fromEntries(EXCHANGE_COLUMNS.map((c, i) => [c, fields[i]!]));
      const external =
        columns.direction === "in"
          ? [columns.caller!]
          : columns.direction === "out"
            ? [columns.callee!]
            : [columns.caller!, columns.callee!];
      return { layout: "exchange", columns, time, external };
    }
    if (delimiter === "," && fields.length >= 16 && fields.length <= ASTERISK_COLUMNS.length) {
      const time = parseBerlinLocal(fields[9]!);
      if (!time) continue;
      const columns = Object.fromEntries(fields.map((value, i) => [ASTERISK_COLUMNS[i]!, value]));
      const clidNumber = /<([^>]*)>/.exec(columns.clid ?? "")?.[1] ?? "";
      return {
        layout: "asterisk",
        columns,
        time,
        external: [columns.src!, columns.dst!, clidNumber].filter(Boolean),
      };
    }
  }
  return null;
}

/**
 * The subject's phone in a number as the exchange wrote it. Digits alone, 11 to 15 of them and not
 * starting with 0, are E.164 without its "+" (493619876543): a national number has its trunk 0.
 */
function phoneMatch(subject: CompiledSubject, text: string): MatchedIdentifier | null {
  const trimmed = text.trim();
  if (/^[1-9]\d{10,14}$/.test(trimmed)) {
    const international = subject.phone(`+${trimmed}`);
    if (international) return { ...international, recordValue: trimmed };
  }
  return subject.phone(trimmed);
}

const HEADER_FIRST = new Set(["call_id", "accountcode"]);

const callRecordFormat: LineFormat<CallRecord> = {
  kind: "call-records-csv",
  activity: PROCESSING_ACTIVITY.telephone,
  // cdr-2025-10-01.csv (base cdr.csv) and its rotations, Asterisk's Master.csv
  baseName: /^(?:cdr[\w.-]*|Master)\.csv$/,
  // Only records holding one of the subject's numbers, in any notation, are parsed.
  prefilter(subject) {
    const expressions = subject.phoneExpressions();
    return expressions ? bytePatterns([], expressions) : null;
  },
  // An odd number of quotes leaves a field open: the record goes on in the next line.
  continues(record) {
    let quotes = 0;
    for (let i = record.indexOf(0x22); i !== -1; i = record.indexOf(0x22, i + 1)) quotes++;
    return quotes % 2 === 1;
  },
  // The header is repeated wherever files were joined or a rotation started a new one.
  isHeader(text) {
    const first = /^"?([a-z_]+)"?[;,\t]/.exec(text)?.[1];
    return first !== undefined && HEADER_FIRST.has(first);
  },
  parse: parseCallLine,
  recordedAt: (record) => record.time,
  match(record, subject) {
    const identifier = bestMatch(...record.external.map((number) => phoneMatch(subject, number)));
    return identifier ? { identifier, role: "subject" } : null;
  },
  content: (record, raw) => ({
    raw,
    layout: record.layout,
    ...record.columns,
    time: record.time.toISOString(),
  }),
};

export function createCallRecordConnector(id: string, root: string): LineStoreConnector<CallRecord> {
  return new LineStoreConnector(id, root, callRecordFormat);
}
