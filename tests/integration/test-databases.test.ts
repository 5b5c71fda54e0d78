/**
 * The test loop's own promise (ADR 0024): a file that takes the database the worker's file before
 * gave back sees the run's template, never that file's rows, schemas, settings or sequences — and
 * a database that cannot be shown to be the template again is thrown away, not handed on.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { verifications } from "#db/schema";
import { appendAuditEvent } from "#app/server/audit.server";
import { createTestDatabase, pgliteStartsInThisWorker } from "../support/database";

const opened: Database[] = [];
async function open(): Promise<Database> {
  const database = await createTestDatabase();
  opened.push(database);
  return database;
}
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

async function one<T>(database: Database, query: string): Promise<T> {
  const [row] = await database.sql.query<{ value: T }>(query);
  return row!.value;
}

// Not on PostgreSQL (a database per file from the server's template) nor with every file on a fresh copy.
describe.skipIf(Boolean(process.env.DATABASE_URL) || process.env.RP_TEST_FRESH_DATABASES === "true")(
  "a test file's embedded database",
  () => {
    it("goes to the worker's next file as the template again, without its rows, schemas, settings, sequence values or planner statistics", async () => {
      // Whatever the worker ran before: start from a database that was handed on or freshly copied.
      const first = await open();
      const empty = {
        verifications: await one<number>(first, "select count(*)::int as value from verifications"),
        audit: await one<number>(first, "select count(*)::int as value from audit_events"),
        roles: await one<number>(first, "select count(*)::int as value from roles"),
        timeout: await one<string>(first, "select current_setting('statement_timeout') as value"),
      };
      expect(empty.verifications).toBe(0);
      expect(empty.audit).toBe(0);
      expect(empty.roles).toBeGreaterThan(0);
      const nextSeq = await one<string>(
        first,
        "select nextval(pg_get_serial_sequence('audit_events', 'seq'))::text as value",
      );

      await first.db
        .insert(verifications)
        .values({ type: "signin", target: "left@example.org", codeHash: "x" });
      // The audit trail refuses TRUNCATE and DELETE; the reset must still empty it.
      await appendAuditEvent(first.db, { actorType: "system", action: "case.read" });
      // Its own statement: the text below ends in an open transaction, which the reset rolls back.
      await first.sql.exec("analyze verifications");
      await first.sql.exec(`
      create schema probe_store;
      create table probe_store.ticket (id int primary key, subject text);
      insert into probe_store.ticket values (1, 'a stranger''s ticket');
      delete from roles where true;
      set statement_timeout = 12345;
      select pg_advisory_lock(42);
      begin;
      insert into verifications (type, target) values ('signin', 'in-flight@example.org');
    `);
      opened.splice(0);
      const starts = pgliteStartsInThisWorker();
      await first.close();

      const second = await open();
      expect(pgliteStartsInThisWorker(), "the database was handed on, not copied anew").toBe(starts);
      expect(await one<number>(second, "select count(*)::int as value from verifications")).toBe(0);
      expect(await one<number>(second, "select count(*)::int as value from audit_events")).toBe(0);
      expect(await one<number>(second, "select count(*)::int as value from roles")).toBe(empty.roles);
      expect(
        await one<number>(
          second,
          "select count(*)::int as value from pg_namespace where nspname = 'probe_store'",
        ),
      ).toBe(0);
      expect(await one<string>(second, "select current_setting('statement_timeout') as value")).toBe(
        empty.timeout,
      );
      expect(await one<boolean>(second, "select pg_try_advisory_lock(42) as value")).toBe(true);
      // Statistics of the file before's rows would plan the next file's queries for them.
      expect(
        await one<number>(
          second,
          "select count(*)::int as value from pg_statistic where starelid = 'verifications'::regclass",
        ),
      ).toBe(0);
      expect(
        await one<string>(
          second,
          "select nextval(pg_get_serial_sequence('audit_events', 'seq'))::text as value",
        ),
      ).toBe(nextSeq);
    });

    it("throws away a database whose leftovers the reset does not know, and the next file gets a fresh copy", async () => {
      const first = await open();
      await first.sql.exec("create role probe_leftover");
      opened.splice(0);
      const starts = pgliteStartsInThisWorker();
      await first.close();

      const second = await open();
      expect(pgliteStartsInThisWorker(), "a new database was started").toBe(starts + 1);
      expect(
        await one<number>(
          second,
          "select count(*)::int as value from pg_roles where rolname = 'probe_leftover'",
        ),
      ).toBe(0);
    });

    it("does not hand on a database that a query of the file before changed after it was given back", async () => {
      const first = await open();
      opened.splice(0);
      await first.close();
      // A late write of that file, after its close, through the handle it still holds.
      await first.db
        .insert(verifications)
        .values({ type: "signin", target: "late@example.org", codeHash: "x" });
      const starts = pgliteStartsInThisWorker();

      const second = await open();
      expect(pgliteStartsInThisWorker(), "a new database was started").toBe(starts + 1);
      expect(await one<number>(second, "select count(*)::int as value from verifications")).toBe(0);
    });
  },
);
