/**
 * Work a worker left behind when it died (kill -9, a crash, power loss): pg-boss jobs still
 * "active" and mails still "sending". Without this, pg-boss would give such a job back only after
 * its expiry (15 minutes) and the outbox a mail only after its stale claim (10 minutes); the case
 * would stand still meanwhile. Here it is taken over as soon as it is certain that its worker is
 * gone: it was claimed before the oldest running worker started.
 *
 * - PGlite: the process that owns the data folder is the only worker there can be (db/client.ts
 *   locks the folder), so everything claimed before it started belongs to a dead process.
 * - PostgreSQL: every process that runs workers holds, for its whole life, a shared advisory lock
 *   whose key is its start second (database time). PostgreSQL drops the lock the moment the
 *   process's connection ends, so pg_locks lists exactly the running workers and when they
 *   started. A worker that dies while an older one keeps running leaves work claimed after that
 *   one started; it is taken over at the normal expiry (or when the older one restarts).
 *
 * Taking over never does anything twice by itself: a job runs again, and the jobs are written to
 * be run again (gathering inserts findings by key, erasure reads the store before and after, a mail
 * is claimed by one conditional update). A mail the mail server had accepted just before the kill,
 * without the portal hearing its answer, is sent again: twice is better than never.
 */
import postgres from "postgres";
import type PgBoss from "pg-boss";
import type { Database } from "#db/client";
import { describeError, log } from "../log.server";

/** Advisory lock class of the worker registry ("RPJB"); the second key is the start second. */
const WORKER_LOCK_CLASS = 0x52504a42;
/** Start seconds count from here so that they fit PostgreSQL's int4 keys for decades. */
const EPOCH_SECONDS = Date.UTC(2025, 0, 1) / 1000;
/** How often a running worker looks for the work of dead ones and renews its registration. */
const SWEEP_INTERVAL_MS = 15_000;

export interface WorkerRegistration {
  /** This worker's start, as database time in seconds since EPOCH_SECONDS. */
  startSecond: number;
  /** Takes over what dead workers left; returns how many jobs and mails. */
  takeOver(): Promise<{ jobs: number; mails: number }>;
  stop(): Promise<void>;
}

/**
 * Registers this process as a worker and takes over what dead workers left, now and every few
 * seconds (on PostgreSQL another worker may die while this one runs).
 */
export async function registerWorker(
  database: Database,
  boss: PgBoss,
  databaseUrl: string | undefined,
): Promise<WorkerRegistration> {
  const [row] = await database.sql.query<{ s: number }>(
    `select floor(extract(epoch from now()) - ${EPOCH_SECONDS})::int as s`,
  );
  const startSecond = Number(row!.s);
  const liveness = databaseUrl ? await holdWorkerLock(databaseUrl, startSecond) : null;

  async function takeOver() {
    const oldest = liveness ? await liveness.oldestRunning() : startSecond;
    const before = new Date((EPOCH_SECONDS + oldest) * 1000);
    const jobs = await failOrphanedJobs(database, boss, before);
    const mails = await releaseOrphanedMails(database, before);
    if (jobs + mails > 0) log.warn({ jobs, mails }, "jobs: work of a stopped worker taken over");
    return { jobs, mails };
  }

  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = (async () => {
      try {
        await liveness?.renew();
        await takeOver();
      } catch (error) {
        log.error({ error: describeError(error) }, "jobs: looking for the work of stopped workers failed");
      }
    })();
  }, SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    startSecond,
    takeOver,
    async stop() {
      clearInterval(timer);
      await running;
      await liveness?.release();
    },
  };
}

/**
 * The worker's own connection, only for its lock: a pooled one could be handed back and closed.
 * When the database was away the connection is new and the lock gone, so it is taken again.
 */
async function holdWorkerLock(databaseUrl: string, startSecond: number) {
  const connection = postgres(databaseUrl, {
    max: 1,
    connect_timeout: 10,
    idle_timeout: 0,
    onnotice: () => {},
    connection: { application_name: "rechteportal-worker-lock" },
  });
  const lock = () =>
    connection`select pg_advisory_lock_shared(${WORKER_LOCK_CLASS}::int, ${startSecond}::int)`;
  try {
    await lock();
  } catch (error) {
    await connection.end({ timeout: 1 });
    throw error;
  }
  return {
    async renew() {
      const [held] = await connection`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and pid = pg_backend_pid() and classid = ${WORKER_LOCK_CLASS}::int::oid and objid = ${startSecond}::int::oid and objsubid = 2`;
      if (Number(held?.n ?? 0) === 0) await lock();
    },
    /** The start second of the oldest worker holding its lock in this database (this one included). */
    async oldestRunning(): Promise<number> {
      const [oldest] = await connection`
        select min(objid::bigint)::int as s from pg_locks
        where locktype = 'advisory' and granted and classid = ${WORKER_LOCK_CLASS}::int::oid and objsubid = 2
          and database = (select oid from pg_database where datname = current_database())`;
      // Without a lock of its own (the database was just away) nobody's work is judged dead.
      return oldest?.s === null || oldest?.s === undefined ? -1 : Math.min(Number(oldest.s), startSecond);
    },
    release: () => connection.end({ timeout: 5 }),
  };
}

/**
 * pg-boss jobs still "active" that were started before `before`: failed with a reason, which
 * hands them back for their next try (after the queue's retry delay) as a failure would.
 */
async function failOrphanedJobs(database: Database, boss: PgBoss, before: Date): Promise<number> {
  const rows = await database.sql.query<{ id: string; name: string }>(
    "select id, name from pgboss.job where state = 'active' and started_on < $1",
    [before.toISOString()],
  );
  for (const { id, name } of rows) await boss.fail(name, id, { reason: "its worker stopped" });
  return rows.length;
}

/** Mails claimed ("sending") before `before`: pending again, for the senders to claim anew. */
async function releaseOrphanedMails(database: Database, before: Date): Promise<number> {
  const rows = await database.sql.query(
    "update mail_outbox set status = 'pending', sent_at = null where status = 'sending' and sent_at < $1 returning id",
    [before.toISOString()],
  );
  return rows.length;
}
