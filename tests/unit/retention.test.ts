import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { berlinDayOf, startOfBerlinDay } from "#app/core/berlin-date";
import {
  deletionDue,
  isExpired,
  lastRetentionDay,
  retentionRuleIds,
  retentionRules,
  validateRuleChange,
  type RetentionRuleId,
} from "#app/core/retention";

/** An instant at the given Berlin wall-clock time ("YYYY-MM-DD", "HH:MM"). */
function berlin(day: string, time = "12:00"): Date {
  const [hours, minutes] = time.split(":").map(Number);
  return new Date(startOfBerlinDay(day).getTime() + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000);
}

function due(id: RetentionRuleId, start: Date): string {
  return deletionDue(retentionRules[id], start).toISOString();
}

describe("retentionRules", () => {
  it("has one rule per id, keyed by its own id", () => {
    expect(Object.keys(retentionRules).sort()).toEqual([...retentionRuleIds].sort());
    for (const id of retentionRuleIds) {
      const rule = retentionRules[id];
      expect(rule.id).toBe(id);
      expect(rule.dataType.de.trim()).not.toBe("");
      expect(rule.dataType.en.trim()).not.toBe("");
      expect(rule.dataType.en).not.toBe(rule.dataType.de);
      expect(rule.legalReference.trim()).not.toBe("");
    }
  });

  it("carries the periods of the privacy notices and of the law", () => {
    const expected: Record<RetentionRuleId, [string, object, boolean]> = {
      "web-access-log": ["end-of-session", { days: 60 }, false],
      "login-log": ["creation", { years: 1 }, true],
      "retrieval-protocol": ["creation", { years: 1 }, true],
      ticket: ["ticket-closed", { years: 2 }, false],
      "contact-form": ["matter-closed", { years: 5 }, false],
      "mailbox-poststelle": ["creation", { weeks: 8 }, false],
      "mailbox-support": ["creation", { years: 1 }, false],
      "call-record": ["creation", { days: 21 }, false],
      "records-management": ["records-closed", { years: 5 }, false],
      "portal-case": ["case-closed", { years: 3 }, true],
      "portal-unverified-request": ["creation", { days: 30 }, false],
      "portal-verification-code": ["creation", { minutes: 15 }, false],
      "portal-processing-log": ["creation", { years: 1 }, true],
    };
    for (const id of retentionRuleIds) {
      const [startEvent, period, rounding] = expected[id];
      expect({
        id,
        startEvent: retentionRules[id].startEvent,
        period: retentionRules[id].period,
        rounding: retentionRules[id].roundToEndOfYear,
      }).toEqual({
        id,
        startEvent,
        period,
        rounding,
      });
    }
  });

  it("requires the archive offer (§ 23 ThürDSG) for records management only", () => {
    const withOffer = retentionRuleIds.filter((id) => retentionRules[id].archiveOfferRequired);
    expect(withOffer).toEqual(["records-management"]);
    expect(retentionRules["records-management"].legalReference).toContain("§ 23 ThürDSG");
  });

  it("cites § 51(4) ThürDSG and § 40(5) BMG where the notices do", () => {
    expect(retentionRules["login-log"].legalReference).toContain("§ 51 Abs. 4 ThürDSG");
    expect(retentionRules["portal-processing-log"].legalReference).toContain("§ 51 Abs. 4 ThürDSG");
    expect(retentionRules["retrieval-protocol"].legalReference).toContain("§ 40 Abs. 5 BMG");
  });
});

