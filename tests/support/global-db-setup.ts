import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import postgres from "postgres";
import { openDatabase } from "#db/client";
import { PGLITE_DUMP_ENV, POSTGRES_TEMPLATE_ENV } from "./database";

/**
 * Migrates one template database per test run, so that each test file copies it instead of
 * migrating its own (the migrations take ~10 s per file on a loaded machine). Built from
 * db/migrations at the start of every run, never cached: another change may have added a migration.
 * Test files find it through the environment, which the forked test workers inherit.
 */
export default async function setup() {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? postgresTemplate(serverUrl) : pgliteDump();
}

/** A migrated database on the server; test files `create database … template` it. */
async function postgresTemplate(serverUrl: string) {
  const name = `rp_tpl_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const template = await openDatabase({ databaseUrl: url.toString(), dataDir: null });
  try {
    await template.migrate();
  } finally {
    // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
    await template.close();
  }
  process.env[POSTGRES_TEMPLATE_ENV] = name;
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}

/** A migrated in-memory PGlite dumped to a tarball; test files start their PGlite from it. */
async function pgliteDump() {
  const pg = new PGlite();
  await migrate(drizzle(pg), { migrationsFolder: path.resolve("db/migrations") });
  const dump = await pg.dumpDataDir("none");
  await pg.close();
  const file = path.join(tmpdir(), `rp-test-db-${process.pid}-${randomBytes(4).toString("hex")}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[PGLITE_DUMP_ENV] = file;
  return () => rmSync(file, { force: true });
}
