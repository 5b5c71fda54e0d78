import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type Database, openDatabase } from "../../db/client";
import { useAuditKey } from "../../app/server/audit/keys.server";

/** The audit key tests sign with, as AUDIT_KEY does in production; a child process gets it in its environment. */
export const TEST_AUDIT_KEY = "test-audit-key-never-used-outside-the-tests";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or, when DATABASE_URL
 * points at a server, a database of its own on that server that is dropped again on close.
 */
export async function createTestDatabase(): Promise<Database> {
  useAuditKey(TEST_AUDIT_KEY);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: null });
    await database.migrate();
    return database;
  }
  const { url, drop } = await createServerDatabase(serverUrl);
  const database = await openDatabase({ databaseUrl: url, dataDir: null });
  await database.migrate();
  return {
    ...database,
    async close() {
      await database.close();
      await drop();
    },
  };
}

/** Creates an empty database next to the one DATABASE_URL names; returns its URL and how to drop it. */
export async function createServerDatabase(serverUrl: string) {
  const name = `rp_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
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
