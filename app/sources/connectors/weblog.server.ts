/**
 * nginx and Apache access logs: common log format, combined, combined with further fields after it
 * (request time, upstream address, X-Forwarded-For in any later position, key=value pairs), a
 * leading virtual host (Apache's vhost_combined), IPv6 with or without brackets, the time as
 * `[10/Oct/2025:13:55:36 +0200]` or ISO 8601; and nginx's JSON lines (`log_format … escape=json`).
 * A subject is found by IP address within a time window: the raw bytes are searched first for an
 * expression of each of the subject's addresses that every notation `normaliseIp` reads holds
 * (app/sources/byte-patterns.ts `ipExpressions`, the login log's too; an address without one, ::1,
 * has every line parsed), and only lines that hold one
 * are parsed. The address counts in the client field and in every later field that is a list of
 * the client's addresses (behind the reverse proxy the client is only there; `clientAddresses`:
 * not the upstream's, nor a number or a duration, which `normaliseIp` does not read as an address).
 */
import { normaliseIp } from "#app/core/identifiers";
import { PROCESSING_ACTIVITY } from "../activities";
import { bytePatterns, ipExpressions } from "../byte-patterns";
import { parseDate, parseNginxTime } from "../time";
import { type LineFormat, LineStoreConnector } from "./line-store.server";

export interface AccessRecord {
  virtualHost: string | null;
  remoteAddr: string;
  remoteUser: string;
  time: Date;
  request: string;
  status: number;
  bytes: number;
  referer: string | null;
  userAgent: string | null;
  /** Addresses of later fields that are address lists (X-Forwarded-For, real IP, …), in order. */
  forwardedFor: string[];
  /** Further fields after the combined ones, as written. */
  extra: string[];
}

interface Token {
  text: string;
  quoted: boolean;
}

/** Splits the part after the time into fields: quoted strings (with \" escapes) or bare words. */
function tokens(text: string): Token[] | null {
  const result: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === " " || text[i] === "\t") {
      i++;
      continue;
    }
    if (text[i] === '"') {
      // The closing quote is the first one not escaped by an odd number of backslashes; escapes stay as written.
      let close = text.indexOf('"', i + 1);
      for (;;) {
        if (close === -1) return null;
        let backslashes = 0;
        while (text[close - 1 - backslashes] === "\\" && close - 1 - backslashes > i) backslashes++;
        if (backslashes % 2 === 0) break;
        close = text.indexOf('"', close + 1);
      }
      result.push({ text: text.slice(i + 1, close), quoted: true });
      i = close + 1;
      continue;
    }
    let j = i;
    // A bare key=value field may quote its value: uct="0.001".
    while (j < text.length && text[j] !== " " && text[j] !== "\t") {
      if (text[j] === '"') {
        const close = text.indexOf('"', j + 1);
        if (close === -1) return null;
        j = close + 1;
      } else j++;
    }
    result.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  return result;
}

/** The addresses of a field that is nothing but a list of addresses ("192.0.2.1, 10.0.0.2"), else none. */
function addressList(field: string): string[] {
  const value = field
    .replace(/^[\w-]+=/, "")
    .replace(/^"(.*)"$/, "$1")
    .trim();
  if (value === "" || value === "-") return [];
  const parts = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length > 0 && parts.every((part) => normaliseIp(part) !== null) ? parts : [];
}

/** A key that names the server side of the proxy: upstream_addr=, upstream=, server_addr=, backend=. */
const SERVER_SIDE_KEY = /^[\w-]*(?:upstream|server|backend)[\w-]*=/i;
/** An address behind which a port is written: 10.80.1.5:8080, [2001:db8::5]:8080. */
const WITH_PORT = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[^\]]+\]):\d+$/;

/**
 * The client addresses of a later field: a quoted field or a key=value field that is a list of
 * addresses (nginx's `"$http_x_forwarded_for"`, xff="…", Apache's `"%{X-Forwarded-For}i"`). Not
 * the server side of the proxy, which can be any host of the operator's network, an employee's
 * address among them: a key naming the upstream, server or backend, or a bare field of addresses
 * with ports (nginx's `$upstream_addr` is written bare and always with its port, "10.80.1.5:8080,
 * 10.80.1.6:8080"; a forwarded-for header is quoted).
 */
function clientAddresses(field: Token): string[] {
  if (field.quoted) return addressList(field.text);
  if (SERVER_SIDE_KEY.test(field.text)) return [];
  const addresses = addressList(field.text);
  return /^[\w-]+=/.test(field.text) || !addresses.some((a) => WITH_PORT.test(a)) ? addresses : [];
}

const first = (fields: Record<string, unknown>, keys: readonly string[]): string | null => {
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === "string" && value !== "" && value !== "-") return value;
    if (typeof value === "number") return String(value);
  }
  return null;
};

