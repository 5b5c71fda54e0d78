import { type SQL, and, asc, count, desc, eq, lt, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "#db/client";
import { findingDecisions, findings, gatherRuns, reviewRounds, staffUsers } from "#db/schema";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import type { FindingDecisionKind } from "#app/core/review-states";

/** How many changed decisions the approval view lists; the rest is counted. */
export const CHANGES_LISTED = 50;

export interface DecisionSummary {
  decision: string;
  groundId: string | null;
  redactedFields: string[];
}

interface ChangedDecision {
  findingId: string;
  store: string;
  ref: string;
  processingActivityId: ProcessingActivityId;
  /** The decision before: in the round sent back, or null where that round had none. */
  before: DecisionSummary | null;
  after: DecisionSummary;
  decidedByName: string;
  decidedAt: string;
}

export interface DecisionChanges {
  total: number;
  listed: ChangedDecision[];
}

export interface ApprovalView {
  roundId: string;
  proposedById: string | null;
  proposedByName: string | null;
  proposedAt: string | null;
  /** How the proposed round decides its findings. */
  counts: Record<FindingDecisionKind, number>;
  /** Decisions written after the proposal: the approver must not sign off what the proposer did not propose. */
  changedAfterProposal: DecisionChanges;
  /**
   * The round of the same gathering that was sent back before this one, with its comment, and the
   * decisions that differ from it: what the proposer changed in answer to the send-back. The copy
   * into the new round stamps every decision anew, so the comparison is by content, not by time.
   */
  sinceReturned: {
    comment: string | null;
    returnedByName: string | null;
    returnedAt: string | null;
    changes: DecisionChanges;
  } | null;
}

/**
 * What the person asked to approve a proposed round needs to see: who proposed and when, how the
 * round decides, and what changed since a proposal. Null for a round that is not proposed (or not
 * of this case).
 */
export async function approvalView(
  db: DbOrTx,
  requestId: string,
  roundId: string,
): Promise<ApprovalView | null> {
  const proposer = alias(staffUsers, "proposer");
  const [round] = await db
    .select({
      id: reviewRounds.id,
      runId: reviewRounds.runId,
      status: reviewRounds.status,
      proposedById: reviewRounds.proposedBy,
      proposedByName: proposer.displayName,
      proposedAt: reviewRounds.proposedAt,
      createdAt: reviewRounds.createdAt,
    })
    .from(reviewRounds)
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .leftJoin(proposer, eq(proposer.id, reviewRounds.proposedBy))
    .where(and(eq(reviewRounds.id, roundId), eq(gatherRuns.requestId, requestId)));
  if (!round || round.status !== "proposed") return null;

  const byDecision = await db
    .select({ decision: findingDecisions.decision, n: count() })
    .from(findingDecisions)
    .where(eq(findingDecisions.roundId, round.id))
    .groupBy(findingDecisions.decision);
  const counts: Record<FindingDecisionKind, number> = { release: 0, withhold: 0, redact: 0 };
  for (const row of byDecision) counts[row.decision] = row.n;

  const changedAfterProposal = round.proposedAt
    ? await changedDecisions(
        db,
        round.id,
        null,
        sql`${findingDecisions.decidedAt} > ${round.proposedAt.toISOString()}::timestamptz`,
      )
    : { total: 0, listed: [] };

  const returner = alias(staffUsers, "returner");
  const [returned] = await db
    .select({
      id: reviewRounds.id,
      comment: reviewRounds.comment,
      returnedByName: returner.displayName,
      returnedAt: reviewRounds.decidedAt,
    })
    .from(reviewRounds)
    .leftJoin(returner, eq(returner.id, reviewRounds.decidedBy))
    .where(
      and(
        eq(reviewRounds.runId, round.runId),
        eq(reviewRounds.status, "returned"),
        ne(reviewRounds.id, round.id),
        lt(reviewRounds.createdAt, round.createdAt),
      ),
    )
    .orderBy(desc(reviewRounds.createdAt))
    .limit(1);
  const sinceReturned = returned
    ? {
        comment: returned.comment,
        returnedByName: returned.returnedByName,
        returnedAt: returned.returnedAt?.toISOString() ?? null,
        changes: await changedDecisions(db, round.id, returned.id, null),
      }
    : null;

  return {
    roundId: round.id,
    proposedById: round.proposedById,
    proposedByName: round.proposedByName,
    proposedAt: round.proposedAt?.toISOString() ?? null,
    counts,
    changedAfterProposal,
    sinceReturned,
  };
}

/**
 * The decisions of a round that differ from those of an earlier round (decision, ground or fields;
 * a finding it did not decide counts as changed), and/or that meet an extra condition. Counted in
 * the database and listed only up to CHANGES_LISTED: a round can hold twenty thousand decisions.
 */
async function changedDecisions(
  db: DbOrTx,
  roundId: string,
  earlierRoundId: string | null,
  extra: SQL | null,
): Promise<DecisionChanges> {
  const earlier = alias(findingDecisions, "earlier");
  const decider = alias(staffUsers, "decider");
  const differs = earlierRoundId
    ? or(
        sql`${earlier.id} is null`,
        sql`${earlier.decision} is distinct from ${findingDecisions.decision}`,
        sql`${earlier.groundId} is distinct from ${findingDecisions.groundId}`,
        sql`${earlier.redactedFields} is distinct from ${findingDecisions.redactedFields}`,
      )
    : undefined;
  const where = and(eq(findingDecisions.roundId, roundId), differs, extra ?? undefined);
  const joinEarlier = earlierRoundId
    ? and(eq(earlier.roundId, earlierRoundId), eq(earlier.findingId, findingDecisions.findingId))
    : sql`false`;
  const [total] = await db
    .select({ n: count() })
    .from(findingDecisions)
    .leftJoin(earlier, joinEarlier)
    .where(where);
  if (!total || total.n === 0) return { total: 0, listed: [] };
  const rows = await db
    .select({
      findingId: findingDecisions.findingId,
      store: findings.store,
      ref: findings.ref,
      processingActivityId: findings.processingActivityId,
      decision: findingDecisions.decision,
      groundId: findingDecisions.groundId,
      redactedFields: findingDecisions.redactedFields,
      earlierId: earlier.id,
      earlierDecision: earlier.decision,
      earlierGroundId: earlier.groundId,
      earlierFields: earlier.redactedFields,
      decidedByName: decider.displayName,
      decidedAt: findingDecisions.decidedAt,
    })
    .from(findingDecisions)
    .innerJoin(findings, eq(findings.id, findingDecisions.findingId))
    .innerJoin(decider, eq(decider.id, findingDecisions.decidedBy))
    .leftJoin(earlier, joinEarlier)
    .where(where)
    .orderBy(asc(findings.store), asc(findings.ref))
    .limit(CHANGES_LISTED);
  return {
    total: total.n,
    listed: rows.map((r) => ({
      findingId: r.findingId,
      store: r.store,
      ref: r.ref,
      processingActivityId: r.processingActivityId,
      before: r.earlierId
        ? { decision: r.earlierDecision!, groundId: r.earlierGroundId, redactedFields: r.earlierFields ?? [] }
        : null,
      after: { decision: r.decision, groundId: r.groundId, redactedFields: r.redactedFields },
      decidedByName: r.decidedByName,
      decidedAt: r.decidedAt.toISOString(),
    })),
  };
}
