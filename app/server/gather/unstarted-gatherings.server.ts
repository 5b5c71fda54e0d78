/**
 * A case whose gathering did not start when it was received is started later, never left waiting
 * unseen. The start on receipt (gatherOnReceipt) runs right after the case's commit, in the request
 * that proved it or took it in; when it fails — the database gone for a moment, the process ended
 * between the two — the case stays "received" with no gathering, and nothing but its deadline
 * reminder would bring it to anyone's attention. Every five minutes this reconciliation starts the
 * gathering of each such case that has waited longer than the start on receipt can take.
 */
import { and, arrayContained, eq, not, notExists, sql } from "drizzle-orm";
import { gatherRuns, requests } from "#db/schema";
import type { JobDefinition } from "../jobs/job";
import { describeError, log } from "../log.server";
import { type GatherDeps, gatherOnReceipt, kindsWithoutGathering } from "./gather.server";

/**
 * How long after it became a case (proven on the web, or taken in by staff) a case without a
 * gathering counts as unstarted. The start on receipt follows that commit within the same request,
 * in well under a second. Should the two still meet, only one starts: both start only a case still
 * "received" (gather.server.ts `openGathering`). `receivedAt` is not the moment: it is the date of
 * receipt the deadline runs from (a letter's day, a web form's submission).
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
        // Proven on the web (provenAt), or taken in by staff as a case at once (createdAt).
        sql`coalesce(${requests.provenAt}, ${requests.createdAt}) < ${new Date(now.getTime() - UNSTARTED_AFTER_MS).toISOString()}::timestamptz`,
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
