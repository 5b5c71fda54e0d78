/**
 * The DPO's figures, computed from plain facts about cases: no database here, so every count,
 * median and percentile is unit-tested on cases with known answers.
 *
 * Which cases a figure counts (each is stated on the dashboard and in the report):
 * - received, by kind and channel, extensions, refusals: cases received in the period;
 * - time to answer: cases whose answer reached the person in the period (a case received in
 *   December and answered in January belongs to January's figures: that is when the work was
 *   done); an answer by post reaches the person on the day its letter went to the post, and one
 *   still waiting in the print queue is not answered yet;
 * - open cases: a snapshot at the end of the period, or now if the period has not ended;
 * - closed cases: cases that took a final state in the period, by that state (ADR 0015);
 * - restrictions: withhold and redact decisions of review rounds approved in the period;
 * - complaints forwarded: complaints whose mail to the authority a mail server accepted in the period.
 */
import { type BerlinDay, berlinDayOf, daysBetween, startOfBerlinDay } from "#app/core/berlin-date";
import {
  type CaseStatus,
  type FinalCaseStatus,
  finalCaseStatuses,
  isFinalStatus,
} from "#app/core/case-status";
import { deadlineStatus } from "#app/core/deadline";
import { requestKindSlugs } from "#app/core/request-kinds";
import { channels } from "#app/core/channels";
import { restrictionGroundIds } from "#app/core/restriction-grounds";
import { type Period, periodEnd, periodStart } from "./period";

/** "Due this week": the deadline falls on today or one of the six days after it. */
const DUE_THIS_WEEK_DAYS = 6;

export interface CaseFacts {
  id: string;
  kinds: readonly string[];
  channel: string;
  status: CaseStatus;
  receivedAt: Date;
  deadline: Date | null;
  extendedDeadline: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  /** The outcome's notice (final notice, else the released answer's) was a letter: the Berlin day it went to the post, null while it waits. Absent for a mail. */
  outcomeLetter?: { dispatchedOn: BerlinDay | null } | null;
}

export interface RestrictionFacts {
  requestId: string;
  decision: "withhold" | "redact";
  groundId: string | null;
}

export interface Count<Key extends string = string> {
  key: Key;
  count: number;
}

interface GroundCount {
  /** A ground of the catalogue, or "none" for a decision recorded without one. */
  groundId: string;
  withhold: number;
  redact: number;
  total: number;
}

export type DeadlineBucket = "overdue" | "due-this-week" | "later" | "no-deadline";
const deadlineBuckets: readonly DeadlineBucket[] = ["overdue", "due-this-week", "later", "no-deadline"];

export interface Figures {
  period: Period;
  /** The instant the open cases are counted at. */
  asOf: Date;
  received: { total: number; byKind: Count[]; byChannel: Count[] };
  open: { total: number; byDeadline: Count<DeadlineBucket>[]; byKind: Count[]; byChannel: Count[] };
  /** Cases that ended in the period, by their final state. */
  closed: { total: number; byStatus: Count<FinalCaseStatus>[] };
  timeToAnswer: {
    answered: number;
    /** Calendar days (Berlin) from receipt to answer; null when nothing was answered. */
    medianDays: number | null;
    p90Days: number | null;
    inTime: number;
    late: number;
  };
  extensions: { extended: number; received: number };
  refused: number;
  restrictions: { decisions: number; cases: number; byGround: GroundCount[] };
  complaintsForwarded: number;
}

/**
 * The p-quantile (0 ≤ p ≤ 1) by linear interpolation between the closest ranks — the method of
 * spreadsheet programs' PERCENTILE/QUANTIL.INKL (Hyndman & Fan type 7), so the DPO can check a figure
 * against the CSV register. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError("p must lie between 0 and 1");
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** The deadline that applies: the extended one once a case was extended. */
export function effectiveDeadline(c: Pick<CaseFacts, "deadline" | "extendedDeadline">): Date | null {
  return c.extendedDeadline ?? c.deadline;
}

/** Whole Berlin calendar days from receipt to answer (answered on the day of receipt: 0). */
export function daysToAnswer(receivedAt: Date, answeredAt: Date): number {
  return daysBetween(berlinDayOf(receivedAt), berlinDayOf(answeredAt));
}

/**
 * When the person was told: by letter at the start of the day it went to the post, null while it
 * waits; otherwise at the instant given (`recorded`). The one rule for the answer, the carried-out
 * confirmation, the Art. 12(5) refusal, the decline and the objection decision — `outcomeLetter` is
 * the case's final notice when it went by letter (statistics.server outcomeLetterColumns).
 */
function toldAt(outcomeLetter: CaseFacts["outcomeLetter"], recorded: Date | null): Date | null {
  if (!outcomeLetter) return recorded;
  return outcomeLetter.dispatchedOn ? startOfBerlinDay(outcomeLetter.dispatchedOn) : null;
}

/** When the answer (or confirmation) reached the person; null while its letter waits (or nothing was answered). */
export function answerReachedAt(c: Pick<CaseFacts, "answeredAt" | "outcomeLetter">): Date | null {
  return c.answeredAt ? toldAt(c.outcomeLetter, c.answeredAt) : null;
}

/** The outcome went by post and its letter still waits in the print queue: the person has not been told. */
function outcomeLetterWaits(c: Pick<CaseFacts, "outcomeLetter">): boolean {
  return Boolean(c.outcomeLetter) && !c.outcomeLetter?.dispatchedOn;
}