/** nginx's `log_format … escape=json` lines: the usual variables as JSON keys. */
function parseJsonAccessLine(line: string): AccessRecord | null {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch {
    return null;
  }
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return null;
  const f = fields as Record<string, unknown>;
  const remoteAddr = first(f, ["remote_addr", "remoteAddr", "client_ip", "client"]);
  if (!remoteAddr) return null;
  const local = first(f, ["time_local"]);
  const iso = first(f, ["time_iso8601", "@timestamp", "timestamp", "time"]);
  const msec = first(f, ["msec"]);
  const time =
    (local && parseNginxTime(local)) ||
    (iso && /^\d{4}-\d{2}-\d{2}T/.test(iso) ? parseDate(iso) : null) ||
    (msec && /^\d{9,10}(\.\d+)?$/.test(msec) ? new Date(Number(msec) * 1000) : null);
  const status = Number(first(f, ["status"]));
  if (!time || !Number.isInteger(status)) return null;
  const forwarded = first(f, ["http_x_forwarded_for", "x_forwarded_for", "xff", "http_x_real_ip"]);
  return {
    virtualHost: first(f, ["host", "server_name"]),
    remoteAddr,
    remoteUser: first(f, ["remote_user"]) ?? "-",
    time,
    request:
      first(f, ["request"]) ??
      `${first(f, ["request_method"]) ?? "-"} ${first(f, ["request_uri", "uri"]) ?? "-"}`,
    status,
    bytes: Number(first(f, ["body_bytes_sent", "bytes_sent"]) ?? 0) || 0,
    referer: first(f, ["http_referer"]),
    userAgent: first(f, ["http_user_agent"]),
    forwardedFor: forwarded ? addressList(forwarded) : [],
    extra: [],
  };
}

export function parseAccessLine(line: string): AccessRecord | null {
  if (line.startsWith("{")) return parseJsonAccessLine(line);
  const open = line.indexOf(" [");
  const close = open === -1 ? -1 : line.indexOf("]", open + 2);
  if (open === -1 || close === -1) return null;
  const head = line.slice(0, open).trim().split(/\s+/);
  if (head.length !== 3 && head.length !== 4) return null;
  const [virtualHost, remoteAddr, , remoteUser] = head.length === 4 ? head : [null, ...head];
  // Not always an address: "unix:" behind a socket, a host name where lookups are on. The line is
  // still a record, and the address in a later field (X-Forwarded-For) still finds it.
  if (!remoteAddr) return null;
  const timeText = line.slice(open + 2, close);
  const time =
    parseNginxTime(timeText) ?? (/^\d{4}-\d{2}-\d{2}T/.test(timeText) ? parseDate(timeText) : null);
  if (!time) return null;
  const fields = tokens(line.slice(close + 1));
  if (!fields || fields.length < 3) return null;
  const [request, status, bytes] = fields as [Token, Token, Token];
  if (
    !request.quoted ||
    status.quoted ||
    !/^\d{3}$/.test(status.text) ||
    bytes.quoted ||
    !/^(\d+|-)$/.test(bytes.text)
  )
    return null;
  const combined = fields.length >= 5 && fields[3]!.quoted && fields[4]!.quoted;
  const later = fields.slice(combined ? 5 : 3);
  const extra = later.map((t) => (t.quoted ? `"${t.text}"` : t.text));
  return {
    virtualHost: virtualHost ?? null,
    remoteAddr,
    remoteUser: remoteUser!,
    time,
    request: request.text,
    status: Number(status.text),
    bytes: bytes.text === "-" ? 0 : Number(bytes.text),
    referer: combined ? fields[3]!.text : null,
    userAgent: combined ? fields[4]!.text : null,
    forwardedFor: later.flatMap(clientAddresses),
    extra,
  };
}

const accessLogFormat: LineFormat<AccessRecord> = {
  kind: "nginx-access-log",
  activity: PROCESSING_ACTIVITY.websiteVisit,
  // access.log, access_log (Apache), per virtual host: tsr.access.log, tsr-ssl_access.log
  baseName: /^(?:[\w.-]+[._-])?access[._]log$/,
  prefilter(subject) {
    const ips = ipExpressions(subject.ipKeys());
    return ips ? bytePatterns([], ips) : null;
  },
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
    ...(record.virtualHost ? { virtualHost: record.virtualHost } : {}),
    remoteAddr: record.remoteAddr,
    time: record.time.toISOString(),
    request: record.request,
    status: record.status,
    bytes: record.bytes,
    referer: record.referer,
    userAgent: record.userAgent,
    forwardedFor: record.forwardedFor,
    ...(record.extra.length ? { extra: record.extra } : {}),
  }),
  concurrency: 2,
};

export function createAccessLogConnector(id: string, root: string): LineStoreConnector<AccessRecord> {
  return new LineStoreConnector(id, root, accessLogFormat);
}
