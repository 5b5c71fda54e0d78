import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findings, gatherRuns, gatherStoreJobs, requests } from "#db/schema";
import { verifyAuditChain } from "#app/server/audit.server";
import {
  compareWithPrevious,
  gatherStoreJob,
  gatherProgress,
  retryStore,
  runStoreJob,
  startGather,
} from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { receivedAccessRequest } from "../support/cases";
import { queuedByHand } from "../support/jobs";
import { renderedStaffCasePage, staffSessionCookie } from "../support/route-calls";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-gather-"));
let services: Services;
let close: () => Promise<void>;
let erika: AnswerKeyPerson;
const sent: object[] = [];

beforeAll(async () => {
  const sample = await cachedSample({ people: 40, days: 20, seed: "gather", out: sampleDir });
  erika = sample.answerKey.persons.find((p) =>
    p.identifiers.emails.includes("erika.mustermann@example.org"),
  )!;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
  await loadDatabaseStores(services.database.sql, sampleDir);
});
afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

/** Jobs are run by hand here, so the test sees each step. */
const deps = () => ({ db: services.database.db, sources: services.sources, jobs: queuedByHand(sent) });

const provenCaseFor = (person: AnswerKeyPerson) =>
  receivedAccessRequest(services.database.db, person.identifiers);

describe("gathering a case across the source stores", () => {
  let requestId: string;
  let runId: string;

  beforeAll(async () => {
    requestId = await provenCaseFor(erika);
    runId = await startGather(deps(), requestId, null);
    const jobs = await services.database.db
      .select()
      .from(gatherStoreJobs)
      .where(eq(gatherStoreJobs.runId, runId));
    for (const job of jobs)
      await runStoreJob({ db: services.database.db, sources: services.sources }, job.id);
  });

  it("queues one job per configured store and finishes every store", async () => {
    const progress = await gatherProgress(services.database.db, requestId);
    expect(progress?.stores.map((s) => s.store).sort()).toEqual(
      [...services.sources.connectors.keys()].sort(),
    );
    expect(progress?.stores.every((s) => s.status === "done")).toBe(true);
    // The retrieval protocols were loaded with their search index and searched through it (ADR 0020); file stores have none.
    const byStore = new Map(progress!.stores.map((s) => [s.store, s.searchIndex]));
    expect(byStore.get("abrufprotokolle")).toMatchObject({ via: "index", newerRows: 0 });
    expect(byStore.get("web-tsr")).toBeNull();
    expect(sent).toHaveLength(services.sources.connectors.size);
    const [request] = await services.database.db.select().from(requests).where(eq(requests.id, requestId));
    expect(request?.status).toBe("review");
  });

  it("stores exactly the answer key's records, with provenance and suggestions", async () => {
    const rows = await services.database.db.select().from(findings).where(eq(findings.runId, runId));
    const found = rows.map((r) => `${r.store} ${r.ref}`).sort();
    const expected = [...new Set(erika.records.map((r) => `${r.store} ${r.ref}`))].sort();
    expect(found).toEqual(expected);
    expect(new Set(rows.map((r) => r.store)).size).toBeGreaterThanOrEqual(6);
    // Matches through names or phones are not proven by the e-mail code: the rules hold them back.
    const unproven = rows.filter((r) => r.unproven);
    expect(
      unproven.every((r) =>
        (r.suggestions as { ground: string }[]).some((s) => s.ground === "identity-unconfirmed"),
      ),
    ).toBe(true);
  });

  it("adds nothing twice when a store's job runs again after its worker died", async () => {
    const [job] = await services.database.db
      .select()
      .from(gatherStoreJobs)
      .where(eq(gatherStoreJobs.runId, runId))
      .limit(1);
    const before = await services.database.db.select().from(findings).where(eq(findings.runId, runId));
    await services.database.db
      .update(gatherStoreJobs)
      .set({ status: "running" })
      .where(eq(gatherStoreJobs.id, job!.id));
    await runStoreJob({ db: services.database.db, sources: services.sources }, job!.id);
    const after = await services.database.db.select().from(findings).where(eq(findings.runId, runId));
    expect(after).toHaveLength(before.length);
  });

  it("writes an audit event for every step, in an intact chain", async () => {
    const actions = await services.database.sql.query<{ action: string }>(
      "select action from audit_events where request_id = $1 order by seq",
      [requestId],
    );
    // One "done" per store, plus the one of the job that was run a second time above.
    expect(actions.map((a) => a.action)).toEqual([
      "gather.started",
      ...Array(services.sources.connectors.size + 1).fill("gather.store-done"),
    ]);
    expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
  });
});

