// `npm run audit:verify`: checks the whole audit trail — every event's keyed hash and link, every
// recorded gap of the retention sweep, every signed checkpoint (in the database and in the file
// outside it) — and names the first problem. A clean run signs a new checkpoint.
// Exit code 0: intact; 2: broken; 1: could not check (configuration, database).
import { openDatabase } from "../db/client";
import { checkpointFileIn, writeCheckpoint } from "../app/server/audit/checkpoints.server";
import { loadAuditSecret, installAuditKey } from "../app/server/audit/keys.server";
import { problemText, verifyAuditChain } from "../app/server/audit/verify.server";
import { loadConfig } from "../app/server/config.server";
import { runScript } from "./run-script";

await runScript(async () => {
  const config = loadConfig();
  installAuditKey(loadAuditSecret(config));
  const checkpointFile = checkpointFileIn(config.dataDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await verifyAuditChain(database.db, { checkpointFile });
    if (!result.ok) {
      console.log(
        `Audit trail BROKEN at event ${result.brokenAt} (${result.problem}): ${problemText(result.problem)}.`,
      );
      console.log(`${result.events} events before it verified.`);
      process.exitCode = 2;
      return;
    }
    console.log(`Audit trail intact: ${result.events} events verified from the genesis of the chain.`);
    if (result.gaps > 0)
      console.log(
        `${result.deleted} events deleted after their retention period, in ${result.gaps} recorded and signed gaps.`,
      );
    if (result.unkeyed > 0)
      console.log(`${result.unkeyed} events from before the trail was keyed carry a plain SHA-256 only.`);
    const latest = result.latestCheckpoint;
    console.log(
      latest
        ? `${result.checkpoints} signed checkpoints hold; the latest (${latest.createdAt.toISOString()}) names event ${latest.seq} as number ${latest.events} of the chain.`
        : "No checkpoint yet.",
    );
    const signed = await writeCheckpoint(database.db, checkpointFile);
    if (signed)
      console.log(
        `Checkpoint signed: event ${signed.seq}, ${signed.events} events in all (in the database and in ${checkpointFile}).`,
      );
  } finally {
    await database.close();
  }
});
