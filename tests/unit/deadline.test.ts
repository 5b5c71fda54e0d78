import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  berlinDayOf,
  daysBetween,
  endOfBerlinDay,
  isBerlinDay,
  startOfBerlinDay,
  weekdayOf,
} from "#app/core/berlin-date";
import {
  answerDeadline,
  canExtend,
  deadlineStatus,
  extendedDeadline,
  isThuringianWorkingDay,
  thuringianPublicHolidays,
} from "#app/core/deadline";

/** Noon Berlin time on that day: far from any day boundary, so the test is about the calendar only. */
function receivedOn(day: string): Date {
  return new Date(startOfBerlinDay(day).getTime() + 12 * 3_600_000);
}

function deadlineDay(receivedDay: string): string {
  return berlinDayOf(answerDeadline(receivedOn(receivedDay)));
}

describe("berlin-date", () => {
  it("maps instants to the Berlin calendar day, not the UTC one", () => {
    expect(berlinDayOf(new Date("2026-05-31T22:30:00Z"))).toBe("2026-06-01"); // 00:30 CEST
    expect(berlinDayOf(new Date("2026-05-31T21:59:59.999Z"))).toBe("2026-05-31");
    expect(berlinDayOf(new Date("2026-12-31T23:00:00Z"))).toBe("2027-01-01"); // 00:00 CET
    expect(berlinDayOf(new Date("2026-12-31T22:59:59.999Z"))).toBe("2026-12-31");
  });

  it("finds local midnight on both sides of the DST changes", () => {
    expect(startOfBerlinDay("2026-03-28").toISOString()).toBe("2026-03-27T23:00:00.000Z");
    expect(startOfBerlinDay("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z"); // the 23-hour day
    expect(startOfBerlinDay("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfBerlinDay("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z"); // the 25-hour day
    expect(startOfBerlinDay("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(endOfBerlinDay("2026-03-29").toISOString()).toBe("2026-03-29T21:59:59.999Z");
    expect(endOfBerlinDay("2026-10-25").toISOString()).toBe("2026-10-25T22:59:59.999Z");
  });

  it("clamps month arithmetic to the month's last day", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2028-02-29", 12)).toBe("2029-02-28");
    expect(addMonths("2026-10-31", 2)).toBe("2026-12-31");
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
  });

  it("adds days across month and year ends and counts between days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the 23-hour day
    expect(daysBetween("2026-10-26", "2026-10-24")).toBe(-2);
    expect(weekdayOf("2026-09-20")).toBe(0);
    expect(weekdayOf("2025-09-20")).toBe(6);
  });

  it("rejects malformed and impossible days", () => {
    expect(isBerlinDay("2026-02-28")).toBe(true);
    expect(isBerlinDay("2027-02-29")).toBe(false);
    expect(isBerlinDay("2026-13-01")).toBe(false);
    expect(isBerlinDay("2026-1-01")).toBe(false);
    expect(() => addDays("31.01.2026", 1)).toThrow(RangeError);
    expect(() => berlinDayOf(new Date("nonsense"))).toThrow(RangeError);
  });

  it("keeps every instant inside its Berlin day (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1990-01-01T00:00:00Z"),
          max: new Date("2100-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (instant) => {
          const day = berlinDayOf(instant);
          expect(startOfBerlinDay(day).getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(endOfBerlinDay(day).getTime()).toBeGreaterThanOrEqual(instant.getTime());
          expect(berlinDayOf(startOfBerlinDay(day))).toBe(day);
          expect(berlinDayOf(new Date(endOfBerlinDay(day).getTime() + 1))).toBe(addDays(day, 1));
        },
      ),
    );
  });
});

describe("Thuringian public holidays", () => {
  it("include Weltkindertag since 2019 and Reformationstag, but not Catholic-only or observance days", () => {
    const holidays2026 = thuringianPublicHolidays(2026);
    expect(holidays2026.has("2026-09-20")).toBe(true); // Weltkindertag
    expect(holidays2026.has("2026-10-31")).toBe(true); // Reformationstag
    expect(holidays2026.has("2026-11-01")).toBe(false); // Allerheiligen: not in Thuringia
    expect(holidays2026.has("2026-06-04")).toBe(false); // Fronleichnam: only in some Eichsfeld communities
    expect(holidays2026.has("2026-12-24")).toBe(false); // Heiligabend is no public holiday
    expect(thuringianPublicHolidays(2018).has("2018-09-20")).toBe(false);
    expect(thuringianPublicHolidays(2019).has("2019-09-20")).toBe(true);
  });

  it("treats weekends and holidays as non-working days", () => {
    expect(isThuringianWorkingDay("2026-09-18")).toBe(true); // Friday
    expect(isThuringianWorkingDay("2026-09-19")).toBe(false); // Saturday
    expect(isThuringianWorkingDay("2027-09-20")).toBe(false); // Monday, Weltkindertag
    expect(isThuringianWorkingDay("2026-04-06")).toBe(false); // Easter Monday
  });
});

