/**
 * The period a figure, the register or the report covers: whole Berlin calendar days, both ends
 * included, because the DPO thinks in dates ("1 Jan to 31 Mar"), not instants.
 */
import { z } from "zod";
import {
  type BerlinDay,
  berlinDayOf,
  daysBetween,
  endOfBerlinDay,
  isBerlinDay,
  startOfBerlinDay,
} from "#app/core/berlin-date";

export interface Period {
  from: BerlinDay;
  to: BerlinDay;
}

/** A period longer than this is refused: ten years of cases is more than any report needs. */
const MAX_PERIOD_DAYS = 3660;

const berlinDay = z.string().refine(isBerlinDay);

const periodSchema = z.object({ von: berlinDay, bis: berlinDay });

/**
 * The period form as the dashboard's browser checks it before asking (messages are keys of
 * `dashboard.period.errors`); the loader reads the same rules with parsePeriod and falls back.
 */
export const periodFormSchema = z
  .object({
    von: z.string({ error: "day" }).refine(isBerlinDay, "day"),
    bis: z.string({ error: "day" }).refine(isBerlinDay, "day"),
  })
  .superRefine(({ von, bis }, context) => {
    const days = daysBetween(von, bis);
    if (days < 0) context.addIssue({ code: "custom", path: ["bis"], message: "order" });
    else if (days > MAX_PERIOD_DAYS) context.addIssue({ code: "custom", path: ["bis"], message: "length" });
  });

function isSensibleLength({ von, bis }: { von: BerlinDay; bis: BerlinDay }): boolean {
  const days = daysBetween(von, bis);
  return days >= 0 && days <= MAX_PERIOD_DAYS;
}

/** From the 1st of January of the current year to today: what the DPO asks for most. */
function defaultPeriod(now: Date): Period {
  const today = berlinDayOf(now);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

export function yearPeriod(year: number): Period {
  return { from: `${String(year).padStart(4, "0")}-01-01`, to: `${String(year).padStart(4, "0")}-12-31` };
}

/**
 * Reads `von` and `bis` (YYYY-MM-DD, as a date input sends them) from a URL. A missing, malformed or
 * reversed period falls back to the default and says so, so a hand-edited link never shows an error page.
 */
export function parsePeriod(url: URL, now: Date): { period: Period; fellBack: boolean } {
  const von = url.searchParams.get("von");
  const bis = url.searchParams.get("bis");
  if (!von && !bis) return { period: defaultPeriod(now), fellBack: false };
  const parsed = periodSchema.safeParse({ von, bis });
  return parsed.success && isSensibleLength(parsed.data)
    ? { period: { from: parsed.data.von, to: parsed.data.bis }, fellBack: false }
    : { period: defaultPeriod(now), fellBack: true };
}

export function periodStart(period: Period): Date {
  return startOfBerlinDay(period.from);
}

export function periodEnd(period: Period): Date {
  return endOfBerlinDay(period.to);
}

/** Figures about open cases are a snapshot: at the end of a past period, or now for a current one. */
export function snapshotInstant(period: Period, now: Date): Date {
  const end = periodEnd(period);
  return end.getTime() < now.getTime() ? end : now;
}

export function periodQuery(period: Period): string {
  return new URLSearchParams({ von: period.from, bis: period.to }).toString();
}
