/**
 * Answer deadlines of Art. 12(3) DS-GVO, counted by Regulation (EEC, Euratom) No 1182/71.
 *
 * Our reading, applied the same way everywhere:
 * - Art. 3(1) subpara. 2: the day of receipt does not count; the period begins at 00:00 (Berlin) on
 *   the following day. Receipt is a Berlin calendar day: a request sent at 23:30 Berlin time on
 *   31 May arrived on 31 May, although it is already 1 June in some other zones — and one sent at
 *   00:30 Berlin time on 1 June (22:30 UTC on 31 May) arrived on 1 June.
 * - Art. 3(2)(c): a period of months ends with the last hour of the day in the last month that bears
 *   the same date as the day from which the period runs — the day of receipt — or with the last day
 *   of that month if the date does not exist there (received 31 Jan → 28 or 29 Feb).
 * - Art. 3(4): if that day is a Saturday, Sunday or a public holiday in Thuringia (the controller's
 *   seat), the period ends with the next working day. Art. 3(5) (two working days at least) never
 *   bites on a period of a month.
 * - An extension "by two further months" lengthens the one period: the extended deadline is
 *   1 + n months counted from receipt, not n months added to the already shifted first deadline, so
 *   neither the month-end clamping nor a weekend shift of the first month is carried over.
 *
 * A deadline is returned as the last millisecond of its Berlin day (23:59:59.999 local time): the
 * request is answered in time if the answer leaves before that instant. `berlinDayOf(deadline)`
 * gives the day for display and for a SQL `date`.
 */
import Holidays from "date-holidays";
import {
  addDays,
  addMonths,
  berlinDayOf,
  daysBetween,
  endOfBerlinDay,
  weekdayOf,
  type BerlinDay,
} from "./berlin-date";

export type DeadlineStatus = "open" | "due-soon" | "overdue";
export type ExtensionMonths = 1 | 2;

const thuringia = new Holidays("DE", "TH");
const publicHolidaysByYear = new Map<number, ReadonlySet<BerlinDay>>();

/** Statutory public holidays in Thuringia for one year (not the bank or observance days of the library). */
export function thuringianPublicHolidays(year: number): ReadonlySet<BerlinDay> {
  let days = publicHolidaysByYear.get(year);
  if (!days) {
    // `date` is the local (Berlin) date and time of the holiday's start, e.g. "2026-09-20 00:00:00".
    days = new Set(
      thuringia
        .getHolidays(year)
        .filter((holiday) => holiday.type === "public")
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    publicHolidaysByYear.set(year, days);
  }
  return days;
}

export function isThuringianWorkingDay(day: BerlinDay): boolean {
  const weekday = weekdayOf(day);
  if (weekday === 0 || weekday === 6) return false;
  return !thuringianPublicHolidays(Number(day.slice(0, 4))).has(day);
}

function nextWorkingDayFrom(day: BerlinDay): BerlinDay {
  let candidate = day;
  while (!isThuringianWorkingDay(candidate)) candidate = addDays(candidate, 1);
  return candidate;
}

function deadlineMonthsAfterReceipt(receivedAt: Date, months: number): Date {
  const receiptDay = berlinDayOf(receivedAt);
  return endOfBerlinDay(nextWorkingDayFrom(addMonths(receiptDay, months)));
}

/** One month after receipt (Art. 12(3) sentence 1). */
export function answerDeadline(receivedAt: Date): Date {
  return deadlineMonthsAfterReceipt(receivedAt, 1);
}

/** The deadline after extending by one or two further months (Art. 12(3) sentence 2). */
export function extendedDeadline(receivedAt: Date, months: ExtensionMonths): Date {
  if (months !== 1 && months !== 2) throw new RangeError("an extension is one or two further months");
  return deadlineMonthsAfterReceipt(receivedAt, 1 + months);
}

/**
 * The person has to be told of an extension within the first month (Art. 12(3) sentence 3), so it
 * is possible only until the first deadline has passed.
 */
export function canExtend(receivedAt: Date, now: Date): boolean {
  return now.getTime() <= answerDeadline(receivedAt).getTime();
}

/**
 * "due-soon" once the deadline's Berlin day is at most `dueSoonDays` calendar days away (0: only on
 * the last day itself); "overdue" once its last millisecond has passed.
 */
export function deadlineStatus(deadline: Date, now: Date, dueSoonDays: number): DeadlineStatus {
  if (!Number.isInteger(dueSoonDays) || dueSoonDays < 0)
    throw new RangeError("dueSoonDays must be a whole number ≥ 0");
  if (now.getTime() > deadline.getTime()) return "overdue";
  return daysBetween(berlinDayOf(now), berlinDayOf(deadline)) <= dueSoonDays ? "due-soon" : "open";
}
