import { type SQL, and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { findingDecisions, findings, gatherRuns, requests, reviewRounds } from "#db/schema";
import type { FindingState, FindingsFilter } from "#app/core/findings-view";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import {
  type RestrictionGroundId,
  isRedactionGroundId,
  isRestrictionGroundId,
  restrictionGrounds,
} from "#app/core/restriction-grounds";
import type { Lang } from "#app/i18n";
import type { IdentifierKind } from "#app/sources/connector";
import type { WithheldGroup } from "../answers/answer-input";
import { type Block, type LetterFacts, withholdingPreview } from "../answers/letter-content";
import { answerTexts } from "../answers/texts";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { lacksAnyPath } from "../answers/redaction-fields.server";
import {
  type DecisionGuard,
  type StoredDecision,
  checkConfirmed,
  checkGroup,
  checkShown,
} from "./decision-checks.server";
import { ReviewRefused } from "./review-refused";
import { assertSearched, incompleteStores, searchGate } from "./search-complete.server";

/**
 * A reviewer's decision. `reasoning` is internal: for the file and the TLfDI, never the letter.
 * `personReasons` is what the person reads beside the legal ground of a withholding; without it the
 * letter gives the statute's own reason for the ground, and under § 21(4) ThürDSG (`omitReasons`)
 * the letter gives neither, so none is kept.
 */
export type Decision =
  | { decision: "release" }
  | {
      decision: "withhold";
      groundId: RestrictionGroundId;
      reasoning: string;
      personReasons?: string;
      reviewOn: Date;
      omitReasons: boolean;
    }
  | { decision: "redact"; groundId: RestrictionGroundId; reasoning: string; fields: string[] };

export { ReviewRefused } from "./review-refused";

/**
 * The review round of a case's latest gathering, opened if needed. Opening freezes the findings:
 * from now on the reviewed version cannot change; a re-gather makes a new version.
 */
export async function openReview(db: Db, staff: StaffIdentity, requestId: string) {
  return db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(gatherRuns)
      .where(eq(gatherRuns.requestId, requestId))
      .orderBy(desc(gatherRuns.version))
      .limit(1)
      .for("update");
    if (!run) throw new ReviewRefused("no-gathering");
    await assertSearched(tx, run.id);
    if (!run.frozenAt)
      await tx.update(gatherRuns).set({ frozenAt: new Date() }).where(eq(gatherRuns.id, run.id));
    const [last] = await tx
      .select()
      .from(reviewRounds)
      .where(eq(reviewRounds.runId, run.id))
      .orderBy(desc(reviewRounds.createdAt))
      .limit(1);
    if (last && last.status !== "returned") return last;
    const [round] = await tx.insert(reviewRounds).values({ runId: run.id }).returning();
    if (last) {
      // A round sent back keeps its decisions as the starting point of the next one; set-based, as a
      // large case has tens of thousands.
      await tx.insert(findingDecisions).select(
        tx
          .select({
            id: sql<string>`gen_random_uuid()`.as("id"),
            roundId: sql<string>`${round!.id}::uuid`.as("round_id"),
            findingId: findingDecisions.findingId,
            decision: findingDecisions.decision,
            groundId: findingDecisions.groundId,
            reasoning: findingDecisions.reasoning,
            personReasons: findingDecisions.personReasons,
            omitReasons: findingDecisions.omitReasons,
            reviewOn: findingDecisions.reviewOn,
            redactedFields: findingDecisions.redactedFields,
            contentHash: findingDecisions.contentHash,
            decidedBy: findingDecisions.decidedBy,
            decidedAt: sql<Date>`now()`.as("decided_at"),
          })
          .from(findingDecisions)
          .where(eq(findingDecisions.roundId, last.id)),
      );
    }
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.opened",
      data: { roundId: round!.id, version: run.version },
    });
    return round!;
  });
}

/**
 * Records one decision for the findings the reviewer ticked, in the open round. With a `guard`
 * (the case page always posts one) only findings in the state the page showed are decided, and a
 * change of decided findings or a release of unproven matches needs the reviewer's confirmation.
 */
