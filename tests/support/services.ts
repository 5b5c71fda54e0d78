import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "#app/server/config.server";
import { type Services, startServices, stopServices } from "#app/server/services.server";
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
  const [row] = await database.sql.query<{ name: string }>("select current_database() as name");
  const databaseUrl = process.env.DATABASE_URL
    ? withDatabase(process.env.DATABASE_URL, row!.name)
    : undefined;
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

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
