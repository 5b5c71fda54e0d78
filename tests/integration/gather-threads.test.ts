/**
 * The file stores' searches run on worker threads (ADR 0021): two stores of one case are searched
 * on two threads, neither the test's own, so a case takes about its slowest store's time and not
 * the sum; searches of one store at the same moment stay on one thread (one pass); a store whose
 * last search took long keeps a thread for itself while the short ones share another; and a thread
 * that ends mid-search leaves the store's job for its next try, and after the last try failed —
 * never "done" with the store unsearched; after a staff retry it is given as many tries again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findings, gatherStoreJobs, requestIdentifiers, requests } from "#db/schema";
import { gatherStoreJob, retryStore, runStoreJob, startGather } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import type { Finding } from "#app/sources/connector";
import { type AnswerKeyPerson, subjectFromKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { createRegistry } from "#app/sources/registry.server";
import { SearchThreadLost, SearchThreads } from "#app/sources/search-threads.server";
import { identifierRows } from "../support/cases";
import { queuedByHand } from "../support/jobs";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";
import { until } from "../support/until";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-gather-threads-"));
let services: Services;
let close: () => Promise<void>;
let threads: SearchThreads;
let person: AnswerKeyPerson;
const WEB = SAMPLE_STORES.web.id;
const MAIL = SAMPLE_STORES.poststelle.id;

beforeAll(async () => {
  const sample = await cachedSample({ people: 40, days: 20, seed: "gather", out: sampleDir });
  const storesOf = (p: AnswerKeyPerson) => new Set(p.records.map((r) => r.store));
  person = sample.answerKey.persons.find(
    (p) => storesOf(p).has(WEB) && storesOf(p).has(MAIL) && storesOf(p).has(SAMPLE_STORES.login.id),
  )!;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir, GATHER_SEARCH_THREADS: "2" }));
  threads = services.sources.searchThreads!;
}, 120_000);

afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

it("searches two stores on two threads, neither the caller's, and one store's searches on one", async () => {
  const subject = subjectFromKey(person);
  const search = (store: string) =>
    services.sources.connectors.get(store)!.find(subject)[Symbol.asyncIterator]();
  const web = search(WEB);
  const mail = search(MAIL);
  const webAgain = search(WEB);
  try {
    // Each holds its first finding and has not ended: all three searches are running.
    const firsts = await Promise.all([web.next(), mail.next(), webAgain.next()]);
    expect(firsts.map((f) => (f.value as Finding).store)).toEqual([WEB, MAIL, WEB]);
    const where = threads.describe();
    const webThread = where.find((t) => t.stores.includes(WEB))!;
    const mailThread = where.find((t) => t.stores.includes(MAIL))!;
    expect(webThread.stores).toEqual([WEB]);
    expect(mailThread.stores).toEqual([MAIL]);
    expect(webThread.threadId).not.toBe(mailThread.threadId);
    expect([webThread.threadId, mailThread.threadId]).not.toContain(threadId);
  } finally {
    await Promise.all([web.return?.(), mail.return?.(), webAgain.return?.()]);
  }
  // Left early, they are gone from their threads.
  expect(threads.describe().flatMap((t) => t.stores)).toEqual([]);
});

it("keeps a thread for the store whose last search took long, the short ones sharing the other", async () => {
  const LOGIN = SAMPLE_STORES.login.id;
  const subject = subjectFromKey(person);
  // As if the last searches had taken so long: the web logs ten seconds, the others a tenth.
  const last = threads.lastSearchSeconds;
  const before = new Map(last);
  last.set(WEB, 10).set(MAIL, 0.1).set(LOGIN, 0.1);
  const search = (store: string) =>
    services.sources.connectors.get(store)!.find(subject)[Symbol.asyncIterator]();
  const web = search(WEB);
  const mail = search(MAIL);
  const login = search(LOGIN);
  try {
    const firsts = await Promise.all([web.next(), mail.next(), login.next()]);
    expect(firsts.map((f) => (f.value as Finding).store)).toEqual([WEB, MAIL, LOGIN]);
    const where = threads.describe();
    expect(where.find((t) => t.stores.includes(WEB))!.stores).toEqual([WEB]);
    expect(where.find((t) => t.stores.includes(MAIL))!.stores.sort()).toEqual([LOGIN, MAIL].sort());
  } finally {
    await Promise.all([web.return?.(), mail.return?.(), login.return?.()]);
    last.clear();
    for (const [store, seconds] of before) last.set(store, seconds);
  }
});

async function webJobOfNewCase(): Promise<{ id: string; runId: string; requestId: string }> {
  const [request] = await services.database.db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: person.identifiers.emails[0] ?? "threads@example.org",
      provenAt: new Date(),
      receivedAt: new Date(),
    })
    .returning({ id: requests.id });
  await services.database.db
    .insert(requestIdentifiers)
    .values(identifierRows(request!.id, person.identifiers, { provenAt: new Date(), proven: ["email"] }));
  const runId = await startGather({ ...services, jobs: queuedByHand() }, request!.id, null);
  const [job] = await services.database.db
    .select({ id: gatherStoreJobs.id })
    .from(gatherStoreJobs)
    .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, WEB)));
  return { id: job!.id, runId, requestId: request!.id };
}

/**
 * Runs the job on threads of its own and ends its search's thread as soon as the search is handed
 * to it: a new thread is still starting then (reading its modules), so the search cannot have ended.
 */
