import { and, desc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { gatherRuns, gatherStoreJobs, staffUsers } from "#db/schema";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { ReviewRefused } from "./review-refused";

/**
 * No answer without a search (issue 16): a case whose gathering left a store failed, waiting or
 * only partly searched is not reviewed, proposed, approved or released — unless a DPO recorded why
 * the person is answered without those stores. The letter then names them (letterFactsOf).
 */

export interface IncompleteStore {
  store: string;
  /** queued | running | failed | done (done: searched only in part) */
  status: string;
  partial: boolean;
}

/** The stores of a run not searched completely: failed, still waiting or running, or partial. */
export async function incompleteStores(db: DbOrTx, runId: string): Promise<IncompleteStore[]> {
  const jobs = await db
    .select({
      store: gatherStoreJobs.store,
      status: gatherStoreJobs.status,
      partial: gatherStoreJobs.partial,
      problems: gatherStoreJobs.problems,
    })
    .from(gatherStoreJobs)
    .where(eq(gatherStoreJobs.runId, runId))
    .orderBy(gatherStoreJobs.store);
  return jobs
    .filter((job) => job.status !== "done" || job.partial || unsearchedProblem(job.problems))
    .map((job) => ({ store: job.store, status: job.status, partial: job.status === "done" }));
}

/** A located problem that left part of the store unsearched (problems written before they were located are plain strings). */
function unsearchedProblem(problems: unknown): boolean {
  return (
    Array.isArray(problems) &&
    problems.some(
      (p) => typeof p === "object" && p !== null && (p as { unsearched?: unknown }).unsearched === true,
    )
  );
}

export interface SearchGate {
  runId: string;
  incomplete: IncompleteStore[];
  /** Incomplete stores the DPO's recorded reason does not cover: while any is left, no answer. */
  blocking: IncompleteStore[];
  /** Whether a store is still waiting or running: a reason can be recorded only once the search ended. */
  running: boolean;
  reason: { text: string; stores: string[]; byName: string | null; at: Date } | null;
}

/** Where the search of a run stands for answering, with the DPO's reason where one was recorded. */
export async function searchGate(db: DbOrTx, runId: string): Promise<SearchGate> {
  const [run] = await db
    .select({
      stores: gatherRuns.unsearchedStores,
      reason: gatherRuns.unsearchedReason,
      at: gatherRuns.unsearchedReasonAt,
      byName: staffUsers.displayName,
    })
    .from(gatherRuns)
    .leftJoin(staffUsers, eq(staffUsers.id, gatherRuns.unsearchedReasonBy))
    .where(eq(gatherRuns.id, runId));
  const incomplete = await incompleteStores(db, runId);
  const covered = new Set(run?.reason ? (run.stores ?? []) : []);
  return {
    runId,
    incomplete,
    blocking: incomplete.filter((s) => !covered.has(s.store)),
    running: incomplete.some((s) => s.status === "queued" || s.status === "running"),
    reason:
      run?.reason && run.at
        ? { text: run.reason, stores: run.stores ?? [], byName: run.byName, at: run.at }
        : null,
  };
}

/** Refuses the step while a store of the run is not searched and no DPO's reason covers it. */
export async function assertSearched(db: DbOrTx, runId: string): Promise<void> {
  if ((await searchGate(db, runId)).blocking.length > 0) throw new ReviewRefused("stores-unsearched");
}

/**
 * A DPO records why the person is answered although stores of the case's latest gathering failed
 * or were searched only in part: the reason covers exactly the stores incomplete now, and is kept
 * with the run and in the audit trail. A store still searching cannot be given up on this way.
 */
export async function recordUnsearchedReason(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  reason: string,
): Promise<void> {
  if (!staff.permissions.has("release:approve")) throw new ReviewRefused("not-permitted");
  const text = reason.trim();
  if (text.length < 10) throw new ReviewRefused("reasoning-required");
  await db.transaction(async (tx) => {
    const [run] = await tx
      .select({ id: gatherRuns.id })
      .from(gatherRuns)
      .where(eq(gatherRuns.requestId, requestId))
      .orderBy(desc(gatherRuns.version))
      .limit(1)
      .for("update");
    if (!run) throw new ReviewRefused("no-gathering");
    const incomplete = await incompleteStores(tx, run.id);
    if (incomplete.length === 0) throw new ReviewRefused("nothing-unsearched");
    if (incomplete.some((s) => s.status === "queued" || s.status === "running"))
      throw new ReviewRefused("gathering-running");
    const stores = incomplete.map((s) => s.store);
    await tx
      .update(gatherRuns)
      .set({
        unsearchedStores: stores,
        unsearchedReason: text,
        unsearchedReasonBy: staff.id,
        unsearchedReasonAt: new Date(),
      })
      .where(and(eq(gatherRuns.id, run.id), eq(gatherRuns.requestId, requestId)));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "review.unsearched-accepted",
      reason: text,
      data: {
        runId: run.id,
        stores: incomplete.map((s) => ({ store: s.store, status: s.status, partial: s.partial })),
      },
    });
  });
}