describe("answerDeadline (Art. 12(3) DS-GVO, Regulation 1182/71)", () => {
  it("ends on the same date of the next month when that is a working day", () => {
    expect(deadlineDay("2026-03-10")).toBe("2026-04-10"); // Friday
    expect(deadlineDay("2026-09-30")).toBe("2026-10-30"); // Friday; 30 Sept → 30 Oct, not 31 Oct
    expect(deadlineDay("2027-03-31")).toBe("2027-04-30"); // April has no 31st
  });

  it("ends on the last day of a shorter month, leap years included", () => {
    expect(deadlineDay("2028-01-31")).toBe("2028-02-29"); // Tuesday, leap year
    expect(deadlineDay("2028-01-30")).toBe("2028-02-29");
    expect(deadlineDay("2028-02-29")).toBe("2028-03-29");
    expect(deadlineDay("2026-01-31")).toBe("2026-03-02"); // 28 Feb 2026 is a Saturday
    expect(deadlineDay("2027-01-31")).toBe("2027-03-01"); // 28 Feb 2027 is a Sunday
  });

  it("moves past weekends to the next working day", () => {
    expect(deadlineDay("2026-08-20")).toBe("2026-09-21"); // 20 Sept 2026: Sunday (and Weltkindertag)
    expect(deadlineDay("2025-08-20")).toBe("2025-09-22"); // 20 Sept 2025: Saturday
    expect(deadlineDay("2026-09-13")).toBe("2026-10-13"); // Tuesday, unaffected
  });

  it("moves past Thuringian holidays on weekdays", () => {
    expect(deadlineDay("2027-08-20")).toBe("2027-09-21"); // Weltkindertag, Monday 20 Sept 2027
    expect(deadlineDay("2018-08-20")).toBe("2018-09-20"); // before 2019 no holiday: Thursday stays
    expect(deadlineDay("2026-09-03")).toBe("2026-10-05"); // 3 Oct 2026 Saturday → Monday
    expect(deadlineDay("2028-09-03")).toBe("2028-10-04"); // 3 Oct 2028 Tuesday, German Unity Day
    expect(deadlineDay("2026-04-01")).toBe("2026-05-04"); // 1 May 2026 Friday → Monday
    expect(deadlineDay("2026-05-04")).toBe("2026-06-04"); // Corpus Christi is no holiday in Erfurt
  });

  it("handles Easter, Christmas and New Year", () => {
    expect(deadlineDay("2026-03-03")).toBe("2026-04-07"); // Good Friday, weekend, Easter Monday
    expect(deadlineDay("2026-03-06")).toBe("2026-04-07"); // Easter Monday
    expect(deadlineDay("2027-02-26")).toBe("2027-03-30"); // Good Friday 26 Mar 2027 … Easter Monday 29 Mar
    expect(deadlineDay("2026-11-25")).toBe("2026-12-28"); // 25 Dec Friday, 26 Dec Saturday, Sunday
    expect(deadlineDay("2027-11-24")).toBe("2027-12-24"); // Christmas Eve (a Friday in 2027) is a working day
    expect(deadlineDay("2027-11-25")).toBe("2027-12-27"); // 25 and 26 Dec 2027 fall on the weekend
    expect(deadlineDay("2026-12-01")).toBe("2027-01-04"); // New Year Friday, then the weekend
  });

  it("counts receipt by the Berlin calendar day, not the UTC day", () => {
    // 00:30 in Berlin on 1 June is still 31 May in UTC: received 1 June, due 1 July.
    expect(berlinDayOf(answerDeadline(new Date("2026-05-31T22:30:00Z")))).toBe("2026-07-01");
    // 23:30 in Berlin on 31 May: received 31 May, due 30 June.
    expect(berlinDayOf(answerDeadline(new Date("2026-05-31T21:30:00Z")))).toBe("2026-06-30");
    // Winter time: 00:30 CET on 31 Jan is 30 Jan in UTC; 28 Feb 2026 is a Saturday.
    expect(berlinDayOf(answerDeadline(new Date("2026-01-30T23:30:00Z")))).toBe("2026-03-02");
    expect(berlinDayOf(answerDeadline(new Date("2026-01-30T22:30:00Z")))).toBe("2026-03-02");
    expect(berlinDayOf(answerDeadline(new Date("2026-01-29T22:59:00Z")))).toBe("2026-03-02"); // 23:59 CET on 29 Jan → 28 Feb (clamped), a Saturday
  });

  it("returns the last millisecond of the Berlin day", () => {
    expect(answerDeadline(receivedOn("2026-08-20")).toISOString()).toBe("2026-09-21T21:59:59.999Z"); // summer time
    expect(answerDeadline(receivedOn("2026-11-25")).toISOString()).toBe("2026-12-28T22:59:59.999Z"); // winter time
    expect(answerDeadline(receivedOn("2026-09-28")).toISOString()).toBe("2026-10-28T22:59:59.999Z"); // after the DST change
  });

  it("always lands on a working day between 28 and 35 days after receipt (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2019-01-01T00:00:00Z"),
          max: new Date("2099-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (receivedAt) => {
          const deadline = answerDeadline(receivedAt);
          const day = berlinDayOf(deadline);
          expect(isThuringianWorkingDay(day)).toBe(true);
          const elapsed = daysBetween(berlinDayOf(receivedAt), day);
          expect(elapsed).toBeGreaterThanOrEqual(28);
          expect(elapsed).toBeLessThanOrEqual(35);
          expect(berlinDayOf(new Date(deadline.getTime() + 1))).toBe(addDays(day, 1));
        },
      ),
    );
  });

  it("rejects an invalid receipt date", () => {
    expect(() => answerDeadline(new Date("not a date"))).toThrow(RangeError);
  });
});

