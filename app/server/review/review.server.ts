import { and, count, desc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../db/client";
import { findingDecisions, findings, gatherRuns, requests, reviewRounds } from "../../../db/schema";
import { type RestrictionGroundId, isRedactionGroundId, isRestrictionGroundId, restrictionGrounds } from "../../core/restriction-grounds";
import { appendAuditEvent } from "../audit.server";
import type { Finding, JsonObject } from "../../sources/connector";
import type { StaffIdentity } from "../auth/staff.server";
import { contentHashOf } from "../gather/gather.server";

export type Decision =
  | { decision: "release" }
  | { decision: "withhold"; groundId: RestrictionGroundId; reasoning: string; reviewOn: Date; omitReasons: boolean }
  | { decision: "redact"; groundId: RestrictionGroundId; reasoning: string; fields: string[] };

export type ReviewError =
  | "no-gathering"
  | "not-open"
  | "foreign-finding"
  | "unknown-ground"
  | "reasoning-required"
  | "review-date-required"
  | "reasons-not-omissible"
  | "unknown-field"
  | "undecided-findings"
  | "not-proposed"
  | "own-proposal"
  | "not-permitted"
  | "changed-since-review";

export class ReviewRefused extends Error {
  constructor(readonly reason: ReviewError) {
    super(reason);
  }
}

/**
 * The review round of a case's latest gathering, opened if needed. Opening freezes the findings:
 * from now on the reviewed version cannot change; a re-gather makes a new version.
 */
export async function openReview(db: Db, staff: StaffIdentity, requestId: string) {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(gatherRuns).where(eq(gatherRuns.requestId, requestId)).orderBy(desc(gatherRuns.version)).limit(1).for("update");
    if (!run) throw new ReviewRefused("no-gathering");
    if (!run.frozenAt) await tx.update(gatherRuns).set({ frozenAt: new Date() }).where(eq(gatherRuns.id, run.id));
    const [last] = await tx.select().from(reviewRounds).where(eq(reviewRounds.runId, run.id)).orderBy(desc(reviewRounds.createdAt)).limit(1);
    if (last && last.status !== "returned") return last;
    const [round] = await tx.insert(reviewRounds).values({ runId: run.id }).returning();
    if (last) {
      // A round sent back keeps its decisions as the starting point of the next one.
      const previous = await tx.select().from(findingDecisions).where(eq(findingDecisions.roundId, last.id));
      if (previous.length > 0) {
        await tx.insert(findingDecisions).values(previous.map(({ id: _id, roundId: _r, decidedAt: _d, ...rest }) => ({ ...rest, roundId: round!.id })));
      }
    }
    await appendAuditEvent(tx, { requestId, actorType: "staff", actorId: staff.id, action: "review.opened", data: { roundId: round!.id, version: run.version } });
    return round!;
  });
}

/** Records one decision for one or several findings (a group), in the open round. */
export async function decide(db: Db, staff: StaffIdentity, requestId: string, roundId: string, findingIds: string[], decision: Decision): Promise<void> {
  if (findingIds.length === 0) throw new ReviewRefused("foreign-finding");
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "open") throw new ReviewRefused("not-open");
    const rows = await tx
      .select({ id: findings.id, contentHash: findings.contentHash, content: findings.content })
      .from(findings)
      .where(and(eq(findings.runId, round.runId), inArray(findings.id, findingIds)));
    // A finding id of another case (or none at all) is a forged form: refuse the whole request.
    if (rows.length !== new Set(findingIds).size) throw new ReviewRefused("foreign-finding");
    validate(decision, rows);
    for (const row of rows) {
      const values = {
        roundId,
        findingId: row.id,
        decision: decision.decision,
        groundId: decision.decision === "release" ? null : decision.groundId,
        reasoning: decision.decision === "release" ? null : decision.reasoning.trim(),
        omitReasons: decision.decision === "withhold" ? decision.omitReasons : false,
        reviewOn: decision.decision === "withhold" ? decision.reviewOn : null,
        redactedFields: decision.decision === "redact" ? decision.fields : [],
        contentHash: row.contentHash,
        decidedBy: staff.id,
        decidedAt: new Date(),
      };
      await tx
        .insert(findingDecisions)
        .values(values)
        .onConflictDoUpdate({ target: [findingDecisions.roundId, findingDecisions.findingId], set: values });
    }
    await appendAuditEvent(tx, {
      requestId: round.requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.decided",
      reason: decision.decision === "release" ? null : decision.groundId,
      data: { roundId, decision: decision.decision, findings: rows.map((r) => r.id) },
    });
  });
}

