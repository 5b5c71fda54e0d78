// `npm run audit:verify`: walks the audit trail's hash chain and names the first broken event.
import { openDatabase } from "../db/client";
import { verifyAuditChain } from "../app/server/audit.server";
import { loadConfig } from "../app/server/config.server";
import { runScript } from "./run-script";

await runScript(async () => {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      console.log(`Audit trail intact: ${result.events} events.`);
    } else {
      console.log(`Audit trail BROKEN at event ${result.brokenAt} (${result.problem === "hash" ? "content changed" : "link to the previous event broken"}).`);
      process.exitCode = 2;
    }
  } finally {
    await database.close();
  }
});
