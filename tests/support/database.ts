import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { type Database, openDatabase } from "#db/client";
import { installAuditKey } from "#app/server/audit/keys.server";

/** The audit key tests sign with, as AUDIT_KEY does in production; a child process gets it in its environment. */
export const TEST_AUDIT_KEY = "test-audit-key-never-used-outside-the-tests";

/** Set by tests/support/global-db-setup.ts: the migrated template database on the PostgreSQL server… */
export const POSTGRES_TEMPLATE_ENV = "RP_TEST_POSTGRES_TEMPLATE";
/** …or the tarball of a migrated PGlite. */
export const PGLITE_DUMP_ENV = "RP_TEST_PGLITE_DUMP";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or, when DATABASE_URL
 * points at a server, a database of its own on that server that is dropped again on close. Copied
 * from the run's migrated template when the global setup made one; migrated here otherwise.
 */
export async function createTestDatabase(): Promise<Database> {
  installAuditKey(TEST_AUDIT_KEY);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dump = process.env[PGLITE_DUMP_ENV];
    const database = await openDatabase({
      dataDir: null,
      loadDataDir: dump ? new Blob([readFileSync(dump)]) : undefined,
    });
    if (!dump) await database.migrate();
    return database;
  }
  const template = process.env[POSTGRES_TEMPLATE_ENV];
  const { url, drop } = await createServerDatabase(serverUrl, template);
  const database = await openDatabase({ databaseUrl: url, dataDir: null });
  if (!template) await database.migrate();
  return {
    ...database,
    async close() {
      await database.close();
      await drop();
    },
  };
}

/**
 * Creates a database next to the one DATABASE_URL names, empty or as a copy of `template`; returns
 * its URL and how to drop it.
 */
export async function createServerDatabase(serverUrl: string, template?: string) {
  const name = `rp_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