function within(instant: Date | null, from: Date, to: Date): instant is Date {
  return instant !== null && instant.getTime() >= from.getTime() && instant.getTime() <= to.getTime();
}

/**
 * When a case in a final state ended: the person was given the outcome (answeredAt) or the case was
 * closed, whichever came first — a carried-out case whose deferred erasure still waits is closed
 * only later. An outcome told by post is given on the day its letter went to the post (toldAt),
 * whatever the case's closing date says. Null for a case that has not ended, or whose end was never dated.
 */
function endedAt(c: Pick<CaseFacts, "status" | "answeredAt" | "closedAt" | "outcomeLetter">): Date | null {
  if (!isFinalStatus(c.status)) return null;
  if (c.outcomeLetter) return toldAt(c.outcomeLetter, null);
  const dates = [c.answeredAt, c.closedAt].filter((d): d is Date => d !== null);
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null;
}

/**
 * Still being worked on at `at`: received by then and not ended by then. A case answered in part
 * (the copy of the data released, the erasure still to confirm) is open until its final state.
 */
export function isOpenAt(c: CaseFacts, at: Date): boolean {
  if (c.status === "unproven" || c.receivedAt.getTime() > at.getTime()) return false;
  // Released but its letter not yet posted: the deadline is met only by dispatch (Art. 12(3)).
  if (!isFinalStatus(c.status) || outcomeLetterWaits(c)) return true;
  // A finished case without a date of its end cannot be placed in time; it is not open now.
  const ended = endedAt(c);
  return ended !== null && ended.getTime() > at.getTime();
}

export function deadlineBucketAt(c: CaseFacts, at: Date): DeadlineBucket {
  const deadline = effectiveDeadline(c);
  if (!deadline) return "no-deadline";
  const status = deadlineStatus(deadline, at, DUE_THIS_WEEK_DAYS);
  return status === "overdue" ? "overdue" : status === "due-soon" ? "due-this-week" : "later";
}

/** Counts per key, listing every known key (with 0) in its order, then any unknown ones by name. */
function countBy<Key extends string>(known: readonly Key[], keys: readonly string[]): Count<Key>[] {
  const counts = new Map<string, number>(known.map((key) => [key, 0]));
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const unknown = [...counts.keys()].filter((key) => !(known as readonly string[]).includes(key)).sort();
  return [...known, ...unknown].map((key) => ({ key: key as Key, count: counts.get(key)! }));
}

function restrictionsByGround(restrictions: readonly RestrictionFacts[]): GroundCount[] {
  const grounds = new Map<string, GroundCount>(
    restrictionGroundIds.map((id) => [id, { groundId: id, withhold: 0, redact: 0, total: 0 }]),
  );
  for (const r of restrictions) {
    const id = r.groundId ?? "none";
    const entry = grounds.get(id) ?? { groundId: id, withhold: 0, redact: 0, total: 0 };
    entry[r.decision]++;
    entry.total++;
    grounds.set(id, entry);
  }
  return [...grounds.values()];
}

export function computeFigures(input: {
  period: Period;
  asOf: Date;
  cases: readonly CaseFacts[];
  restrictions: readonly RestrictionFacts[];
  complaintsForwarded: number;
}): Figures {
  const from = periodStart(input.period);
  const to = periodEnd(input.period);
  const received = input.cases.filter((c) => within(c.receivedAt, from, to));
  const open = input.cases.filter((c) => isOpenAt(c, input.asOf));
  const closed = input.cases.filter((c) => within(endedAt(c), from, to));
  const answered = input.cases.flatMap((c) => {
    const reachedAt = answerReachedAt(c);
    return within(reachedAt, from, to) ? [{ ...c, reachedAt }] : [];
  });
  const days = answered.map((c) => daysToAnswer(c.receivedAt, c.reachedAt));
  const inTime = answered.filter((c) => {
    const deadline = effectiveDeadline(c);
    return deadline !== null && c.reachedAt.getTime() <= deadline.getTime();
  }).length;
  return {
    period: input.period,
    asOf: input.asOf,
    received: {
      total: received.length,
      byKind: countBy(
        requestKindSlugs,
        received.flatMap((c) => c.kinds),
      ),
      byChannel: countBy(
        channels,
        received.map((c) => c.channel),
      ),
    },
    open: {
      total: open.length,
      byDeadline: countBy(
        deadlineBuckets,
        open.map((c) => deadlineBucketAt(c, input.asOf)),
      ),
      byKind: countBy(
        requestKindSlugs,
        open.flatMap((c) => c.kinds),
      ),
      byChannel: countBy(
        channels,
        open.map((c) => c.channel),
      ),
    },
    closed: {
      total: closed.length,
      byStatus: countBy(
        finalCaseStatuses,
        closed.map((c) => c.status),
      ),
    },
    timeToAnswer: {
      answered: answered.length,
      medianDays: median(days),
      p90Days: percentile(days, 0.9),
      inTime,
      late: answered.length - inTime,
    },
    extensions: {
      extended: received.filter((c) => c.extendedDeadline !== null).length,
      received: received.length,
    },
    refused: received.filter((c) => c.status === "refused").length,
    restrictions: {
      decisions: input.restrictions.length,
      cases: new Set(input.restrictions.map((r) => r.requestId)).size,
      byGround: restrictionsByGround(input.restrictions),
    },
    complaintsForwarded: input.complaintsForwarded,
  };
}
