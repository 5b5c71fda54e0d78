/**
 * Every case ends (ADR 0015). The actions that finish a part of a case — releasing the answer,
 * confirming what was carried out, deciding an objection, a mail server accepting a complaint's mail
 * to the authority (recordComplaintDeliveries) — call `endCaseIfDone` in their own transaction; once every kind the case asks for is done, the case takes its final
 * state and the person sees it on their case page. Refusal and withdrawal end a case directly. A
 * rectification or restriction declined on its merits (decline.server.ts) has ended too: a case
 * whose every kind was declined ends as "refused".
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import {
  activityDecisions,
  answers,
  complaints,
  findingActions,
  findingDecisions,
  findings,
  kindDeclines,
  mailOutbox,
  requests,
  reviewRounds,
} from "#db/schema";
import {
  type CaseProgress,
  type FinalCaseStatus,
  finalCaseStatuses,
  finalStatusOf,
  isFinalStatus,
} from "#app/core/case-status";
import {
  isIn,
  laterErasureStatuses,
  settledErasureStatuses,
  unsettledActionStatuses,
} from "#app/core/finding-actions";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { appendAuditEvent } from "../audit.server";
import { latestRunId } from "../execution/env.server";
import { answersErasure } from "../execution/erasure-assessment";

type RequestRow = typeof requests.$inferSelect;

/**
 * Whether the erasure, restriction, rectification, objection and withdrawal parts of a case are
 * done: nothing is left to decide or carry out, and each kind asked for has its outcome —
 * every record of the latest gathering accounted for (erasure), at least one restriction or
 * rectification carried out, at least one objection or withdrawal decided.
 */
async function carriedOut(tx: DbOrTx, request: RequestRow, kinds: ReadonlySet<string>): Promise<boolean> {
  const actions = await tx
    .select({
      findingId: findingActions.findingId,
      action: findingActions.action,
      status: findingActions.status,
      refusalReason: findingActions.refusalReason,
    })
    .from(findingActions)
    .where(eq(findingActions.requestId, request.id));
  if (actions.some((a) => isIn(unsettledActionStatuses, a.status))) return false;
  if (kinds.has("loeschung") && !(await everyFindingAccounted(tx, request.id, actions))) return false;
  if (kinds.has("einschraenkung") && !actions.some((a) => a.action === "restrict" && a.status === "done"))
    return false;
  if (kinds.has("berichtigung") && !actions.some((a) => a.action === "rectify" && a.status === "done"))
    return false;
  for (const [kind, decisionKind] of [
    ["widerspruch", "objection"],
    ["widerruf", "withdrawal"],
  ] as const) {
    if (!kinds.has(kind)) continue;
    const [decided] = await tx
      .select({ id: activityDecisions.id })
      .from(activityDecisions)
      .where(and(eq(activityDecisions.requestId, request.id), eq(activityDecisions.kind, decisionKind)))
      .limit(1);
    if (!decided) return false;
  }
  return true;
}

/**
 * Art. 17: each record of the latest gathering has a settled erasure, or a review decision kept it
 * from the person (withheld) — the confirmation names it either way (confirmation.server.ts).
 */
async function everyFindingAccounted(
  tx: DbOrTx,
  requestId: string,
  actions: { findingId: string; action: string; status: string; refusalReason: string | null }[],
): Promise<boolean> {
  const runId = await latestRunId(tx, requestId);
  if (!runId) return false;
  const found = await tx.select({ id: findings.id }).from(findings).where(eq(findings.runId, runId));
  // Nothing found, nothing to erase: the answer (or confirmation) that calls this has told the person so.
  if (found.length === 0) return true;
  // A restriction under § 22 ThürDSG instead of the erasure, once done, settles the record too.
  const settled = new Set(
    actions
      .filter((a) => answersErasure(a) && isIn(settledErasureStatuses, a.status))
      .map((a) => a.findingId),
  );
  const withheld = await withheldFindingIds(
    tx,
    found.map((f) => f.id),
  );
  return found.every((f) => settled.has(f.id) || withheld.has(f.id));
}

