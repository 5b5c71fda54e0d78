/**
 * npm run sources:quality -- [--people N] [--days D] [--seed S] [--plain]
 * Writes the "as found in the wild" sample (or with --plain the ordinary one) into a temporary
 * directory, loads its database stores into an embedded database, searches every store for every
 * person of the answer key and prints recall and precision per store. Exits 1 when a store misses
 * a record or returns a stranger's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { z } from "zod";
import { sqlFromPglite } from "../db/sql";
import { loadSourcesConfig } from "../app/sources/config.server";
import { DEFAULT_SCHEMAS, loadDatabaseStores } from "../app/sources/database.server";
import { createRegistry } from "../app/sources/registry.server";
import { generateSample } from "../app/sources/sample/generate.server";
import { measureQuality } from "../app/sources/sample/quality.server";

const { values } = parseArgs({
  options: {
    people: { type: "string", default: "60" },
    days: { type: "string", default: "20" },
    seed: { type: "string", default: "quality" },
    plain: { type: "boolean", default: false },
  },
});
const options = z
  .object({
    people: z.coerce.number().int().min(3),
    days: z.coerce.number().int().min(2).max(400),
    seed: z.string().min(1),
    plain: z.boolean(),
  })
  .safeParse(values);
if (!options.success) {
  console.error(
    `Invalid options: ${options.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), "rp-quality-"));
const pg = new PGlite();
let failed = false;
try {
  const sample = await generateSample({
    people: options.data.people,
    days: options.data.days,
    seed: options.data.seed,
    out: dir,
    messy: !options.data.plain,
  });
  const sql = sqlFromPglite(pg);
  await loadDatabaseStores(sql, dir, DEFAULT_SCHEMAS);
  // The shipped configuration describes the sample's layout (a test keeps the two in step).
  const registry = createRegistry(loadSourcesConfig(), { dataDir: dir, portalSql: sql });
  const results = await measureQuality(registry, sample.answerKey);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(
    `${options.data.plain ? "Ordinary" : "As found in the wild"} sample: ${sample.answerKey.persons.length} people, seed ${options.data.seed}\n`,
  );
  console.log(
    [
      "store".padEnd(18),
      "expected",
      "found",
      "recall".padStart(8),
      "strangers",
      "precision".padStart(10),
      "unproven strangers",
      "problems",
    ].join("  "),
  );
  for (const q of results) {
    console.log(
      [
        q.store.padEnd(18),
        String(q.expected).padStart(8),
        String(q.found).padStart(5),
        pct(q.recall).padStart(8),
        String(q.strangers).padStart(9),
        pct(q.precision).padStart(10),
        String(q.strangersUnproven).padStart(18),
        String(q.problems).padStart(8),
      ].join("  ") + (q.error ? `  FAILED: ${q.error}` : ""),
    );
    if (q.error || q.recall < 1 || q.strangers > 0) failed = true;
  }
  for (const q of results)
    for (const m of q.misses.slice(0, 5))
      console.log(
        `  ${q.store} ${m.person}: missed ${m.missed.length ? m.missed.join(", ") : "none"}; strangers ${m.strangers.length ? m.strangers.join(", ") : "none"}`,
      );
  for (const connector of registry.connectors.values()) await connector.close();
} finally {
  await pg.close();
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
