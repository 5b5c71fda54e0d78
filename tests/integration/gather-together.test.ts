/**
 * Gatherings started at once, and store jobs that end at once, are written together: one
 * transaction for the starts, one for the finishes (ADR 0021), each case's rows, status and audit
 * events as if it had been written alone, in one verifiable chain. Two starts of one case are not
 * folded into one; one write's failure is its own.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, gatherRuns, gatherStoreJobs, requests } from "#db/schema";
import type { Db } from "#db/client";
import { verifyAuditChain } from "#app/server/audit.server";
import { finish, gatherOnReceipt, runStoreJob, startGather } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import { receivedAccessRequestByAddress } from "../support/cases";
import { queuedByHand } from "../support/jobs";
import { createTestServices } from "../support/services";

const storeDir = mkdtempSync(path.join(tmpdir(), "rp-gather-together-"));
let services: Services;
let close: () => Promise<void>;

beforeAll(async () => {
  mkdirSync(path.join(storeDir, "weblog"));
  writeFileSync(
    path.join(storeDir, "weblog", "access.log"),
    '192.0.2.77 - - [10/Oct/2025:13:55:36 +0200] "GET / HTTP/1.1" 200 512\n',
  );
  const sourcesConfig = path.join(storeDir, "sources.json");
  writeFileSync(
    sourcesConfig,
    JSON.stringify({
      stores: [
        { id: "web-a", title: "A", kind: "nginx-access-log", path: "weblog", retention: "web-access-log" },
        { id: "web-b", title: "B", kind: "nginx-access-log", path: "weblog", retention: "web-access-log" },
      ],
    }),
  );
  ({ services, close } = await createTestServices({ SOURCES_DIR: storeDir, SOURCES_CONFIG: sourcesConfig }));
});
afterAll(async () => {
  await close();
  rmSync(storeDir, { recursive: true, force: true });
});

const deps = () => ({ db: services.database.db, sources: services.sources, jobs: queuedByHand() });
const newCase = (n: number) => receivedAccessRequestByAddress(services.database.db, `together-${n}`);

/** The transactions that wrote the rows' current versions. */
async function writersOf(table: "gather_runs" | "gather_store_jobs", column: string, ids: string[]) {
  const rows = await services.database.sql.query<{ xmin: string }>(
    `select distinct xmin::text as xmin from ${table} where ${column} = any($1::uuid[])`,
    [ids],
  );
  return rows.length;
}

it("writes 20 starts at once in one transaction and their 40 store jobs' ends in one more, each case as alone", async () => {
  const cases: string[] = [];
  for (let i = 0; i < 20; i++) cases.push(await newCase(i));
  const runIds = await Promise.all(cases.map((id) => startGather(deps(), id, null)));
  expect(await writersOf("gather_runs", "id", runIds)).toBe(1);
  const runs = await services.db
    .select({ id: gatherRuns.id, requestId: gatherRuns.requestId, version: gatherRuns.version })
    .from(gatherRuns)
    .where(inArray(gatherRuns.id, runIds));
  expect(new Map(runs.map((r) => [r.id, r.requestId]))).toEqual(
    new Map(runIds.map((id, i) => [id, cases[i]])),
  );
  expect(runs.every((r) => r.version === 1)).toBe(true);
  // The events in the order the starts came, each linked to the one before.
  const started = await services.db
    .select({ requestId: auditEvents.requestId, data: auditEvents.data })
    .from(auditEvents)
    .where(inArray(auditEvents.requestId, cases))
    .orderBy(asc(auditEvents.seq));
  expect(started.map((e) => e.requestId)).toEqual(cases);
  expect(started.map((e) => (e.data as { runId: string }).runId)).toEqual(runIds);

  const jobs = await services.db
    .select({ id: gatherStoreJobs.id, runId: gatherStoreJobs.runId, store: gatherStoreJobs.store })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds));
  expect(jobs).toHaveLength(40);
  // As the jobs of a shared pass end: in one turn (when they end over several, as many turns'
  // ends are written together as came while the transaction before was written).
  const requestOf = new Map(runIds.map((id, i) => [id, cases[i]!]));
  const changed = await Promise.all(
    jobs.map((job) =>
      finish(
        services.database.db,
        { ...job, requestId: requestOf.get(job.runId)! },
        { status: "done", progress: { unit: "bytes", scanned: 66, total: 66 } },
      ),
    ),
  );
  expect(changed.every(Boolean)).toBe(true);
  expect(await writersOf("gather_store_jobs", "run_id", runIds)).toBe(1);
  const ended = await services.db
    .select({
      status: gatherStoreJobs.status,
      finishedAt: gatherStoreJobs.finishedAt,
      scanned: gatherStoreJobs.progressScanned,
    })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds));
  expect(ended.every((j) => j.status === "done" && j.finishedAt && j.scanned === 66)).toBe(true);
  const statuses = await services.db
    .select({ status: requests.status })
    .from(requests)
    .where(inArray(requests.id, cases));
  expect(statuses.map((s) => s.status)).toEqual(cases.map(() => "review"));
  const done = await services.db
    .select({ data: auditEvents.data })
    .from(auditEvents)
    .where(and(inArray(auditEvents.requestId, cases), eq(auditEvents.action, "gather.store-done")))
    .orderBy(asc(auditEvents.seq));
  expect(done.map((e) => (e.data as { store: string }).store)).toEqual(jobs.map((job) => job.store));
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
});

