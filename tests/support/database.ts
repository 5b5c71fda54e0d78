import { randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { type Database, openDatabase } from "#db/client";
import { installAuditKey } from "#app/server/audit/keys.server";
import { type TemplateState, isTemplate, readTemplateState, resetToTemplate } from "./reused-pglite";

/** The audit key tests sign with, as AUDIT_KEY does in production; a child process gets it in its environment. */
export const TEST_AUDIT_KEY = "test-audit-key-never-used-outside-the-tests";

/** Set by tests/support/global-db-setup.ts: the migrated template database on the PostgreSQL server… */
export const POSTGRES_TEMPLATE_ENV = "RP_TEST_POSTGRES_TEMPLATE";
/** …or the data folder of a migrated PGlite, whose database folder test files copy where they need a folder… */
export const PGLITE_TEMPLATE_ENV = "RP_TEST_PGLITE_TEMPLATE";
/** …and the same database as PGlite's dump (dumpDataDir), from which test files start theirs in memory. */
export const PGLITE_DUMP_ENV = "RP_TEST_PGLITE_DUMP";
/**
 * …into folders inside this one, which the global setup removes at the end of the run: a worker's
 * last database is still open when vitest ends the worker, so the worker cannot remove it.
 */
export const PGLITE_RUN_FOLDER_ENV = "RP_TEST_PGLITE_RUN_FOLDER";

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
 * A worker's first database, and any after a database the reset could not prove to be the template
 * again, starts in memory from the template's dump: PostgreSQL's files then live in PGlite's
 * in-memory file system instead of a folder reached through Node's (Emscripten's NODEFS: an lstat
 * per path, a system call per open, write and close). The reset's TRUNCATE makes new files for every
 * table and index; in memory a handed-on cycle of createTestServices and close costs ~0.19 s of CPU
 * instead of ~0.33 s (ADR 0024, ninth pass). The bytes PostgreSQL writes are the same; the portal's
 * own data folder, on NODEFS, is what tests/integration/database.test.ts, audit-verify-script and
 * the browser tests open. RP_TEST_PGLITE_IN_FOLDERS=true copies the template's folder instead, as
 * before. A worker's files after its first take the database the file before gave back, reset to the
 * template (./reused-pglite.ts).
 */
async function copyPgliteTemplate(template: string | undefined): Promise<Database> {
  if (template && spare && templateState) {
    const taken = spare;
    spare = undefined;
    // Proven on taking, not on giving back: a query of the last file that ran after its close shows too.
    if (await isTemplate(taken.database, templateState)) return lend(taken);
    await discard(taken);
  }
  const dump = templateDump();
  if (dump) {
    const database = await openDatabase({ dataDir: null, dump });
    startsInThisWorker++;
    templateState ??= await readTemplateState(database);
    return lend({ database });
  }
  const runFolder = process.env[PGLITE_RUN_FOLDER_ENV];
  const dataDir = runFolder ? mkdtempSync(path.join(runFolder, "db-")) : scratchFolder("rp-test-db-");
  if (template) copyPgliteTemplateInto(dataDir, template);
  try {
    const database = await openDatabase({ dataDir });
    startsInThisWorker++;
    if (!template) await database.migrate();
    else templateState ??= await readTemplateState(database);
    return lend({ database, dataDir });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

const inFolders = process.env.RP_TEST_PGLITE_IN_FOLDERS === "true";
let dumpRead: Blob | undefined;
/** The run's template as PGlite's dump, read once per worker; none without the global setup. */
function templateDump(): Blob | undefined {
  const file = process.env[PGLITE_DUMP_ENV];
  if (!file || inFolders) return undefined;
  return (dumpRead ??= new Blob([readFileSync(file)]));
}

interface HeldPglite {
  database: Database;
  /** The folder of a database copied as a folder; none for one started in memory from the dump. */
  dataDir?: string;
}

/** RP_TEST_FRESH_DATABASES=true: every file copies the template, to tell a leak between files from a real failure. */
const freshDatabases = process.env.RP_TEST_FRESH_DATABASES === "true";
let startsInThisWorker = 0;

/** How many embedded databases this worker has started for test files (tests/integration/test-databases). */
export function pgliteStartsInThisWorker(): number {
  return startsInThisWorker;
}

/** This worker's database given back by its last file and reset to the template, if any. */
let spare: HeldPglite | undefined;
/** What the run's template holds, read from this worker's first copy of it. */
let templateState: TemplateState | undefined;

/** The database for one file; its close() hands it on to the worker's next file or removes it. */
function lend(held: HeldPglite): Database {
  let closed = false;
  return {
    ...held.database,
    async close() {
      if (closed) return;
      closed = true;
      if (templateState && !spare && !freshDatabases && (await resetToTemplate(held.database, templateState)))
        spare = held;
      else await discard(held);
    },
  };
}

async function discard(held: HeldPglite): Promise<void> {
  try {
    await held.database.close();
  } finally {
    if (held.dataDir) rmSync(held.dataDir, { recursive: true, force: true });
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