export async function decide(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  roundId: string,
  findingIds: string[],
  decision: Decision,
  guard?: DecisionGuard,
): Promise<void> {
  const ids = [...new Set(findingIds)];
  if (ids.length === 0) throw new ReviewRefused("foreign-finding");
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "open") throw new ReviewRefused("not-open");
    await assertSearched(tx, round.runId);
    const selected = and(eq(findings.runId, round.runId), inArray(findings.id, ids))!;
    // A finding id of another case (or none at all) is a forged form: refuse the whole request.
    if ((await countFindings(tx, selected)) !== ids.length) throw new ReviewRefused("foreign-finding");
    if (guard) await checkShown(tx, roundId, selected, guard.shown ?? new Map());
    await applyDecision(tx, staff, round, selected, decision, { findings: ids }, guard);
  });
}

/**
 * Records one decision for every finding a filter of the case page matches (all undecided findings
 * of a store, all with one suggestion …): the way through a case of thousands of findings. The
 * filter is resolved here, in the round's frozen run, never from ids a browser sent. `expected` is
 * the number the reviewer was shown: a group that changed since (someone else decided part of it)
 * is refused rather than decided unseen, and with a `guard` so is a group in which anything was
 * decided since the page showed it. The audit event keeps the filter and the number, not the
 * ids: the decisions themselves name their findings.
 */
export async function decideByFilter(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  roundId: string,
  filter: FindingsFilter,
  expected: number,
  decision: Decision,
  guard?: DecisionGuard,
): Promise<number> {
  return db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "open") throw new ReviewRefused("not-open");
    await assertSearched(tx, round.runId);
    if (
      filter.store &&
      (await countFindings(tx, and(eq(findings.runId, round.runId), eq(findings.store, filter.store))!)) === 0
    ) {
      throw new ReviewRefused("unknown-store");
    }
    const matching = findingsWhere(round.runId, roundId, filter);
    const size = await countFindings(tx, matching);
    if (size === 0) throw new ReviewRefused("no-matching-findings");
    if (guard?.groupStamp !== undefined) await checkGroup(tx, roundId, matching, guard.groupStamp);
    if (size !== expected) throw new ReviewRefused("selection-changed");
    await applyDecision(
      tx,
      staff,
      round,
      matching,
      decision,
      { filter: { store: filter.store, suggestion: filter.suggestion, state: filter.state }, count: size },
      guard,
    );
    return size;
  });
}

/**
 * The findings of a run that a filter of the case page names, as a condition on `findings`; the
 * decision state is the one in the given round (none before the review is opened).
 */
export function findingsWhere(runId: string, roundId: string | null, filter: FindingsFilter): SQL {
  const conditions: SQL[] = [eq(findings.runId, runId)];
  if (filter.store) conditions.push(eq(findings.store, filter.store));
  if (filter.suggestion === "none") conditions.push(sql`jsonb_array_length(${findings.suggestions}) = 0`);
  else if (filter.suggestion)
    conditions.push(
      sql`${findings.suggestions} @> ${JSON.stringify([{ ground: filter.suggestion }])}::jsonb`,
    );
  if (filter.state) conditions.push(stateWhere(roundId, filter.state));
  return and(...conditions)!;
}

function stateWhere(roundId: string | null, state: FindingState): SQL {
  if (!roundId) return state === "undecided" ? sql`true` : sql`false`;
  const decided = sql`select 1 from ${findingDecisions} where ${findingDecisions.roundId} = ${roundId} and ${findingDecisions.findingId} = ${findings.id}`;
  return state === "undecided"
    ? sql`not exists (${decided})`
    : sql`exists (${decided} and ${findingDecisions.decision} = ${state})`;
}

async function countFindings(tx: DbOrTx, where: SQL): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(findings).where(where);
  return row?.n ?? 0;
}

