import type { Services } from "../services.server";
import type { Jobs } from "./index.server";

/**
 * What a job may use: the database, the validated configuration and the source stores (ADR 0018);
 * and, where the workers run it, the queueing of further jobs (a reconciliation that starts a
 * gathering queues its store jobs). Scripts and tests that call a job's use case by hand pass no
 * queue; what needs one says so.
 */
export type JobContext = Pick<Services, "db" | "sql" | "config" | "sources"> & {
  jobs?: Pick<Jobs, "sendWithin" | "wake">;
};

/** A background job: its queue, optionally a cron schedule (Europe/Berlin), and what it does. */
export interface JobDefinition<Data extends object = object> {
  queue: string;
  schedule?: string;
  /** How often pg-boss retries a failed run (default 2), e.g. after a worker was killed. */
  retryLimit?: number;
  /**
   * How long a try may run before pg-boss takes its worker for dead and hands the job to the next
   * try (default 15 minutes). With `concurrency` this is a lease the running try renews, so a job
   * may run for hours; without it, the most a job may take.
   */
  expireInSeconds?: number;
  /**
   * Jobs of this queue one worker runs at once, taking the next as soon as one ends (ADR 0021);
   * without it, one at a time.
   */
  concurrency?(context: JobContext): number;
  /**
   * With `concurrency`: how long a job is expected to take, in any unit; the jobs fetched together
   * start the longest first, so that the one a case waits for longest is not queued behind the
   * short ones for the database or a search thread (ADR 0021, gather-latency).
   */
  weight?(context: JobContext, data: Data): number;
  /** `signal` aborts when the worker stops: the job is handed back to pg-boss for its next try. */
  run(context: JobContext, data: Data, signal?: AbortSignal): Promise<void>;
}
