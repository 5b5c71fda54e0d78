/**
 * The retention sweep on a generated sample at the sample's fixed "now": exactly the records past
 * their rule go (checked against the answer key and each record's own date), held records stay, a
 * dry run changes nothing, a sweep that failed in one store is finished by running it again, and a
 * second sweep deletes nothing. The portal's own data: closed cases, unproven requests, codes and
 * the audit trail, whose hash chain must still verify afterwards.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requests, sweepEvidence, verifications } from "#db/schema";
import { isExpired, type RetentionRuleId } from "#app/core/retention";
import { appendAuditEvent, verifyAuditChain } from "#app/server/audit.server";
import { changeRetentionRule, effectiveRules } from "#app/server/retention/rules.server";
import { runSweep, type SweepPart, type SweepReport } from "#app/server/retention/sweep.server";
import type { Services } from "#app/server/services.server";
import type { StoreConfig } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import type { Finding } from "#app/sources/connector";
import { loadDatabaseStores } from "#app/sources/database.server";
import { collectAcrossStores } from "#app/sources/registry.server";
import { type AnswerKey, subjectFromKey } from "#app/sources/sample/answer-key";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";

/** Stores whose findings carry the date the rule starts from (tickets and files count from closure). */
const DATED_BY_RECORD = [
  "web-tsr",
  "beaus-login",
  "abrufprotokolle",
  "mail-poststelle",
  "mail-support",
  "telefon",
];

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-retention-"));
let services: Services;
let close: () => Promise<void>;
let key: AnswerKey;
let now: Date;
let stores: StoreConfig[];
let before: Map<string, Finding>;
const held = new Set<string>();
const context = () => ({
  db: services.database.db,
  sql: services.database.sql,
  config: services.config,
  sources: services.sources,
});

/** A line's offset changes when lines before it are deleted; file and hash identify it. */
function stableKey(store: string, ref: string): string {
  const line = /^(.+):\d+:([0-9a-f]{16})$/.exec(ref);
  return `${store} ${line ? `${line[1]}#${line[2]}` : ref}`;
}

/**
 * Every person's findings, the people searched together as concurrent gatherings are: each file
 * store's shared pass (ADR 0021) reads its files once for all of them instead of once a person.
 */
async function findingsOfEveryone(): Promise<Map<string, Finding>> {
  const all = new Map<string, Finding>();
  const found = await Promise.all(
    key.persons.map((person) => collectAcrossStores(services.sources, subjectFromKey(person))),
  );
  for (const { findings } of found)
    for (const finding of findings) all.set(stableKey(finding.store, finding.ref), finding);
  return all;
}

function ruleOf(store: string): RetentionRuleId {
  return stores.find((s) => s.id === store)!.retention as RetentionRuleId;
}

function part(report: SweepReport, store: string, ruleId: string): SweepPart {
  const found = report.parts.find((p) => p.store === store && p.ruleId === ruleId);
  if (!found) throw new Error(`no part ${store}/${ruleId}`);
  return found;
}

/** What a dry run must leave alone: every file's size and mtime, every table's row count. */
async function snapshot(): Promise<string> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const info = statSync(abs);
      if (info.isDirectory()) walk(abs);
      else files.push(`${abs} ${info.size} ${info.mtimeMs}`);
    }
  };
  walk(sampleDir);
  const [counts] = await services.database.sql.query(
    `SELECT (SELECT count(*) FROM melderegister.abrufprotokoll)::int AS a, (SELECT count(*) FROM servicedesk.ticket)::int AS t,
            (SELECT count(*) FROM requests)::int AS r, (SELECT count(*) FROM audit_events)::int AS e, (SELECT count(*) FROM verifications)::int AS v`,
  );
  return JSON.stringify({ files, counts });
}

let closedCase: string;
let openCase: string;
let unproven: string;

