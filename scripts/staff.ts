// `npm run staff -- add|disable|reset-totp …`: staff accounts for operators, the only way to create
// one outside demo mode (app/server/auth/staff-admin.server.ts). Opens the portal's database as
// configured (DATABASE_URL, or the embedded one in DATA_DIR while the portal is stopped).
import { openDatabase } from "../db/client";
import { loadAuditSecret, installAuditKey } from "../app/server/audit/keys.server";
import { syncRoles } from "../app/server/auth/staff-accounts.server";
import {
  describeStaffResult,
  parseStaffCommand,
  runStaffCommand,
} from "../app/server/auth/staff-admin.server";
import { loadConfig } from "../app/server/config.server";
import { runScript } from "./run-script";

await runScript(async () => {
  const command = parseStaffCommand(process.argv.slice(2));
  const config = loadConfig();
  // Every change is audited, and the audit trail is signed.
  installAuditKey(loadAuditSecret(config));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    await syncRoles(database.db);
    const result = await runStaffCommand(database.db, command);
    for (const line of describeStaffResult(result, command.userName, config.publicUrl)) console.log(line);
  } finally {
    await database.close();
  }
});