it("takes the store jobs that start together in one statement, each once, and searches each", async () => {
  const cases: string[] = [];
  for (let i = 0; i < 10; i++) cases.push(await newCase(50 + i));
  const runIds = await Promise.all(cases.map((id) => startGather(deps(), id, null)));
  const queued = await services.db
    .select({ id: gatherStoreJobs.id })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds));
  const context = { db: services.database.db, sources: services.sources };
  await Promise.all(queued.map((job) => runStoreJob(context, job.id)));
  const jobs = await services.db
    .select({
      status: gatherStoreJobs.status,
      attempts: gatherStoreJobs.attempts,
      startedAt: gatherStoreJobs.startedAt,
      scanned: gatherStoreJobs.progressScanned,
    })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds));
  expect(jobs).toHaveLength(20);
  expect(jobs.every((j) => j.status === "done" && j.attempts === 1 && j.scanned > 0)).toBe(true);
  // One statement took them all: they share its transaction's time.
  expect(new Set(jobs.map((j) => +j.startedAt!)).size).toBe(1);
});

it("does not fold two starts of one case into one, and a start of no case fails alone", async () => {
  const byStaff = await newCase(100);
  const onReceipt = await newCase(101);
  const [first, second, receipt1, receipt2, none] = await Promise.allSettled([
    startGather(deps(), byStaff, null),
    startGather(deps(), byStaff, null),
    gatherOnReceipt(deps(), onReceipt),
    gatherOnReceipt(deps(), onReceipt),
    startGather(deps(), randomUUID(), null),
  ]);
  expect([first.status, second.status, receipt1.status, receipt2.status]).toEqual(Array(4).fill("fulfilled"));
  expect(none).toMatchObject({ status: "rejected", reason: { message: expect.stringMatching(/no case/) } });
  const versions = await services.db
    .select({ version: gatherRuns.version })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, byStaff))
    .orderBy(gatherRuns.version);
  expect(versions.map((v) => v.version)).toEqual([1, 2]);
  // Of two starts on receipt, one starts and the other finds the case gathering.
  expect([receipt1, receipt2].map((r) => (r as PromiseFulfilledResult<boolean>).value).sort()).toEqual([
    false,
    true,
  ]);
  expect(await services.db.select().from(gatherRuns).where(eq(gatherRuns.requestId, onReceipt))).toHaveLength(
    1,
  );
});

it("fails only the store whose outcome cannot be written when stores finish together", async () => {
  const cases = [await newCase(200), await newCase(201), await newCase(202)];
  const runIds = await Promise.all(cases.map((id) => startGather(deps(), id, null)));
  const jobs = await services.db
    .select({ id: gatherStoreJobs.id, runId: gatherStoreJobs.runId, store: gatherStoreJobs.store })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds))
    .orderBy(gatherStoreJobs.runId, gatherStoreJobs.store);
  const written = await Promise.allSettled(
    jobs.map((job, i) =>
      finish(
        services.database.db,
        { ...job, requestId: cases[runIds.indexOf(job.runId)]! },
        // A NUL character: PostgreSQL stores it in no text.
        { status: "failed", error: i === 2 ? "broken\u0000reason" : "unreachable" },
      ),
    ),
  );
  expect(written.map((w) => w.status)).toEqual(jobs.map((_, i) => (i === 2 ? "rejected" : "fulfilled")));
  const rows = await services.db
    .select({ id: gatherStoreJobs.id, status: gatherStoreJobs.status })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds));
  const statusOf = new Map(rows.map((r) => [r.id, r.status]));
  expect(jobs.map((job) => statusOf.get(job.id))).toEqual(
    jobs.map((_, i) => (i === 2 ? "queued" : "failed")),
  );
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
});

/**
 * `db` whose `nth` transaction (the first by default) commits and then reports a failure, as when
 * the answer to COMMIT is lost with the connection.
 */
function commitAnswerLost(db: Db, nth = 1): Db {
  let count = 0;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<Db["transaction"]>) => {
        const out = await target.transaction(...args);
        if (++count === nth) throw new Error("connection lost after COMMIT");
        return out;
      };
    },
  });
}