/**
 * Writes the decision for every finding the condition selects, in one statement: a group of twenty
 * thousand findings is one insert, not twenty thousand. A finding decided before is decided anew.
 * The audit event names the selection as `selection` gives it (the ids ticked, or the filter and
 * how many it matched). With a `guard`, a change of decided findings and giving out unproven
 * matches are written only as confirmed.
 */
async function applyDecision(
  tx: DbOrTx,
  staff: StaffIdentity,
  round: { id: string; requestId: string },
  where: SQL,
  decision: Decision,
  selection: Record<string, unknown>,
  guard?: DecisionGuard,
): Promise<void> {
  const roundId = round.id;
  const stored = storedDecision(decision);
  const { groundId, reasoning, personReasons, reviewOn, fields } = stored;
  const fieldArray =
    fields.length > 0
      ? sql`array[${sql.join(
          fields.map((field) => sql`${field}`),
          sql`, `,
        )}]::text[]`
      : sql`'{}'::text[]`;
  // A redaction must blank out something in every finding of the group: each must have the fields.
  if (decision.decision === "redact" && (await countFindings(tx, and(where, lacksAnyPath(fields))!)) > 0) {
    throw new ReviewRefused("unknown-field");
  }
  // The decision is valid; whether it changes decided findings or gives out unproven matches is asked last.
  if (guard) await checkConfirmed(tx, roundId, where, stored, guard);
  await tx
    .insert(findingDecisions)
    .select(
      tx
        .select({
          id: sql<string>`gen_random_uuid()`.as("id"),
          roundId: sql<string>`${roundId}::uuid`.as("round_id"),
          findingId: findings.id,
          decision: sql<string>`${decision.decision}::text`.as("decision"),
          groundId: sql<string | null>`${groundId}::text`.as("ground_id"),
          reasoning: sql<string | null>`${reasoning}::text`.as("reasoning"),
          personReasons: sql<string | null>`${personReasons}::text`.as("person_reasons"),
          omitReasons: sql<boolean>`${decision.decision === "withhold" && decision.omitReasons}::boolean`.as(
            "omit_reasons",
          ),
          reviewOn: sql<Date | null>`${reviewOn}::timestamptz`.as("review_on"),
          redactedFields: sql<string[]>`${fieldArray}`.as("redacted_fields"),
          contentHash: findings.contentHash,
          decidedBy: sql<string>`${staff.id}::uuid`.as("decided_by"),
          decidedAt: sql<Date>`now()`.as("decided_at"),
        })
        .from(findings)
        .where(where),
    )
    .onConflictDoUpdate({
      target: [findingDecisions.roundId, findingDecisions.findingId],
      set: {
        decision: sql`excluded.decision`,
        groundId: sql`excluded.ground_id`,
        reasoning: sql`excluded.reasoning`,
        personReasons: sql`excluded.person_reasons`,
        omitReasons: sql`excluded.omit_reasons`,
        reviewOn: sql`excluded.review_on`,
        redactedFields: sql`excluded.redacted_fields`,
        contentHash: sql`excluded.content_hash`,
        decidedBy: sql`excluded.decided_by`,
        decidedAt: sql`excluded.decided_at`,
      },
    });
  await appendAuditEvent(tx, {
    requestId: round.requestId,
    actorType: "staff",
    actorId: staff.id,
    action: "review.decided",
    reason: decision.decision === "release" ? null : decision.groundId,
    data: { roundId, decision: decision.decision, ...selection },
  });
}

/** The decision as it is written (validated): what is stored, and what a change is measured against. */
function storedDecision(decision: Decision): StoredDecision {
  validate(decision);
  return {
    decision: decision.decision,
    groundId: decision.decision === "release" ? null : decision.groundId,
    reasoning: decision.decision === "release" ? null : decision.reasoning.trim(),
    personReasons:
      decision.decision === "withhold" && !decision.omitReasons
        ? decision.personReasons?.trim() || null
        : null,
    omitReasons: decision.decision === "withhold" && decision.omitReasons,
    reviewOn: decision.decision === "withhold" ? decision.reviewOn.toISOString() : null,
    fields: decision.decision === "redact" ? decision.fields : [],
  };
}

