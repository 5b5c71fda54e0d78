/**
 * A store whose gathering job pg-boss gave up on is failed, never left "running" or "queued"
 * (ADR 0005).
 *
 * When the worker searching a store is stopped or killed on every try, our handler never reaches
 * its end: the takeover (jobs/takeover.server.ts), the concurrent worker's stop or pg-boss's expiry
 * fails the pg-boss job, and after the queue's last retry pg-boss marks it `failed` (or, never taken
 * again before its `keep_until`, archives it unstarted). The store's row would say "running" for
 * ever, the case would never move on. A job that fails on every try before its handler marked the
 * store running (the database unreachable, say), or that no worker takes before it is archived,
 * leaves the row "queued" for ever in the same way. This reconciliation, run every minute, compares
 * the running and queued store rows with their pg-boss jobs and fails a store only when all of these
 * hold:
 *
 * - no pg-boss job for it is live (created, retry or active): a job still retrying is left alone;
 * - its newest job is `failed` (or archived without having run again);
 * - for a running store, that job gave up after the store's current try started (both on the
 *   database's clock): a store retried by staff since runs a newer job and is never failed for the
 *   old one. A queued store's newest job is always its current one: the job is queued in the
 *   transaction that sets the row queued (the start, a staff retry).
 *
 * The store fails through the same `finish` as any failure (audit `gather.store-failed`, the case
 * moves to review when it was the last store), conditioned on the row being unchanged (still
 * running the same try, or still queued), so a store that moved on meanwhile is not touched. Staff
 * retry it as any failed store.
 */
import { type GivenUp, givenUpReason } from "#app/core/store-given-up";
import type { JobContext, JobDefinition } from "../jobs/job";
import { describeError, log } from "../log.server";
import { finish, gatherStoreJob } from "./gather.server";

interface Abandoned {
  id: string;
  run_id: string;
  store: string;
  request_id: string;
  status: "running" | "queued";
  started_at: Date | string | null;
  tries: number;
}

/** Fails the running and queued stores whose pg-boss jobs were given up; returns how many. */
export async function failAbandonedStoreJobs({ db, sql }: Pick<JobContext, "db" | "sql">): Promise<number> {
  const rows = await sql.query<Abandoned>(
    // One pass over the queue's jobs and its archive for all waiting stores (a hash join on the
    // store's id), not one per store: pg-boss keeps no index on a job's data.
    `with waiting as (
       select s.id, s.run_id, s.store, r.request_id, s.status, s.started_at
         from gather_store_jobs s join gather_runs r on r.id = s.run_id
        where (s.status = 'running' and s.started_at is not null) or s.status = 'queued'),
     jobs as (
       select data->>'storeJobId' as sid, state, retry_count, created_on, completed_on, keep_until, false as archived
         from pgboss.job where name = $1 and data->>'storeJobId' in (select id::text from waiting)
       union all
       select data->>'storeJobId', state, retry_count, created_on, completed_on, keep_until, true
         from pgboss.archive where name = $1 and data->>'storeJobId' in (select id::text from waiting)),
     newest as (
       select distinct on (sid) sid, state, retry_count, completed_on, keep_until, archived
         from jobs order by sid, created_on desc)
     select s.id, s.run_id, s.store, s.request_id, s.status, s.started_at,
            -- A failed job's last try counts; one archived unstarted counts the tries it had.
            case when k.state = 'failed' or s.status = 'running' then k.retry_count + 1 else k.retry_count end as tries
       from waiting s join newest k on k.sid = s.id::text
      where (k.state = 'failed' or (k.archived and k.state in ('created', 'retry')))
        and (s.status = 'queued' or coalesce(k.completed_on, k.keep_until) >= s.started_at)
        and not exists (
          select 1 from jobs l
           where l.sid = s.id::text and not l.archived and l.state in ('created', 'retry', 'active'))`,
    [gatherStoreJob.queue],
  );
  let failed = 0;
  for (const row of rows) {
    const givenUp: GivenUp = {
      how: row.status === "running" ? "cut-off" : "not-started",
      tries: Number(row.tries),
    };
    const changed = await finish(
      db,
      {
        id: row.id,
        runId: row.run_id,
        store: row.store,
        requestId: row.request_id,
        unchanged:
          row.status === "running"
            ? { status: "running", startedAt: new Date(row.started_at!) }
            : { status: "queued" },
      },
      {
        status: "failed",
        error: givenUpReason(givenUp),
        audit: { reason: givenUp.how, tries: givenUp.tries },
      },
    );
    if (changed) {
      failed++;
      log.warn(
        { requestId: row.request_id, store: row.store, how: givenUp.how, tries: givenUp.tries },
        "gather: store failed, its job was given up",
      );
    }
  }
  return failed;
}

/** Every minute: the stores whose jobs pg-boss gave up on are failed with the reason. */
export const abandonedStoreJobsJob: JobDefinition = {
  queue: "gather-abandoned",
  schedule: "* * * * *",
  retryLimit: 0,
  async run(context) {
    try {
      await failAbandonedStoreJobs(context);
    } catch (error) {
      log.error({ error: describeError(error) }, "gather: looking for given-up store jobs failed");
      throw error;
    }
  },
};
