/**
 * A worker for a queue whose jobs should run side by side: it holds up to `limit` jobs of the queue
 * at once and asks pg-boss for more as soon as one ends (when its last look filled every free
 * place, so more may be waiting), or as soon as it is woken: by a send from this process, or by
 * the process's watch (queue-watch.server.ts) when the queue holds a job sent elsewhere. So there is
 * no pause between jobs while there is work, and an empty queue is not asked every second. pg-boss's
 * own `work` fetches one batch and waits for the whole of it, then at least its polling interval.
 *
 * The jobs of one fetch start in the order of the definition's `weight`, the heaviest first.
 *
 * Each job is completed or failed on its own (pg-boss's retries and the takeover of a dead
 * worker's jobs, takeover.server.ts, stay as they are); jobs that end in the same turn are
 * completed by one call. When the worker stops, running jobs are aborted and failed with that
 * reason, which hands them to their next try, as pg-boss does with the work of its own workers
 * when it stops.
 *
 * pg-boss takes a job still active after its expiry for a dead worker's and hands it to the next
 * try — beside the one still running, for a store whose search takes hours at a data centre's size
 * (ADR 0023). So the expiry is a lease here: while a job runs, the worker moves its expiry on to a
 * lease from now, every third of a lease (at most every minute). A try whose worker died or hangs
 * is handed on one lease after its last renewal, whichever workers still run.
 */
import { setMaxListeners } from "node:events";
import type PgBoss from "pg-boss";
import { describeError, log } from "../log.server";
import type { JobContext, JobDefinition } from "./job";
import { wakeableSleep } from "./wakeable-sleep.server";

export interface ConcurrentWorker {
  /** A job was sent from this process, or the watch saw one: look at once instead of at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

export function startConcurrentWorker(
  boss: PgBoss,
  definition: JobDefinition,
  context: JobContext,
  { limit, pollMs, leaseSeconds }: { limit: number; pollMs: number; leaseSeconds: number },
): ConcurrentWorker {
  const { queue } = definition;
  const running = new Set<Promise<void>>();
  const active = new Set<string>();
  const lease = renewLeases(context, queue, active, leaseSeconds);
  const stopping = new AbortController();
  // Every running job listens to it (a pass over a store adds one listener per job taking part).
  setMaxListeners(0, stopping.signal);
  // A wake-up while the worker fetches is kept: its next pause ends at once and it looks again (at
  // worst one fetch more than needed, when that fetch already found the job that woke it).
  const pause = wakeableSleep();
  // Whether the queue may hold jobs this worker has not asked for: its last look filled every free
  // place, or it had none free, or failed. Only then does a job's end look again; else the queue was
  // empty at the last look, and what is sent since wakes the worker (this process, or the watch).
  let mayHoldMore = true;
  const wake = () => pause.wake();
  // Jobs that end in the same turn are completed in one call: the store jobs of many cases sharing
  // one pass end together (ADR 0021), and on the embedded database each call is a statement that
  // waits for all the others.
  let completing: { id: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  function complete(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (completing.length === 0)
        setImmediate(() => {
          const together = completing;
          completing = [];
          boss
            .complete(
              queue,
              together.map((job) => job.id),
            )
            .then(
              () => together.forEach((job) => job.resolve()),
              (error: unknown) => together.forEach((job) => job.reject(error)),
            );
        });
      completing.push({ id, resolve, reject });
    });
  }

  function start(job: PgBoss.Job<object>): void {
    active.add(job.id);
    const run = (async () => {
      const started = Date.now();
      try {
        await definition.run(context, job.data, stopping.signal);
        await complete(job.id);
        log.info({ queue, jobId: job.id, ms: Date.now() - started }, "jobs: done");
      } catch (error) {
        const reason = stopping.signal.aborted
          ? "the worker stopped before the job ended"
          : describeError(error);
        if (!stopping.signal.aborted) log.error({ queue, jobId: job.id, error: reason }, "jobs: failed");
        // pg-boss retries it; a failure to say so leaves it active, for the takeover or its expiry.
        await boss.fail(queue, job.id, { reason }).catch(() => {});
      }
    })().finally(() => {
      active.delete(job.id);
      running.delete(run);
      if (mayHoldMore) wake();
    });
    running.add(run);
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let fetched = 0;
      const free = limit - running.size;
      mayHoldMore = true;
      if (free > 0) {
        try {
          const jobs = await boss.fetch<object>(queue, { batchSize: free });
          fetched = jobs.length;
          mayHoldMore = fetched === free;
          if (definition.weight && jobs.length > 1) {
            const weight = new Map(jobs.map((job) => [job, definition.weight!(context, job.data)]));
            jobs.sort((a, b) => weight.get(b)! - weight.get(a)!);
          }
          if (!stopping.signal.aborted) for (const job of jobs) start(job);
          else for (const job of jobs) await boss.fail(queue, job.id, { reason: "the worker stopped" });
        } catch (error) {
          log.error({ queue, error: describeError(error) }, "jobs: fetching failed");
        }
      }
      // More may be waiting while the last look filled its places and there is room again: ask at once.
      if (fetched > 0 && mayHoldMore && running.size < limit) continue;
      await pause.sleep(pollMs);
    }
  })();

  return {
    wake,
    async stop() {
      stopping.abort(new Error("the worker stops"));
      wake();
      await loop;
      await Promise.allSettled([...running]);
      await lease.stop();
    },
  };
}

/** Every third of a lease (at most every minute): the running jobs' expiry moved on to a lease from now. */
function renewLeases(
  { sql }: JobContext,
  queue: string,
  active: ReadonlySet<string>,
  leaseSeconds: number,
): { stop(): Promise<void> } {
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      if (active.size === 0) return;
      renewing = sql
        .query(
          `update pgboss.job set expire_in = (now() - started_on) + $3 * interval '1 second'
            where name = $1 and id = any($2::uuid[]) and state = 'active'`,
          [queue, [...active], leaseSeconds],
        )
        .then(
          () => undefined,
          // The next renewal tries again; missed for a whole lease, the job goes to its next try.
          (error: unknown) =>
            log.error({ queue, error: describeError(error) }, "jobs: renewing the leases failed"),
        );
    },
    Math.min(60_000, (leaseSeconds * 1000) / 3),
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
