import { type Database, openDatabase } from "../../db/client";
import { loadSourcesConfig } from "../sources/config.server";
import { type StoreRegistry, createRegistry } from "../sources/registry.server";
import { syncRoles } from "./auth/staff-accounts.server";
import type { Config } from "./config.server";
import { seedDemoData } from "./demo.server";
import { type Jobs, startJobs } from "./jobs/index.server";

/** Everything a request or a job needs that lives longer than one request. */
export interface Services {
  config: Config;
  database: Database;
  jobs: Jobs;
  /** The data centre's source stores, one connector each; misconfigured ones are listed as failures. */
  sources: StoreRegistry;
}

export async function startServices(config: Config): Promise<Services> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    await syncRoles(database.db);
    const sources = createRegistry(await loadSourcesConfig(config.sourcesConfig), { dataDir: config.sourcesDir, portalSql: database.sql });
    const jobs = await startJobs(database, { context: { db: database.db, sql: database.sql, config, sources }, runWorkers: config.runWorkers });
    const services = { config, database, jobs, sources };
    await seedDemoData(services);
    return services;
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function stopServices(services: Services): Promise<void> {
  try {
    await services.jobs.stop();
  } finally {
    await services.database.close();
  }
}