function validate(decision: Decision, rows: { content: unknown }[]): void {
  if (decision.decision === "release") return;
  if (!isRestrictionGroundId(decision.groundId)) throw new ReviewRefused("unknown-ground");
  if (decision.reasoning.trim().length < 10) throw new ReviewRefused("reasoning-required");
  if (decision.decision === "withhold") {
    if (!(decision.reviewOn instanceof Date) || Number.isNaN(decision.reviewOn.getTime()) || decision.reviewOn <= new Date()) {
      throw new ReviewRefused("review-date-required");
    }
    if (decision.omitReasons && !restrictionGrounds[decision.groundId].reasonsMayBeOmitted) throw new ReviewRefused("reasons-not-omissible");
    return;
  }
  if (!isRedactionGroundId(decision.groundId)) throw new ReviewRefused("unknown-ground");
  if (decision.fields.length === 0) throw new ReviewRefused("unknown-field");
  for (const row of rows) {
    const content = row.content as Record<string, unknown>;
    if (!decision.fields.every((field) => Object.hasOwn(content, field))) throw new ReviewRefused("unknown-field");
  }
}

/** The round, locked, if it belongs to the case: a round id of another case is a forged form. */
async function lockedRound(tx: DbOrTx, requestId: string, roundId: string) {
  const [round] = await tx
    .select({ id: reviewRounds.id, runId: reviewRounds.runId, status: reviewRounds.status, proposedBy: reviewRounds.proposedBy, requestId: gatherRuns.requestId })
    .from(reviewRounds)
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .where(eq(reviewRounds.id, roundId))
    .for("update", { of: reviewRounds });
  if (!round || round.requestId !== requestId) throw new ReviewRefused("foreign-finding");
  return round;
}

/** The handler hands the round to the DPO; every finding must have a decision. */
export async function propose(db: Db, staff: StaffIdentity, requestId: string, roundId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "open") throw new ReviewRefused("not-open");
    const [total] = await tx.select({ n: count() }).from(findings).where(eq(findings.runId, round.runId));
    const [decided] = await tx.select({ n: count() }).from(findingDecisions).where(eq(findingDecisions.roundId, roundId));
    if ((decided?.n ?? 0) < (total?.n ?? 0)) throw new ReviewRefused("undecided-findings");
    await tx.update(reviewRounds).set({ status: "proposed", proposedBy: staff.id, proposedAt: new Date() }).where(eq(reviewRounds.id, roundId));
    await appendAuditEvent(tx, { requestId: round.requestId, actorType: "staff", actorId: staff.id, action: "review.proposed", data: { roundId } });
  });
}

/**
 * Four eyes: the DPO approves a proposed round. The approver must hold `release:approve` and must
 * not be the proposer; nothing is released before this.
 */
export async function approve(db: Db, staff: StaffIdentity, requestId: string, roundId: string): Promise<void> {
  if (!staff.permissions.has("release:approve")) throw new ReviewRefused("not-permitted");
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "proposed") throw new ReviewRefused("not-proposed");
    if (round.proposedBy === staff.id) throw new ReviewRefused("own-proposal");
    await tx.update(reviewRounds).set({ status: "approved", decidedBy: staff.id, decidedAt: new Date() }).where(eq(reviewRounds.id, roundId));
    await tx.update(requests).set({ status: "approved" }).where(eq(requests.id, round.requestId));
    await appendAuditEvent(tx, { requestId: round.requestId, actorType: "staff", actorId: staff.id, action: "review.approved", data: { roundId } });
  });
}

