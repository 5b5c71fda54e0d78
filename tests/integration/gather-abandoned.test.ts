/**
 * A store whose worker is stopped or killed on every try, until pg-boss gives up on its job (the
 * last retry failed, or the job expired in its last try), is failed with the reason, never left
 * "running" (ADR 0005). A job still retrying or running leaves the store running; a store retried
 * by staff afterwards is searched to its end. Real pg-boss on the test database (PGlite and
 * PostgreSQL); the dying worker takes the job as a worker does and is failed as the takeover
 * (jobs/takeover.server.ts) and a stopping worker fail it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, gatherStoreJobs } from "#db/schema";
import { failAbandonedStoreJobs } from "#app/server/gather/abandoned-store-jobs.server";
import { givenUpOf, givenUpReason } from "#app/core/store-given-up";
import {
  gatherProgress,
  gatherStoreJob,
  retryStore,
  runStoreJob,
  startGather,
} from "#app/server/gather/gather.server";
import { incompleteStores } from "#app/server/review/search-complete.server";
import type { Services } from "#app/server/services.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { receivedAccessRequest } from "../support/cases";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-gather-abandoned-"));
let services: Services;
let close: () => Promise<void>;
let person: AnswerKeyPerson;
const WEB = SAMPLE_STORES.web.id;
const QUEUE = gatherStoreJob.queue;

beforeAll(async () => {
  const sample = await cachedSample({ people: 40, days: 20, seed: "gather", out: sampleDir });
  person = sample.answerKey.persons.find((p) => p.records.some((r) => r.store === WEB))!;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
}, 120_000);

afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

const boss = () => services.jobs.boss;

/** A received case with its gathering started through the real queue; the web logs' row. */
async function webStoreOfNewCase(): Promise<{ id: string; requestId: string }> {
  const requestId = await receivedAccessRequest(services.db, person.identifiers);
  const runId = await startGather(services, requestId, null);
  const [row] = await services.db
    .select({ id: gatherStoreJobs.id })
    .from(gatherStoreJobs)
    .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, WEB)));
  return { id: row!.id, requestId };
}

const storeRow = async (id: string) =>
  (await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.id, id)))[0]!;

/** The store's newest pg-boss job. */
async function bossJob(storeJobId: string) {
  const [job] = await services.sql.query<{ id: string; state: string; retry_count: number }>(
    `select id, state, retry_count from pgboss.job where name = $1 and data->>'storeJobId' = $2 order by created_on desc limit 1`,
    [QUEUE, storeJobId],
  );
  return job!;
}

/** Takes the store's job as a worker does (its retry delay cut short); returns the job's id. */
async function take(storeJobId: string): Promise<string> {
  // pg-boss takes jobs due strictly before now(); PGlite's clock may stand still within a millisecond.
  await services.sql.query(
    `update pgboss.job set start_after = now() - interval '1 second' where name = $1 and data->>'storeJobId' = $2 and state in ('created', 'retry')`,
    [QUEUE, storeJobId],
  );
  const jobs = await boss().fetch<{ storeJobId: string }>(QUEUE, { batchSize: 100 });
  const job = jobs.find((j) => j.data.storeJobId === storeJobId);
  // Others' jobs go back untouched by this worker.
  for (const other of jobs.filter((j) => j !== job))
    await boss().fail(QUEUE, other.id, { reason: "not this test's" });
  expect(job).toBeTruthy();
  return job!.id;
}

/** Takes the store's job as a worker does and starts the search, which its worker stops. */
async function takeAndStart(storeJobId: string): Promise<string> {
  const id = await take(storeJobId);
  // The worker is stopped mid-search: the search ends by its signal and the store stays running.
  const stopped = new AbortController();
  stopped.abort(new Error("the worker stops"));
  await expect(runStoreJob(services, storeJobId, stopped.signal)).rejects.toThrow();
  expect((await storeRow(storeJobId)).status).toBe("running");
  return id;
}

/** One try whose worker died: the takeover (or the stopping worker) fails the job. */
async function dieOnce(storeJobId: string): Promise<void> {
  const id = await takeAndStart(storeJobId);
  await boss().fail(QUEUE, id, { reason: "its worker stopped" });
}

