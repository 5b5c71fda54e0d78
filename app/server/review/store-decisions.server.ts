/**
 * § 21(2) ThürDSG decided per store of a case: no access to data kept only because of statutory
 * retention duties or only for data security or data-protection control, where giving it would
 * take disproportionate effort. A DPO records the decision with reasons for each store the case
 * searched; it shows on the staff case page and in the record for the TLfDI (ADR 0012).
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { gatherRuns, gatherStoreJobs, staffUsers, storeAccessDecisions } from "#db/schema";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";

export type StoreDecision = typeof storeAccessDecisions.$inferSelect;

/** Below this the reasons are a word, not a reasoning the TLfDI could follow. */
const MIN_STORE_REASONING = 20;

export async function storeDecisionsOfCase(tx: DbOrTx, requestId: string): Promise<StoreDecision[]> {
  return tx
    .select()
    .from(storeAccessDecisions)
    .where(eq(storeAccessDecisions.requestId, requestId))
    .orderBy(asc(storeAccessDecisions.store));
}

/** The stores the case's latest gathering searched: the ones a decision can be about. */
async function searchedStores(tx: DbOrTx, requestId: string): Promise<string[]> {
  const [run] = await tx
    .select({ id: gatherRuns.id })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  if (!run) return [];
  const rows = await tx
    .select({ store: gatherStoreJobs.store })
    .from(gatherStoreJobs)
    .where(eq(gatherStoreJobs.runId, run.id))
    .orderBy(asc(gatherStoreJobs.store));
  return rows.map((r) => r.store);
}

export interface StoreDecisionRow {
  store: string;
  decision: { applies: boolean; reasoning: string; decidedBy: string; decidedAt: string } | null;
}

/** Every searched store with its decision (or none yet), for the staff case page. */
export async function storeDecisionRows(db: Db, requestId: string): Promise<StoreDecisionRow[]> {
  const [stores, decisions] = await Promise.all([
    searchedStores(db, requestId),
    storeDecisionsOfCase(db, requestId),
  ]);
  const deciders = [...new Set(decisions.map((d) => d.decidedBy))];
  const names = new Map(
    deciders.length
      ? (
          await db
            .select({ id: staffUsers.id, displayName: staffUsers.displayName })
            .from(staffUsers)
            .where(inArray(staffUsers.id, deciders))
        ).map((s) => [s.id, s.displayName])
      : [],
  );
  const byStore = new Map(decisions.map((d) => [d.store, d]));
  const all = [...new Set([...stores, ...byStore.keys()])].sort();
  return all.map((store) => {
    const d = byStore.get(store);
    return {
      store,
      decision: d
        ? {
            applies: d.applies,
            reasoning: d.reasoning,
            decidedBy: names.get(d.decidedBy) ?? "–",
            decidedAt: d.decidedAt.toISOString(),
          }
        : null,
    };
  });
}

export type StoreDecisionResult =
  { ok: true } | { ok: false; reason: "not-permitted" | "unknown-store" | "reasoning-required" };

/** Records (or replaces) the decision for one store; the audit trail keeps each one with the one before. */
export async function recordStoreDecision(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  input: { store: string; applies: boolean; reasoning: string },
  now = new Date(),
): Promise<StoreDecisionResult> {
  if (!staff.permissions.has("release:approve")) return { ok: false, reason: "not-permitted" };
  const reasoning = input.reasoning.trim();
  if (reasoning.length < MIN_STORE_REASONING) return { ok: false, reason: "reasoning-required" };
  return db.transaction(async (tx): Promise<StoreDecisionResult> => {
    if (!(await searchedStores(tx, requestId)).includes(input.store))
      return { ok: false, reason: "unknown-store" };
    const [before] = await tx
      .select()
      .from(storeAccessDecisions)
      .where(and(eq(storeAccessDecisions.requestId, requestId), eq(storeAccessDecisions.store, input.store)))
      .for("update");
    const values = { applies: input.applies, reasoning, decidedBy: staff.id, decidedAt: now };
    await tx
      .insert(storeAccessDecisions)
      .values({ requestId, store: input.store, ...values })
      .onConflictDoUpdate({
        target: [storeAccessDecisions.requestId, storeAccessDecisions.store],
        set: values,
      });
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.store-access-decided",
      reason: reasoning,
      data: {
        store: input.store,
        applies: input.applies,
        before: before
          ? {
              applies: before.applies,
              decidedBy: before.decidedBy,
              decidedAt: before.decidedAt.toISOString(),
            }
          : null,
      },
    });
    return { ok: true };
  });
}