/** Events written at past instants: the audit trail takes its time from the clock. */
async function eventAt(iso: string, requestId: string | null, label: string): Promise<void> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
  try {
    await appendAuditEvent(services.database.db, {
      requestId,
      actorType: "system",
      action: "case.read",
      reason: label,
    });
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(async () => {
  const sample = await cachedSample({ people: 16, days: 75, seed: "retention", out: sampleDir });
  key = sample.answerKey;
  now = sample.end;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
  await loadDatabaseStores(services.database.sql, sampleDir);
  stores = loadSourcesConfig().stores;
  // The portal's own data, its audit events from long ago first (the chain is ordered by time).
  const db = services.database.db;
  await db.delete(requests);
  const [c] = await db
    .insert(requests)
    .values({
      status: "withdrawn",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "alt@example.org",
      closedAt: new Date("2020-06-01T10:00:00Z"),
    })
    .returning();
  const [o] = await db
    .insert(requests)
    .values({ status: "received", kinds: ["auskunft"], channel: "web", contactEmail: "offen@example.org" })
    .returning();
  const [u] = await db
    .insert(requests)
    .values({
      status: "unproven",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "nie@example.org",
      submittedAt: new Date("2024-12-01T10:00:00Z"),
      expiresAt: new Date("2024-12-31T10:00:00Z"),
    })
    .returning();
  closedCase = c!.id;
  openCase = o!.id;
  unproven = u!.id;
  // After the events the setup wrote just now: expired events leave wherever they lie in the chain.
  await eventAt("2020-03-01T09:00:00Z", closedCase, "test.case-event");
  await eventAt("2020-03-01T09:05:00Z", null, "test.log-event");
  await eventAt("2020-06-01T10:00:00Z", closedCase, "test.case-closed");
  await eventAt("2020-12-01T10:00:00Z", openCase, "test.open-case-event");
  await eventAt("2021-01-10T10:00:00Z", null, "test.later-log-event");
  await db.insert(verifications).values({
    type: "signin",
    target: "x@example.org",
    codeHash: "0".repeat(64),
    expiresAt: new Date(Date.now() - 60_000),
  });
  // An administrator lengthens the call records' period: the sweep must apply the setting.
  const [staff] = await services.database.sql.query<{ id: string }>(
    "insert into staff_users (user_name, display_name, email, password_hash) values ('admin-r', 'Admin', 'a@x', 'x') returning id",
  );
  expect(
    (
      await changeRetentionRule(
        db,
        "call-record",
        { period: { days: 30 }, roundToEndOfYear: false },
        staff!.id,
      )
    ).ok,
  ).toBe(true);
  before = await findingsOfEveryone();
  // One expired record per dated store goes under legal hold.
  const rules = await effectiveRules(db);
  for (const store of DATED_BY_RECORD) {
    // The first by key: a search that joined a pass under way gets its findings in another order.
    const candidate = [...before.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, f]) => f)
      .find((f) => f.store === store && f.recordedAt && isExpired(rules[ruleOf(store)], f.recordedAt, now));
    if (!candidate) continue;
    await services.sources.connectors.get(store)!.restrict([candidate.ref], true, "case-1");
    held.add(stableKey(store, candidate.ref));
  }
}, 240_000);

afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

