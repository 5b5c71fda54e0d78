import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import postgres from "postgres";
import { openDatabase } from "#db/client";
import { PGLITE_TEMPLATE_ENV, POSTGRES_TEMPLATE_ENV, scratchFolder } from "./database";

/**
 * Migrates one template database per test run, so that each test file copies it instead of
 * migrating its own (the migrations take ~10 s per file on a loaded machine). Built from
 * db/migrations at the start of every run, never cached: another change may have added a migration.
 * Test files find it through the environment, which the forked test workers inherit.
 */
export default async function setup() {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? postgresTemplate(serverUrl) : pgliteTemplate();
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

/** A migrated PGlite data folder, opened and closed as the portal does; test files copy its files. */
async function pgliteTemplate() {
  const dataDir = scratchFolder("rp-test-template-");
  const template = await openDatabase({ dataDir });
  try {
    await template.migrate();
  } finally {
    // Closed cleanly, so that every copy starts without recovery.
    await template.close();
  }
  process.env[PGLITE_TEMPLATE_ENV] = dataDir;
  return () => rmSync(dataDir, { recursive: true, force: true });
}
