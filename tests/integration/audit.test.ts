/**
 * The audit trail keeps its own law: events chained under a key outside the database, deleted only
 * within a recorded gap of the retention sweep, and every form of tampering named by the
 * verification — changed, deleted, inserted, the newest cut off, rewritten with a recomputed chain,
 * a forged event appended, a forged gap or checkpoint.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "#db/client";
import { requests } from "#db/schema";
import type { AuditAction, AuditActorType } from "#app/core/audit-actions";
import {
  appendAuditEvent,
  eventMac,
  genesisHash,
  unkeyedHash,
  verifyAuditChain,
} from "#app/server/audit.server";
import { readCheckpointFile, writeCheckpoint } from "#app/server/audit/checkpoints.server";
import { deriveAuditKeys } from "#app/server/audit/keys.server";
import { effectiveRules } from "#app/server/retention/rules.server";
import { sweepAuditTrail } from "#app/server/retention/portal-sweep.server";
import { createTestDatabase } from "../support/database";

vi.setConfig({ testTimeout: 180_000 });
const dir = mkdtempSync(path.join(tmpdir(), "rp-audit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(dir, `checkpoint-${++files}.json`);

/**
 * One database for the file, its trail emptied before every test (a copy of the template per test
 * was ~0.5 s of CPU each, 17 times). What a test may leave behind, the reset takes away or refuses:
 * the trail's three tables and the requests are truncated with their sequences restarted (so seq
 * numbering starts at 1 as in a new database), the append-only triggers must be on again, and every
 * table of the database must hold as many rows as when the file began.
 */
let shared: Database;
let rowsAtStart: string;
beforeAll(async () => {
  shared = await createTestDatabase();
  rowsAtStart = await rowCounts(shared);
});
afterAll(() => shared?.close());

/** Every table's row count outside the system schemas, one line per table. */
async function rowCounts(database: Database): Promise<string> {
  const tables = await database.sql.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  const counts = await database.sql.query<{ name: string; n: number }>(
    tables
      .map((t) => `SELECT ${quote(t.name)} AS name, count(*)::int AS n FROM ${t.name}`)
      .join(" UNION ALL "),
  );
  return counts
    .map((c) => `${c.name} ${c.n}`)
    .sort()
    .join("\n");
}

