import type { Database } from "#db/client";

/** A probe that has not answered by then counts as "away": the person should not wait for it. */
const PROBE_DEADLINE_MS = 2000;
/** One probe answers all requests that fail within this time, so an outage is not a probe storm. */
const PROBE_REUSE_MS = 1000;

const recent = new WeakMap<object, { at: number; away: Promise<boolean> }>();

/**
 * Is the database away right now? Asked after a page failed: when the database cannot be reached,
 * the person gets "temporarily unavailable" (503) instead of "an error occurred" (500), and the
 * portal needs no restart when it is back — every request asks the pool for a connection anew.
 */
export function databaseIsAway(database: Pick<Database, "sql">): Promise<boolean> {
  const now = Date.now();
  const last = recent.get(database);
  if (last && now - last.at < PROBE_REUSE_MS) return last.away;
  const away = Promise.race([
    database.sql.query("select 1").then(
      () => false,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), PROBE_DEADLINE_MS).unref()),
  ]);
  recent.set(database, { at: now, away });
  return away;
}
