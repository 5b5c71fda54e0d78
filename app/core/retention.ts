/**
 * The deletion concept (DIN 66398): one rule per data type — when the clock starts, how long it
 * runs, whether deletion waits for the end of a calendar year, and the legal bounds an administrator
 * may not cross. Rules are data; the sweep and the answers to access requests read them from here
 * (or from the administrator's stored copy, validated by `validateRuleChange`).
 *
 * How a deletion instant is computed (`deletionDue`):
 * - Calendar periods (years, months, weeks, days) count Berlin calendar days, as §§ 187(1), 188 BGB
 *   and Regulation 1182/71 do: the day of the start event does not count, the period ends with the
 *   day bearing the same date (months/years: the month's last day if that date does not exist, so
 *   1 year from 29 Feb 2028 ends on 28 Feb 2029).
 * - `roundToEndOfYear` then moves the end to 31 December of the year in which the period ended.
 * - The data may be kept through that last day; deletion is due at 00:00 Berlin time on the next
 *   day. No weekend or holiday shift: a retention period is a duty to delete, not a deadline for a
 *   person to act.
 * - Clock periods (hours, minutes) are exact elapsed time from the start instant: a 15-minute code
 *   expires 15 minutes after it was issued, whatever the calendar says.
 *
 * Reading of the year-end rules:
 * - § 51(4) ThürDSG ("am Ende des auf deren Generierung folgenden Jahres zu löschen"): 1 year plus
 *   rounding. Created on any day of year Y, one year later is a day of Y+1, rounded to 31 Dec Y+1 —
 *   exactly "the end of the year after creation", including 31 Dec and 29 Feb starts.
 * - § 40(5) BMG (retrieval protocols: kept at least twelve months, deleted at the latest by the end
 *   of the calendar year after storage): the standard is the latest permitted moment (1 year plus
 *   rounding, i.e. one annual sweep), the twelve months are the legal minimum and the year end the
 *   legal maximum; an administrator may choose anything in between, e.g. plain twelve months.
 * - "N years after the end of the year of closure" (the portal's cases) equals N years plus rounding:
 *   adding whole years to a day of year Y lands in Y+N, whose end is 31 Dec Y+N either way.
 */
import { z } from "zod";
import { addDays, addMonths, berlinDayOf, endOfYear, startOfBerlinDay, type BerlinDay } from "./berlin-date";
import type { Localized } from "./processing-activities";

export const startEvents = [
  "creation",
  "end-of-session",
  "ticket-closed",
  "matter-closed",
  "records-closed",
  "case-closed",
  "end-of-relationship",
] as const;
export type StartEvent = (typeof startEvents)[number];

const calendarUnits = ["years", "months", "weeks", "days"] as const;
const clockUnits = ["hours", "minutes"] as const;
/** Every unit a period may be written in, longest first. */
export const periodUnits = [...calendarUnits, ...clockUnits] as const;
export type PeriodUnit = (typeof periodUnits)[number];

/** Either calendar units or clock units, never both (see `validateRuleChange`). */
export interface RetentionPeriod {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
}

/** A period together with its rounding: the shape of the standard period and of the legal bounds. */
export interface RetentionSpan {
  period: RetentionPeriod;
  roundToEndOfYear: boolean;
}

export interface RetentionRule extends RetentionSpan {
  id: RetentionRuleId;
  dataType: Localized;
  startEvent: StartEvent;
  /** The least an administrator may set (a statutory retention duty). */
  minimum?: RetentionSpan;
  /** The most an administrator may set (a statutory deletion deadline). */
  maximum?: RetentionSpan;
  /** § 23 ThürDSG: the records must be offered to the public archive before they may be erased. */
  archiveOfferRequired: boolean;
  legalReference: string;
}

