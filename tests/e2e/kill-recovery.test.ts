/**
 * kill -9 in the middle of work (issue 16, point 8): the portal as `npm start` runs it, on the
 * backend of this run — PGlite: one process that serves and works, killed and started again on its
 * data folder; PostgreSQL (DATABASE_URL): a web process without workers and a separate worker
 * (`npm run worker`), each killed on its own. The middle is real: a store of half a million log lines
 * that takes seconds to read and to rewrite, and a mail server that holds back its answer.
 * Afterwards every piece of work is done exactly once and nothing acknowledged is lost.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  findingActions,
  findings,
  gatherStoreJobs,
  mailOutbox,
  recipientNotifications,
  requestIdentifiers,
  requests,
} from "#db/schema";
import { type Database, openDatabase } from "#db/client";
import { loadConfig } from "#app/server/config.server";
import { startGather } from "#app/server/gather/gather.server";
import { type Jobs, startJobs } from "#app/server/jobs/index.server";
import { createRegistry, type StoreRegistry } from "#app/sources/registry.server";
import { installAuditKey } from "#app/server/audit/keys.server";
import { TEST_AUDIT_KEY, createServerDatabase } from "../support/database";
import { startTestSmtp, recipients, type TestSmtp } from "../support/smtp";
import { freePort } from "./global-setup";
import {
  type PortalProcess,
  holdsOpen,
  killHard,
  spawnPortal,
  stopGently,
  waitForHealthy,
  waitUntil,
} from "./support/portal-process";

const serverUrl = process.env.DATABASE_URL;
const root = mkdtempSync(path.join(tmpdir(), "rp-kill-"));
const dataDir = path.join(root, "data");
const sourcesDir = path.join(root, "sources");
const storeFile = path.join(sourcesDir, "login", "beaus-login.jsonl");
const sourcesConfig = path.join(root, "sources.json");
/** Lines in the store, and every LINES_PER_MATCHth belongs to the person of the case. */
const LINES = 500_000;
const LINES_PER_MATCH = 5_000;
const MATCHES = LINES / LINES_PER_MATCH;
const USER = "kt.probe";
const PERSON = "kt.probe@example.org";
const LOGIN_RECIPIENT = "beauskunftung-betrieb@tlrz.thueringen.de";

let smtp: TestSmtp;
/** How long the mail server holds back its "250" (phase 3 sets it). */
let answerDelayMs = 0;
let serverDb: Awaited<ReturnType<typeof createServerDatabase>> | undefined;
let env: Record<string, string>;
let baseUrl = "";
const started = new Set<PortalProcess>();
let requestId = "";

beforeAll(async () => {
  // The test writes the case's first events itself, signed as the portal signs them.
  installAuditKey(TEST_AUDIT_KEY);
  mkdirSync(path.dirname(storeFile), { recursive: true });
  await writeStore();
  writeFileSync(
    sourcesConfig,
    JSON.stringify({
      stores: [
        {
          id: "beaus-login",
          title: "Anmeldeserver",
          kind: "login-jsonl",
          path: "login",
          retention: "login-log",
        },
      ],
    }),
  );
  smtp = await startTestSmtp({ answerDelayMs: () => answerDelayMs });
  serverDb = serverUrl ? await createServerDatabase(serverUrl) : undefined;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: serverDb?.url ?? "",
    DEMO_MODE: "false",
    SESSION_SECRET: randomBytes(32).toString("hex"),
    AUDIT_KEY: TEST_AUDIT_KEY,
    SMTP_URL: smtp.url,
    SOURCES_CONFIG: sourcesConfig,
    SOURCES_DIR: sourcesDir,
    MAIL_SEND_POLL_MS: "200",
    MAIL_RETRY_BASE_MS: "500",
  };
}, 120_000);