function validate(decision: Decision): void {
  if (decision.decision === "release") return;
  if (!isRestrictionGroundId(decision.groundId)) throw new ReviewRefused("unknown-ground");
  if (decision.reasoning.trim().length < 10) throw new ReviewRefused("reasoning-required");
  if (decision.decision === "withhold") {
    if (
      !(decision.reviewOn instanceof Date) ||
      Number.isNaN(decision.reviewOn.getTime()) ||
      decision.reviewOn <= new Date()
    ) {
      throw new ReviewRefused("review-date-required");
    }
    if (decision.omitReasons && !restrictionGrounds[decision.groundId].reasonsMayBeOmitted)
      throw new ReviewRefused("reasons-not-omissible");
    return;
  }
  if (!isRedactionGroundId(decision.groundId)) throw new ReviewRefused("unknown-ground");
  if (decision.fields.length === 0) throw new ReviewRefused("unknown-field");
}

/** The round, locked, if it belongs to the case: a round id of another case is a forged form. */
async function lockedRound(tx: DbOrTx, requestId: string, roundId: string) {
  const [round] = await tx
    .select({
      id: reviewRounds.id,
      runId: reviewRounds.runId,
      status: reviewRounds.status,
      proposedBy: reviewRounds.proposedBy,
      requestId: gatherRuns.requestId,
    })
    .from(reviewRounds)
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .where(eq(reviewRounds.id, roundId))
    .for("update", { of: reviewRounds });
  if (!round || round.requestId !== requestId) throw new ReviewRefused("foreign-finding");
  return round;
}

/** The handler hands the round to the DPO; every finding must have a decision. */
export async function propose(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  roundId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "open") throw new ReviewRefused("not-open");
    await assertSearched(tx, round.runId);
    const [total] = await tx.select({ n: count() }).from(findings).where(eq(findings.runId, round.runId));
    const [decided] = await tx
      .select({ n: count() })
      .from(findingDecisions)
      .where(eq(findingDecisions.roundId, roundId));
    if ((decided?.n ?? 0) < (total?.n ?? 0)) throw new ReviewRefused("undecided-findings");
    await tx
      .update(reviewRounds)
      .set({ status: "proposed", proposedBy: staff.id, proposedAt: new Date() })
      .where(eq(reviewRounds.id, roundId));
    await appendAuditEvent(tx, {
      requestId: round.requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.proposed",
      data: { roundId },
    });
  });
}

/**
 * Four eyes: the DPO approves a proposed round. The approver must hold `release:approve` and must
 * be neither the proposer nor anyone who decided findings of the round; every store must have been
 * searched (or a DPO's reason cover it). Nothing is released before this.
 */
export async function approve(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  roundId: string,
): Promise<void> {
  if (!staff.permissions.has("release:approve")) throw new ReviewRefused("not-permitted");
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "proposed") throw new ReviewRefused("not-proposed");
    if (round.proposedBy === staff.id) throw new ReviewRefused("own-proposal");
    // Four eyes are two people: whoever decided findings of the round does not approve it either.
    if (await decidedInRound(tx, roundId, staff.id)) throw new ReviewRefused("own-decisions");
    await assertSearched(tx, round.runId);
    await tx
      .update(reviewRounds)
      .set({ status: "approved", decidedBy: staff.id, decidedAt: new Date() })
      .where(eq(reviewRounds.id, roundId));
    await tx.update(requests).set({ status: "approved" }).where(eq(requests.id, round.requestId));
    await appendAuditEvent(tx, {
      requestId: round.requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.approved",
      data: { roundId },
    });
  });
}

/** Whether the member wrote any decision of the round (also one carried over from a round sent back). */
export async function decidedInRound(db: DbOrTx, roundId: string, staffId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: findingDecisions.id })
    .from(findingDecisions)
    .where(and(eq(findingDecisions.roundId, roundId), eq(findingDecisions.decidedBy, staffId)))
    .limit(1);
  return Boolean(row);
}

