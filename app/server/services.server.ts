import { type Database, type Db, openDatabase } from "#db/client";
import type { Sql } from "#db/sql";
import { type StoreRegistry, createRegistry } from "../sources/registry.server";
import { SearchThreads } from "../sources/search-threads.server";
import { loadAuditSecret, installAuditKey } from "./audit/keys.server";
import { syncRoles } from "./auth/staff-accounts.server";
import type { Config } from "./config.server";
import { seedDemoData } from "./demo.server";
import { removeCrashedAnswerSpools } from "./answers/answer-spool.server";
import { moveLegacyDocuments, removeOrphanDocuments } from "./document-files.server";
import { type Jobs, startJobs } from "./jobs/index.server";
import { checkStores, storeCheckLines } from "./store-checks.server";
import { describeError, log } from "./log.server";

/**
 * Everything a request or a job needs that lives longer than one request: the one object use cases
 * take their dependencies from, as `Pick<Services, "db" | "config" | …>` (ADR 0018).
 */
export interface Services {
  config: Config;
  /** The database to open and close; use cases take `db` and `sql`, which are its two handles. */
  database: Database;
  db: Db;
  sql: Sql;
  jobs: Jobs;
  /** The data centre's source stores, one connector each; misconfigured ones are listed as failures. */
  sources: StoreRegistry;
  /** The stores' check at start, still running or done; awaited before the stores are closed. */
  startChecks?: Promise<void>;
}

/** What tests change about the start (tests/support/services.ts); the portal passes none of it. */
export interface StartOptions {
  /** A database already open (tests copy a migrated template) instead of the one the configuration names. */
  database?: Database;
  /** The audit key to sign with instead of AUDIT_KEY or the demo key in the data folder. */
  auditKey?: string;
  /** Leave out the demo data and the stores' check at start: tests bring their own data and stores. */
  skipStartTasks?: boolean;
}

export async function startServices(config: Config, options: StartOptions = {}): Promise<Services> {
  // Before anything can write an audit event; outside demo mode AUDIT_KEY is required.
  installAuditKey(options.auditKey ?? loadAuditSecret(config));
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    await database.migrate();
    await syncRoles(database.db);
    // Documents still in the database (stored before they became files) go to their files, and
    // files no row names (a deletion cut short by a crash) go; both before anything reads them.
    const moved = await moveLegacyDocuments(database.db, config);
    if (moved > 0) log.info({ moved }, "documents: moved from the database to files");
    await removeOrphanDocuments(database.db, config);
    // Answer spools of a process that crashed during a download (kill -9) hold a person's data.
    const spools = await removeCrashedAnswerSpools();
    if (spools > 0) log.info({ spools }, "answers: removed the spools of ended processes");
    const searchThreads =
      config.gatherSearchThreads > 0 ? new SearchThreads(config.gatherSearchThreads) : undefined;
    // A process that runs the jobs starts its search threads now, not with its first gathering (ADR 0021).
    if (config.runWorkers) searchThreads?.warm();
    const sources = createRegistry(config.sources, {
      dataDir: config.sourcesDir,
      portalSql: database.sql,
      searchThreads,
    });
    const jobs = await startJobs(database, {
      context: { db: database.db, sql: database.sql, config, sources },
      runWorkers: config.runWorkers,
    });
    const services: Services = { config, database, db: database.db, sql: database.sql, jobs, sources };
    if (options.skipStartTasks) return services;
    await seedDemoData(services);
    // The stores are checked beside the start, not before it (and after the demo data, which
    // writes the demo stores): a store that is down fails alone, in the log now and on the staff
    // page, and the portal serves the others.
    services.startChecks = checkStores(sources)
      .then((checks) => storeCheckLines(checks).forEach((line) => console.log(line)))
      .catch((error) => log.error({ error: describeError(error) }, "sources: the check at start failed"));
    return services;
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function stopServices(services: Services): Promise<void> {
  try {
    await services.jobs.stop();
    await services.startChecks;
    await closeStores(services.sources);
  } finally {
    await services.database.close();
  }
}

/** Releases every store's connections and handles; one that fails to close does not keep the others open. */
async function closeStores(sources: StoreRegistry): Promise<void> {
  for (const [store, connector] of sources.connectors) {
    try {
      await connector.close();
    } catch (error) {
      log.error({ store, error: describeError(error) }, "sources: a store could not be closed");
    }
  }
  await sources.searchThreads?.close();
}