export async function sendBack(db: Db, staff: StaffIdentity, requestId: string, roundId: string, comment: string): Promise<void> {
  if (!staff.permissions.has("release:approve")) throw new ReviewRefused("not-permitted");
  if (comment.trim().length < 3) throw new ReviewRefused("reasoning-required");
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "proposed") throw new ReviewRefused("not-proposed");
    await tx.update(reviewRounds).set({ status: "returned", decidedBy: staff.id, decidedAt: new Date(), comment: comment.trim() }).where(eq(reviewRounds.id, roundId));
    await appendAuditEvent(tx, { requestId: round.requestId, actorType: "staff", actorId: staff.id, action: "review.returned", reason: comment.trim(), data: { roundId } });
  });
}

/** A released finding as the connectors delivered it, with the review's redactions applied. */
export interface ReleasedRecord extends Finding {
  findingId: string;
  redactions: { field: string; groundId: RestrictionGroundId }[];
}

export interface WithheldRecord {
  findingId: string;
  store: string;
  processingActivityId: string;
  groundId: RestrictionGroundId;
  reasoning: string;
  omitReasons: boolean;
  reviewOn: Date | null;
}

/**
 * What an approved review releases, with redactions applied. A finding whose content no longer
 * matches what was reviewed is refused: nothing is released unseen.
 */
export async function approvedRelease(db: Db, requestId: string): Promise<{ released: ReleasedRecord[]; withheld: WithheldRecord[] } | null> {
  const [round] = await db
    .select({ id: reviewRounds.id })
    .from(reviewRounds)
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .where(and(eq(gatherRuns.requestId, requestId), eq(reviewRounds.status, "approved")))
    .orderBy(desc(reviewRounds.decidedAt))
    .limit(1);
  if (!round) return null;
  const rows = await db
    .select({ decision: findingDecisions, finding: findings })
    .from(findingDecisions)
    .innerJoin(findings, eq(findings.id, findingDecisions.findingId))
    .where(eq(findingDecisions.roundId, round.id))
    // A fixed order: the same approved review gives the same answer, byte for byte.
    .orderBy(findings.store, findings.ref);
  const released: ReleasedRecord[] = [];
  const withheld: WithheldRecord[] = [];
  for (const { decision, finding } of rows) {
    // Recomputed, not read from the row: a changed record must not pass with its old hash.
    if (decision.contentHash !== contentHashOf(finding.content)) throw new ReviewRefused("changed-since-review");
    if (decision.decision === "withhold") {
      withheld.push({
        findingId: finding.id,
        store: finding.store,
        processingActivityId: finding.processingActivityId,
        groundId: groundOf(decision.groundId),
        reasoning: decision.reasoning ?? "",
        omitReasons: decision.omitReasons,
        reviewOn: decision.reviewOn,
      });
      continue;
    }
    const content = { ...finding.content } as JsonObject;
    for (const field of decision.redactedFields) content[field] = null;
    released.push({
      findingId: finding.id,
      store: finding.store,
      storeKind: finding.storeKind as Finding["storeKind"],
      processingActivityId: finding.processingActivityId as Finding["processingActivityId"],
      ref: finding.ref,
      matchedIdentifier: finding.matched as Finding["matchedIdentifier"],
      unproven: finding.unproven,
      role: (finding.role ?? undefined) as Finding["role"],
      flags: finding.flags as Finding["flags"],
      recordedAt: finding.recordedAt,
      content,
      redactions: decision.redactedFields.map((field) => ({ field, groundId: groundOf(decision.groundId) })),
    });
  }
  return { released, withheld };
}

/** Stored decisions were checked against the catalogue when made; a row that no longer is, is refused. */
function groundOf(id: string | null): RestrictionGroundId {
  if (!isRestrictionGroundId(id)) throw new ReviewRefused("unknown-ground");
  return id;
}