describe("a re-gather", () => {
  it("creates a new version and compares it with the one before", async () => {
    const requestId = await provenCaseFor(erika);
    const first = await startGather(deps(), requestId, null);
    for (const job of await services.database.db
      .select()
      .from(gatherStoreJobs)
      .where(eq(gatherStoreJobs.runId, first))) {
      await runStoreJob({ db: services.database.db, sources: services.sources }, job.id);
    }
    const second = await startGather(deps(), requestId, null);
    for (const job of await services.database.db
      .select()
      .from(gatherStoreJobs)
      .where(eq(gatherStoreJobs.runId, second))) {
      await runStoreJob({ db: services.database.db, sources: services.sources }, job.id);
    }
    expect(await compareWithPrevious(services.database.db, requestId, 2)).toEqual({
      previousVersion: 1,
      added: 0,
      removed: 0,
      changed: 0,
    });
    // One record changed between the versions, one disappeared.
    const [a, b] = await services.database.db
      .select({ id: findings.id })
      .from(findings)
      .where(eq(findings.runId, first))
      .limit(2);
    await services.database.db.update(findings).set({ contentHash: "0" }).where(eq(findings.id, a!.id));
    await services.database.db.delete(findings).where(eq(findings.id, b!.id));
    expect(await compareWithPrevious(services.database.db, requestId, 2)).toEqual({
      previousVersion: 1,
      added: 1,
      removed: 0,
      changed: 1,
    });
  });
});

describe("queueing a gathering", () => {
  /** The pg-boss jobs (queued or archived) of the given store rows. */
  const jobsOf = async (storeJobIds: string[]) =>
    services.database.sql.query<{ sid: string }>(
      `select data->>'storeJobId' as sid from pgboss.job where name = $1 and data->>'storeJobId' = any($2::text[])
       union all
       select data->>'storeJobId' from pgboss.archive where name = $1 and data->>'storeJobId' = any($2::text[])`,
      [gatherStoreJob.queue, storeJobIds],
    );
  const storeRowsOf = (requestId: string) =>
    services.database.db
      .select({ id: gatherStoreJobs.id, status: gatherStoreJobs.status })
      .from(gatherStoreJobs)
      .innerJoin(gatherRuns, eq(gatherRuns.id, gatherStoreJobs.runId))
      .where(eq(gatherRuns.requestId, requestId));

  it("commits every store row saying queued together with its pg-boss job", async () => {
    const requestId = await provenCaseFor(erika);
    const runId = await startGather(services, requestId, null);
    const rows = await services.database.db
      .select({ id: gatherStoreJobs.id })
      .from(gatherStoreJobs)
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.status, "queued")));
    expect(rows).toHaveLength(services.sources.connectors.size);
    const queued = await jobsOf(rows.map((row) => row.id));
    expect(queued.map((job) => job.sid).sort()).toEqual(rows.map((row) => row.id).sort());
  });

  it("starts nothing when a job cannot be queued: no store waits for a job that does not exist", async () => {
    const requestId = await provenCaseFor(erika);
    // The queue accepts the first store's job and then fails, as a lost connection would.
    let calls = 0;
    const failing: typeof services.jobs = Object.create(services.jobs);
    failing.sendWithin = async (tx, queue, data) => {
      if (++calls === 2) throw new Error("queue unreachable");
      return services.jobs.sendWithin(tx, queue, data);
    };
    await expect(startGather({ ...services, jobs: failing }, requestId, null)).rejects.toThrow(
      "queue unreachable",
    );
    expect(calls).toBe(2);
    expect(await storeRowsOf(requestId)).toEqual([]);
    const [request] = await services.database.db.select().from(requests).where(eq(requests.id, requestId));
    expect(request?.status).toBe("received");
    const [orphans] = await services.database.sql.query<{ jobs: number }>(
      "select count(*)::int as jobs from pgboss.job where name = $1 and created_on > now() - interval '1 hour' and not exists (select 1 from gather_store_jobs s where s.id::text = data->>'storeJobId')",
      [gatherStoreJob.queue],
    );
    expect(orphans?.jobs).toBe(0);
  });

  it("queues a staff retry's job with the store's reset, or neither", async () => {
    const requestId = await provenCaseFor(erika);
    const runId = await startGather(deps(), requestId, null);
    const [store] = await services.database.db
      .update(gatherStoreJobs)
      .set({ status: "failed", error: "test", finishedAt: new Date() })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "telefon")))
      .returning({ id: gatherStoreJobs.id });
    const [staff] = await services.database.sql.query<{ id: string }>(
      "insert into staff_users (user_name, display_name, email, password_hash) values ('q', 'Q', 'q@x', 'x') returning id",
    );
    const failing: typeof services.jobs = Object.create(services.jobs);
    failing.sendWithin = async () => {
      throw new Error("queue unreachable");
    };
    await expect(retryStore({ ...services, jobs: failing }, requestId, store!.id, staff!.id)).rejects.toThrow(
      "queue unreachable",
    );
    expect((await storeRowsOf(requestId)).find((row) => row.id === store!.id)?.status).toBe("failed");
    expect(await jobsOf([store!.id])).toEqual([]);

    expect(await retryStore(services, requestId, store!.id, staff!.id)).toBe(true);
    expect((await storeRowsOf(requestId)).find((row) => row.id === store!.id)?.status).toBe("queued");
    expect((await jobsOf([store!.id])).map((job) => job.sid)).toEqual([store!.id]);
  });
});