async function runWithThreadCrash(jobId: string): Promise<unknown> {
  const own = new SearchThreads(1);
  const sources = createRegistry(services.config.sources, {
    dataDir: services.config.sourcesDir,
    searchThreads: own,
  });
  try {
    const running = runStoreJob({ db: services.db, sources }, jobId).then(
      () => null,
      (error: unknown) => error,
    );
    await until(
      "the web logs' search is on a thread",
      () => own.describe().some((t) => t.stores.includes(WEB)),
      {
        everyMs: 1,
      },
    );
    expect(await own.terminateThreadOf(WEB)).toBe(true);
    return await running;
  } finally {
    await own.close();
  }
}

const jobRow = async (id: string) =>
  (await services.database.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.id, id)))[0]!;

it("a thread that ends mid-search hands the job to its next try, which finds everything once", async () => {
  const job = await webJobOfNewCase();
  const error = await runWithThreadCrash(job.id);
  expect(error).toBeInstanceOf(SearchThreadLost);
  // Not done and not failed: still running, for pg-boss's next try.
  expect(await jobRow(job.id)).toMatchObject({ status: "running", attempts: 1 });

  await runStoreJob(services, job.id);
  const row = await jobRow(job.id);
  const refs = (
    await services.database.db
      .select({ ref: findings.ref })
      .from(findings)
      .where(and(eq(findings.runId, job.runId), eq(findings.store, WEB)))
  ).map((f) => f.ref);
  const expected = person.records.filter((r) => r.store === WEB).map((r) => r.ref);
  expect(row).toMatchObject({ status: "done", attempts: 2, findings: expected.length });
  expect(refs.sort()).toEqual([...new Set(expected)].sort());
});

it("after its last try, a thread ending mid-search fails the store, never reports it searched", async () => {
  const job = await webJobOfNewCase();
  // The tries before it ended the same way.
  await services.database.db
    .update(gatherStoreJobs)
    .set({ attempts: gatherStoreJob.retryLimit! })
    .where(eq(gatherStoreJobs.id, job.id));
  expect(await runWithThreadCrash(job.id)).toBeNull();
  const row = await jobRow(job.id);
  expect(row.status).toBe("failed");
  expect(row.error).toMatch(/thread searching it ended/);
  expect(row.findings).toBe(0);
});

const webRefsOf = async (runId: string) =>
  (
    await services.database.db
      .select({ ref: findings.ref })
      .from(findings)
      .where(and(eq(findings.runId, runId), eq(findings.store, WEB)))
  ).map((f) => f.ref);

/** A failed web-log store, its tries used up by threads that ended, retried by staff. */
async function retriedAfterLastTry(): Promise<{ id: string; runId: string; requestId: string }> {
  const job = await webJobOfNewCase();
  await services.database.db
    .update(gatherStoreJobs)
    .set({ attempts: gatherStoreJob.retryLimit! })
    .where(eq(gatherStoreJobs.id, job.id));
  expect(await runWithThreadCrash(job.id)).toBeNull();
  expect(await jobRow(job.id)).toMatchObject({ status: "failed", attempts: gatherStoreJob.retryLimit! + 1 });
  const [staff] = await services.database.sql.query<{ id: string }>(
    "insert into staff_users (user_name, display_name, email, password_hash) values ($1, 'H', $2, 'x') returning id",
    [`retry-${job.id}`, `retry-${job.id}@example.org`],
  );
  const sent: object[] = [];
  const deps = { db: services.db, jobs: queuedByHand(sent) };
  expect(await retryStore(deps, job.requestId, job.id, staff!.id)).toBe(true);
  // A fresh job, whose tries pg-boss counts from the start.
  expect(sent).toEqual([{ storeJobId: job.id, store: WEB }]);
  return job;
}

it("after a staff retry, a thread ending mid-search is tried again as often as the first time", async () => {
  const job = await retriedAfterLastTry();
  // Every try the queue gives but the last ends with the thread lost: each hands the job on.
  for (let attempt = 1; attempt <= gatherStoreJob.retryLimit!; attempt++) {
    expect(await runWithThreadCrash(job.id)).toBeInstanceOf(SearchThreadLost);
    expect(await jobRow(job.id)).toMatchObject({ status: "running", attempts: attempt });
  }
  await runStoreJob(services, job.id);
  const expected = person.records.filter((r) => r.store === WEB).map((r) => r.ref);
  expect(await jobRow(job.id)).toMatchObject({
    status: "done",
    attempts: gatherStoreJob.retryLimit! + 1,
    findings: new Set(expected).size,
  });
  expect((await webRefsOf(job.runId)).sort()).toEqual([...new Set(expected)].sort());
});

it("after a staff retry, the last try's thread ending fails the store again, never reports it searched", async () => {
  const job = await retriedAfterLastTry();
  for (let attempt = 1; attempt <= gatherStoreJob.retryLimit!; attempt++)
    expect(await runWithThreadCrash(job.id)).toBeInstanceOf(SearchThreadLost);
  expect(await runWithThreadCrash(job.id)).toBeNull();
  const row = await jobRow(job.id);
  expect(row).toMatchObject({ status: "failed", attempts: gatherStoreJob.retryLimit! + 1 });
  expect(row.error).toMatch(/thread searching it ended/);
  expect(row.findings).toBe(0);
  expect(await webRefsOf(job.runId)).toEqual([]);
});