describe("the retention sweep", () => {
  let dry: SweepReport;
  let failed: SweepReport;
  let resumed: SweepReport;

  it("finds the sample's records as the answer key lists them, with expired ones in most stores", () => {
    const fromKey = new Set(key.persons.flatMap((p) => p.records.map((r) => stableKey(r.store, r.ref))));
    expect(new Set(before.keys())).toEqual(fromKey);
    expect(held.size).toBeGreaterThanOrEqual(4);
  });

  it("a dry run lists by store and rule what would go and changes nothing", async () => {
    const state = await snapshot();
    dry = await runSweep(context(), { trigger: "manual", dryRun: true, now, stores });
    expect(await snapshot()).toBe(state);
    expect(dry.dryRun).toBe(true);
    expect(dry.parts.map((p) => `${p.store}/${p.ruleId}`)).toEqual(
      expect.arrayContaining([
        "web-tsr/web-access-log",
        "servicedesk/ticket",
        "servicedesk/contact-form",
        "portal/portal-case",
        "portal-audit/portal-processing-log",
      ]),
    );
    expect(part(dry, "telefon", "call-record").deleted).toBeGreaterThan(0);
    expect(part(dry, "portal", "portal-case").deleted).toBe(1);
    expect(part(dry, "portal-audit", "portal-processing-log").deleted).toBe(2);
  });

  it("records a failing store as failed and still sweeps the others", async () => {
    const folder = path.join(sampleDir, "telefon");
    await rename(folder, `${folder}.away`);
    try {
      failed = await runSweep(context(), { trigger: "manual", now, stores });
    } finally {
      await rename(`${folder}.away`, folder);
    }
    expect(failed.status).toBe("failed");
    const telephone = part(failed, "telefon", "call-record");
    expect(telephone.outcome).toBe("failed");
    expect(telephone.error).toMatch(/telefon/);
    expect(failed.parts.filter((p) => p.store !== "telefon").every((p) => p.outcome !== "failed")).toBe(true);
    const evidence = await services.database.db
      .select()
      .from(sweepEvidence)
      .where(eq(sweepEvidence.sweepRunId, failed.runId));
    expect(evidence).toHaveLength(failed.parts.length);
    expect(evidence.every((e) => e.finishedAt && e.startedAt <= e.finishedAt)).toBe(true);
  });

  it("run again, finishes the failed store and deletes nothing twice", async () => {
    resumed = await runSweep(context(), { trigger: "manual", now, stores });
    expect(resumed.status).toBe("done");
    expect(part(resumed, "telefon", "call-record").deleted).toBeGreaterThan(0);
    for (const p of resumed.parts.filter((p) => p.store !== "telefon" && p.store !== "portal"))
      expect(p.deleted, `${p.store}/${p.ruleId}`).toBe(0);
  });

  it("the dry run counted what the sweep then deleted (held and unoffered records included where the connector decides late)", () => {
    for (const d of dry.parts) {
      const real = [...failed.parts, ...resumed.parts].filter(
        (p) => p.store === d.store && p.ruleId === d.ruleId && p.outcome !== "failed",
      );
      const deleted = real.reduce((sum, p) => sum + p.deleted, 0);
      // Held records are skipped by every run: count them once.
      const kept = Math.max(0, ...real.map((p) => p.skippedOnHold + p.skippedPendingArchive));
      if (d.store === "abrufprotokolle" || d.store.startsWith("portal"))
        expect(d.deleted, `${d.store}/${d.ruleId}`).toBe(deleted);
      else expect(d.deleted, `${d.store}/${d.ruleId}`).toBe(deleted + kept);
    }
  });

  it("removed exactly the records past their rule, kept the held ones, and says so in the evidence", async () => {
    const rules = await effectiveRules(services.database.db);
    const after = await findingsOfEveryone();
    let gone = 0;
    for (const [k, finding] of before) {
      if (!DATED_BY_RECORD.includes(finding.store)) continue;
      const expired = isExpired(rules[ruleOf(finding.store)], finding.recordedAt!, now);
      const expectKept = !expired || held.has(k);
      expect(after.has(k), `${k} ${finding.recordedAt?.toISOString()}`).toBe(expectKept);
      if (!expectKept) gone++;
    }
    expect(gone).toBeGreaterThan(0);
    for (const k of held) {
      const store = k.split(" ")[0]!;
      const skipped = failed.parts
        .concat(resumed.parts)
        .filter((p) => p.store === store)
        .reduce((sum, p) => sum + p.skippedOnHold, 0);
      expect(skipped, store).toBeGreaterThanOrEqual(1);
    }
    // Tickets count from their closure, each kind under its own rule.
    const [tickets] = await services.database.sql.query<{ expired: number }>(
      `SELECT count(*)::int AS expired FROM servicedesk.ticket WHERE closed_at < $1 AND ((contact_form AND closed_at < $2) OR (NOT contact_form AND closed_at < $3))`,
      [
        now,
        new Date(now.getTime() - 5 * 365 * 86_400_000 - 2 * 86_400_000),
        new Date(now.getTime() - 2 * 365 * 86_400_000 - 86_400_000),
      ].map((d) => d.toISOString()),
    );
    expect(tickets!.expired).toBe(0);
  });

  it("swept the portal's own data and left an intact audit chain", async () => {
    const ids = (await services.database.db.select({ id: requests.id }).from(requests)).map((r) => r.id);
    expect(ids).toContain(openCase);
    expect(ids).not.toContain(closedCase);
    expect(ids).not.toContain(unproven);
    expect(await services.database.db.select().from(verifications)).toHaveLength(0);
    const labels = (
      await services.database.sql.query<{ reason: string | null }>(
        "SELECT reason FROM audit_events ORDER BY seq",
      )
    ).map((e) => e.reason);
    expect(labels).toContain("test.open-case-event");
    for (const gone of ["test.case-event", "test.log-event", "test.case-closed", "test.later-log-event"])
      expect(labels).not.toContain(gone);
    // The expired event behind the open case's one went too: cut out of the middle as a recorded gap.
    const sweepAudit = part(failed, "portal-audit", "portal-processing-log");
    expect(sweepAudit.deleted).toBe(2);
    expect(sweepAudit.outcome).toBe("done");
    expect(sweepAudit.error).toBeNull();
    expect(part(failed, "portal-audit", "portal-case").deleted).toBe(2);
    expect(part(failed, "portal", "portal-case").deleted).toBe(1);
    expect(part(failed, "portal", "portal-unverified-request").deleted).toBe(1);
    expect(part(failed, "portal", "portal-verification-code").deleted).toBe(1);
    expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true, deleted: 4, gaps: 2 });
  });

  it("a second sweep deletes nothing", async () => {
    const again = await runSweep(context(), { trigger: "manual", now, stores });
    expect(again.parts.filter((p) => p.deleted > 0)).toEqual([]);
    expect(again.status).toBe("done");
  });

  it("--store limits the sweep to one store and an unknown name is refused", async () => {
    const one = await runSweep(context(), {
      trigger: "manual",
      dryRun: true,
      now,
      stores,
      store: "abrufprotokolle",
    });
    expect(one.parts.map((p) => p.store)).toEqual(["abrufprotokolle"]);
    await expect(runSweep(context(), { trigger: "manual", now, stores, store: "nirgendwo" })).rejects.toThrow(
      /known: web-tsr/,
    );
  });
});