describe("extendedDeadline", () => {
  it("counts the whole extended period from receipt", () => {
    expect(berlinDayOf(extendedDeadline(receivedOn("2026-01-31"), 1))).toBe("2026-03-31");
    // 3 months from 31 Jan is 30 Apr — not 2 months after the weekend-shifted 2 March.
    expect(berlinDayOf(extendedDeadline(receivedOn("2026-01-31"), 2))).toBe("2026-04-30");
    expect(berlinDayOf(extendedDeadline(receivedOn("2027-11-30"), 2))).toBe("2028-02-29");
  });

  it("applies the same weekend and holiday rules", () => {
    expect(berlinDayOf(extendedDeadline(receivedOn("2026-07-31"), 2))).toBe("2026-11-02"); // 31 Oct 2026 Saturday
    expect(berlinDayOf(extendedDeadline(receivedOn("2025-08-31"), 1))).toBe("2025-11-03"); // Reformationstag Friday
    expect(berlinDayOf(extendedDeadline(receivedOn("2028-08-31"), 1))).toBe("2028-11-01"); // Reformationstag Tuesday; All Saints' is no holiday here
    expect(berlinDayOf(extendedDeadline(receivedOn("2026-06-20"), 2))).toBe("2026-09-21"); // Weltkindertag Sunday
  });

  it("never ends before the first deadline and accepts only one or two months", () => {
    const receivedAt = receivedOn("2026-08-20");
    expect(extendedDeadline(receivedAt, 1).getTime()).toBeGreaterThan(answerDeadline(receivedAt).getTime());
    expect(extendedDeadline(receivedAt, 2).getTime()).toBeGreaterThan(
      extendedDeadline(receivedAt, 1).getTime(),
    );
    expect(() => extendedDeadline(receivedAt, 3 as 1)).toThrow(RangeError);
  });
});

describe("canExtend", () => {
  const receivedAt = receivedOn("2026-08-20"); // first deadline: end of Monday 21 Sept 2026

  it("allows an extension while the first month runs, including its last day", () => {
    expect(canExtend(receivedAt, new Date("2026-08-21T08:00:00Z"))).toBe(true);
    expect(canExtend(receivedAt, new Date("2026-09-21T21:59:59.999Z"))).toBe(true); // 23:59:59.999 Berlin
  });

  it("refuses once the first month has ended", () => {
    expect(canExtend(receivedAt, new Date("2026-09-21T22:00:00Z"))).toBe(false); // 00:00 Berlin, 22 Sept
    expect(canExtend(receivedAt, new Date("2026-12-01T10:00:00Z"))).toBe(false);
  });
});

describe("deadlineStatus", () => {
  const deadline = answerDeadline(receivedOn("2026-08-20")); // end of 21 Sept 2026, Berlin

  it("is open while more than dueSoonDays calendar days remain", () => {
    expect(deadlineStatus(deadline, new Date("2026-09-13T10:00:00Z"), 7)).toBe("open");
    expect(deadlineStatus(deadline, new Date("2026-09-13T21:59:00Z"), 7)).toBe("open"); // 23:59 Berlin, 13 Sept
  });

  it("is due soon within dueSoonDays, counted in Berlin days", () => {
    expect(deadlineStatus(deadline, new Date("2026-09-13T22:30:00Z"), 7)).toBe("due-soon"); // 00:30 Berlin, 14 Sept
    expect(deadlineStatus(deadline, new Date("2026-09-21T21:59:59.999Z"), 7)).toBe("due-soon");
    expect(deadlineStatus(deadline, new Date("2026-09-21T10:00:00Z"), 0)).toBe("due-soon");
    expect(deadlineStatus(deadline, new Date("2026-09-20T10:00:00Z"), 0)).toBe("open");
  });

  it("is overdue once the deadline's last millisecond has passed", () => {
    expect(deadlineStatus(deadline, new Date("2026-09-21T22:00:00Z"), 7)).toBe("overdue");
    expect(deadlineStatus(deadline, new Date("2027-01-01T00:00:00Z"), 0)).toBe("overdue");
  });

  it("rejects a negative or fractional dueSoonDays", () => {
    expect(() => deadlineStatus(deadline, new Date(), -1)).toThrow(RangeError);
    expect(() => deadlineStatus(deadline, new Date(), 1.5)).toThrow(RangeError);
  });
});
