/**
 * nginx access logs ("combined" plus X-Forwarded-For). A subject is found by IP address within a
 * time window: the raw bytes are searched for the textual forms of the subject's addresses first,
 * and only lines that contain one are parsed. The address counts in the client field and in
 * X-Forwarded-For (behind the reverse proxy the client is only there).
 */
import { PROCESSING_ACTIVITY } from "../activities";
import { parseNginxTime } from "../time";
import { type LineFormat, LineStoreConnector } from "./line-store.server";

const COMBINED =
  /^(\S+) \S+ (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"(?: "((?:[^"\\]|\\.)*)")?\s*$/;

export interface AccessRecord {
  remoteAddr: string;
  remoteUser: string;
  time: Date;
  request: string;
  status: number;
  bytes: number;
  referer: string;
  userAgent: string;
  forwardedFor: string[];
}

export function parseAccessLine(line: string): AccessRecord | null {
  const m = COMBINED.exec(line);
  if (!m) return null;
  const time = parseNginxTime(m[3]!);
  if (!time) return null;
  const forwarded = m[9] && m[9] !== "-" ? m[9].split(",").map((part) => part.trim()).filter(Boolean) : [];
  return {
    remoteAddr: m[1]!,
    remoteUser: m[2]!,
    time,
    request: m[4]!,
    status: Number(m[5]),
    bytes: m[6] === "-" ? 0 : Number(m[6]),
    referer: m[7]!,
    userAgent: m[8]!,
    forwardedFor: forwarded,
  };
}

export const accessLogFormat: LineFormat<AccessRecord> = {
  kind: "nginx-access-log",
  activity: PROCESSING_ACTIVITY.websiteVisit,
  files: /(^|\/)access\.log(\.\d+)?(\.gz)?$/,
  prefilter: (subject) => subject.ipPatterns(),
  parse: parseAccessLine,
  recordedAt: (record) => record.time,
  match(record, subject) {
    for (const address of [record.remoteAddr, ...record.forwardedFor]) {
      const identifier = subject.ip(address, record.time);
      if (identifier) return { identifier, role: "subject" };
    }
    return null;
  },
  content: (record, raw) => ({
    raw,
    remoteAddr: record.remoteAddr,
    time: record.time.toISOString(),
    request: record.request,
    status: record.status,
    bytes: record.bytes,
    referer: record.referer,
    userAgent: record.userAgent,
    forwardedFor: record.forwardedFor,
  }),
  concurrency: 2,
};

export function createAccessLogConnector(id: string, root: string): LineStoreConnector<AccessRecord> {
  return new LineStoreConnector(id, root, accessLogFormat);
}
