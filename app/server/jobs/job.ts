import type { Database } from "../../../db/client";

/** A background job: its queue, optionally a cron schedule (Europe/Berlin), and what it does. */
export interface JobDefinition<Data extends object = object> {
  queue: string;
  schedule?: string;
  run(database: Database, data: Data): Promise<void>;
}
