/**
 * Calendar days as the law counts them here: in Europe/Berlin, whatever the time zone of the server.
 *
 * A day is an ISO string "YYYY-MM-DD" (a `BerlinDay`): it compares correctly as a string, is readable
 * in logs and forms, and stores as a SQL `date`. Arithmetic on days runs in UTC on purpose — a
 * calendar day has no time zone; only the conversion between a day and an instant needs Berlin's
 * offset, which comes from Intl (the tz database), never from a hand-written DST table.
 */

/** A calendar day in Berlin, "YYYY-MM-DD". */
export type BerlinDay = string;

const BERLIN_TIME_ZONE = "Europe/Berlin";

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const HOUR_MS = 3_600_000;

const berlinParts = new Intl.DateTimeFormat("en-US", {
  timeZone: BERLIN_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const offsetByHour = new Map<number, number>();

/**
 * Berlin's offset from UTC in minutes at that instant (60 in winter, 120 in summer). Asked of Intl
 * once per UTC hour: Berlin's offset changes only on the full UTC hour, and logs, archives and
 * deadlines ask for it millions of times.
 */
export function berlinOffsetMinutes(instant: Date): number {
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of berlinParts.formatToParts(new Date(hour * HOUR_MS))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = Math.round((wall - hour * HOUR_MS) / 60_000);
  if (offsetByHour.size > 100_000) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

/** Berlin's wall clock as a Date whose UTC fields read it (for formats that store no zone). */
export function berlinWallClockAsUtc(instant: Date): Date {
  return new Date(instant.getTime() + berlinOffsetMinutes(instant) * 60_000);
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError("expected a valid Date");
  }
}

/** Berlin's offset from UTC at that instant, in milliseconds (+1 h in winter, +2 h in summer). */
function berlinOffsetMs(epochMs: number): number {
  return berlinOffsetMinutes(new Date(epochMs)) * 60_000;
}

interface DayParts {
  year: number;
  month: number;
  day: number;
}

function parseDay(day: BerlinDay): DayParts {
  const match = ISO_DAY.exec(day);
  if (!match) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${day}`);
  const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (
    parts.month < 1 ||
    parts.month > 12 ||
    parts.day < 1 ||
    parts.day > daysInMonth(parts.year, parts.month)
  ) {
    throw new RangeError(`no such calendar day: ${day}`);
  }
  return parts;
}

function formatDay(year: number, month: number, day: number): BerlinDay {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function fromUtcMidnight(epochMs: number): BerlinDay {
  const date = new Date(epochMs);
  return formatDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function utcMidnight(day: BerlinDay): number {
  const { year, month, day: dayOfMonth } = parseDay(day);
  return Date.UTC(year, month - 1, dayOfMonth);
}

export function isBerlinDay(value: string): boolean {
  try {
    parseDay(value);
    return true;
  } catch {
    return false;
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar day in Berlin on which the instant falls (23:30 UTC on 1 May is 2 May in Berlin). */
export function berlinDayOf(instant: Date): BerlinDay {
  assertValidInstant(instant);
  const wall = berlinWallClockAsUtc(instant);
  return formatDay(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate());
}

/** The instant at which the day begins in Berlin (00:00 local time). */
export function startOfBerlinDay(day: BerlinDay): Date {
  const midnightAsUtc = utcMidnight(day);
  // Berlin changes its offset at 02:00/03:00 local time, so local midnight always exists and is
  // unique; the second pass corrects the guess when the offset at the guess differs.
  const guess = midnightAsUtc - berlinOffsetMs(midnightAsUtc);
  return new Date(midnightAsUtc - berlinOffsetMs(guess));
}

/** The last millisecond of the day in Berlin (23:59:59.999 local time). */
export function endOfBerlinDay(day: BerlinDay): Date {
  return new Date(startOfBerlinDay(addDays(day, 1)).getTime() - 1);
}

export function addDays(day: BerlinDay, days: number): BerlinDay {
  return fromUtcMidnight(utcMidnight(day) + days * DAY_MS);
}

/**
 * Same date `months` later; where that month is too short, its last day (31 Jan + 1 month =
 * 28/29 Feb). This is the month rule of Regulation 1182/71 Art. 3(2)(c) and of § 188(3) BGB.
 */
export function addMonths(day: BerlinDay, months: number): BerlinDay {
  const { year, month, day: dayOfMonth } = parseDay(day);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return formatDay(targetYear, targetMonth, Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth)));
}

export function endOfYear(day: BerlinDay): BerlinDay {
  return formatDay(parseDay(day).year, 12, 31);
}

/** 0 = Sunday … 6 = Saturday, as Date#getDay. */
export function weekdayOf(day: BerlinDay): number {
  return new Date(utcMidnight(day)).getUTCDay();
}

/** Whole calendar days from `from` to `to` (negative when `to` lies before `from`). */
export function daysBetween(from: BerlinDay, to: BerlinDay): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}
