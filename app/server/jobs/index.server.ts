import PgBoss from "pg-boss";
import type { Database, Db } from "#db/client";
import { queryIn } from "#db/statement";
import { auditCheckpointJob } from "../audit/checkpoints.server";
import { recordComplaintDeliveriesJob } from "../complaints/delivery.server";
import { gatherStoreJob } from "../gather/gather.server";
import { abandonedStoreJobsJob } from "../gather/abandoned-store-jobs.server";
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
import { type ConcurrentWorker, startConcurrentWorker } from "./concurrent-worker.server";

export const jobDefinitions: JobDefinition[] = [
  expireVerifications as JobDefinition,
  expireUnprovenRequestsJob,
  sweepRateLimitHitsJob,
  gatherStoreJob as JobDefinition,
  abandonedStoreJobsJob,
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
  /** A job of `queue` was committed: this process's worker looks at once instead of at its next poll. */
  wake(queue: string): void;
  /** The outbox's senders, where this process runs the workers. */
  mailSenders: MailSenderPool | null;
  stop(): Promise<void>;
}

/** How often an idle worker asks pg-boss for new jobs. */
const POLLING_INTERVAL_SECONDS = 1;

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
  }: {
    context: JobContext;
    runWorkers: boolean;
    definitions?: JobDefinition[];
    mailSenders?: SenderSettings;
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
  const concurrent = new Map<string, ConcurrentWorker>();
  for (const definition of definitions) {
    await boss.createQueue(definition.queue, {
      name: definition.queue,
      retryLimit: definition.retryLimit ?? 2,
      retryDelay: 5,
    });
    if (definition.schedule)
      await boss.schedule(definition.queue, definition.schedule, {}, { tz: "Europe/Berlin" });
    if (runWorkers && definition.concurrency) {
      concurrent.set(
        definition.queue,
        startConcurrentWorker(boss, definition, context, {
          limit: definition.concurrency(context),
          pollMs: POLLING_INTERVAL_SECONDS * 1000,
        }),
      );
    } else if (runWorkers) {
      await boss.work<object>(
        definition.queue,
        { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS },
        async (jobs) => {
          for (const job of jobs) {
            const started = Date.now();
            try {
              await definition.run(context, job.data);
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
    }
  }
  const senders = runWorkers ? startMailSenders(context, mailSenders) : null;
  return {
    boss,
    async send(queue, data, options = {}) {
      const id = await boss.send(queue, data, options);
      concurrent.get(queue)?.wake();
      return id;
    },
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
      concurrent.get(queue)?.wake();
    },
    mailSenders: senders,
    async stop() {
      await senders?.stop();
      await Promise.all([...concurrent.values()].map((worker) => worker.stop()));
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
