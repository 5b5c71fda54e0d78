import { randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { type Database, openDatabase } from "#db/client";
import { installAuditKey } from "#app/server/audit/keys.server";

/** The audit key tests sign with, as AUDIT_KEY does in production; a child process gets it in its environment. */
export const TEST_AUDIT_KEY = "test-audit-key-never-used-outside-the-tests";

/** Set by tests/support/global-db-setup.ts: the migrated template database on the PostgreSQL server… */
export const POSTGRES_TEMPLATE_ENV = "RP_TEST_POSTGRES_TEMPLATE";
/** …or the data folder of a migrated PGlite, whose database folder test files copy. */
export const PGLITE_TEMPLATE_ENV = "RP_TEST_PGLITE_TEMPLATE";

/**
 * A fresh, migrated database for one test file: an embedded PGlite in a folder of its own (opened as
 * the portal opens its data folder) by default, or, when DATABASE_URL points at a server, a database
 * of its own on that server. Either is dropped again on close. Copied from the run's migrated
 * template when the global setup made one; migrated here otherwise.
 */
export async function createTestDatabase(): Promise<Database> {
  installAuditKey(TEST_AUDIT_KEY);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return copyPgliteTemplate(process.env[PGLITE_TEMPLATE_ENV]);
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
 * A folder for test databases: in memory where the machine has a tmpfs at /dev/shm (a PGlite
 * database folder is ~40 MB that no test needs on disk), the temporary folder otherwise.
 */
export function scratchFolder(prefix: string): string {
  return mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), prefix));
}

/**
 * Copying the template's files and starting PGlite on the copy takes a third of the CPU time of
 * loading a dumpDataDir() tarball into an in-memory PGlite (tarball unpacking and the 128 MB
 * default shared buffers the portal's own data folder setting avoids).
 */
async function copyPgliteTemplate(template: string | undefined): Promise<Database> {
  const dataDir = scratchFolder("rp-test-db-");
  if (template) copyPgliteTemplateInto(dataDir, template);
  try {
    const database = await openDatabase({ dataDir });
    if (!template) await database.migrate();
    return {
      ...database,
      async close() {
        try {
          await database.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Makes `dataDir` a portal data folder whose embedded database is a copy of the run's template. */
export function copyPgliteTemplateInto(dataDir: string, template: string): void {
  copyTree(path.join(template, "db"), path.join(dataDir, "db"));
}

/**
 * A folder of folders and plain files, copied with their modes. Node's cpSync checks every one of
 * the template's ~1 300 files against its target and parents first: ~0.1 s of CPU a copy against
 * ~0.07 s for this, once per test database.
 */
function copyTree(from: string, to: string): void {
  mkdirSync(to);
  chmodSync(to, statSync(from).mode);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyTree(source, path.join(to, entry.name));
    else if (entry.isFile()) copyFileSync(source, path.join(to, entry.name));
    else throw new Error(`${source}: neither a folder nor a file, not copied`);
  }
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