describe("a store that fails", () => {
  it("is marked with its reason and can be retried alone", async () => {
    const requestId = await provenCaseFor(erika);
    const runId = await startGather(deps(), requestId, null);
    const jobs = await services.database.db
      .select()
      .from(gatherStoreJobs)
      .where(eq(gatherStoreJobs.runId, runId));
    const telephone = jobs.find((j) => j.store === "telefon")!;
    const folder = path.join(sampleDir, "telefon");
    const hidden = `${folder}.hidden`;
    rmSync(hidden, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.rename(folder, hidden));
    try {
      for (const job of jobs)
        await runStoreJob({ db: services.database.db, sources: services.sources }, job.id);
    } finally {
      await import("node:fs/promises").then((fs) => fs.rename(hidden, folder));
    }
    let progress = await gatherProgress(services.database.db, requestId);
    const failed = progress!.stores.find((s) => s.store === "telefon")!;
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/telefon/);
    expect(progress!.stores.filter((s) => s.store !== "telefon").every((s) => s.status === "done")).toBe(
      true,
    );
    const othersFinishedAt = progress!.stores
      .filter((s) => s.store !== "telefon")
      .map((s) => s.finishedAt?.toISOString());

    const [staff] = await services.database.sql.query<{ id: string }>(
      "insert into staff_users (user_name, display_name, email, password_hash) values ('h', 'H', 'h@x', 'x') returning id",
    );
    expect(await retryStore(deps(), requestId, telephone.id, staff!.id)).toBe(true);
    await runStoreJob({ db: services.database.db, sources: services.sources }, telephone.id);
    progress = await gatherProgress(services.database.db, requestId);
    expect(progress!.stores.find((s) => s.store === "telefon")!.status).toBe("done");
    expect(
      progress!.stores.filter((s) => s.store !== "telefon").map((s) => s.finishedAt?.toISOString()),
    ).toEqual(othersFinishedAt);
  });
});