/** Findings an approved review round withheld from the person. */
export async function withheldFindingIds(tx: DbOrTx, findingIds: string[]): Promise<Set<string>> {
  if (findingIds.length === 0) return new Set();
  const rows = await tx
    .select({ findingId: findingDecisions.findingId })
    .from(findingDecisions)
    .innerJoin(reviewRounds, eq(reviewRounds.id, findingDecisions.roundId))
    .where(
      and(
        eq(reviewRounds.status, "approved"),
        eq(findingDecisions.decision, "withhold"),
        inArray(findingDecisions.findingId, findingIds),
      ),
    );
  return new Set(rows.map((r) => r.findingId));
}

async function progressOf(tx: DbOrTx, request: RequestRow, kinds: readonly string[]): Promise<CaseProgress> {
  const [answer] = await tx
    .select({ id: answers.id })
    .from(answers)
    .where(eq(answers.requestId, request.id))
    .limit(1);
  // Forwarded once a mail server accepted the mail to the authority: queued it may still fail for good.
  const [forwarded] = await tx
    .select({ id: complaints.id })
    .from(complaints)
    .innerJoin(mailOutbox, eq(mailOutbox.id, complaints.outboxId))
    .where(and(eq(complaints.requestId, request.id), eq(mailOutbox.status, "sent")))
    .limit(1);
  return {
    answer: Boolean(answer),
    forward: Boolean(forwarded),
    "carry-out": await carriedOut(tx, request, new Set(kinds)),
  };
}

async function erasuresStillDue(tx: DbOrTx, requestId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: findingActions.id })
    .from(findingActions)
    .where(
      and(
        eq(findingActions.requestId, requestId),
        eq(findingActions.action, "erase"),
        inArray(findingActions.status, [...laterErasureStatuses]),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Ends the case if every kind it asks for is done: the final state, the day the person was given
 * the outcome (answeredAt, for answers and carried-out cases), and the day it was closed — left
 * empty while a deferred erasure or an archive offer still waits, so that the portal keeps the case
 * (and the erasure it owes) until then. Called again after such a late erasure, it closes the case.
 * Returns the case's final state, or null while it is open.
 */
export async function endCaseIfDone(
  tx: DbOrTx,
  requestId: string,
  now = new Date(),
): Promise<FinalCaseStatus | null> {
  const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
  if (!request?.reference) return null;
  if (isFinalStatus(request.status)) {
    if (request.status === "carried-out" && !request.closedAt && !(await erasuresStillDue(tx, requestId))) {
      await tx.update(requests).set({ closedAt: now }).where(eq(requests.id, requestId));
    }
    return request.status;
  }
  // A declined kind has ended; the rest of the case names its final state, or none is left: refused.
  const declined = new Set<RequestKindSlug>(
    (
      await tx
        .select({ kind: kindDeclines.kind })
        .from(kindDeclines)
        .where(eq(kindDeclines.requestId, requestId))
    ).map((d) => d.kind),
  );
  const kinds = request.kinds.filter((k) => !declined.has(k));
  if (declined.size > 0 && kinds.length === 0) {
    await tx.update(requests).set({ status: "refused", closedAt: now }).where(eq(requests.id, requestId));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "system",
      action: "request.closed",
      data: { status: "refused", declined: [...declined] },
    });
    return "refused";
  }
  const status = finalStatusOf(kinds, await progressOf(tx, request, kinds));
  if (!status) return null;
  const closedAt = status === "carried-out" && (await erasuresStillDue(tx, requestId)) ? null : now;
  const answeredAt = status === "forwarded" ? request.answeredAt : (request.answeredAt ?? now);
  await tx.update(requests).set({ status, closedAt, answeredAt }).where(eq(requests.id, requestId));
  await appendAuditEvent(tx, { requestId, actorType: "system", action: "request.closed", data: { status } });
  return status;
}

/**
 * Records the notice (outbox row or print job) that told the person how their case ended, once the
 * case has ended and only the first time: a letter tells them on its dispatch day, and the
 * statistics, the register and the deadline reminders read that day from here (figures.ts
 * `answerReachedAt`). Callers queue the notice after the case ended and pass its id.
 */
export async function recordFinalNotice(tx: DbOrTx, requestId: string, noticeId: string): Promise<void> {
  await tx
    .update(requests)
    .set({ finalNoticeId: noticeId })
    .where(
      and(
        eq(requests.id, requestId),
        isNull(requests.finalNoticeId),
        inArray(requests.status, [...finalCaseStatuses]),
      ),
    );
}
