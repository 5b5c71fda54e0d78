import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerDeadline, extendedDeadline } from "#app/core/deadline";
import {
  type CaseFacts,
  computeFigures,
  daysToAnswer,
  deadlineBucketAt,
  isOpenAt,
  median,
  percentile,
} from "#app/server/statistics/figures";
import { figureCharts, keyFigureRows } from "#app/server/statistics/charts";
import { parsePeriod, snapshotInstant, yearPeriod } from "#app/server/statistics/period";

/** A Berlin wall-clock time, e.g. berlin("2025-03-10 10:00"). */
const berlin = (local: string) => {
  const [day, time = "12:00"] = local.split(" ");
  const month = Number(day!.slice(5, 7));
  // Summer time (CEST) from the last Sunday of March to the last Sunday of October; the test
  // dates keep clear of the switch days.
  return new Date(`${day}T${time}:00${month > 3 && month < 11 ? "+02:00" : "+01:00"}`);
};

function caseOf(id: string, fields: Partial<CaseFacts> & { receivedAt: Date }): CaseFacts {
  return {
    id,
    kinds: ["auskunft"],
    channel: "web",
    status: "received",
    deadline: answerDeadline(fields.receivedAt),
    extendedDeadline: null,
    answeredAt: null,
    closedAt: null,
    ...fields,
  };
}

describe("percentile", () => {
  it("interpolates between ranks like QUANTIL.INKL / PERCENTILE.INC", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(percentile([10, 25, 30, 44, 88], 0.9)).toBeCloseTo(70.4, 10);
    expect(percentile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 10);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it("lies between the smallest and largest value and grows with p", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          const a = percentile(values, low)!;
          const b = percentile(values, high)!;
          expect(a).toBeGreaterThanOrEqual(Math.min(...values));
          expect(b).toBeLessThanOrEqual(Math.max(...values));
          expect(a).toBeLessThanOrEqual(b + 1e-9);
        },
      ),
    );
  });
});

describe("days to answer", () => {
  it("counts Berlin calendar days, not 24-hour spans", () => {
    // 23:30 on 31 Jan to 00:30 on 1 Feb in Berlin: one day, although only an hour passed.
    expect(daysToAnswer(berlin("2025-01-31 23:30"), berlin("2025-02-01 00:30"))).toBe(1);
    expect(daysToAnswer(berlin("2025-01-10 08:00"), berlin("2025-01-10 17:00"))).toBe(0);
  });
});

describe("open cases and deadline buckets", () => {
  const at = berlin("2025-12-31 23:00");
  it("counts a case as open until it is answered or closed", () => {
    expect(isOpenAt(caseOf("a", { receivedAt: berlin("2025-12-01") }), at)).toBe(true);
    expect(isOpenAt(caseOf("b", { receivedAt: berlin("2026-01-02") }), at)).toBe(false);
    expect(
      isOpenAt(
        caseOf("c", {
          receivedAt: berlin("2025-10-01"),
          answeredAt: berlin("2025-10-20"),
          status: "answered",
        }),
        at,
      ),
    ).toBe(false);
    // Answered only after the snapshot: open at the snapshot.
    expect(
      isOpenAt(
        caseOf("d", {
          receivedAt: berlin("2025-12-01"),
          answeredAt: berlin("2026-01-05"),
          status: "answered",
        }),
        at,
      ),
    ).toBe(true);
    expect(isOpenAt(caseOf("e", { receivedAt: berlin("2025-10-01"), status: "withdrawn" }), at)).toBe(false);
    // The copy of the data released, the erasure still to confirm: open until the case's final state.
    expect(
      isOpenAt(
        caseOf("f", {
          receivedAt: berlin("2025-10-01"),
          answeredAt: berlin("2025-10-20"),
          status: "approved",
          kinds: ["auskunft", "loeschung"],
        }),
        at,
      ),
    ).toBe(true);
    // Carried out and told on 20 October; a deferred erasure keeps the case unclosed: it ended when the person was told.
    expect(
      isOpenAt(
        caseOf("g", {
          receivedAt: berlin("2025-10-01"),
          answeredAt: berlin("2025-10-20"),
          status: "carried-out",
          kinds: ["loeschung"],
        }),
        at,
      ),
    ).toBe(false);
  });

  it("sorts by the deadline that applies, the extended one first", () => {
    expect(deadlineBucketAt(caseOf("g", { receivedAt: berlin("2025-11-10") }), at)).toBe("overdue");
    expect(
      deadlineBucketAt(
        caseOf("g", {
          receivedAt: berlin("2025-11-10"),
          extendedDeadline: extendedDeadline(berlin("2025-11-10"), 1),
        }),
        at,
      ),
    ).toBe("later");
    // Received 1 Dec: 1 Jan is a holiday, so the deadline is Friday 2 Jan — within the week.
    expect(deadlineBucketAt(caseOf("f", { receivedAt: berlin("2025-12-01") }), at)).toBe("due-this-week");
    expect(deadlineBucketAt(caseOf("h", { receivedAt: berlin("2025-12-20") }), at)).toBe("later");
    expect(deadlineBucketAt(caseOf("x", { receivedAt: berlin("2025-12-20"), deadline: null }), at)).toBe(
      "no-deadline",
    );
  });
});