it("fails the store with the reason once pg-boss gave up on a job whose worker died on every try", async () => {
  const store = await webStoreOfNewCase();
  const tries = (gatherStoreJob.retryLimit ?? 0) + 1;
  for (let i = 1; i < tries; i++) {
    await dieOnce(store.id);
    // Still retrying: the store is left running.
    expect((await bossJob(store.id)).state).toBe("retry");
    expect(await failAbandonedStoreJobs(services)).toBe(0);
    expect((await storeRow(store.id)).status).toBe("running");
  }
  // The last try is taken and running: left alone too.
  const last = await takeAndStart(store.id);
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  expect((await storeRow(store.id)).status).toBe("running");
  await boss().fail(QUEUE, last, { reason: "its worker stopped" });
  expect((await bossJob(store.id)).state).toBe("failed");

  expect(await failAbandonedStoreJobs(services)).toBe(1);
  const row = await storeRow(store.id);
  const cutOff = { how: "cut-off", tries } as const;
  expect(row).toMatchObject({ status: "failed", error: givenUpReason(cutOff), attempts: tries });
  expect(givenUpOf(row.error)).toEqual(cutOff);
  // The gathering table says so, in the reader's language (staff.case.givenUp).
  const shown = async () =>
    (await gatherProgress(services.db, store.requestId))!.stores.find((s) => s.store === WEB)!;
  expect(await shown()).toMatchObject({ status: "failed", givenUp: cutOff });
  // No answer without the search: the review sees the store as failed, never as searched.
  expect(await incompleteStores(services.db, row.runId)).toContainEqual(
    expect.objectContaining({ store: WEB, status: "failed" }),
  );
  const audit = await services.db
    .select({ data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, store.requestId), eq(auditEvents.action, "gather.store-failed")));
  expect(audit.map((a) => a.data)).toEqual([
    expect.objectContaining({ store: WEB, reason: "cut-off", tries }),
  ]);
  // Once is enough.
  expect(await failAbandonedStoreJobs(services)).toBe(0);

  // Staff retry it: a fresh job; the old one, given up, does not fail the store again.
  expect(await retryStore(services, store.requestId, store.id, (await staffId())!)).toBe(true);
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  expect((await storeRow(store.id)).status).toBe("queued");
  // Its first try dies, the job is retrying: still running.
  await dieOnce(store.id);
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  expect((await storeRow(store.id)).status).toBe("running");
  // The next try searches the store to its end.
  await services.sql.query(
    `update pgboss.job set start_after = now() - interval '1 second' where name = $1 and state = 'retry'`,
    [QUEUE],
  );
  const jobs = await boss().fetch<{ storeJobId: string }>(QUEUE, { batchSize: 100 });
  const job = jobs.find((j) => j.data.storeJobId === store.id)!;
  await runStoreJob(services, store.id);
  await boss().complete(QUEUE, job.id);
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  const done = await storeRow(store.id);
  expect(done).toMatchObject({ status: "done", error: null });
  expect(done.findings).toBeGreaterThan(0);
  expect((await shown()).givenUp).toBeNull();
}, 60_000);

it("fails the store when its job expired in its last try (pg-boss's maintenance, our handler never ran to its end)", async () => {
  const store = await webStoreOfNewCase();
  // One try left: the tries before it died as above.
  await services.sql.query(
    `update pgboss.job set retry_count = retry_limit - 1 where name = $1 and data->>'storeJobId' = $2`,
    [QUEUE, store.id],
  );
  await dieOnce(store.id);
  await takeAndStart(store.id);
  // Its worker hangs beyond the job's expiry; pg-boss's maintenance fails it.
  await services.sql.query(
    `update pgboss.job set started_on = now() - interval '1 hour' where name = $1 and data->>'storeJobId' = $2 and state = 'active'`,
    [QUEUE, store.id],
  );
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  await (boss() as unknown as { expire(): Promise<void> }).expire();
  expect((await bossJob(store.id)).state).toBe("failed");
  expect(await failAbandonedStoreJobs(services)).toBe(1);
  expect(await storeRow(store.id)).toMatchObject({
    status: "failed",
    error: givenUpReason({ how: "cut-off", tries: 4 }),
  });
}, 60_000);

it("fails a queued store whose job failed on every try before the search began", async () => {
  const store = await webStoreOfNewCase();
  const tries = (gatherStoreJob.retryLimit ?? 0) + 1;
  for (let i = 1; i <= tries; i++) {
    // Still retrying, or taken: the store is left waiting.
    expect(await failAbandonedStoreJobs(services)).toBe(0);
    expect((await storeRow(store.id)).status).toBe("queued");
    // A worker takes the job and its handler throws before it marks the store running (the
    // database unreachable, say): pg-boss counts the try.
    const id = await take(store.id);
    expect(await failAbandonedStoreJobs(services)).toBe(0);
    await boss().fail(QUEUE, id, { reason: "connection refused" });
  }
  expect((await bossJob(store.id)).state).toBe("failed");
  expect(await failAbandonedStoreJobs(services)).toBe(1);
  const notStarted = { how: "not-started", tries } as const;
  expect(await storeRow(store.id)).toMatchObject({ status: "failed", error: givenUpReason(notStarted) });
  expect(
    (await gatherProgress(services.db, store.requestId))!.stores.find((s) => s.store === WEB)!.givenUp,
  ).toEqual(notStarted);
  const audit = await services.db
    .select({ data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, store.requestId), eq(auditEvents.action, "gather.store-failed")));
  expect(audit.map((a) => a.data)).toEqual([
    expect.objectContaining({ store: WEB, reason: "not-started", tries }),
  ]);
  expect(await failAbandonedStoreJobs(services)).toBe(0);

  // Retried by staff, the store waits for its fresh job, which the old failure does not touch.
  expect(await retryStore(services, store.requestId, store.id, (await staffId("queued"))!)).toBe(true);
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  expect((await storeRow(store.id)).status).toBe("queued");
}, 60_000);

it("fails a queued store whose job no worker took before pg-boss archived it", async () => {
  const store = await webStoreOfNewCase();
  // The workers were down past the job's keep_until: pg-boss's maintenance archives it unstarted.
  await services.sql.query(
    `update pgboss.job set keep_until = now() - interval '1 second' where name = $1 and data->>'storeJobId' = $2`,
    [QUEUE, store.id],
  );
  expect(await failAbandonedStoreJobs(services)).toBe(0);
  await (boss() as unknown as { archive(): Promise<void> }).archive();
  expect(await failAbandonedStoreJobs(services)).toBe(1);
  expect(await storeRow(store.id)).toMatchObject({
    status: "failed",
    error: givenUpReason({ how: "not-started", tries: 0 }),
  });
}, 60_000);

async function staffId(name = "abandoned"): Promise<string | undefined> {
  const [row] = await services.sql.query<{ id: string }>(
    "insert into staff_users (user_name, display_name, email, password_hash) values ($1, 'A', $2, 'x') returning id",
    [name, `${name}@example.org`],
  );
  return row?.id;
}
