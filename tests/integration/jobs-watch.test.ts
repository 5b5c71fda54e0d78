/**
 * The workers' own polling is rare (once a minute); what finds a job is a wake-up from the send in
 * this process, or the process's one look a second for all its queues (queue-watch.server.ts,
 * ADR 0021 "One look for every queue"). Pinned here: a job sent in this process starts at once for
 * a plain and a concurrent queue alike, one sent by another pg-boss (another process) within the
 * watch's interval, and idle queues are not fetched every second each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "#db/client";
import { startJobs } from "#app/server/jobs/index.server";
import type { JobContext, JobDefinition } from "#app/server/jobs/job";
import { createTestDatabase } from "../support/database";
import { storelessJobContext } from "../support/services";
import { until } from "../support/until";

let database: Database;
let context: JobContext;
const dataDir = mkdtempSync(path.join(tmpdir(), "rp-jobs-watch-"));
const noMail = { concurrency: 1, ratePerSecond: 1, pollMs: 60_000, retryBaseMs: 1_000 };

beforeAll(async () => {
  database = await createTestDatabase();
  context = await storelessJobContext(database, dataDir);
});

afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A queue whose jobs note when they ran; `concurrent` gives it the concurrent worker. */
function probe(queue: string, concurrent = false) {
  const ranAt: number[] = [];
  const definition: JobDefinition = {
    queue,
    ...(concurrent ? { concurrency: () => 4 } : {}),
    async run() {
      ranAt.push(Date.now());
    },
  };
  return { definition, ranAt };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

it("starts a job sent in this process at once, though neither the watch nor the worker looks for a minute", async () => {
  const plain = probe("watch-plain-here");
  const concurrent = probe("watch-concurrent-here", true);
  const jobs = await startJobs(database, {
    context,
    runWorkers: true,
    definitions: [plain.definition, concurrent.definition],
    mailSenders: noMail,
    polling: { watchMs: 60_000, workerSeconds: 60 },
  });
  try {
    // The workers' first look (at their start) is over: they wait now.
    await settle();
    for (const { definition, ranAt } of [plain, concurrent]) {
      const sent = Date.now();
      await jobs.send(definition.queue, {});
      // At once: milliseconds when the machine is idle; the bound leaves room for a busy CI machine
      // and is still far inside the minute the worker and the watch wait.
      await until(`${definition.queue} run`, () => ranAt.length === 1, { ms: 5_000, everyMs: 10 });
      expect(ranAt[0]! - sent).toBeLessThan(5_000);
    }
  } finally {
    await jobs.stop();
  }
}, 30_000);

it("takes a job another process sent within seconds through the watch's look, though the workers poll once a minute", async () => {
  const plain = probe("watch-plain-elsewhere");
  const concurrent = probe("watch-concurrent-elsewhere", true);
  const definitions = [plain.definition, concurrent.definition];
  const worker = await startJobs(database, {
    context,
    runWorkers: true,
    definitions,
    mailSenders: noMail,
    polling: { watchMs: 200, workerSeconds: 60 },
  });
  // Another process: its own pg-boss, which runs no workers and so wakes none of this one's.
  const elsewhere = await startJobs(database, { context, runWorkers: false, definitions });
  try {
    await settle();
    for (const { definition, ranAt } of [plain, concurrent]) {
      await elsewhere.send(definition.queue, {});
      // The watch looks every 200 ms here; the workers alone would wait a minute.
      await until(`${definition.queue} run`, () => ranAt.length === 1, { ms: 5_000, everyMs: 10 });
    }
  } finally {
    await elsewhere.stop();
    await worker.stop();
  }
}, 30_000);

it("does not fetch idle queues every second each", async () => {
  const probes = Array.from({ length: 10 }, (_, i) => probe(`watch-idle-${i}`, i === 0));
  const queues = new Set(probes.map((p) => p.definition.queue));
  const jobs = await startJobs(database, {
    context,
    runWorkers: true,
    definitions: probes.map((p) => p.definition),
    mailSenders: noMail,
  });
  // pg-boss's own connection (PostgreSQL) or its adapter over ours (PGlite): its fetches pass here.
  const db = jobs.boss.getDb() as PgBoss.Db;
  const executeSql = db.executeSql.bind(db);
  let fetches = 0;
  db.executeSql = (text: string, values: unknown[] = []) => {
    if (text.includes("SKIP LOCKED") && queues.has(values[0] as string)) fetches++;
    return executeSql(text, values);
  };
  try {
    await settle();
    fetches = 0;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Polling every second, ten queues asked 30 times in these three seconds.
    expect(fetches).toBe(0);
    // And the watch still finds what is sent behind the workers' back (another process's send).
    await jobs.boss.send(probes[3]!.definition.queue, {});
    await until("the job sent behind the worker's back run", () => probes[3]!.ranAt.length === 1, {
      ms: 5_000,
      everyMs: 10,
    });
  } finally {
    db.executeSql = executeSql;
    await jobs.stop();
  }
}, 30_000);