/** The file's database with an empty trail and no requests, as a fresh copy of the template has them. */
async function freshDatabase(): Promise<Database> {
  await tamper(
    shared,
    "TRUNCATE audit_events, audit_gaps, audit_checkpoints, requests RESTART IDENTITY CASCADE",
  );
  const off = await shared.sql.query<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'
       AND tgrelid IN ('audit_events'::regclass, 'audit_gaps'::regclass, 'audit_checkpoints'::regclass)`,
  );
  expect(off, "append-only triggers switched off").toEqual([]);
  expect(await rowCounts(shared)).toBe(rowsAtStart);
  return shared;
}

/** The file's database, emptied, whose trail holds one event per label (its reason), one transaction each. */
async function trail(labels: string[]): Promise<Database> {
  const database = await freshDatabase();
  for (const label of labels) {
    await database.db.transaction((tx) =>
      appendAuditEvent(tx, {
        actorType: "system",
        action: "case.read",
        reason: label,
        data: { at: new Date("2026-11-23T10:00:00Z"), n: 1.5, nested: { b: 1, a: [2] } },
      }),
    );
  }
  return database;
}

/** What someone with write access to the database but without the audit key can do: triggers off, SQL, triggers on. */
async function tamper(database: Database, statements: string): Promise<void> {
  await database.sql
    .exec(`ALTER TABLE audit_events DISABLE TRIGGER USER; ALTER TABLE audit_checkpoints DISABLE TRIGGER USER; ALTER TABLE audit_gaps DISABLE TRIGGER USER;
    ${statements};
    ALTER TABLE audit_events ENABLE TRIGGER USER; ALTER TABLE audit_checkpoints ENABLE TRIGGER USER; ALTER TABLE audit_gaps ENABLE TRIGGER USER;`);
}

interface Row {
  seq: number;
  request_id: string | null;
  actor_type: AuditActorType;
  actor_id: string | null;
  action: AuditAction;
  reason: string | null;
  data: Record<string, unknown>;
  created_at: unknown;
  prev_hash: string;
  hash: string;
}

async function rows(database: Database): Promise<Row[]> {
  const all = await database.sql.query<Row & { seq: string }>(
    "SELECT *, seq::text AS seq FROM audit_events ORDER BY audit_events.seq",
  );
  return all.map((r) => ({ ...r, seq: Number(r.seq) }));
}

function contentOf(row: Row, prevHash: string) {
  return {
    requestId: row.request_id,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    reason: row.reason,
    data: row.data,
    createdAt: new Date(row.created_at as string),
    prevHash,
  };
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The forger's rewrite: event 2's action changed and the chain from `rows` on recomputed as plain
 * SHA-256 events from `previous`, as someone without the audit key would have to.
 */
function unkeyedRewrite(rows: Row[], previous: string): string {
  const updates: string[] = [];
  for (const row of rows) {
    const content = contentOf(row.seq === 2 ? { ...row, action: "review.approved" } : row, previous);
    const hash = unkeyedHash(content as never);
    updates.push(
      `UPDATE audit_events SET action = ${quote(content.action)}, prev_hash = ${quote(previous)}, hash = ${quote(hash)}, keyed = false WHERE seq = ${row.seq}`,
    );
    previous = hash;
  }
  return updates.join(";\n");
}

describe("an intact trail", () => {
  it("links every event under the audit key and verifies from the genesis", async () => {
    const database = await trail(["request.submitted", "request.proven", "finding.withheld"]);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: true,
      events: 3,
      deleted: 0,
      gaps: 0,
      unkeyed: 0,
    });
    const [first] = await rows(database);
    expect(first!.prev_hash).toBe(genesisHash);
  });

  it("does not verify under another key: the key outside the database is what makes the hashes", async () => {
    const database = await trail(["a", "b"]);
    const other = deriveAuditKeys("another-key-another-key-another-key-!");
    expect(await verifyAuditChain(database.db, { keys: other })).toMatchObject({
      ok: false,
      brokenAt: 1,
      problem: "hash",
    });
  });
});

describe("a trail from before the key", () => {
  it("checks its unkeyed events as a prefix (even cut at the old end by the former sweep) and goes on keyed", async () => {
    const database = await freshDatabase();
    // Two events as the portal wrote them before the key: plain SHA-256, the oldest one already swept away.
    let previous = "a".repeat(64);
    const inserts: string[] = [];
    for (const [i, action] of ["request.submitted", "request.proven"].entries()) {
      const content = {
        requestId: null,
        actorType: "system",
        actorId: null,
        action,
        reason: null,
        data: {},
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
        prevHash: previous,
      };
      const hash = unkeyedHash(content as never);
      inserts.push(
        `INSERT INTO audit_events (actor_type, action, data, created_at, prev_hash, hash) VALUES ('system', '${action}', '{}', ${quote(content.createdAt.toISOString())}, ${quote(previous)}, ${quote(hash)})`,
      );
      previous = hash;
    }
    await database.sql.exec(inserts.join(";\n"));
    await appendAuditEvent(database.db, {
      actorType: "system",
      action: "case.read",
      reason: "after-the-key",
    });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, events: 3, unkeyed: 2 });
  });
});

describe("tampering is found in every form", () => {
  it("change: an event altered behind the trigger's back", async () => {
    const database = await trail(["a", "b", "c"]);
    await expect(database.sql.query("UPDATE audit_events SET reason = 'x' WHERE seq = 2")).rejects.toThrow(
      /append-only/,
    );
    await tamper(database, "UPDATE audit_events SET action = 'review.approved' WHERE seq = 3");
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 3, problem: "hash" });
  });

  it("delete: an event removed from the middle", async () => {
    const database = await trail(["a", "b", "c"]);
    await tamper(database, "DELETE FROM audit_events WHERE seq = 2");
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 3, problem: "link" });
  });

  it("delete: the oldest events removed without a recorded gap", async () => {
    const database = await trail(["a", "b", "c"]);
    await tamper(database, "DELETE FROM audit_events WHERE seq = 1");
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 2, problem: "start" });
  });

  it("insert: a forged event slipped into a hole of the sequence, linked to its predecessor", async () => {
    const database = await trail(["a"]);
    // A rolled-back append leaves its sequence number unused.
    await database.db
      .transaction(async (tx) => {
        await appendAuditEvent(tx, { actorType: "system", action: "case.read", reason: "rolled-back" });
        throw new Error("roll back");
      })
      .catch(() => {});
    await appendAuditEvent(database.db, { actorType: "system", action: "case.read", reason: "c" });
    const [a] = await rows(database);
    const forged = contentOf({ ...a!, action: "review.approved" }, a!.hash);
    await tamper(
      database,
      `INSERT INTO audit_events (seq, actor_type, action, data, created_at, prev_hash, hash, keyed)
         VALUES (2, 'system', 'review.approved', ${quote(JSON.stringify(a!.data))}::jsonb, ${quote(forged.createdAt.toISOString())}, ${quote(a!.hash)}, ${quote(unkeyedHash(forged))}, true)`,
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 2, problem: "hash" });
  });

  it("truncation: the newest events cut off, found by the signed checkpoint in the database", async () => {
    const database = await trail(["a", "b", "c", "d"]);
    expect(await writeCheckpoint(database.db, null)).toMatchObject({ seq: 4, events: 4 });
    await tamper(database, "DELETE FROM audit_events WHERE seq >= 3");
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      brokenAt: 4,
      problem: "truncated",
    });
  });

  it("truncation: events and the database's checkpoints cut off together, found by the checkpoint file outside the database", async () => {
    const database = await trail(["a", "b", "c", "d"]);
    const file = newFile();
    await writeCheckpoint(database.db, file);
    expect(await readCheckpointFile(file)).toMatchObject({ seq: 4, events: 4 });
    await tamper(database, "DELETE FROM audit_events WHERE seq = 4; DELETE FROM audit_checkpoints");
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(database.db, { checkpointFile: file })).toMatchObject({
      ok: false,
      brokenAt: 4,
      problem: "truncated",
    });
  });

  it("rewrite with a recomputed chain: without the key the recomputed hashes fail", async () => {
    const database = await trail(["a", "b", "c"]);
    const all = await rows(database);
    const guessed = deriveAuditKeys("a-guess-at-the-key-a-guess-at-the-key");
    let previous = all[0]!.hash;
    const updates: string[] = [];
    for (const row of all.slice(1)) {
      const content = contentOf(row.seq === 2 ? { ...row, action: "review.approved" } : row, previous);
      const hash = eventMac(guessed.event, content as never);
      updates.push(
        `UPDATE audit_events SET action = ${quote(content.action)}, prev_hash = ${quote(previous)}, hash = ${quote(hash)} WHERE seq = ${row.seq}`,
      );
      previous = hash;
    }
    await tamper(database, updates.join(";\n"));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 2, problem: "hash" });
  });

  it("rewrite with a recomputed chain: turned into plain SHA-256 events from the change on", async () => {
    const database = await trail(["a", "b", "c"]);
    const all = await rows(database);
    await tamper(database, unkeyedRewrite(all.slice(1), all[0]!.hash));
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      brokenAt: 2,
      problem: "unkeyed",
    });
  });

  it("rewrite with a recomputed chain: the whole trail recomputed as unkeyed from the genesis, found by the checkpoint", async () => {
    const database = await trail(["a", "b", "c"]);
    await writeCheckpoint(database.db, null);
    await tamper(database, unkeyedRewrite(await rows(database), genesisHash));
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      brokenAt: 3,
      problem: "checkpoint",
    });
  });

  it("an appended forged event: with a made-up hash, or as a plain SHA-256 event", async () => {
    const database = await trail(["a", "b"]);
    const [, b] = await rows(database);
    const forged = contentOf({ ...b!, action: "review.approved" }, b!.hash);
    const insert = (hash: string, keyed: boolean) =>
      `INSERT INTO audit_events (actor_type, action, data, created_at, prev_hash, hash, keyed)
         VALUES ('system', 'review.approved', ${quote(JSON.stringify(b!.data))}::jsonb, ${quote(forged.createdAt.toISOString())}, ${quote(b!.hash)}, ${quote(hash)}, ${keyed})`;
    await tamper(database, insert("f".repeat(64), true));
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 3, problem: "hash" });
    await tamper(database, "DELETE FROM audit_events WHERE seq = 3");
    await tamper(database, insert(unkeyedHash(forged), false));
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      brokenAt: 4,
      problem: "unkeyed",
    });
  });

  it("a forged gap: events deleted and a gap recorded without the key", async () => {
    const database = await trail(["a", "b", "c", "d"]);
    const [a, , c] = await rows(database);
    await tamper(
      database,
      `DELETE FROM audit_events WHERE seq IN (2, 3);
         INSERT INTO audit_gaps (first_seq, last_seq, events, prev_hash, last_hash, oldest_at, newest_at, created_at, mac)
         VALUES (2, 3, 2, ${quote(a!.hash)}, ${quote(c!.hash)}, now(), now(), now(), ${quote("0".repeat(64))})`,
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 2, problem: "gap" });
  });

  it("a forged or altered checkpoint", async () => {
    const database = await trail(["a", "b"]);
    await writeCheckpoint(database.db, null);
    await tamper(database, "UPDATE audit_checkpoints SET events = 5");
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      brokenAt: 2,
      problem: "checkpoint-forged",
    });
  });
});

describe("DELETE is refused outside a recorded gap", () => {
  it("refuses deleting or truncating events, and changing or deleting gaps and checkpoints", async () => {
    const database = await trail(["a", "b", "c"]);
    await writeCheckpoint(database.db, null);
    await expect(database.sql.query("DELETE FROM audit_events WHERE seq = 2")).rejects.toThrow(
      /recorded gap/,
    );
    // The sweep's setting alone is not enough: a gap covering the event must be recorded.
    await expect(
      database.sql.transaction(async (tx) => {
        await tx.query("SELECT set_config('rechteportal.audit_gap', '2', true)");
        await tx.query("DELETE FROM audit_events WHERE seq = 2");
      }),
    ).rejects.toThrow(/recorded gap/);
    await expect(database.sql.query("TRUNCATE audit_events")).rejects.toThrow(/recorded gap/);
    await expect(database.sql.query("UPDATE audit_checkpoints SET events = 9")).rejects.toThrow(
      /append-only/,
    );
    await expect(database.sql.query("DELETE FROM audit_checkpoints")).rejects.toThrow(/append-only/);
    await expect(database.sql.query("TRUNCATE audit_checkpoints")).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, events: 3 });
  });
});

describe("expired events leave through recorded gaps, wherever they lie in the chain", () => {
  /** Events written at past instants: the audit trail takes its time from the clock. */
  async function eventAt(
    database: Database,
    iso: string,
    requestId: string | null,
    label: string,
  ): Promise<void> {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(iso));
    try {
      await appendAuditEvent(database.db, {
        requestId,
        actorType: "system",
        action: "case.read",
        reason: label,
      });
    } finally {
      vi.useRealTimers();
    }
  }

  it("cuts runs from the middle and the end, keeps the rest verifiable, and the chain goes on across them", async () => {
    const database = await freshDatabase();
    const { db, sql } = database;
    const [closed] = await db
      .insert(requests)
      .values({
        status: "answered",
        kinds: ["auskunft"],
        channel: "web",
        contactEmail: "a@example.org",
        closedAt: new Date("2020-06-01T10:00:00Z"),
      })
      .returning();
    const [open] = await db
      .insert(requests)
      .values({ status: "received", kinds: ["auskunft"], channel: "web", contactEmail: "b@example.org" })
      .returning();
    await eventAt(database, "2020-01-01T10:00:00Z", open!.id, "keep-1");
    await eventAt(database, "2020-02-01T10:00:00Z", closed!.id, "expired-case-1");
    await eventAt(database, "2020-02-02T10:00:00Z", null, "expired-log-1");
    await eventAt(database, "2020-03-01T10:00:00Z", open!.id, "keep-2");
    await eventAt(database, "2020-04-01T10:00:00Z", closed!.id, "expired-case-2");
    await eventAt(database, "2020-05-01T10:00:00Z", open!.id, "keep-3");
    await appendAuditEvent(db, { actorType: "system", action: "case.read", reason: "keep-recent-log" });
    await eventAt(database, "2020-06-01T10:00:00Z", closed!.id, "expired-case-3-newest");
    // A checkpoint signed over the event that is about to be deleted.
    const file = newFile();
    await writeCheckpoint(db, file);
    const rules = await effectiveRules(db);
    const now = new Date();

    const dry = await sweepAuditTrail(sql, rules, now, true);
    expect([dry.cases.deleted, dry.log.deleted]).toEqual([3, 1]);
    expect((await rows(database)).length).toBe(8);

    const swept = await sweepAuditTrail(sql, rules, now, false);
    expect([swept.cases.deleted, swept.log.deleted]).toEqual([3, 1]);
    expect(swept.cases.note ?? swept.log.note).toBeUndefined();
    expect((await rows(database)).map((r) => r.reason)).toEqual([
      "keep-1",
      "keep-2",
      "keep-3",
      "keep-recent-log",
    ]);
    const gaps = await sql.query<{ first_seq: string; last_seq: string; events: number }>(
      "SELECT first_seq::text, last_seq::text, events FROM audit_gaps ORDER BY first_seq",
    );
    expect(gaps.map((g) => [Number(g.first_seq), Number(g.last_seq), g.events])).toEqual([
      [2, 3, 2],
      [5, 5, 1],
      [8, 8, 1],
    ]);
    expect(await verifyAuditChain(db, { checkpointFile: file })).toMatchObject({
      ok: true,
      events: 4,
      deleted: 4,
      gaps: 3,
    });

    // The next event links to the last deleted one, across the gap at the end.
    await appendAuditEvent(db, { actorType: "system", action: "case.read", reason: "after-the-gap" });
    expect(await verifyAuditChain(db, { checkpointFile: file })).toMatchObject({
      ok: true,
      events: 5,
      deleted: 4,
    });

    // Later the open case closes long enough ago: its events go too, in gaps beside the first ones.
    await db.update(requests).set({ status: "answered", closedAt: new Date("2020-07-01T10:00:00Z") });
    const again = await sweepAuditTrail(sql, rules, now, false);
    expect(again.cases.deleted).toBe(3);
    expect((await rows(database)).map((r) => r.reason)).toEqual(["keep-recent-log", "after-the-gap"]);
    expect(await verifyAuditChain(db, { checkpointFile: file })).toMatchObject({
      ok: true,
      events: 2,
      deleted: 7,
      gaps: 6,
    });
    expect(await writeCheckpoint(db, file)).toMatchObject({ events: 9 });
    expect(await verifyAuditChain(db, { checkpointFile: file })).toMatchObject({
      ok: true,
      checkpoints: 2,
    });

    // A second sweep finds nothing more.
    const third = await sweepAuditTrail(sql, rules, now, false);
    expect([third.cases.deleted, third.log.deleted]).toEqual([0, 0]);
  });
});
