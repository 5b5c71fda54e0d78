/**
 * A case whose gathering did not start when it was received is started later, never left waiting
 * unseen. The start on receipt (gatherOnReceipt) runs right after the case's commit, in the request
 * that proved it or took it in; when it fails — the database gone for a moment, the process ended
 * between the two — the case stays "received" with no gathering, and nothing but its deadline
 * reminder would bring it to anyone's attention. Every five minutes this reconciliation starts the
 * gathering of each such case that has waited longer than the start on receipt can take.
 */
import { and, arrayContained, eq, lt, not, notExists } from "drizzle-orm";
import { gatherRuns, requests } from "#db/schema";
import type { JobDefinition } from "../jobs/job";
import { describeError, log } from "../log.server";
import { type GatherDeps, gatherOnReceipt, kindsWithoutGathering } from "./gather.server";

/**
 * How long after its receipt a case without a gathering counts as unstarted. The start on receipt
 * follows the case's commit within the same request, in well under a second; waiting minutes
 * keeps the two from both starting a gathering of one case.
 */
export const UNSTARTED_AFTER_MS = 5 * 60 * 1000;

/** Starts the gathering of received cases that have none after `UNSTARTED_AFTER_MS`; returns how many started. */
export async function startUnstartedGatherings(deps: GatherDeps, now = new Date()): Promise<number> {
  const unstarted = await deps.db
    .select({ id: requests.id })
    .from(requests)
    .where(
      and(
        eq(requests.status, "received"),
        lt(requests.receivedAt, new Date(now.getTime() - UNSTARTED_AFTER_MS)),
        not(arrayContained(requests.kinds, [...kindsWithoutGathering])),
        notExists(deps.db.select().from(gatherRuns).where(eq(gatherRuns.requestId, requests.id))),
      ),
    );
  let started = 0;
  for (const { id } of unstarted) {
    if (!(await gatherOnReceipt(deps, id))) continue;
    started++;
    log.warn({ requestId: id }, "gather: started late, it had not started on receipt");
  }
  return started;
}

export const unstartedGatheringsJob: JobDefinition = {
  queue: "gather-unstarted",
  schedule: "*/5 * * * *",
  async run({ db, sources, jobs }) {
    if (!jobs) throw new Error("starting gatherings needs the job queue");
    try {
      await startUnstartedGatherings({ db, sources, jobs });
    } catch (error) {
      log.error({ error: describeError(error) }, "gather: looking for unstarted gatherings failed");
      throw error;
    }
  },
};