export async function sendBack(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  roundId: string,
  comment: string,
): Promise<void> {
  if (!staff.permissions.has("release:approve")) throw new ReviewRefused("not-permitted");
  if (comment.trim().length < 3) throw new ReviewRefused("reasoning-required");
  await db.transaction(async (tx) => {
    const round = await lockedRound(tx, requestId, roundId);
    if (round.status !== "proposed") throw new ReviewRefused("not-proposed");
    await tx
      .update(reviewRounds)
      .set({ status: "returned", decidedBy: staff.id, decidedAt: new Date(), comment: comment.trim() })
      .where(eq(reviewRounds.id, roundId));
    await appendAuditEvent(tx, {
      requestId: round.requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.returned",
      reason: comment.trim(),
      data: { roundId },
    });
  });
}

export type ReviewRound = typeof reviewRounds.$inferSelect;

/** The case's latest approved review round: the one its answer (and the § 21(5) record) rests on. */
export async function latestApprovedRound(db: DbOrTx, requestId: string): Promise<ReviewRound | null> {
  const [row] = await db
    .select({ round: reviewRounds })
    .from(reviewRounds)
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .where(and(eq(gatherRuns.requestId, requestId), eq(reviewRounds.status, "approved")))
    .orderBy(desc(reviewRounds.decidedAt))
    .limit(1);
  return row?.round ?? null;
}

/** Releasing the answer: the approved round's gathering must have been searched (or a DPO's reason cover it). */
export async function assertReleasable(db: DbOrTx, requestId: string): Promise<void> {
  const round = await latestApprovedRound(db, requestId);
  if (round) await assertSearched(db, round.runId);
}

/**
 * Grounds whose findings never reach the answer, not even as a count: under an information block
 * the answer must not reveal whether data exist (§ 51 BMG), and a match that was never confirmed to
 * be the person's is no data "concerning" them. The letter then may not say "nothing found".
 */
const silentGrounds: ReadonlySet<RestrictionGroundId> = new Set([
  "information-block",
  "identity-unconfirmed",
]);

const identifierKinds: readonly IdentifierKind[] = [
  "email",
  "name",
  "phone",
  "userName",
  "ip",
  "birthDate",
  "postalAddress",
];

/**
 * What the letter of a case's approved review may say beyond its released findings (see
 * LetterFacts): the withheld groups as the person reads them — the text written for the person,
 * else the statute's reason for the ground, and nothing at all under § 21(4) ThürDSG; whether
 * anything was withheld silently; the unproven identifiers behind unreleased matches; and the stores
 * whose search failed or was partial, with the reason a DPO recorded for answering without them
 * (`unsearchedReason`: for the file, not the letter). Null without an approved review.
 */