afterAll(async () => {
  for (const process of started) await killHard(process);
  await smtp?.close();
  await serverDb?.drop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/**
 * The login log: half a million lines, one in 5 000 of them the person's; written as a stream. The
 * other users' names carry an umlaut, as many real ones do: the raw-byte prefilter (ADR 0021) parses
 * every line with a non-ASCII byte, so the read lasts long enough to be cut off by the kill. With
 * ASCII names it skipped them all and the read was over before the test saw it start.
 */
async function writeStore() {
  const out = createWriteStream(storeFile);
  const start = Date.UTC(2025, 10, 1);
  for (let i = 0; i < LINES; i++) {
    const user = i % LINES_PER_MATCH === 0 ? USER : `jörg${i % 997}`;
    const line = `{"ts":"${new Date(start + i * 1000).toISOString()}","user":"${user}","clientIp":"10.1.${(i >> 8) & 255}.${i & 255}"}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
}

/** The portal's processes: one on PGlite; on PostgreSQL a web process without workers and a worker. */
interface Portal {
  web: PortalProcess;
  worker: PortalProcess;
}

function spawn(kind: "web" | "worker"): PortalProcess {
  const process = spawnPortal(kind, kind === "web" && serverDb ? { ...env, RUN_WORKERS: "false" } : env);
  started.add(process);
  return process;
}

async function startPortal(): Promise<Portal> {
  const web = spawn("web");
  if (!serverDb) {
    await waitForHealthy(baseUrl, web);
    return { web, worker: web };
  }
  const [worker] = await Promise.all([startWorker(), waitForHealthy(baseUrl, web)]);
  return { web, worker };
}

async function startWorker(): Promise<PortalProcess> {
  const worker = spawn("worker");
  await waitUntil("the worker taking jobs", () => worker.output().includes("processing jobs"), {
    processes: [worker],
  });
  return worker;
}

/** kill -9 of the process that runs the jobs, and its start again (on PGlite: the whole portal). */
async function killAndRestartWorker(portal: Portal): Promise<Portal> {
  await killHard(portal.worker);
  if (!serverDb) return startPortal();
  return { web: portal.web, worker: await startWorker() };
}

let running: Portal | null = null;

/** The portal for the next phase: on PostgreSQL the one still running, on PGlite a fresh start. */
async function portalUp(): Promise<Portal> {
  running ??= await startPortal();
  return running;
}

/**
 * Before the test reads or prepares the database: PGlite has one owner, so the portal stops; on
 * PostgreSQL the test works beside the running portal.
 */
async function releaseDatabase() {
  if (serverDb || !running) return;
  await stopGently(running.worker);
  await stopGently(running.web);
  running = null;
}

/** The portal's database, opened by the test while the portal is stopped (PGlite has one owner). */
async function withDatabase<T>(
  work: (context: { database: Database; jobs: Jobs; sources: StoreRegistry }) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({ databaseUrl: serverDb?.url, dataDir: serverDb ? null : dataDir });
  try {
    await database.migrate();
    const config = loadConfig(env);
    const sources = createRegistry(config.sources, { dataDir: sourcesDir, portalSql: database.sql });
    const jobs = await startJobs(database, {
      context: { db: database.db, sql: database.sql, config, sources },
      runWorkers: false,
    });
    try {
      return await work({ database, jobs, sources });
    } finally {
      await jobs.stop();
      for (const connector of sources.connectors.values()) await connector.close();
    }
  } finally {
    await database.close();
  }
}

/** Read-only look into the portal's database after it stopped. */
async function inDatabase<T>(work: (db: Database["db"]) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: serverDb?.url, dataDir: serverDb ? null : dataDir });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

const phaseStart = Date.now();
/** Where the time goes, for a slow run (one line per step). */
function step(what: string) {
  console.log(`[kill-recovery ${((Date.now() - phaseStart) / 1000).toFixed(1)} s] ${what}`);
}

function doneJobs(process: PortalProcess, queue: string) {
  return process.logLines().filter((line) => line.msg === "jobs: done" && line.queue === queue);
}

function tookOver(process: PortalProcess) {
  return process.logLines().some((line) => line.msg === "jobs: work of a stopped worker taken over");
}

function mailsTo(address: string) {
  return smtp.messages.filter((mail) => recipients(mail).includes(address));
}

describe(`kill -9 in the middle of work (${serverUrl ? "PostgreSQL: web process and worker apart" : "PGlite: one process"})`, () => {
  it("gathering: the store read is cut off by kill -9 and resumes after the restart; each record is found once", async () => {
    let runId = "";
    await withDatabase(async ({ database, jobs, sources }) => {
      const { db } = database;
      const now = new Date();
      const [request] = await db
        .insert(requests)
        .values({
          status: "received",
          kinds: ["auskunft"],
          channel: "web",
          lang: "de",
          reference: `DSR-KILL-${randomUUID().slice(0, 6)}`,
          contactEmail: PERSON,
          provenAt: now,
          receivedAt: now,
        })
        .returning({ id: requests.id });
      requestId = request!.id;
      await db.insert(requestIdentifiers).values([
        { requestId, kind: "email", value: PERSON, normalized: PERSON, provenAt: now },
        { requestId, kind: "user-name", value: USER, normalized: USER, provenAt: now },
      ]);
      runId = await startGather({ db, jobs, sources }, requestId, null);
    });

    step("gathering: case prepared");
    let portal = await portalUp();
    step("gathering: portal started");
    await waitUntil("the worker reading the store", () => holdsOpen(portal.worker.pid, storeFile), {
      processes: [portal.worker],
      everyMs: 10,
    });
    step("gathering: store being read, kill -9");
    portal = running = await killAndRestartWorker(portal);
    step("gathering: restarted");
    await waitUntil(
      "the gathering done after the restart",
      () => doneJobs(portal.worker, "gather-store").length > 0,
      { processes: [portal.worker, portal.web] },
    );
    expect(tookOver(portal.worker)).toBe(true);
    step("gathering: done");
    await releaseDatabase();

    await inDatabase(async (db) => {
      const [store] = await db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId));
      expect(store!.status).toBe("done");
      // Started twice: once by the killed process, once after the restart.
      expect(store!.attempts).toBe(2);
      expect(store!.findings).toBe(MATCHES);
      const found = await db.select({ ref: findings.ref }).from(findings).where(eq(findings.runId, runId));
      expect(found).toHaveLength(MATCHES);
      expect(new Set(found.map((f) => f.ref)).size).toBe(MATCHES);
      const done = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "gather.store-done")));
      expect(done).toHaveLength(1);
      const [request] = await db
        .select({ status: requests.status })
        .from(requests)
        .where(eq(requests.id, requestId));
      expect(request!.status).toBe("review");
    });
  }, 300_000);

  it("erasure: the rewrite of the store is cut off by kill -9; after the restart every record is erased once and everyone is told once", async () => {
    expect(requestId).not.toBe("");
    await withDatabase(async ({ database: { db }, jobs }) => {
      const found = await db
        .select({ id: findings.id })
        .from(findings)
        .where(eq(findings.store, "beaus-login"));
      const now = new Date();
      await db.insert(findingActions).values(
        found.map((f) => ({
          requestId,
          findingId: f.id,
          action: "erase" as const,
          status: "approved" as const,
          approvedAt: now,
        })),
      );
      await jobs.send("execution-carry-out", { requestId });
    });

    step("erasure: actions approved");
    let portal = await portalUp();
    step("erasure: portal started");
    const rewriting = () =>
      readdirSync(path.dirname(storeFile)).some((name) => name.startsWith(".beaus-login.jsonl.tmp-"));
    await waitUntil("the worker rewriting the store", rewriting, { processes: [portal.worker], everyMs: 10 });
    step("erasure: store being rewritten, kill -9");
    portal = running = await killAndRestartWorker(portal);
    step("erasure: restarted");
    await waitUntil(
      "the erasure carried out after the restart",
      () => doneJobs(portal.worker, "execution-carry-out").length > 0,
      { processes: [portal.worker, portal.web] },
    );
    expect(tookOver(portal.worker)).toBe(true);
    step("erasure: done");
    await waitUntil(
      "the person and the recipient told",
      () => mailsTo(PERSON).length > 0 && mailsTo(LOGIN_RECIPIENT).length > 0,
      { processes: [portal.worker] },
    );
    // Time for a second copy to show up, were one queued.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await releaseDatabase();

    expect(mailsTo(PERSON)).toHaveLength(1);
    expect(mailsTo(LOGIN_RECIPIENT)).toHaveLength(1);
    const lines = readFileSync(storeFile, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(LINES - MATCHES);
    expect(lines.some((line) => line.includes(`"${USER}"`))).toBe(false);
    // The killed rewrite's temporary file was cleared away by the next one.
    expect(readdirSync(path.dirname(storeFile)).filter((name) => name.includes(".tmp-"))).toEqual([]);

    await inDatabase(async (db) => {
      const actions = await db.select().from(findingActions).where(eq(findingActions.requestId, requestId));
      expect(actions).toHaveLength(MATCHES);
      expect(actions.filter((a) => a.status === "done" && a.error === null)).toHaveLength(MATCHES);
      const carriedOut = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "execution.carried-out")));
      const recorded = carriedOut.flatMap((event) =>
        (event.data as { actions: { id: string }[] }).actions.map((a) => a.id),
      );
      expect(recorded.sort()).toEqual(actions.map((a) => a.id).sort());
      const notices = await db
        .select()
        .from(recipientNotifications)
        .where(eq(recipientNotifications.requestId, requestId));
      expect(notices).toHaveLength(1);
    });
  }, 300_000);

  it("mail: kill -9 while the mail server holds back its answer (and, apart, of the web process amid submissions); after the restart every acknowledged request has its code mail, once", async () => {
    answerDelayMs = 4_000;
    let portal = await portalUp();
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    const refused: string[] = [];
    let killed = false;
    const submit = async (i: number) => {
      const email = `kill${i}@example.org`;
      attempted.push(email);
      try {
        const response = await fetch(`${baseUrl}/antrag/auskunft`, {
          method: "POST",
          body: new URLSearchParams({
            submissionKey: `killrecovery${String(i).padStart(6, "0")}`,
            email,
            name: `Kill Probe ${i}`,
          }),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
          redirect: "manual",
        });
        if (response.status === 302) acknowledged.push(email);
        else refused.push(`${i}: ${response.status}`);
      } catch {
        // Cut off by the kill: neither acknowledged nor promised.
      }
    };
    // Submissions, two at a time, until the process is gone.
    const burst = (async () => {
      for (let i = 0; !killed && i < 24; i += 2) await Promise.all([submit(i), submit(i + 1)]);
    })();
    await waitUntil(
      "a code mail held by the mail server",
      () => smtp.answering() > 0 && acknowledged.length >= 4,
      { processes: [portal.worker] },
    );
    // On PostgreSQL the web process dies amid the submissions as well.
    step("mail: a mail held by the mail server, kill -9");
    killed = true;
    await Promise.all([killHard(portal.worker), killHard(portal.web)]);
    await burst;
    expect(refused).toEqual([]);
    expect(smtp.messages.filter((mail) => recipients(mail).some((r) => attempted.includes(r)))).toEqual([]);

    answerDelayMs = 0;
    portal = running = await startPortal();
    step("mail: restarted");
    await waitUntil(
      "a code mail for every acknowledged request",
      () => acknowledged.every((email) => mailsTo(email).length > 0),
      { processes: [portal.worker, portal.web] },
    );
    expect(tookOver(portal.worker)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await releaseDatabase();

    for (const email of attempted) expect(mailsTo(email).length, email).toBeLessThanOrEqual(1);
    await inDatabase(async (db) => {
      const stored = await db
        .select({ id: requests.id, email: requests.contactEmail })
        .from(requests)
        .where(inArray(requests.contactEmail, attempted));
      for (const email of acknowledged)
        expect(
          stored.filter((r) => r.email === email),
          email,
        ).toHaveLength(1);
      const outbox = await db
        .select()
        .from(mailOutbox)
        .where(
          inArray(
            mailOutbox.requestId,
            stored.map((r) => r.id),
          ),
        );
      expect(outbox.every((mail) => mail.status === "sent")).toBe(true);
      // At least one mail was in the middle of its sending when the worker was killed.
      expect(outbox.some((mail) => mail.attempts >= 2)).toBe(true);
    });
  }, 300_000);
});
