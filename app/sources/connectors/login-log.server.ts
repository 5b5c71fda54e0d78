/**
 * JSON-lines server log of the Beauskunftung login, as the application writes it and as rsyslog
 * relays it: one JSON object per line, possibly behind a syslog header ("2025-10-08T12:00:00+02:00
 * host beaus[812]: {…}"), with a byte-order mark, CRLF or Latin-1 bytes, the time as ISO 8601 or
 * epoch seconds or milliseconds (number or string).
 *
 * A line belongs to the account in `user` and to whoever used the client address at that time.
 * Found by user name (case-insensitive) or the client IP within a time window — never by the
 * registered name alone: two officials can be called Jörg Müller, and the name fields of a line
 * only describe the holder of the account the line names. A line's raw bytes are searched before
 * it is parsed (app/sources/byte-patterns.ts `userNameExpressions`, `ipExpressions`): for the user
 * name in either case, for the address in each notation `normaliseIp` reads, and every line with
 * a JSON `\u` escape (which can stand for any character) or — since user names are folded by
 * Unicode rules a byte search cannot follow — a byte above 0x7f. A line without any of them cannot
 * be the subject's and is neither parsed nor, when malformed, reported.
 */
import { PROCESSING_ACTIVITY } from "../activities";
import { bytePatterns, ipExpressions, userNameExpressions } from "../byte-patterns";
import type { JsonObject, JsonValue } from "../connector";
import { bestMatch } from "../subject";
import { parseLogTime } from "../time";
import { type LineFormat, LineStoreConnector } from "./line-store.server";

interface LoginRecord {
  fields: JsonObject;
  time: Date;
  /** The syslog header in front of the JSON, kept for a rewrite. */
  prefix: string;
}

const FIELD_NAMES = {
  time: ["ts", "@timestamp", "timestamp", "time"],
  user: ["user", "username", "userName", "login"],
  clientIp: ["clientIp", "client_ip", "remoteAddr", "remote_addr", "ip"],
  givenName: ["givenName", "given_name", "firstName"],
  familyName: ["familyName", "family_name", "lastName"],
} as const;

function fieldKey(fields: JsonObject, field: keyof typeof FIELD_NAMES): string | null {
  return FIELD_NAMES[field].find((key) => key in fields) ?? null;
}

function fieldText(fields: JsonObject, field: keyof typeof FIELD_NAMES): string | null {
  const key = fieldKey(fields, field);
  const value: JsonValue | undefined = key ? fields[key] : undefined;
  return typeof value === "string" ? value : null;
}

// RFC 3339 or BSD syslog time, host, tag with optional pid, colon: what rsyslog puts before a message.
const SYSLOG_HEADER =
  /^(?:<\d{1,3}>\d? ?)?(?:\d{4}-\d{2}-\d{2}T\S+|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) \S+ [^\s:[]+(?:\[\d+\])?: ?$/;

function parseLoginLine(line: string): LoginRecord | null {
  const start = line.indexOf("{");
  if (start === -1) return null;
  const prefix = line.slice(0, start);
  if (prefix !== "" && !SYSLOG_HEADER.test(prefix)) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(line.slice(start));
  } catch {
    return null;
  }
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return null;
  const object = fields as JsonObject;
  const key = fieldKey(object, "time");
  const time = key ? parseLogTime(object[key]) : null;
  return time ? { fields: object, time, prefix } : null;
}

const loginLogFormat: LineFormat<LoginRecord> = {
  kind: "login-jsonl",
  activity: PROCESSING_ACTIVITY.beauskunftungLogin,
  // beaus-login.log with its rotations and monthly archives (beaus-login-2025-09.log.gz), per host beaus-login-01.log
  baseName: /^beaus-login(?:[-_.][\w-]+)?\.(?:log|jsonl?)$/,
  prefilter(subject) {
    const ips = ipExpressions(subject.ipKeys());
    // An address without a byte form (::1): every line is parsed.
    if (!ips) return null;
    return bytePatterns([], [...subject.userNameKeys().flatMap(userNameExpressions), ...ips]);
  },
  parse: parseLoginLine,
  recordedAt: (record) => record.time,
  match(record, subject) {
    const f = record.fields;
    const identifier = bestMatch(
      subject.userName(fieldText(f, "user")),
      subject.ip(fieldText(f, "clientIp"), record.time),
    );
    return identifier ? { identifier, role: "subject" } : null;
  },
  content: (record, raw) => ({ raw, ...record.fields }),
  fields: (record) => ({
    givenName: fieldText(record.fields, "givenName"),
    familyName: fieldText(record.fields, "familyName"),
  }),
  rectifyFields: ["givenName", "familyName"],
  rectify(record, changes) {
    const fields = { ...record.fields };
    for (const [field, value] of Object.entries(changes))
      fields[fieldKey(fields, field as "givenName" | "familyName") ?? field] = value;
    return `${record.prefix}${JSON.stringify(fields)}`;
  },
};

export function createLoginLogConnector(id: string, root: string): LineStoreConnector<LoginRecord> {
  return new LineStoreConnector(id, root, loginLogFormat);
}
