/**
 * The time notations the stores write: nginx's "10/Oct/2025:13:55:36 +0200", the exchange's local
 * "2025-10-12 08:15:02" without offset, RFC 5322 dates. Berlin's offset comes from
 * app/core/berlin-date.ts (Intl, cached per hour).
 */
import { berlinOffsetMinutes } from "../core/berlin-date";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const HOUR = 3_600_000;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function berlinWall(instant: Date): { wall: Date; offset: number } {
  const offset = berlinOffsetMinutes(instant);
  return { wall: new Date(instant.getTime() + offset * 60_000), offset };
}

function offsetText(offset: number, colon: boolean): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ":" : ""}${pad(abs % 60)}`;
}

export function formatNginxTime(instant: Date): string {
  const { wall, offset } = berlinWall(instant);
  return `${pad(wall.getUTCDate())}/${MONTHS[wall.getUTCMonth()]}/${wall.getUTCFullYear()}:${pad(wall.getUTCHours())}:${pad(
    wall.getUTCMinutes(),
  )}:${pad(wall.getUTCSeconds())} ${offsetText(offset, false)}`;
}

const NGINX_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

export function parseNginxTime(text: string): Date | null {
  const m = NGINX_TIME.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0) return null;
  const offset = (m[7] === "-" ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const utc =
    Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc);
}

/** ISO 8601 with Berlin's offset and milliseconds, as Java-based servers log. */
export function formatIsoBerlin(instant: Date): string {
  const { wall, offset } = berlinWall(instant);
  return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(
    wall.getUTCMinutes(),
  )}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}${offsetText(offset, true)}`;
}

/** "2025-10-12 08:15:02" in Berlin wall-clock time, as the telephone exchange writes it. */
export function formatBerlinLocal(instant: Date): string {
  const { wall } = berlinWall(instant);
  return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ${pad(wall.getUTCHours())}:${pad(
    wall.getUTCMinutes(),
  )}:${pad(wall.getUTCSeconds())}`;
}

/** Reads Berlin wall-clock time; in the repeated autumn hour the earlier instant is taken. */
export function parseBerlinLocal(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const wall = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  );
  if (Number.isNaN(wall)) return null;
  for (const guess of [wall - 2 * HOUR, wall - HOUR]) {
    if (guess + berlinOffsetMinutes(new Date(guess)) * 60_000 === wall) return new Date(guess);
  }
  return new Date(wall - berlinOffsetMinutes(new Date(wall)) * 60_000);
}

/** RFC 5322 date ("Sun, 12 Oct 2025 08:15:02 +0200"). */
export function formatRfc5322(instant: Date): string {
  const { wall, offset } = berlinWall(instant);
  return `${DAYS[wall.getUTCDay()]}, ${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]} ${wall.getUTCFullYear()} ${pad(
    wall.getUTCHours(),
  )}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())} ${offsetText(offset, false)}`;
}

/** "2025-10-12", the Berlin calendar day of an instant. */
export function berlinDay(instant: Date): string {
  return formatBerlinLocal(instant).slice(0, 10);
}

export function parseDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A log's time stamp, however the writer wrote it: epoch milliseconds or seconds (numbers or digit
 * strings, told apart by size), ISO 8601 with an offset, or Berlin wall-clock time without one
 * ("2025-10-08 12:00:00", as Java loggers and exports write it).
 */
export function parseLogTime(value: unknown): Date | null {
  if (typeof value === "number") return epochTime(value);
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (/^\d{9,13}(?:\.\d+)?$/.test(text)) return epochTime(Number(text));
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?$/.test(text)) return parseBerlinLocal(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  return parseDate(text);
}

// Epoch seconds up to 2286 have at most 10 digits; anything larger is milliseconds.
function epochTime(value: number): Date | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const date = new Date(value >= 1e11 ? value : value * 1000);
  return Number.isNaN(date.getTime()) ? null : date;
}
