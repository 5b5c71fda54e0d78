import PgBoss from "pg-boss";
import type { Database, Db } from "#db/client";
import { queryIn } from "#db/statement";
import { auditCheckpointJob } from "../audit/checkpoints.server";
import { recordComplaintDeliveriesJob } from "../complaints/delivery.server";
import { gatherStoreJob } from "../gather/gather.server";
import { abandonedStoreJobsJob } from "../gather/abandoned-store-jobs.server";
import { unstartedGatheringsJob } from "../gather/unstarted-gatherings.server";
import { expireVerifications } from "./expire-verifications.server";
import type { JobContext, JobDefinition } from "./job";
import { startMailSenders } from "../mail/mail-jobs.server";
import type { MailSenderPool, SenderSettings } from "../mail/sender-pool.server";
import { sweepRateLimitHitsJob } from "../rate-limit.server";
import { expireUnprovenRequestsJob } from "../requests/expire-unproven.server";
import { retentionSweepJob } from "../retention/sweep.server";
import { carryOutJob, dueErasuresJob } from "../execution/carry-out.server";
import { deadlineReminderJob } from "../reminders/deadline-reminders.server";
import { answerArchiveJob, answerArchiveUpkeepJob } from "../delivery/stored-archive.server";
import { describeError, log } from "../log.server";
import { type WorkerRegistration, registerWorker } from "./takeover.server";
import { startConcurrentWorker } from "./concurrent-worker.server";
import { type QueueWatch, watchQueues } from "./queue-watch.server";

export const jobDefinitions: JobDefinition[] = [
  expireVerifications as JobDefinition,
  expireUnprovenRequestsJob,
  sweepRateLimitHitsJob,
  gatherStoreJob as JobDefinition,
  abandonedStoreJobsJob,
  unstartedGatheringsJob,
  recordComplaintDeliveriesJob,
  retentionSweepJob,
  deadlineReminderJob,
  carryOutJob as JobDefinition,
  dueErasuresJob,
  auditCheckpointJob,
  answerArchiveJob as JobDefinition,
  answerArchiveUpkeepJob,
];

export interface Jobs {
  boss: PgBoss;
  send<Data extends object>(queue: string, data: Data, options?: PgBoss.SendOptions): Promise<string | null>;
  /**
   * Queues a job in the caller's transaction: the job exists exactly when that transaction commits,
   * so work the database records as queued always has its job, and a rolled-back one never runs.
   * Call `wake` after the commit.
   */
  sendWithin<Data extends object>(tx: Db, queue: string, data: Data): Promise<string | null>;
  /** A job of `queue` was committed: this process's worker looks at once instead of at the next watch. */
  wake(queue: string): void;
  /** The outbox's senders, where this process runs the workers. */
  mailSenders: MailSenderPool | null;
  stop(): Promise<void>;
}

/**
 * How often the process asks, in one statement for all its queues, which hold a job ready to be
 * taken (queue-watch.server.ts): a job sent by another process, by the cron or a retry now due
 * waits at most this long for its worker, as it did when each worker polled every second.
 */
const WATCH_MS = 1000;
/**
 * How often a worker asks for its own queue besides: the watch and the wake-ups of this process's
 * sends find a job sooner; this only bounds the wait should a job escape them.
 */
const WORKER_POLLING_SECONDS = 60;

/** pg-boss's own default: a try still active after this long is taken for a dead worker's. */
const DEFAULT_EXPIRY_SECONDS = 15 * 60;

/** Earlier versions sent mail through these queues; the sender pool took their place. */
const RETIRED_SCHEDULES = ["mail-outbox-sweep"];

/**
 * pg-boss keeps its queues in the portal's database. On PostgreSQL it opens its own pool; PGlite
 * is a single in-process connection, so there it shares ours through a small adapter.
 */
