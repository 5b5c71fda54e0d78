// `npm run sweep -- [--dry-run] [--store NAME] [--now ISO-INSTANT]`: the retention sweep by hand,
// the same one the daily schedule runs, with the same evidence. A dry run lists by store and rule
// what would go and changes nothing.
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { loadAuditSecret, installAuditKey } from "../app/server/audit/keys.server";
import { loadConfig } from "../app/server/config.server";
import { runSweep, type SweepPart } from "../app/server/retention/sweep.server";
import { createRegistry } from "../app/sources/registry.server";
import { runScript } from "./run-script";

function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "-";
}

function printParts(parts: SweepPart[], dryRun: boolean): void {
  const header = [
    "store",
    "rule",
    dryRun ? "would delete" : "deleted",
    "held",
    "awaiting archive",
    "malformed",
    "oldest",
    "newest",
    "outcome",
  ];
  const rows = parts.map((p) => [
    p.store,
    p.ruleId,
    String(p.deleted),
    String(p.skippedOnHold),
    String(p.skippedPendingArchive),
    String(p.malformed),
    day(p.oldestAffected),
    day(p.newestAffected),
    p.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
  for (const p of parts.filter((p) => p.error)) console.log(`${p.store} / ${p.ruleId}: ${p.error}`);
}

await runScript(async () => {
  const { values } = parseArgs({
    options: {
      "dry-run": { type: "boolean", default: false },
      store: { type: "string" },
      now: { type: "string" },
    },
    strict: true,
  });
  const now = values.now ? new Date(values.now) : undefined;
  if (now && Number.isNaN(now.getTime()))
    throw new Error(`--now expects an ISO instant such as 2026-01-01T00:00:00Z, got "${values.now}"`);
  const config = loadConfig();
  // The sweep records its gaps in the audit trail and its run as an event: both are signed.
  installAuditKey(loadAuditSecret(config));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const sources = createRegistry(config.sources, { dataDir: config.sourcesDir, portalSql: database.sql });
    const context = { db: database.db, sql: database.sql, config, sources };
    const dryRun = values["dry-run"];
    const report = await runSweep(context, { trigger: "manual", dryRun, store: values.store, now });
    console.log(`${dryRun ? "Dry run" : "Sweep"} ${report.runId}: ${report.status}`);
    printParts(report.parts, dryRun);
    if (report.status !== "done") process.exitCode = 1;
  } finally {
    await database.close();
  }
});
