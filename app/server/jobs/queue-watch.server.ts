/**
 * One look a second for all of a process's queues instead of one fetch a second per queue
 * (ADR 0021, "One look for every queue"). Each idle worker used to ask pg-boss for its queue every
 * second: thirteen statements a second, which on the embedded database run on the main thread
 * beside a gathering. The watch asks once which of the queues hold a job that could be taken now
 * — sent by another process (web and worker run apart on PostgreSQL), queued by pg-boss's cron, a
 * retry whose delay has passed, a dead worker's job handed back — and wakes only those workers.
 * A job sent from this process wakes its worker at once (index.server.ts `send` and `wake`).
 */
import type { Sql } from "#db/sql";
import { describeError, log } from "../log.server";
import { wakeableSleep } from "./wakeable-sleep.server";

export interface QueueWatch {
  stop(): Promise<void>;
}

/**
 * Every `everyMs`, wakes the worker of each queue in `wakers` that holds a job ready to be taken
 * (created or to be retried, its start time passed: what pg-boss's fetch would take). When the
 * look fails, every worker is woken, so that each asks pg-boss itself as before the watch.
 */
export function watchQueues(sql: Sql, wakers: ReadonlyMap<string, () => void>, everyMs: number): QueueWatch {
  const names = [...wakers.keys()];
  // pg-boss keeps each queue's jobs in a partition of its own; naming them prunes the others, and
  // its index on (name, start_after) for jobs not yet active answers the rest.
  const text = `select distinct name from pgboss.job where name in (${names.map((_, i) => `$${i + 1}`).join(", ")}) and state < 'active' and start_after < now()`;
  let stopped = false;
  const pause = wakeableSleep();
  const loop = (async () => {
    while (!stopped && names.length > 0) {
      await pause.sleep(everyMs);
      if (stopped) break;
      try {
        for (const { name } of await sql.query<{ name: string }>(text, names)) wakers.get(name)?.();
      } catch (error) {
        log.error({ error: describeError(error) }, "jobs: looking for ready jobs failed");
        for (const wake of wakers.values()) wake();
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      pause.wake();
      await loop;
    },
  };
}
