/**
 * JSON-lines server log of the Beauskunftung login. Found by user name (case-insensitive), the
 * registered name, or the client IP within a time window. Lines are small and few, so every line
 * is parsed (names need Unicode folding, which a byte search cannot do).
 */
import { PROCESSING_ACTIVITY } from "../activities";
import type { JsonObject } from "../connector";
import { bestMatch } from "../subject";
import { parseDate } from "../time";
import { type LineFormat, LineStoreConnector } from "./line-store.server";

interface LoginRecord {
  fields: JsonObject;
  time: Date;
}

const str = (value: unknown) => (typeof value === "string" ? value : null);

export const loginLogFormat: LineFormat<LoginRecord> = {
  kind: "login-jsonl",
  activity: PROCESSING_ACTIVITY.beauskunftungLogin,
  files: /(^|\/)beaus-login[^/]*\.log(\.gz)?$/,
  prefilter: () => null,
  parse(line) {
    if (!line.startsWith("{")) return null;
    try {
      const fields = JSON.parse(line) as unknown;
      if (!fields || typeof fields !== "object" || Array.isArray(fields)) return null;
      const time = parseDate(str((fields as JsonObject).ts));
      return time ? { fields: fields as JsonObject, time } : null;
    } catch {
      return null;
    }
  },
  recordedAt: (record) => record.time,
  match(record, subject) {
    const f = record.fields;
    const identifier = bestMatch(
      subject.userName(str(f.user)),
      subject.personName(str(f.givenName), str(f.familyName)),
      subject.ip(str(f.clientIp), record.time),
    );
    return identifier ? { identifier, role: "subject" } : null;
  },
  content: (record, raw) => ({ raw, ...record.fields }),
  rectifyFields: ["givenName", "familyName"],
  rectify: (record, changes) => JSON.stringify({ ...record.fields, ...changes }),
};

export function createLoginLogConnector(id: string, root: string): LineStoreConnector<LoginRecord> {
  return new LineStoreConnector(id, root, loginLogFormat);
}