export async function startJobs(
  database: Database,
  {
    context,
    runWorkers,
    definitions = jobDefinitions,
    mailSenders,
    polling = { watchMs: WATCH_MS, workerSeconds: WORKER_POLLING_SECONDS },
  }: {
    /** Everything a job may use but the queueing, which is made here. */
    context: Omit<JobContext, "jobs">;
    runWorkers: boolean;
    definitions?: JobDefinition[];
    mailSenders?: SenderSettings;
    /** For tests: the watch's interval and the workers' own. */
    polling?: { watchMs: number; workerSeconds: number };
  },
): Promise<Jobs> {
  const databaseUrl = context.config.databaseUrl;
  const boss = databaseUrl
    ? new PgBoss({ connectionString: databaseUrl, max: 4, application_name: "rechteportal-jobs" })
    : new PgBoss({ db: pgliteAdapter(database) });
  // pg-boss reports failed polls as events; without a listener Node would crash the process.
  boss.on("error", (error) => log.error({ error: describeError(error) }, "jobs: pg-boss error"));
  await boss.start();
  // Its cron would otherwise keep queueing runs that no worker takes.
  for (const name of RETIRED_SCHEDULES) await boss.unschedule(name);
  // Before any work is taken: what a killed predecessor left is handed back first.
  let registration: WorkerRegistration | null = null;
  if (runWorkers) {
    registration = await registerWorker(database, boss, databaseUrl);
    await registration.takeOver();
  }
  // Each worker's wake-up, by queue: a send from this process and the watch call it.
  const wakers = new Map<string, () => void>();
  const queueing: NonNullable<JobContext["jobs"]> = {
    sendWithin(tx, queue, data) {
      const executeSql = async (text: string, values: unknown[] = []) => ({
        // The job's data as JSON text: drizzle's postgres.js client passes json values through
        // unserialised (drizzle's columns serialise them), and PGlite takes JSON text as it is.
        rows: await queryIn(
          tx,
          text,
          values.map((value) => (isPlainObject(value) ? JSON.stringify(value) : value)),
        ),
      });
      return boss.send(queue, data, { db: { executeSql } });
    },
    wake(queue) {
      wakers.get(queue)?.();
    },
  };
  const jobContext: JobContext = { ...context, jobs: queueing };
  const stopWorkers: (() => Promise<void>)[] = [];
  for (const definition of definitions) {
    const options = {
      name: definition.queue,
      retryLimit: definition.retryLimit ?? 2,
      retryDelay: 5,
      expireInSeconds: definition.expireInSeconds ?? DEFAULT_EXPIRY_SECONDS,
    };
    // createQueue leaves a queue that exists as it was made: the update makes an older
    // installation's queue follow the code (a new lease, a new retry limit).
    await boss.createQueue(definition.queue, options);
    await boss.updateQueue(definition.queue, options);
    if (definition.schedule)
      await boss.schedule(definition.queue, definition.schedule, {}, { tz: "Europe/Berlin" });
    if (runWorkers && definition.concurrency) {
      const worker = startConcurrentWorker(boss, definition, jobContext, {
        limit: definition.concurrency(jobContext),
        pollMs: polling.workerSeconds * 1000,
        leaseSeconds: options.expireInSeconds,
      });
      wakers.set(definition.queue, worker.wake);
      stopWorkers.push(worker.stop);
    } else if (runWorkers) {
      const workerId = await boss.work<object>(
        definition.queue,
        { pollingIntervalSeconds: polling.workerSeconds },
        async (jobs) => {
          for (const job of jobs) {
            const started = Date.now();
            try {
              await definition.run(jobContext, job.data);
            } catch (error) {
              // pg-boss retries it; the log says which job and why, by id and error kind.
              log.error(
                { queue: definition.queue, jobId: job.id, error: describeError(error) },
                "jobs: failed",
              );
              throw error;
            }
            log.info({ queue: definition.queue, jobId: job.id, ms: Date.now() - started }, "jobs: done");
          }
        },
      );
      wakers.set(definition.queue, () => boss.notifyWorker(workerId));
    }
  }
  const watch: QueueWatch | null = runWorkers ? watchQueues(database.sql, wakers, polling.watchMs) : null;
  const senders = runWorkers ? startMailSenders(context, mailSenders) : null;
  return {
    boss,
    async send(queue, data, options = {}) {
      const id = await boss.send(queue, data, options);
      wakers.get(queue)?.();
      return id;
    },
    ...queueing,
    mailSenders: senders,
    async stop() {
      await senders?.stop();
      await watch?.stop();
      await Promise.all(stopWorkers.map((stop) => stop()));
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await registration?.stop();
    },
  };
}

function isPlainObject(value: unknown): value is object {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}

function pgliteAdapter({ sql }: Database): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      // pg-boss sends its schema scripts as several statements without parameters.
      const rows = values && values.length > 0 ? await sql.query(text, values) : await sql.exec(text);
      return { rows };
    },
  };
}
