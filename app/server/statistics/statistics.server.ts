import {
  and,
  between,
  count,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lte,
  notInArray,
  or,
  sql,
} from "drizzle-orm";
import type { Db } from "#db/client";
import {
  answers,
  auditEvents,
  findingDecisions,
  gatherRuns,
  printJobs,
  requests,
  reviewRounds,
} from "#db/schema";
import { type BerlinDay, berlinDayOf } from "#app/core/berlin-date";
import { finalCaseStatuses } from "#app/core/case-status";
import { type CaseFacts, type Figures, type RestrictionFacts, computeFigures } from "./figures";
import { type Period, periodEnd, periodStart, snapshotInstant } from "./period";

/**
 * The audit action written when a mail server accepted a complaint's mail to the TLfDI: forwarded
 * then (ADR 0015), not when it was queued ("complaint.forwarded") — a mail may be refused for good.
 */
const COMPLAINT_FORWARDED_ACTION = "complaint.sent";

/**
 * The letters that told the person the outcome, per case row: the case's final notice
 * (requests.final_notice_id) where one is recorded, else the notices of its released answers
 * (answers.notice_id) — an answer given while an erasure is still to confirm. Ids of mails match no
 * print job.
 */
const outcomeLetters = sql`${printJobs} where (${printJobs.id} = ${requests.finalNoticeId} or (${requests.finalNoticeId} is null and ${printJobs.id} in (select ${answers.noticeId} from ${answers} where ${answers.requestId} = ${requests.id})))`;

/** Columns of a select from requests: whether the outcome went by letter, and the day the first such letter was posted. */
export const outcomeLetterColumns = {
  byLetter: sql<boolean>`exists (select 1 from ${outcomeLetters})`.mapWith(Boolean),
  // Of several answers (one per kind, one notice), the first letter posted.
  dispatchedOn: sql<BerlinDay | null>`(select min(${printJobs.dispatchedOn}) from ${outcomeLetters})`,
};

/**
 * For a where clause on requests: the outcome (answer, confirmation, refusal, decline, decision) was
 * given by letter and none of its letters went to the post yet — the SQL form of figures'
 * outcomeLetterWaits, built from the same columns.
 */
export const outcomeLetterWaitsSql = and(
  outcomeLetterColumns.byLetter,
  isNull(outcomeLetterColumns.dispatchedOn),
)!;

export function outcomeLetterOf(row: {
  byLetter: boolean;
  dispatchedOn: BerlinDay | null;
}): CaseFacts["outcomeLetter"] {
  return row.byLetter ? { dispatchedOn: row.dispatchedOn } : null;
}

/**
 * The cases any figure of the period can need: received by its end and either received in it,
 * answered or closed in it, or still open at its end, or whose answer by post went out in it.
 * Unproven requests are nobody's case yet.
 */
async function caseFacts(db: Db, period: Period): Promise<CaseFacts[]> {
  const from = periodStart(period);
  const to = periodEnd(period);
  const rows = await db
    .select({
      id: requests.id,
      kinds: requests.kinds,
      channel: requests.channel,
      status: requests.status,
      receivedAt: requests.receivedAt,
      deadline: requests.deadline,
      extendedDeadline: requests.extendedDeadline,
      answeredAt: requests.answeredAt,
      closedAt: requests.closedAt,
      ...outcomeLetterColumns,
    })
    .from(requests)
    .where(
      and(
        isNotNull(requests.reference),
        isNotNull(requests.receivedAt),
        lte(requests.receivedAt, to),
        or(
          gte(requests.receivedAt, from),
          gte(requests.answeredAt, from),
          gte(requests.closedAt, from),
          and(isNull(requests.answeredAt), isNull(requests.closedAt)),
          // Answered in part, not yet ended: still open.
          notInArray(requests.status, [...finalCaseStatuses]),
          // Released earlier, its letter posted in the period: answered in the period.
          sql`exists (select 1 from ${outcomeLetters} and ${printJobs.dispatchedOn} >= ${berlinDayOf(from)})`,
          // Released, its letter still waiting: open whatever its state says.
          outcomeLetterWaitsSql,
        ),
      ),
    );
  return rows.map(({ byLetter, dispatchedOn, ...row }) => ({
    ...row,
    receivedAt: row.receivedAt!,
    outcomeLetter: outcomeLetterOf({ byLetter, dispatchedOn }),
  }));
}

/** Withhold and redact decisions of the review rounds a DPO approved in the period. */
async function restrictionFacts(db: Db, period: Period): Promise<RestrictionFacts[]> {
  const rows = await db
    .select({
      requestId: gatherRuns.requestId,
      decision: findingDecisions.decision,
      groundId: findingDecisions.groundId,
    })
    .from(findingDecisions)
    .innerJoin(reviewRounds, eq(reviewRounds.id, findingDecisions.roundId))
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .where(
      and(
        eq(reviewRounds.status, "approved"),
        between(reviewRounds.decidedAt, periodStart(period), periodEnd(period)),
        inArray(findingDecisions.decision, ["withhold", "redact"]),
      ),
    );
  return rows.map((row) => ({ ...row, decision: row.decision as RestrictionFacts["decision"] }));
}

async function complaintsForwarded(db: Db, period: Period): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, COMPLAINT_FORWARDED_ACTION),
        between(auditEvents.createdAt, periodStart(period), periodEnd(period)),
      ),
    );
  return row?.n ?? 0;
}

/** All figures of the dashboard and the annual report for one period. */
export async function loadFigures(db: Db, period: Period, now = new Date()): Promise<Figures> {
  const [cases, restrictions, complaints] = await Promise.all([
    caseFacts(db, period),
    restrictionFacts(db, period),
    complaintsForwarded(db, period),
  ]);
  return computeFigures({
    period,
    asOf: snapshotInstant(period, now),
    cases,
    restrictions,
    complaintsForwarded: complaints,
  });
}
