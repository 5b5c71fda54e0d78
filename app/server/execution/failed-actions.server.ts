/**
 * Actions the store did not confirm are settled by staff: run again through the store (and read
 * again), or carried out by hand in the store by someone who then says so here — the portal reads
 * the store once more and marks the action done only if the store agrees. Either way the
 * recipients and the person are told only of what the store confirmed.
 */
import { and, eq, inArray } from "drizzle-orm";
import { findingActions, findings } from "#db/schema";
import type { ExecutionPageError } from "#app/core/finding-actions";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { type CarryOutResult, carryOutApproved, storeRefOf, tellOfConfirmed } from "./carry-out.server";
import { type ExecutionEnv, ExecutionRefused } from "./env.server";
import { lockedActionsIn, lockedRequest } from "./actions.server";
import { minResolutionNote } from "./intents";
import {
  type StoreOperation,
  confirms,
  failureText,
  readAgain,
  rectifiedUnrecorded,
} from "./store-state.server";

/** Runs failed actions of the case again through their stores; they are read again as on the first run. */
export async function retryFailed(
  env: ExecutionEnv,
  staff: StaffIdentity,
  requestId: string,
  actionIds: string[],
  now = new Date(),
): Promise<CarryOutResult> {
  if (!staff.permissions.has("finding:propose")) throw new ExecutionRefused("not-permitted");
  const unique = [...new Set(actionIds)];
  if (unique.length === 0) throw new ExecutionRefused("foreign-action");
  await env.db.transaction(async (tx) => {
    await lockedRequest(tx, requestId);
    const rows = await lockedActionsIn(tx, requestId, unique, "failed");
    // Approved again as they were: the four eyes approved them once, the store failed them.
    await tx.update(findingActions).set({ status: "approved" }).where(inArray(findingActions.id, unique));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.retried",
      data: {
        actions: rows.map((r) => ({ id: r.action.id, kind: r.action.action, store: r.finding.store })),
      },
    });
  });
  return carryOutApproved(env, { requestId, now });
}

export type ResolveResult =
  | { ok: true; outboxIds: string[] }
  | { ok: false; reason: Extract<ExecutionPageError, `store-${string}`>; detail: string };

/**
 * A staff member carried a failed action out in the store by hand and says how. The store is read
 * once more: only if it confirms the action is it marked done (with who, when and the note),
 * audited, and told to the recipients and the person. If the store still disagrees, nothing changes
 * and the store's answer is returned for the page to show.
 */
export async function resolveByHand(
  env: ExecutionEnv,
  staff: StaffIdentity,
  requestId: string,
  actionId: string,
  note: string,
  now = new Date(),
): Promise<ResolveResult> {
  if (!staff.permissions.has("finding:propose")) throw new ExecutionRefused("not-permitted");
  const text = note.trim();
  if (text.length < minResolutionNote) throw new ExecutionRefused("note-required");
  const [item] = await env.db
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(and(eq(findingActions.requestId, requestId), eq(findingActions.id, actionId)));
  if (!item) throw new ExecutionRefused("foreign-action");
  if (item.action.status !== "failed") throw new ExecutionRefused("not-failed");
  const operation = item.action.action as StoreOperation;
  // A supplementary statement alone changes no store; it never fails, so it never comes here.
  const connector = env.sources.connectors.get(item.finding.store);
  if (!connector)
    return {
      ok: false,
      reason: "store-unavailable",
      detail: failureText(item.finding.store, operation, "the store is not configured or cannot be opened"),
    };
  const ref = storeRefOf(item);
  const state = (await readAgain(connector, [ref])).get(ref)!;
  const check = confirms(operation, state, item.action.changes, item.action.requestId);
  // The store cannot confirm such a rectification here; staff looked (the note says what they found).
  if (!check.confirmed && !rectifiedUnrecorded(operation, state, item.action.attemptedAt)) {
    await appendAuditEvent(env.db, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.resolve-refused",
      reason: state.state === "unknown" ? "store-unavailable" : "store-disagrees",
      data: { action: actionId, kind: operation, store: item.finding.store },
    });
    return {
      ok: false,
      reason: state.state === "unknown" ? "store-unavailable" : "store-disagrees",
      detail: failureText(connector.id, operation, check.why),
    };
  }
  const outboxIds = await env.db.transaction(async (tx) => {
    await lockedRequest(tx, requestId);
    const set = {
      status: "done" as const,
      executedAt: now,
      error: null,
      resolvedBy: staff.id,
      resolvedAt: now,
      resolutionNote: text,
    };
    const updated = await tx
      .update(findingActions)
      .set(set)
      .where(and(eq(findingActions.id, actionId), eq(findingActions.status, "failed")))
      .returning({ id: findingActions.id });
    if (updated.length === 0) throw new ExecutionRefused("not-failed");
    // The note may name people or record contents: it stays in the action row, out of the trail.
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.resolved-by-hand",
      data: { action: actionId, kind: operation, store: item.finding.store, noteLength: text.length },
    });
    return tellOfConfirmed(tx, env, requestId, [
      { action: { ...item.action, ...set }, finding: item.finding },
    ]);
  });
  return { ok: true, outboxIds };
}