it("tells every caller of a shared transaction whose commit failed, and writes nothing twice", async () => {
  const cases = [await newCase(300), await newCase(301)];
  const runIds = await Promise.all(cases.map((id) => startGather(deps(), id, null)));
  const jobs = await services.db
    .select({ id: gatherStoreJobs.id, runId: gatherStoreJobs.runId, store: gatherStoreJobs.store })
    .from(gatherStoreJobs)
    .where(inArray(gatherStoreJobs.runId, runIds));
  // One database for all: the finishes share its next transaction.
  const db = commitAnswerLost(services.database.db);
  const finishes = await Promise.allSettled(
    jobs.map((job) =>
      finish(db, { ...job, requestId: cases[runIds.indexOf(job.runId)]! }, { status: "done" }),
    ),
  );
  const ends = await services.db
    .select({ requestId: auditEvents.requestId })
    .from(auditEvents)
    .where(and(inArray(auditEvents.requestId, cases), eq(auditEvents.action, "gather.store-done")));
  // The commit took effect, once: no store's end is logged twice by writing the ends again alone.
  expect(ends).toHaveLength(jobs.length);
  expect(finishes.map((f) => f.status)).toEqual(jobs.map(() => "rejected"));

  const lost = commitAnswerLost(services.database.db);
  const starts = await Promise.allSettled(cases.map((id) => startGather({ ...deps(), db: lost }, id, null)));
  expect(starts.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  // One run more per case, not two: the staff's start is not made again after its commit.
  for (const id of cases)
    expect(await services.db.select().from(gatherRuns).where(eq(gatherRuns.requestId, id))).toHaveLength(2);
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
});

it("keeps a store's progress past 2³¹ bytes, as a year of a data centre's logs has", async () => {
  const id = await newCase(400);
  const runId = await startGather(deps(), id, null);
  const [job] = await services.db
    .select({ id: gatherStoreJobs.id, runId: gatherStoreJobs.runId, store: gatherStoreJobs.store })
    .from(gatherStoreJobs)
    .where(eq(gatherStoreJobs.runId, runId));
  const bytes = 5 * 2 ** 30 + 7;
  await finish(
    services.database.db,
    { ...job!, requestId: id },
    { status: "done", progress: { unit: "bytes", scanned: bytes, total: bytes } },
  );
  const [row] = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.id, job!.id));
  expect(row).toMatchObject({ status: "done", progressScanned: bytes, progressTotal: bytes });
});

it("keeps a case gathering while its newest run searches, whatever an older run's end says", async () => {
  const requestId = await newCase(90);
  const first = await startGather(deps(), requestId, null);
  // Staff start it again while the first run still searches (new identifiers, a store fixed).
  const second = await startGather(deps(), requestId, null);
  const jobsOf = (runId: string) =>
    services.db
      .select({ id: gatherStoreJobs.id, runId: gatherStoreJobs.runId, store: gatherStoreJobs.store })
      .from(gatherStoreJobs)
      .where(eq(gatherStoreJobs.runId, runId));
  const end = async (runId: string) => {
    for (const job of await jobsOf(runId))
      await finish(
        services.database.db,
        { ...job, requestId },
        { status: "done", progress: { unit: "bytes", scanned: 66, total: 66 } },
      );
  };
  const status = async () =>
    (
      await services.db.select({ status: requests.status }).from(requests).where(eq(requests.id, requestId))
    )[0]!.status;
  await end(first);
  expect(await status()).toBe("gathering");
  await end(second);
  expect(await status()).toBe("review");
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
});

it("leaves a store whose end was written with an unknown outcome to its job's next try, never failed over its end", async () => {
  const requestId = await newCase(500);
  const runId = await startGather(deps(), requestId, null);
  const [job] = await services.db
    .select({ id: gatherStoreJobs.id })
    .from(gatherStoreJobs)
    .where(eq(gatherStoreJobs.runId, runId))
    .limit(1);
  // The job's transactions: its take, then its end, whose COMMIT answer is lost.
  const context = { db: commitAnswerLost(services.database.db, 2), sources: services.sources };
  await expect(runStoreJob(context, job!.id)).rejects.toThrow(/connection lost after COMMIT/);
  const [row] = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.id, job!.id));
  expect(row!.status).toBe("done");
  const ends = await services.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.requestId, requestId),
        inArray(auditEvents.action, ["gather.store-done", "gather.store-failed"]),
      ),
    );
  expect(ends.map((e) => e.action)).toEqual(["gather.store-done"]);
  // pg-boss's next try finds the store done and leaves it.
  await runStoreJob({ db: services.database.db, sources: services.sources }, job!.id);
  const [after] = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.id, job!.id));
  expect(after).toMatchObject({ status: "done", attempts: 1 });
});