describe("problems of a scan", () => {
  const folder = () => path.join(sampleDir, "telefon");
  let requestId: string;
  let dayFile: string;
  let badLine: number;
  let progress: Awaited<ReturnType<typeof gatherProgress>>;
  const logged: string[] = [];

  beforeAll(async () => {
    // A line that is no call record (holding Erika's number, so that the search before parsing
    // takes it for a candidate), and an archive that cannot be read.
    dayFile = readdirSync(folder())
      .filter((n) => n.endsWith(".csv"))
      .sort()[0]!;
    const text = readFileSync(path.join(folder(), dayFile), "utf8");
    badLine = text.split("\n").filter((l, i, all) => i < all.length - 1 || l !== "").length + 1;
    appendFileSync(
      path.join(folder(), dayFile),
      `${text.endsWith("\n") ? "" : "\n"}KAPUTT 0361 34610815 kein Datensatz\n`,
    );
    writeFileSync(path.join(folder(), "cdr-2024-12-31.csv.gz"), Buffer.from("this is not gzip data at all"));
    requestId = await provenCaseFor(erika);
    const runId = await startGather(deps(), requestId, null);
    const warn = console.warn;
    console.warn = (line: string) => void logged.push(line);
    try {
      for (const job of await services.database.db
        .select()
        .from(gatherStoreJobs)
        .where(eq(gatherStoreJobs.runId, runId))) {
        await runStoreJob({ db: services.database.db, sources: services.sources }, job.id);
      }
    } finally {
      console.warn = warn;
      rmSync(path.join(folder(), "cdr-2024-12-31.csv.gz"));
    }
    progress = await gatherProgress(services.database.db, requestId);
  });

  it("stores the malformed line located by file and line, and the unreadable file as not searched", async () => {
    const telephone = progress!.stores.find((s) => s.store === "telefon")!;
    expect(telephone.status).toBe("done");
    expect(telephone.partial).toBe(true);
    expect(telephone.malformed).toBeGreaterThan(0);
    expect(telephone.problems).toContainEqual({
      where: dayFile,
      line: badLine,
      reason: expect.stringMatching(/malformed/),
      unsearched: expect.any(Boolean),
    });
    expect(telephone.problems).toContainEqual({
      where: "cdr-2024-12-31.csv.gz",
      line: null,
      reason: expect.any(String),
      unsearched: true,
    });
    expect(JSON.stringify(telephone.problems)).not.toContain("34610815");
    // A store whose scan left nothing out is not partial.
    expect(progress!.stores.find((s) => s.store === "viskompakt")!.partial).toBe(false);
    // The case goes on to review: a partial store is done, its gaps are shown, not hidden.
    const [request] = await services.database.db
      .select({ status: requests.status })
      .from(requests)
      .where(eq(requests.id, requestId));
    expect(request!.status).toBe("review");
  });

  it("writes one log line per problem: request, store, file, line, reason, no content", () => {
    expect(logged).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[gather\\] request ${requestId} store telefon: ${dayFile.replace(/\./g, "\\.")}:${badLine}: malformed`,
        ),
      ),
    );
    expect(logged).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[gather\\] request ${requestId} store telefon: cdr-2024-12-31\\.csv\\.gz: .*\\(not searched\\)$`,
        ),
      ),
    );
    for (const line of logged) expect(line).not.toContain("34610815");
  });

  it("shows the located problems on the staff case page, and problems stored as plain text before", async () => {
    const [job] = await services.database.db
      .select({ id: gatherStoreJobs.id })
      .from(gatherStoreJobs)
      .where(and(eq(gatherStoreJobs.runId, progress!.run.id), eq(gatherStoreJobs.store, "viskompakt")));
    await services.database.db
      .update(gatherStoreJobs)
      .set({ problems: ["Ordner 2019 nicht lesbar"], problemsOmitted: 3 })
      .where(eq(gatherStoreJobs.id, job!.id));
    const [staff] = await services.database.sql.query<{ id: string }>(
      "insert into staff_users (user_name, display_name, email, password_hash) values ('reader', 'Reader', 'r@x', 'x') returning id",
    );
    await services.database.sql.query(
      "insert into staff_user_roles (user_id, role_id) values ($1, 'case-handler')",
      [staff!.id],
    );
    // The staff page lists cases with a reference, as every received case has one.
    await services.database.db
      .update(requests)
      .set({ reference: "DSR-2025-424242" })
      .where(eq(requests.id, requestId));
    const cookie = await staffSessionCookie(services, staff!.id);
    const page = await renderedStaffCasePage(services, cookie, requestId);
    expect(page.status).toBe(200);
    const html = page.html;
    expect(html).toContain(`${dayFile}, Zeile ${badLine}`);
    expect(html).toContain("cdr-2024-12-31.csv.gz");
    expect(html).toContain("Teilweise durchsucht");
    expect(html).toContain("Ordner 2019 nicht lesbar");
    expect(html).toContain("3 weitere Hinweise");
    expect(html).not.toContain("KAPUTT");
  });
});