export async function letterFactsOf(
  db: DbOrTx,
  requestId: string,
  lang: Lang,
): Promise<(LetterFacts & { unsearchedReason: string | null }) | null> {
  const round = await latestApprovedRound(db, requestId);
  if (!round) return null;
  const inRound = and(eq(findingDecisions.findingId, findings.id), eq(findingDecisions.roundId, round.id));
  const withheldRows = await db
    .select({
      groundId: findingDecisions.groundId,
      processingActivityId: findings.processingActivityId,
      omitReasons: findingDecisions.omitReasons,
      personReasons: findingDecisions.personReasons,
      reviewOn: findingDecisions.reviewOn,
      count: sql<number>`count(*)::int`,
    })
    .from(findings)
    .innerJoin(findingDecisions, inRound)
    .where(and(eq(findings.runId, round.runId), eq(findingDecisions.decision, "withhold")))
    .groupBy(
      findingDecisions.groundId,
      findings.processingActivityId,
      findingDecisions.omitReasons,
      findingDecisions.personReasons,
      findingDecisions.reviewOn,
    )
    .orderBy(
      findingDecisions.groundId,
      findings.processingActivityId,
      findingDecisions.reviewOn,
      findingDecisions.personReasons,
    );
  const t = answerTexts(lang);
  let withheldSilently = false;
  const withheld: WithheldGroup[] = [];
  for (const row of withheldRows) {
    // Decisions were checked against the catalogue when made; one that no longer is, is refused.
    if (!isRestrictionGroundId(row.groundId))
      throw new Error(`withheld finding with unknown ground ${row.groundId}`);
    if (silentGrounds.has(row.groundId)) {
      withheldSilently = true;
      continue;
    }
    withheld.push({
      groundId: row.groundId,
      legalReference: restrictionGrounds[row.groundId].reference,
      reasons: row.omitReasons ? null : (row.personReasons ?? t.groundReasons[row.groundId]),
      reviewDate: row.omitReasons ? null : row.reviewOn,
      count: Number(row.count),
      processingActivityId: row.processingActivityId,
    });
  }
  const unprovenRows = await db
    .selectDistinct({ kind: sql<string>`${findings.matched}->>'kind'` })
    .from(findings)
    .innerJoin(findingDecisions, inRound)
    .where(
      and(
        eq(findings.runId, round.runId),
        eq(findings.unproven, true),
        eq(findingDecisions.decision, "withhold"),
      ),
    );
  const unprovenKinds = new Set(unprovenRows.map((r) => r.kind));
  const incomplete = await incompleteStores(db, round.runId);
  const kinds = incomplete.length
    ? await db
        .selectDistinct({ store: findings.store, storeKind: findings.storeKind })
        .from(findings)
        .where(
          and(
            eq(findings.runId, round.runId),
            inArray(
              findings.store,
              incomplete.map((j) => j.store),
            ),
          ),
        )
    : [];
  return {
    withheld,
    withheldSilently,
    unproven: identifierKinds.filter((k) => unprovenKinds.has(k)),
    unsearched: incomplete.map((job) => ({
      store: job.store,
      storeKind: kinds.find((k) => k.store === job.store)?.storeKind ?? null,
    })),
    unsearchedReason:
      incomplete.length > 0 ? ((await searchGate(db, round.runId)).reason?.text ?? null) : null,
  };
}

/**
 * The letter's paragraph on a decision as the reviewer is about to make it, for the preview beside
 * the form: checked as `decide` checks it, nothing saved. A release or redaction carries no text of
 * the reviewer into the letter: null.
 */
export async function previewDecision(
  db: Db,
  requestId: string,
  roundId: string,
  selection: { findingIds: string[] } | { filter: FindingsFilter },
  decision: Decision,
  lang: Lang,
): Promise<Block[] | null> {
  storedDecision(decision);
  if (decision.decision !== "withhold") return null;
  // Not even a count reaches the letter: the preview is empty.
  if (silentGrounds.has(decision.groundId)) return [];
  const round = await lockedRound(db, requestId, roundId);
  const where =
    "filter" in selection
      ? findingsWhere(round.runId, roundId, selection.filter)
      : and(
          eq(findings.runId, round.runId),
          inArray(
            findings.id,
            selection.findingIds.length ? selection.findingIds : ["00000000-0000-0000-0000-000000000000"],
          ),
        )!;
  const [row] = await db
    .select({ processingActivityId: sql<string>`min(${findings.processingActivityId})`, n: count() })
    .from(findings)
    .where(where);
  if (!row || row.n === 0) throw new ReviewRefused("no-matching-findings");
  const t = answerTexts(lang);
  const personReasons = decision.personReasons?.trim();
  return withholdingPreview(lang, {
    groundId: decision.groundId,
    legalReference: restrictionGrounds[decision.groundId].reference,
    reasons: decision.omitReasons ? null : personReasons || t.groundReasons[decision.groundId],
    reviewDate: decision.omitReasons ? null : decision.reviewOn,
    count: row.n,
    processingActivityId: row.processingActivityId as ProcessingActivityId,
  });
}