describe("computeFigures on cases with known answers", () => {
  const period = yearPeriod(2025);
  const asOf = snapshotInstant(period, berlin("2026-11-23 10:00"));
  const cases: CaseFacts[] = [
    caseOf("A", {
      receivedAt: berlin("2025-01-10 09:00"),
      answeredAt: berlin("2025-01-20 15:00"),
      status: "answered",
    }),
    caseOf("B", {
      receivedAt: berlin("2025-02-03 09:00"),
      answeredAt: berlin("2025-02-28 11:00"),
      status: "answered",
      channel: "email",
      kinds: ["auskunft", "loeschung"],
    }),
    caseOf("C", {
      receivedAt: berlin("2025-03-03 09:00"),
      extendedDeadline: extendedDeadline(berlin("2025-03-03 09:00"), 2),
      answeredAt: berlin("2025-05-30 11:00"),
      status: "answered",
      channel: "letter",
      kinds: ["berichtigung"],
    }),
    caseOf("D", {
      receivedAt: berlin("2025-04-01 09:00"),
      answeredAt: berlin("2025-05-15 11:00"),
      status: "answered",
    }),
    caseOf("E", {
      receivedAt: berlin("2025-06-02 09:00"),
      closedAt: berlin("2025-06-20 11:00"),
      status: "refused",
      channel: "phone",
      kinds: ["widerspruch"],
    }),
    caseOf("F", { receivedAt: berlin("2025-12-01 09:00") }),
    caseOf("G", {
      receivedAt: berlin("2025-11-10 09:00"),
      status: "gathering",
      channel: "fax",
      kinds: ["loeschung"],
    }),
    caseOf("H", { receivedAt: berlin("2025-12-20 09:00"), status: "review", channel: "email" }),
    caseOf("I", {
      receivedAt: berlin("2024-12-15 09:00"),
      answeredAt: berlin("2025-01-14 11:00"),
      status: "answered",
    }),
    caseOf("J", { receivedAt: berlin("2026-01-05 09:00") }),
    caseOf("L", {
      receivedAt: berlin("2025-07-01 09:00"),
      closedAt: berlin("2025-07-03 09:00"),
      status: "withdrawn",
      kinds: ["widerruf"],
    }),
  ];
  const figures = computeFigures({
    period,
    asOf,
    cases,
    restrictions: [
      { requestId: "A", decision: "withhold", groundId: "secrecy" },
      { requestId: "A", decision: "redact", groundId: "third-party-rights" },
      { requestId: "B", decision: "redact", groundId: "third-party-rights" },
      { requestId: "B", decision: "redact", groundId: "third-party-rights" },
    ],
    complaintsForwarded: 2,
  });
  const counts = (list: { key: string; count: number }[]) =>
    Object.fromEntries(list.filter((c) => c.count > 0).map((c) => [c.key, c.count]));

  it("counts the cases received in the period by kind and channel", () => {
    expect(figures.received.total).toBe(9);
    expect(counts(figures.received.byKind)).toEqual({
      auskunft: 5,
      loeschung: 2,
      berichtigung: 1,
      widerspruch: 1,
      widerruf: 1,
    });
    expect(counts(figures.received.byChannel)).toEqual({ web: 4, email: 2, letter: 1, fax: 1, phone: 1 });
    // Every kind and channel is listed, also with 0, so charts of two periods compare.
    expect(figures.received.byKind).toHaveLength(8);
    expect(figures.received.byChannel.map((c) => c.key)).toEqual([
      "web",
      "email",
      "letter",
      "fax",
      "phone",
      "in-person",
    ]);
  });

  it("computes median and 90th percentile of the days to answer of cases answered in the period", () => {
    // A 10, B 25, C 88, D 44, I 30 (received the year before, answered in January).
    expect(figures.timeToAnswer).toEqual({
      answered: 5,
      medianDays: 30,
      p90Days: expect.closeTo(70.4, 10) as unknown as number,
      inTime: 4,
      late: 1,
    });
  });

  it("counts extensions, refusals, open cases by deadline, restrictions and complaints", () => {
    expect(figures.extensions).toEqual({ extended: 1, received: 9 });
    expect(figures.refused).toBe(1);
    expect(figures.asOf.toISOString()).toBe("2025-12-31T22:59:59.999Z");
    expect(figures.open.total).toBe(3);
    expect(counts(figures.open.byDeadline)).toEqual({ overdue: 1, "due-this-week": 1, later: 1 });
    expect(counts(figures.open.byKind)).toEqual({ auskunft: 2, loeschung: 1 });
    expect(figures.restrictions.decisions).toBe(4);
    expect(figures.restrictions.cases).toBe(2);
    expect(figures.restrictions.byGround.filter((g) => g.total > 0)).toEqual([
      { groundId: "secrecy", withhold: 1, redact: 0, total: 1 },
      { groundId: "third-party-rights", withhold: 0, redact: 3, total: 3 },
    ]);
    expect(figures.complaintsForwarded).toBe(2);
  });

  it("counts the cases closed in the period by how they ended", () => {
    // A, B, C, D answered in 2025; E refused, L withdrawn; I answered in January 2025 (received the year before).
    expect(counts(figures.closed.byStatus)).toEqual({ answered: 5, refused: 1, withdrawn: 1 });
    expect(figures.closed.total).toBe(7);
    expect(figures.closed.byStatus.map((c) => c.key)).toEqual([
      "answered",
      "carried-out",
      "forwarded",
      "refused",
      "withdrawn",
    ]);
  });

  it("gives every chart a title, a description and a table with the same numbers as its bars", () => {
    for (const lang of ["de", "en"] as const) {
      for (const chart of figureCharts(figures, lang)) {
        expect(chart.title).not.toBe("");
        expect(chart.description).not.toBe("");
        expect(chart.table.rows.map((row) => row[row.length - 1])).toEqual(chart.bars.map((b) => b.value));
      }
    }
    expect(Object.fromEntries(keyFigureRows(figures, "de"))).toMatchObject({
      "Bearbeitungsdauer (Median)": "30 Tage",
      "Bearbeitungsdauer (90 % der Vorgänge höchstens)": "70,4 Tage",
      Fristverlängerungen: "1 von 9",
    });
  });
});

describe("period", () => {
  const now = berlin("2026-11-23 10:00");
  it("reads von/bis and falls back to the current year for anything else", () => {
    expect(parsePeriod(new URL("http://x/?von=2025-01-01&bis=2025-06-30"), now)).toEqual({
      period: { from: "2025-01-01", to: "2025-06-30" },
      fellBack: false,
    });
    expect(parsePeriod(new URL("http://x/"), now)).toEqual({
      period: { from: "2026-01-01", to: "2026-11-23" },
      fellBack: false,
    });
    expect(parsePeriod(new URL("http://x/?von=2025-06-30&bis=2025-01-01"), now).fellBack).toBe(true);
    expect(parsePeriod(new URL("http://x/?von=2025-02-30&bis=2025-03-01"), now).fellBack).toBe(true);
    expect(parsePeriod(new URL("http://x/?von=1900-01-01&bis=2025-03-01"), now).fellBack).toBe(true);
  });

  it("takes the snapshot of open cases at the end of a past period, now for a running one", () => {
    expect(snapshotInstant(yearPeriod(2025), now).toISOString()).toBe("2025-12-31T22:59:59.999Z");
    expect(snapshotInstant(yearPeriod(2026), now)).toEqual(now);
  });
});
