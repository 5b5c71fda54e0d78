/**
 * pg-boss takes a job still active after its expiry for a dead worker's and hands it to the next
 * try. A store's search at a data centre's size takes hours (ADR 0023), so for the concurrent
 * worker the expiry is a lease the running try renews (concurrent-worker.server.ts): a live job is
 * never handed on beside itself, and one that no worker renews any more is handed on one lease
 * later. The queue's lease follows the code also where the queue was made by an older version.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "#db/client";
import { startJobs } from "#app/server/jobs/index.server";
import type { JobContext, JobDefinition } from "#app/server/jobs/job";
import { createTestDatabase } from "../support/database";
import { storelessJobContext } from "../support/services";
import { until } from "../support/until";

let database: Database;
let context: JobContext;
const dataDir = mkdtempSync(path.join(tmpdir(), "rp-jobs-lease-"));
const noMail = { concurrency: 1, ratePerSecond: 1, pollMs: 60_000, retryBaseMs: 1_000 };
const polling = { watchMs: 60_000, workerSeconds: 60 };
const LEASE_SECONDS = 3;

beforeAll(async () => {
  database = await createTestDatabase();
  context = await storelessJobContext(database, dataDir);
});

afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function stateOf(id: string): Promise<string | undefined> {
  const [row] = await database.sql.query<{ state: string }>("select state from pgboss.job where id = $1", [
    id,
  ]);
  return row?.state;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("keeps a job that runs for several leases with its one try, and completes it", async () => {
  let tries = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const definition: JobDefinition = {
    queue: "lease-long-search",
    concurrency: () => 2,
    expireInSeconds: LEASE_SECONDS,
    async run() {
      tries++;
      await released;
    },
  };
  const jobs = await startJobs(database, {
    context,
    runWorkers: true,
    definitions: [definition],
    mailSenders: noMail,
    polling,
  });
  try {
    const id = (await jobs.send(definition.queue, {}))!;
    await until("the job runs", () => tries === 1, { ms: 5_000, everyMs: 10 });
    // Past its first lease, when pg-boss's maintenance looks for expired tries.
    await pause((LEASE_SECONDS + 1.5) * 1000);
    await jobs.boss.maintain();
    expect(await stateOf(id)).toBe("active");
    await pause(LEASE_SECONDS * 1000);
    await jobs.boss.maintain();
    expect(await stateOf(id)).toBe("active");
    // No second try was handed out beside it (the worker has a free place and looks when woken).
    jobs.wake(definition.queue);
    await pause(300);
    expect(tries).toBe(1);
    release();
    await until("the job completes", async () => (await stateOf(id)) === "completed", {
      ms: 5_000,
      everyMs: 50,
    });
  } finally {
    release();
    await jobs.stop();
  }
}, 30_000);

it("hands on a try that nobody renews one lease later, with the lease of the code on a queue an older version made", async () => {
  const queue = "lease-dead-try";
  const older: JobDefinition = { queue, concurrency: () => 1, async run() {} };
  // The queue as an older version made it: with pg-boss's default expiry of 15 minutes.
  const before = await startJobs(database, {
    context,
    runWorkers: false,
    definitions: [older],
    mailSenders: noMail,
    polling,
  });
  await before.stop();
  const jobs = await startJobs(database, {
    context,
    runWorkers: false,
    definitions: [{ ...older, expireInSeconds: LEASE_SECONDS }],
    mailSenders: noMail,
    polling,
  });
  try {
    const [queueRow] = await database.sql.query<{ expire: number }>(
      "select expire_seconds as expire from pgboss.queue where name = $1",
      [queue],
    );
    expect(queueRow?.expire).toBe(LEASE_SECONDS);
    const id = (await jobs.send(queue, {}))!;
    // Taken by a worker that then died: nobody renews its lease.
    const [taken] = await jobs.boss.fetch(queue);
    expect(taken?.id).toBe(id);
    await jobs.boss.maintain();
    expect(await stateOf(id)).toBe("active");
    await pause((LEASE_SECONDS + 1) * 1000);
    await jobs.boss.maintain();
    expect(await stateOf(id)).toBe("retry");
  } finally {
    await jobs.stop();
  }
}, 30_000);