describe("deletionDue: deletion at 00:00 Berlin after the last day of the period", () => {
  it("web access logs: 60 days after the end of the session, across the spring DST change", () => {
    // Session ended 27 Jan → last day 28 Mar → deleted at 00:00 CET on 29 Mar (the DST day).
    expect(due("web-access-log", berlin("2026-01-27", "15:00"))).toBe("2026-03-28T23:00:00.000Z");
    // One day later the deletion instant falls into summer time.
    expect(due("web-access-log", berlin("2026-01-28", "15:00"))).toBe("2026-03-29T22:00:00.000Z");
    // 00:30 Berlin on 11 May is 10 May in UTC: the Berlin day counts.
    expect(due("web-access-log", new Date("2026-05-10T22:30:00Z"))).toBe("2026-07-10T22:00:00.000Z");
    expect(lastRetentionDay(retentionRules["web-access-log"], new Date("2026-05-10T22:30:00Z"))).toBe(
      "2026-07-10",
    );
  });

  it("login logs: end of the year after creation (§ 51(4) ThürDSG)", () => {
    expect(due("login-log", berlin("2026-03-15"))).toBe("2027-12-31T23:00:00.000Z"); // 00:00 CET 1 Jan 2028
    expect(due("login-log", berlin("2026-01-01", "00:00"))).toBe("2027-12-31T23:00:00.000Z");
    expect(due("login-log", berlin("2026-12-31", "23:59"))).toBe("2027-12-31T23:00:00.000Z");
    // 00:30 on 1 Jan 2027 in Berlin, still 2026 in UTC: created in 2027.
    expect(due("login-log", new Date("2026-12-31T23:30:00Z"))).toBe("2028-12-31T23:00:00.000Z");
    expect(due("login-log", berlin("2028-02-29"))).toBe("2029-12-31T23:00:00.000Z");
    expect(lastRetentionDay(retentionRules["login-log"], berlin("2026-07-01"))).toBe("2027-12-31");
  });

  it("retrieval protocols: by default at the latest moment § 40(5) BMG allows, never before twelve months", () => {
    expect(due("retrieval-protocol", berlin("2026-03-15"))).toBe("2027-12-31T23:00:00.000Z");
    expect(due("retrieval-protocol", berlin("2026-12-31"))).toBe("2027-12-31T23:00:00.000Z"); // exactly 12 months
    const minimum = retentionRules["retrieval-protocol"].minimum;
    expect(minimum).toBeDefined();
    if (minimum)
      expect(deletionDue(minimum, berlin("2026-03-15")).toISOString()).toBe("2027-03-15T23:00:00.000Z");
  });

  it("tickets: 2 years after closure, 29 Feb clamped to 28 Feb", () => {
    expect(due("ticket", berlin("2026-06-30"))).toBe("2028-06-30T22:00:00.000Z");
    expect(due("ticket", berlin("2028-02-29"))).toBe("2030-02-28T23:00:00.000Z"); // last day 28 Feb 2030
  });

  it("contact form: 5 years after the matter was closed", () => {
    expect(due("contact-form", berlin("2026-11-03"))).toBe("2031-11-03T23:00:00.000Z");
    expect(due("contact-form", berlin("2028-02-29"))).toBe("2033-02-28T23:00:00.000Z");
  });

  it("Poststelle mailbox: 8 weeks, across the spring DST change", () => {
    // Received 2 Mar → last day 27 Apr (56 days later) → deleted 00:00 CEST 28 Apr.
    expect(due("mailbox-poststelle", berlin("2026-03-02"))).toBe("2026-04-27T22:00:00.000Z");
  });

  it("support mailbox: 1 year, from a leap day", () => {
    expect(due("mailbox-support", berlin("2028-02-29"))).toBe("2029-02-28T23:00:00.000Z");
    expect(due("mailbox-support", berlin("2027-02-28"))).toBe("2028-02-28T23:00:00.000Z"); // last day 28 Feb 2028, not 29
  });

  it("telephone connection data: 21 days, across the autumn DST change", () => {
    // Call on 10 Oct → last day 31 Oct → deleted 00:00 CET 1 Nov (summer time ended on 25 Oct).
    expect(due("call-record", berlin("2026-10-10", "08:15"))).toBe("2026-10-31T23:00:00.000Z");
    // Calls a day apart around the 25-hour day 25 Oct: deletions 25 hours apart.
    expect(due("call-record", berlin("2026-10-03", "08:15"))).toBe("2026-10-24T22:00:00.000Z"); // 00:00 CEST, 25 Oct
    expect(due("call-record", berlin("2026-10-04", "08:15"))).toBe("2026-10-25T23:00:00.000Z"); // 00:00 CET, 26 Oct
  });

  it("records management: 5 years after the file was closed", () => {
    expect(due("records-management", berlin("2026-04-15"))).toBe("2031-04-15T22:00:00.000Z");
  });

  it("portal cases: 3 years after the end of the year of closure", () => {
    expect(due("portal-case", berlin("2026-05-10"))).toBe("2029-12-31T23:00:00.000Z"); // kept through 31 Dec 2029
    expect(due("portal-case", berlin("2026-12-31", "23:59"))).toBe("2029-12-31T23:00:00.000Z");
    expect(due("portal-case", berlin("2027-01-01", "00:00"))).toBe("2030-12-31T23:00:00.000Z");
    expect(due("portal-case", berlin("2028-02-29"))).toBe("2031-12-31T23:00:00.000Z");
  });

  it("unverified requests: 30 days", () => {
    expect(due("portal-unverified-request", berlin("2026-03-10", "18:00"))).toBe("2026-04-09T22:00:00.000Z");
  });

  it("verification codes: exactly 15 minutes of elapsed time, even across the DST jump", () => {
    expect(due("portal-verification-code", new Date("2026-05-10T12:00:00Z"))).toBe(
      "2026-05-10T12:15:00.000Z",
    );
    // 01:50 CET → 03:05 CEST on the wall clock, 15 minutes in reality.
    expect(due("portal-verification-code", new Date("2026-03-29T00:50:00Z"))).toBe(
      "2026-03-29T01:05:00.000Z",
    );
    // Issued 23:45 CEST: expires at 00:00, so it was held through the last millisecond of 10 May only.
    expect(
      lastRetentionDay(retentionRules["portal-verification-code"], new Date("2026-05-10T21:45:00Z")),
    ).toBe("2026-05-10");
    expect(
      lastRetentionDay(retentionRules["portal-verification-code"], new Date("2026-05-10T21:45:00.001Z")),
    ).toBe("2026-05-11");
  });

  it("portal processing logs: end of the year after creation (§ 51(4) ThürDSG)", () => {
    expect(due("portal-processing-log", berlin("2026-08-01"))).toBe("2027-12-31T23:00:00.000Z");
  });

  it("puts calendar deletions at Berlin midnight, after the start and never earlier than the period (property)", () => {
    const calendarRules = retentionRuleIds.filter((id) => id !== "portal-verification-code");
    fc.assert(
      fc.property(
        fc.constantFrom(...calendarRules),
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2090-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        (id, start) => {
          const deletion = deletionDue(retentionRules[id], start);
          expect(startOfBerlinDay(berlinDayOf(deletion)).getTime()).toBe(deletion.getTime());
          expect(deletion.getTime()).toBeGreaterThan(start.getTime());
          expect(berlinDayOf(new Date(deletion.getTime() - 1))).toBe(
            lastRetentionDay(retentionRules[id], start),
          );
        },
      ),
    );
  });

  it("rejects an invalid start instant", () => {
    expect(() => deletionDue(retentionRules.ticket, new Date("invalid"))).toThrow(RangeError);
  });
});

