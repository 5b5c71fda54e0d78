import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inArray } from "drizzle-orm";
import type { Database } from "#db/client";
import { staffUsers } from "#db/schema";
import { freshTotpMinutes } from "#app/server/auth/staff.server";
import type { Config } from "#app/server/config.server";
import { openStaffSession } from "#tests/support/staff";

/**
 * Browser tests start signed in: their staff sessions are written straight into the portal's
 * database (tests/support/staff.ts), not made through the sign-in pages, which only the sign-in
 * tests use. The embedded database is one process's alone, so the sessions are opened before the
 * portal starts — a stock per account, in the portal's data folder — and each sign-in takes one no
 * test has used (a test may sign out or revoke it).
 */
const sessionsPerAccount = 16;

interface PreparedSession {
  /** The `Cookie` header value, `rp_staff=…`. */
  cookie: string;
  /** When the session's second factor counts as entered (epoch milliseconds). */
  openedAt: number;
}

const stockDir = (dataDir: string, userName: string) => path.join(dataDir, "e2e-sessions", userName);

/** Opens the stock of sessions for these accounts; call it while the portal is not running. */
export async function prepareStaffSessions(
  database: Database,
  config: Config,
  userNames: string[],
): Promise<void> {
  const users = await database.db
    .select({ id: staffUsers.id, userName: staffUsers.userName })
    .from(staffUsers)
    .where(inArray(staffUsers.userName, userNames));
  for (const userName of userNames) {
    const user = users.find((u) => u.userName === userName);
    if (!user) throw new Error(`no staff account ${userName} to open sessions for`);
    const dir = stockDir(config.dataDir, userName);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < sessionsPerAccount; i++) {
      const openedAt = Date.now();
      const cookie = await openStaffSession(database.db, config, user.id, { lastTotpAt: new Date(openedAt) });
      writeFileSync(
        path.join(dir, `${String(i).padStart(3, "0")}.json`),
        JSON.stringify({ cookie, openedAt } satisfies PreparedSession),
        { mode: 0o600 },
      );
    }
  }
}

/** A prepared session of this account that no test has taken yet (the rename is atomic). */
export function takeStaffSession(dataDir: string, userName: string): PreparedSession & { stale: boolean } {
  const dir = stockDir(dataDir, userName);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const taken = path.join(dir, `${file}.taken`);
    try {
      renameSync(path.join(dir, file), taken);
    } catch {
      continue; // Taken in the meantime.
    }
    const session = JSON.parse(readFileSync(taken, "utf8")) as PreparedSession;
    // Approvals need a code younger than freshTotpMinutes; a minute's margin for the test's own steps.
    return { ...session, stale: Date.now() - session.openedAt > (freshTotpMinutes - 1) * 60_000 };
  }
  throw new Error(
    `all ${sessionsPerAccount} prepared sessions of ${userName} are used: raise sessionsPerAccount`,
  );
}
