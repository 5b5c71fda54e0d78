import type { Db } from "../../../db/client";
import type { Sql } from "../../../db/sql";
import type { StoreRegistry } from "../../sources/registry.server";
import type { Config } from "../config.server";

/** What a job may use: the database, the validated configuration and the source stores. */
export interface JobContext {
  db: Db;
  sql: Sql;
  config: Config;
  sources: StoreRegistry;
}

/** A background job: its queue, optionally a cron schedule (Europe/Berlin), and what it does. */
export interface JobDefinition<Data extends object = object> {
  queue: string;
  schedule?: string;
  /** How often pg-boss retries a failed run (default 2), e.g. after a worker was killed. */
  retryLimit?: number;
  run(context: JobContext, data: Data): Promise<void>;
}
