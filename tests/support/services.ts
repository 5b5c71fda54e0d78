import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { syncRoles } from "../../app/server/auth/staff-accounts.server";
import { loadConfig } from "../../app/server/config.server";
import { startJobs } from "../../app/server/jobs/index.server";
import { createRegistry } from "../../app/sources/registry.server";
import type { Services } from "../../app/server/services.server";
import { createTestDatabase } from "./database";

/** The portal's real services on a test database: what a route's `context.services` holds. */
export async function createTestServices(env: Record<string, string> = {}): Promise<{ services: Services; close(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rp-services-"));
  const database = await createTestDatabase();
  const [row] = await database.sql.query<{ name: string }>("select current_database() as name");
  const databaseUrl = process.env.DATABASE_URL ? withDatabase(process.env.DATABASE_URL, row!.name) : undefined;
  const config = { ...loadConfig({ DATA_DIR: dataDir, DEMO_MODE: "true", ...env }), databaseUrl };
  await syncRoles(database.db);
  const sources = createRegistry(config.sources, { dataDir: config.sourcesDir, portalSql: database.sql });
  const jobs = await startJobs(database, { context: { db: database.db, sql: database.sql, config, sources }, runWorkers: env.RUN_WORKERS === "true" });
  return {
    services: { config, database, jobs, sources },
    async close() {
      await jobs.stop();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
