import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "#db/client";
import { loadConfig } from "#app/server/config.server";
import type { JobContext } from "#app/server/jobs/job";
import { type Services, startServices, stopServices } from "#app/server/services.server";
import { createRegistry } from "#app/sources/registry.server";
import { TEST_AUDIT_KEY, createTestDatabase } from "./database";

/**
 * The portal's real services on a test database: what a route's `context.services` holds, started
 * by the portal's own `startServices` — on a database copied from the run's migrated template, with
 * the tests' audit key, without the demo data and the stores' check at start, and without workers
 * unless RUN_WORKERS=true (tests run their jobs when they choose). The file stores are searched on
 * the main thread unless a test asks for search threads (GATHER_SEARCH_THREADS): two threads cost
 * about 2.6 s of CPU to start (each reads the connectors through tsx), paid again by every one of
 * the ~20 files that gather; the connectors are the same code on either side, and
 * tests/integration/gather-threads.test.ts and the browser tests' portals search on threads.
 */
export async function createTestServices(
  env: Record<string, string> = {},
): Promise<{ services: Services; close(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rp-services-"));
  const database = await createTestDatabase();
  const databaseUrl = await testDatabaseUrl(database);
  const config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      DEMO_MODE: "true",
      RUN_WORKERS: "false",
      GATHER_SEARCH_THREADS: "0",
      ...env,
    }),
    databaseUrl,
  };
  const services = await startServices(config, { database, auditKey: TEST_AUDIT_KEY, skipStartTasks: true });
  return {
    services,
    async close() {
      await stopServices(services);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the portal's workers give a job, on a test database and with no stores, for tests that start
 * pg-boss and its workers themselves (startJobs); `env` adds to the configuration.
 */
export async function storelessJobContext(
  database: Database,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<JobContext> {
  const config = {
    ...loadConfig({ DATA_DIR: dataDir, DEMO_MODE: "true", ...env }),
    databaseUrl: await testDatabaseUrl(database),
  };
  return {
    db: database.db,
    sql: database.sql,
    config,
    sources: createRegistry({ stores: [], errors: [] }, { dataDir, portalSql: database.sql }),
  };
}

/** On PostgreSQL, the address of the test file's own database, which pg-boss opens a pool of its own to. */
async function testDatabaseUrl(database: Database): Promise<string | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const [row] = await database.sql.query<{ name: string }>("select current_database() as name");
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${row!.name}`;
  return url.toString();
}
