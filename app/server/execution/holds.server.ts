/**
 * Which cases hold a record (Art. 18): a restriction carried out ("done") and not lifted since in
 * the same case. A store keeps one hold per case (`restrict(refs, hold, caseId)`), so one case's
 * lift never lifts another's; this is the portal's side of it, for what the store cannot know:
 * the cases behind a hold set before holds had owners, and the case to name when an erasure must
 * wait for another case's restriction (ADR 0003, "Holds have owners").
 */
import { and, eq, gte, inArray, notExists, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { findingActions, findings, requests } from "#db/schema";
import type { DbOrTx } from "#db/client";
import type { SourceConnector } from "#app/sources/connector";
import { errorText } from "./store-state.server";

export interface CaseHold {
  requestId: string;
  /** The case's reference for staff (its id while it has none). */
  reference: string;
  /** Kept only until the case's own erasure is due (an upheld objection), not an Art. 18 request of its own. */
  pendingErasure: boolean;
}

/** The cases holding each of `refs` in `store`, by the restrictions carried out and not lifted since. */
export async function holdsInForce(
  tx: DbOrTx,
  store: string,
  refs: readonly string[],
): Promise<Map<string, CaseHold[]>> {
  const byRef = new Map<string, CaseHold[]>();
  if (refs.length === 0) return byRef;
  const lift = alias(findingActions, "lift");
  const rows = await tx
    .select({
      ref: findings.ref,
      storeRef: findingActions.storeRef,
      requestId: findingActions.requestId,
      reference: requests.reference,
      changes: findingActions.changes,
    })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .innerJoin(requests, eq(requests.id, findingActions.requestId))
    .where(
      and(
        eq(findings.store, store),
        or(inArray(findings.ref, [...refs]), inArray(findingActions.storeRef, [...refs])),
        eq(findingActions.action, "restrict"),
        eq(findingActions.status, "done"),
        notExists(
          tx
            .select({ id: lift.id })
            .from(lift)
            .where(
              and(
                eq(lift.requestId, findingActions.requestId),
                eq(lift.findingId, findingActions.findingId),
                eq(lift.action, "lift-restriction"),
                eq(lift.status, "done"),
                gte(lift.executedAt, findingActions.executedAt),
              ),
            ),
        ),
      ),
    );
  const wanted = new Set(refs);
  for (const row of rows) {
    const ref = row.storeRef && wanted.has(row.storeRef) ? row.storeRef : row.ref;
    const holds = byRef.get(ref) ?? [];
    const pendingErasure = row.changes?.purpose === "pending-erasure";
    const same = holds.find((h) => h.requestId === row.requestId);
    // A case with a restriction of its own and one kept for its erasure holds for the first.
    if (same) same.pendingErasure &&= pendingErasure;
    else holds.push({ requestId: row.requestId, reference: row.reference ?? row.requestId, pendingErasure });
    byRef.set(ref, holds);
  }
  return byRef;
}

/**
 * Before `lifter` lifts its holds on `refs`: every other case that holds one of them is named in
 * the store as its holder (a no-op where it is already). A hold set before holds had owners names
 * nobody, and the store drops it with the lift: naming its cases first keeps it for all of them.
 * Returns the references whose other holders could not be named, each with why: their lift must wait.
 */
export async function nameOtherHolders(
  tx: DbOrTx,
  connector: SourceConnector,
  refs: readonly string[],
  lifter: string,
): Promise<Map<string, string>> {
  const byHolder = new Map<string, string[]>();
  for (const [ref, holds] of await holdsInForce(tx, connector.id, refs))
    for (const { requestId } of holds)
      if (requestId !== lifter) byHolder.set(requestId, [...(byHolder.get(requestId) ?? []), ref]);
  const unnamed = new Map<string, string>();
  for (const [holder, held] of byHolder) {
    try {
      const result = await connector.restrict(held, true, holder);
      for (const failure of result.failures)
        unnamed.set(failure.ref, `another case's hold could not be kept (${failure.reason})`);
    } catch (error) {
      for (const ref of held) unnamed.set(ref, `another case's hold could not be kept (${errorText(error)})`);
    }
  }
  return unnamed;
}

/** The staff's reason for an erasure kept back by other cases' holds. */
export function heldByOthersText(holds: readonly CaseHold[]): string {
  const names = holds
    .map((h) => `${h.reference}${h.pendingErasure ? " (kept until that case's own erasure is due)" : ""}`)
    .join(", ");
  return `the record is restricted (Art. 18) by another case: ${names}; it is kept and not erased while that restriction is in force. Retry this erasure once it has been lifted (or the other case's erasure has been carried out).`;
}
