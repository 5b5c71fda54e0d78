import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { openDatabase, type Database } from "#db/client";
import { loadConfig } from "#app/server/config.server";
import { startServices, stopServices } from "#app/server/services.server";
import {
  PGLITE_DUMP_ENV,
  PGLITE_RUN_FOLDER_ENV,
  PGLITE_TEMPLATE_ENV,
  POSTGRES_TEMPLATE_ENV,
  TEST_AUDIT_KEY,
  copyPgliteTemplateInto,
  scratchFolder,
} from "./database";

/**
 * Makes one template database per test run, so that each test file copies it instead of migrating
 * its own (the migrations take ~10 s per file on a loaded machine). Built from db/migrations at the
 * start of every run, never cached: another change may have added a migration. Test files find it
 * through the environment, which the forked test workers inherit.
 */
export default async function setup() {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? postgresTemplate(serverUrl) : pgliteTemplate();
}

/**
 * The template is a database the portal has started on once, without its demo data: migrated, the
 * roles synchronised and pg-boss's schema installed (which took every test file's services ~0.4 s
 * of CPU). The portal's first start on an empty database is the browser tests' and the jobs tests'.
 */
async function startOnce(database: Database, databaseUrl: string | undefined): Promise<void> {
  const dataDir = scratchFolder("rp-test-template-data-");
  try {
    const config = {
      ...loadConfig({ DATA_DIR: dataDir, DEMO_MODE: "true", RUN_WORKERS: "false" }),
      databaseUrl,
    };
    await stopServices(
      await startServices(config, { database, auditKey: TEST_AUDIT_KEY, skipStartTasks: true }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A database on the server; test files `create database … template` it. */
async function postgresTemplate(serverUrl: string) {
  const name = `rp_tpl_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Closed by stopServices, with pg-boss's own pool: CREATE DATABASE … TEMPLATE refuses while
  // anyone is connected to the template.
  await startOnce(await openDatabase({ databaseUrl: url.toString(), dataDir: null }), url.toString());
  process.env[POSTGRES_TEMPLATE_ENV] = name;
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}

/**
 * A PGlite data folder, opened as the portal opens its own; test files start from its dump in
 * memory (or copy its files, RP_TEST_PGLITE_IN_FOLDERS=true). Closed cleanly by stopServices, so
 * that every copy starts without recovery.
 */
async function pgliteTemplate() {
  const dataDir = scratchFolder("rp-test-template-");
  copyPgliteTemplateInto(dataDir, await emptyPgliteFolder());
  const database = await openDatabase({ dataDir });
  await dropTemplateDatabases(database);
  await startOnce(database, undefined);
  process.env[PGLITE_TEMPLATE_ENV] = dataDir;
  const dump = `${dataDir}.tar`;
  writeFileSync(dump, await dumpFolder(path.join(dataDir, "db")));
  process.env[PGLITE_DUMP_ENV] = dump;
  const runFolder = scratchFolder("rp-test-run-");
  process.env[PGLITE_RUN_FOLDER_ENV] = runFolder;
  return () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dump, { force: true });
    rmSync(runFolder, { recursive: true, force: true });
  };
}

/**
 * PGlite works in the database `postgres`; initdb also made `template0` and `template1`, 14 of the
 * template's 43 MB, which every test file copied and removed again and nothing opens (no test
 * creates a database on PGlite). Without them a copy costs ~35 ms of CPU instead of ~90 ms, a test
 * database copied, started, queried, closed and removed ~420 ms instead of ~500 ms (medians of 7,
 * interleaved, load ~20). The portal's own data folder keeps them; so does PostgreSQL's template.
 */
async function dropTemplateDatabases(database: Database): Promise<void> {
  for (const name of ["template0", "template1"]) {
    await database.sql.query(`alter database ${name} is_template false`);
    await database.sql.query(`drop database ${name}`);
  }
  const [row] = await database.sql.query<{ names: string }>(
    "select string_agg(datname::text, ',' order by datname) as names from pg_database",
  );
  if (row?.names !== "postgres") throw new Error(`databases beside postgres left: ${row?.names}`);
}

/**
 * A data folder whose embedded database is freshly initdb'd and empty, kept between runs in
 * node_modules/.cache. initdb is ~9 s of CPU, and the global setup runs before any test file can
 * start; what it writes depends only on PGlite's version, which names the folder. Nothing of ours
 * is in it: the migrations, roles and pg-boss's schema are applied to a copy at every run.
 */
async function emptyPgliteFolder(): Promise<string> {
  const pglite = path.resolve("node_modules/@electric-sql/pglite/package.json");
  const { version } = JSON.parse(readFileSync(pglite, "utf8")) as { version: string };
  const cached = path.resolve("node_modules/.cache/rp-tests", `pglite-${version}-initdb`);
  if (existsSync(cached)) return cached;
  // Built beside its final name and renamed into place, so that a run started alongside (several
  // people or agents share a checkout) never copies a half-written folder.
  const building = `${cached}-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await (await openDatabase({ dataDir: building })).close();
    renameSync(building, cached);
  } catch (error) {
    if (!existsSync(cached)) throw error;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return cached;
}

/** The database folder as PGlite's uncompressed dump, which an in-memory PGlite starts from. */
async function dumpFolder(folder: string): Promise<Buffer> {
  const pg = new PGlite(folder);
  try {
    await pg.waitReady;
    return Buffer.from(await (await pg.dumpDataDir("none")).arrayBuffer());
  } finally {
    await pg.close();
  }
}