describe("isExpired", () => {
  const rule = retentionRules["web-access-log"];
  const sessionEnd = berlin("2026-01-27", "15:00"); // deletion due 2026-03-28T23:00:00Z

  it("is false up to the last millisecond of the last day", () => {
    expect(isExpired(rule, sessionEnd, new Date("2026-03-28T22:59:59.999Z"))).toBe(false);
    expect(isExpired(rule, sessionEnd, sessionEnd)).toBe(false);
  });

  it("is true from the deletion instant on", () => {
    expect(isExpired(rule, sessionEnd, new Date("2026-03-28T23:00:00.000Z"))).toBe(true);
    expect(isExpired(rule, sessionEnd, new Date("2027-01-01T00:00:00Z"))).toBe(true);
  });

  it("expires verification codes after 15 minutes", () => {
    const issued = new Date("2026-05-10T12:00:00Z");
    const code = retentionRules["portal-verification-code"];
    expect(isExpired(code, issued, new Date("2026-05-10T12:14:59.999Z"))).toBe(false);
    expect(isExpired(code, issued, new Date("2026-05-10T12:15:00Z"))).toBe(true);
  });
});

describe("validateRuleChange", () => {
  const protocols = retentionRules["retrieval-protocol"];

  it("accepts twelve months, with or without year-end rounding, for retrieval protocols", () => {
    for (const proposed of [
      { period: { months: 12 }, roundToEndOfYear: false },
      { period: { years: 1 }, roundToEndOfYear: false },
      { period: { months: 12 }, roundToEndOfYear: true },
    ]) {
      const result = validateRuleChange(protocols, proposed);
      expect(result, JSON.stringify(proposed)).toMatchObject({ ok: true });
      if (result.ok) {
        expect(result.rule.period).toEqual(proposed.period);
        expect(result.rule.roundToEndOfYear).toBe(proposed.roundToEndOfYear);
        expect(result.rule.minimum).toEqual(protocols.minimum);
      }
    }
  });

  it("rejects a period that would delete retrieval protocols before twelve months", () => {
    expect(validateRuleChange(protocols, { period: { months: 11 }, roundToEndOfYear: false })).toEqual({
      ok: false,
      reason: "below-legal-minimum",
      legalReference: "§ 40 Abs. 5 BMG",
    });
    // 365 days fall one day short of twelve months when the year contains 29 Feb.
    expect(validateRuleChange(protocols, { period: { days: 365 }, roundToEndOfYear: false })).toMatchObject({
      ok: false,
      reason: "below-legal-minimum",
    });
    // Rounding rescues most start days, but not those in January (15 Jan → 31 Dec of the same year).
    expect(validateRuleChange(protocols, { period: { months: 11 }, roundToEndOfYear: true })).toMatchObject({
      ok: false,
      reason: "below-legal-minimum",
    });
    expect(validateRuleChange(protocols, { period: { weeks: 52 }, roundToEndOfYear: false })).toMatchObject({
      ok: false,
      reason: "below-legal-minimum",
    });
  });

  it("rejects a period that would keep retrieval protocols past the end of the following year", () => {
    expect(validateRuleChange(protocols, { period: { months: 13 }, roundToEndOfYear: true })).toMatchObject({
      ok: false,
      reason: "above-legal-maximum",
    });
    // Only a start on 31 Dec makes 12 months + 1 day cross the year end — still a violation.
    expect(
      validateRuleChange(protocols, { period: { months: 12, days: 1 }, roundToEndOfYear: false }),
    ).toMatchObject({
      ok: false,
      reason: "above-legal-maximum",
    });
  });

  it("allows the records directive's minimum to be lengthened but not shortened", () => {
    const records = retentionRules["records-management"];
    expect(validateRuleChange(records, { period: { years: 5 }, roundToEndOfYear: true })).toMatchObject({
      ok: true,
    });
    expect(validateRuleChange(records, { period: { years: 10 }, roundToEndOfYear: false })).toMatchObject({
      ok: true,
    });
    expect(
      validateRuleChange(records, { period: { years: 4, months: 11 }, roundToEndOfYear: true }),
    ).toMatchObject({
      ok: false,
      reason: "below-legal-minimum",
    });
    expect(
      validateRuleChange(retentionRules["contact-form"], { period: { years: 4 }, roundToEndOfYear: false }),
    ).toMatchObject({
      ok: false,
      reason: "below-legal-minimum",
    });
  });

  it("keeps the § 51(4) ThürDSG deadline for logs", () => {
    expect(
      validateRuleChange(retentionRules["login-log"], { period: { days: 90 }, roundToEndOfYear: false }),
    ).toMatchObject({ ok: true });
    expect(
      validateRuleChange(retentionRules["portal-processing-log"], {
        period: { years: 2 },
        roundToEndOfYear: true,
      }),
    ).toMatchObject({
      ok: false,
      reason: "above-legal-maximum",
    });
  });

  it("lets the portal's configurable periods change freely within their unit kind", () => {
    const result = validateRuleChange(retentionRules["portal-case"], {
      period: { years: 5 },
      roundToEndOfYear: true,
    });
    expect(result).toMatchObject({ ok: true, rule: { id: "portal-case", period: { years: 5 } } });
    expect(retentionRules["portal-case"].period).toEqual({ years: 3 }); // the shipped rule is untouched
    expect(
      validateRuleChange(retentionRules["portal-verification-code"], {
        period: { minutes: 30 },
        roundToEndOfYear: false,
      }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("rejects malformed proposals", () => {
    const rule = retentionRules.ticket;
    for (const proposed of [
      undefined,
      {},
      { period: {}, roundToEndOfYear: false },
      { period: { years: 0 }, roundToEndOfYear: false },
      { period: { years: -1 }, roundToEndOfYear: false },
      { period: { years: 1.5 }, roundToEndOfYear: false },
      { period: { years: "2" }, roundToEndOfYear: false },
      { period: { fortnights: 2 }, roundToEndOfYear: false },
      { period: { years: 2 } },
      { period: { years: 2 }, roundToEndOfYear: false, legalReference: "none" },
    ]) {
      expect(validateRuleChange(rule, proposed), JSON.stringify(proposed)).toEqual({
        ok: false,
        reason: "invalid-period",
      });
    }
  });

  it("rejects mixing calendar and clock units, and switching between them", () => {
    expect(
      validateRuleChange(retentionRules.ticket, { period: { days: 1, hours: 2 }, roundToEndOfYear: false }),
    ).toEqual({
      ok: false,
      reason: "mixed-units",
    });
    expect(
      validateRuleChange(retentionRules["portal-verification-code"], {
        period: { minutes: 15 },
        roundToEndOfYear: true,
      }),
    ).toEqual({
      ok: false,
      reason: "mixed-units",
    });
    expect(
      validateRuleChange(retentionRules["portal-verification-code"], {
        period: { days: 1 },
        roundToEndOfYear: false,
      }),
    ).toEqual({
      ok: false,
      reason: "unit-kind-change",
    });
    expect(
      validateRuleChange(retentionRules["web-access-log"], {
        period: { hours: 48 },
        roundToEndOfYear: false,
      }),
    ).toEqual({
      ok: false,
      reason: "unit-kind-change",
    });
  });
});
