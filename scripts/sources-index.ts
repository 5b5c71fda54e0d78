// `npm run sources:index -- [--store ID]`: files the rows of the database stores under their search
// keys (ADR 0020), from the index's mark on. Resumable: stopped (Ctrl-C, a crash) it goes on from
// the last committed batch at the next start; run again later it indexes only the rows written
// since, and removes the keys of rows the store's own system deleted. Searches stay complete while
// it runs: the rows it has not reached yet are read one by one.
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { loadConfig } from "../app/server/config.server";
import { createRegistry } from "../app/sources/registry.server";
import { runScript } from "./run-script";

const PROGRESS_EVERY_MS = 2000;

await runScript(async () => {
  const { values } = parseArgs({ options: { store: { type: "string" } }, strict: true });
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const sources = createRegistry(config.sources, { dataDir: config.sourcesDir, portalSql: database.sql });
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  try {
    await database.migrate();
    const indexed = [...sources.connectors.values()].filter(
      (c) => c.buildIndex && (!values.store || c.id === values.store),
    );
    if (values.store && indexed.length === 0)
      throw new Error(`"${values.store}" is not a configured database store with a search index`);
    for (const connector of indexed) {
      const started = performance.now();
      let shown = 0;
      console.log(`${connector.id}: indexing …`);
      let last = "";
      const run = await connector.buildIndex!({
        signal: stop.signal,
        onProgress: ({ indexed, total, highWater }) => {
          last = highWater;
          if (performance.now() - shown < PROGRESS_EVERY_MS && indexed < total) return;
          shown = performance.now();
          const share = total > 0 ? Math.min(100, Math.floor((100 * indexed) / total)) : 100;
          console.log(`${connector.id}: ${indexed} of ${total} rows (${share} %), up to row ${highWater}`);
        },
      }).catch((error: unknown) => {
        if (!stop.signal.aborted) throw error;
        return null;
      });
      if (!run) {
        console.log(
          `${connector.id}: stopped; the index covers the rows up to ${last || "its earlier mark"}, the next run goes on from there`,
        );
        process.exitCode = 130;
        return;
      }
      const seconds = (performance.now() - started) / 1000;
      if (run.busy)
        console.log(
          `${connector.id}: another indexing run of this store is under way and goes on with the rest; this one stopped`,
        );
      console.log(
        `${connector.id}: done in ${seconds.toFixed(1)} s — ${run.indexed} rows indexed, ${run.highWater === null ? "the index covers no row (the table is empty)" : `the index covers the rows up to ${run.highWater}`}; ${run.pruned} keys of rows the store no longer holds removed`,
      );
    }
  } finally {
    for (const connector of sources.connectors.values()) await connector.close();
    await database.close();
  }
});