export const retentionRuleIds = [
  "web-access-log",
  "login-log",
  "retrieval-protocol",
  "ticket",
  "contact-form",
  "mailbox-poststelle",
  "mailbox-support",
  "call-record",
  "records-management",
  "portal-case",
  "portal-unverified-request",
  "portal-verification-code",
  "portal-processing-log",
] as const;
export type RetentionRuleId = (typeof retentionRuleIds)[number];
export const retentionRuleIdSchema = z.enum(retentionRuleIds);

const endOfYearAfterCreation: RetentionSpan = { period: { years: 1 }, roundToEndOfYear: true };

export const retentionRules: Readonly<Record<RetentionRuleId, RetentionRule>> = {
  "web-access-log": {
    id: "web-access-log",
    dataType: { de: "Zugriffsprotokolle der Webserver", en: "Web server access logs" },
    startEvent: "end-of-session",
    period: { days: 60 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "§ 32 Abs. 1 ThürEGovG; Speicherfrist festgelegt vom TLRZ",
  },
  "login-log": {
    id: "login-log",
    dataType: {
      de: "Anmeldeprotokolle des Beauskunftungssystems",
      en: "Login logs of the Beauskunftungssystem",
    },
    startEvent: "creation",
    ...endOfYearAfterCreation,
    maximum: endOfYearAfterCreation,
    archiveOfferRequired: false,
    legalReference: "§ 51 Abs. 4 ThürDSG",
  },
  "retrieval-protocol": {
    id: "retrieval-protocol",
    dataType: {
      de: "Abrufprotokolle von Melderegisterauskünften",
      en: "Protocols of population register look-ups",
    },
    startEvent: "creation",
    ...endOfYearAfterCreation,
    minimum: { period: { months: 12 }, roundToEndOfYear: false },
    maximum: endOfYearAfterCreation,
    archiveOfferRequired: false,
    legalReference: "§ 40 Abs. 5 BMG",
  },
  ticket: {
    id: "ticket",
    dataType: { de: "Tickets des Servicecenters", en: "Service desk tickets" },
    startEvent: "ticket-closed",
    period: { years: 2 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 1 Buchst. e DS-GVO; Speicherfrist festgelegt vom TLRZ",
  },
  "contact-form": {
    // The notice counts from the closure of the matter; should the records directive count from the
    // end of that year, an administrator switches on the rounding (it only lengthens the period).
    id: "contact-form",
    dataType: { de: "Nachrichten aus dem Kontaktformular", en: "Contact form messages" },
    startEvent: "matter-closed",
    period: { years: 5 },
    roundToEndOfYear: false,
    minimum: { period: { years: 5 }, roundToEndOfYear: false },
    archiveOfferRequired: false,
    legalReference:
      "Richtlinie über die Aufbewahrung von Schriftgut in der Verwaltung des Freistaats Thüringen",
  },
  "mailbox-poststelle": {
    id: "mailbox-poststelle",
    dataType: {
      de: "E-Mails im Postfach der Poststelle",
      en: "E-mails in the Poststelle (mail room) mailbox",
    },
    startEvent: "creation",
    period: { weeks: 8 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 1 Buchst. e DS-GVO; Organisationsregel der Poststelle",
  },
  "mailbox-support": {
    id: "mailbox-support",
    dataType: {
      de: "E-Mails im Support-Postfach des Servicecenters",
      en: "E-mails in the service desk support mailbox",
    },
    startEvent: "creation",
    period: { years: 1 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 1 Buchst. e DS-GVO; Speicherfrist festgelegt vom TLRZ",
  },
  "call-record": {
    id: "call-record",
    dataType: { de: "Verbindungsdaten der Telefonanlage", en: "Telephone connection data" },
    startEvent: "creation",
    period: { days: 21 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 1 Buchst. e DS-GVO; Speicherfrist festgelegt vom TLRZ",
  },
  "records-management": {
    id: "records-management",
    dataType: {
      de: "Schriftgut im Verwaltungsinformationssystem (VISkompakt)",
      en: "Records in the records management system (VISkompakt)",
    },
    startEvent: "records-closed",
    period: { years: 5 },
    roundToEndOfYear: false,
    minimum: { period: { years: 5 }, roundToEndOfYear: false },
    archiveOfferRequired: true,
    legalReference:
      "Richtlinie über die Aufbewahrung von Schriftgut in der Verwaltung des Freistaats Thüringen; § 23 ThürDSG",
  },
  "portal-case": {
    id: "portal-case",
    dataType: {
      de: "Vorgänge, Entscheidungen und Prüfpfad des Rechteportals",
      en: "Cases, decisions and audit trail of the rights portal",
    },
    startEvent: "case-closed",
    period: { years: 3 },
    roundToEndOfYear: true,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 2 DS-GVO (Rechenschaftspflicht); Standardfrist, vom TLRZ einstellbar",
  },
  "portal-unverified-request": {
    id: "portal-unverified-request",
    dataType: {
      de: "Nicht bestätigte Anträge im Rechteportal",
      en: "Unconfirmed requests in the rights portal",
    },
    startEvent: "creation",
    period: { days: 30 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 1 Buchst. c und e DS-GVO",
  },
  "portal-verification-code": {
    id: "portal-verification-code",
    dataType: { de: "Bestätigungscodes des Rechteportals", en: "Confirmation codes of the rights portal" },
    startEvent: "creation",
    period: { minutes: 15 },
    roundToEndOfYear: false,
    archiveOfferRequired: false,
    legalReference: "Art. 5 Abs. 1 Buchst. c und e DS-GVO",
  },
  "portal-processing-log": {
    id: "portal-processing-log",
    dataType: { de: "Verarbeitungsprotokolle des Rechteportals", en: "Processing logs of the rights portal" },
    startEvent: "creation",
    ...endOfYearAfterCreation,
    maximum: endOfYearAfterCreation,
    archiveOfferRequired: false,
    legalReference: "§ 51 Abs. 4 ThürDSG",
  },
};

function hasAny(period: RetentionPeriod, units: readonly (keyof RetentionPeriod)[]): boolean {
  return units.some((unit) => (period[unit] ?? 0) > 0);
}

function isClockPeriod(period: RetentionPeriod): boolean {
  return hasAny(period, clockUnits);
}

/** The last Berlin day on which data under a calendar span may still be held. */
function lastDayOfSpan(span: RetentionSpan, startDay: BerlinDay): BerlinDay {
  const { years = 0, months = 0, weeks = 0, days = 0 } = span.period;
  const periodEnd = addDays(addMonths(startDay, years * 12 + months), weeks * 7 + days);
  return span.roundToEndOfYear ? endOfYear(periodEnd) : periodEnd;
}

function deletionDueForSpan(span: RetentionSpan, startInstant: Date): Date {
  if (isClockPeriod(span.period)) {
    const { hours = 0, minutes = 0 } = span.period;
    return new Date(startInstant.getTime() + (hours * 60 + minutes) * 60_000);
  }
  return startOfBerlinDay(addDays(lastDayOfSpan(span, berlinDayOf(startInstant)), 1));
}

/**
 * The last Berlin day on which the data may be held (for "kept until …" texts): always the day of
 * the millisecond before the deletion instant.
 */
export function lastRetentionDay(rule: RetentionSpan, startInstant: Date): BerlinDay {
  if (isClockPeriod(rule.period))
    return berlinDayOf(new Date(deletionDueForSpan(rule, startInstant).getTime() - 1));
  return lastDayOfSpan(rule, berlinDayOf(startInstant));
}

/** The instant from which the data must be deleted (00:00 Berlin after the last day, see above). */
export function deletionDue(rule: RetentionSpan, startInstant: Date): Date {
  if (Number.isNaN(startInstant.getTime())) throw new RangeError("expected a valid start instant");
  return deletionDueForSpan(rule, startInstant);
}

export function isExpired(rule: RetentionSpan, start: Date, now: Date): boolean {
  return now.getTime() >= deletionDue(rule, start).getTime();
}

const wholeNumber = z.number().int().nonnegative().max(1_000_000);

const retentionPeriodSchema = z
  .strictObject({
    years: wholeNumber.optional(),
    months: wholeNumber.optional(),
    weeks: wholeNumber.optional(),
    days: wholeNumber.optional(),
    hours: wholeNumber.optional(),
    minutes: wholeNumber.optional(),
  })
  .refine((period) => hasAny(period, [...calendarUnits, ...clockUnits]), { message: "empty-period" });

/** What an administrator may change in a rule; everything else is fixed by law or by the register. */
const retentionRuleChangeSchema = z.strictObject({
  period: retentionPeriodSchema,
  roundToEndOfYear: z.boolean(),
});

type RuleChangeRejection =
  "invalid-period" | "mixed-units" | "unit-kind-change" | "below-legal-minimum" | "above-legal-maximum";

export type RuleChangeResult =
  { ok: true; rule: RetentionRule } | { ok: false; reason: RuleChangeRejection; legalReference?: string };

// Calendar spans differ only by month lengths and leap years, so comparing them on every start day
// of four consecutive years (one leap year, every weekday and month length) decides "always at
// least as long" exactly for every year from 1901 to 2099, not by sampling.
const comparisonStartDays: readonly BerlinDay[] = (() => {
  const days: BerlinDay[] = [];
  for (let day = "2024-01-01"; day < "2028-01-01"; day = addDays(day, 1)) days.push(day);
  return days;
})();

function neverEndsBefore(longer: RetentionSpan, shorter: RetentionSpan): boolean {
  return comparisonStartDays.every((start) => lastDayOfSpan(longer, start) >= lastDayOfSpan(shorter, start));
}

/**
 * Checks an administrator's change of period and rounding. Rejected: malformed periods, periods
 * mixing calendar and clock units, switching between calendar and clock units (a minute-exact code
 * cannot become a calendar rule by accident), and any change that would, for some start day, delete
 * before the statutory minimum or keep beyond the statutory maximum.
 */
export function validateRuleChange(rule: RetentionRule, proposed: unknown): RuleChangeResult {
  const parsed = retentionRuleChangeSchema.safeParse(proposed);
  if (!parsed.success) return { ok: false, reason: "invalid-period" };
  const change = parsed.data;
  if (hasAny(change.period, calendarUnits) && hasAny(change.period, clockUnits)) {
    return { ok: false, reason: "mixed-units" };
  }
  if (isClockPeriod(change.period) !== isClockPeriod(rule.period))
    return { ok: false, reason: "unit-kind-change" };
  if (isClockPeriod(change.period) && change.roundToEndOfYear) return { ok: false, reason: "mixed-units" };
  if (rule.minimum && !neverEndsBefore(change, rule.minimum)) {
    return { ok: false, reason: "below-legal-minimum", legalReference: rule.legalReference };
  }
  if (rule.maximum && !neverEndsBefore(rule.maximum, change)) {
    return { ok: false, reason: "above-legal-maximum", legalReference: rule.legalReference };
  }
  return { ok: true, rule: { ...rule, period: change.period, roundToEndOfYear: change.roundToEndOfYear } };
}

/** Why a retention sweep ran: the daily schedule or an operator's run by hand. */
export const sweepTriggers = ["schedule", "manual"] as const;
export type SweepTrigger = (typeof sweepTriggers)[number];

/**
 * Where a sweep, or its part for one store and rule, stands: a run is running, done or failed; a
 * part is done, done with a remark the DPO should read (partial), or failed.
 */
export const sweepOutcomes = ["running", "done", "partial", "failed"] as const;
export type SweepOutcome = (typeof sweepOutcomes)[number];
export type SweepRunStatus = Exclude<SweepOutcome, "partial">;
export type SweepPartOutcome = Exclude<SweepOutcome, "running">;
