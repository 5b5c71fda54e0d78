import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { addDays, berlinDayOf } from "../core/berlin-date";
import type { RoleId } from "../core/permissions";
import { loadDatabaseStores } from "../sources/database.server";
import { ANSWER_KEY_FILE } from "../sources/sample/layout";
import { generateSample } from "../sources/sample/generate.server";
import { DEMO_PERSONS } from "../sources/sample/people";
import { gatherOnReceipt } from "./gather/gather.server";
import { announceMail } from "./mail/mail-jobs.server";
import { intakeRequest } from "./requests/intake.server";
import { accountsExist, createStaffAccount } from "./auth/staff-accounts.server";
import { newTotpSecret } from "./auth/totp.server";
import type { Services } from "./services.server";

/**
 * Demo data for a fresh embedded database: staff accounts with a generated password and a
 * pre-enrolled TOTP secret, one per role and a second DPO: four eyes needs two people who may
 * approve, so that a newcomer can propose as one DPO and approve as the other. They are kept in the data folder (demo mode only) so `npm start`
 * can print them on every start and the browser tests can sign in.
 */
const demoAccountSchema = z.object({
  userName: z.string(),
  displayName: z.string(),
  role: z.string(),
  password: z.string(),
  totpSecret: z.string(),
});
export type DemoAccount = z.infer<typeof demoAccountSchema>;

const demoStaff: { userName: string; displayName: string; role: RoleId }[] = [
  { userName: "sachbearbeitung", displayName: "Sabine Sachbearbeiterin", role: "case-handler" },
  { userName: "dsb", displayName: "Dr. Dana Schutz (DSB)", role: "dpo" },
  { userName: "dsb-vertretung", displayName: "Dr. Viktor Vier (DSB, Vertretung)", role: "dpo" },
  { userName: "admin", displayName: "Armin Administrator", role: "admin" },
];

export function demoAccountsFile(dataDir: string): string {
  return path.join(dataDir, "demo-accounts.json");
}

export async function seedDemoData(services: Services): Promise<void> {
  const { config, database } = services;
  if (!config.demoMode || (await accountsExist(database.db))) return;
  await seedDemoSources(services);
  const accounts: (DemoAccount & { id: string })[] = [];
  for (const staff of demoStaff) {
    const account = { ...staff, password: randomBytes(9).toString("base64url"), totpSecret: newTotpSecret() };
    const id = await createStaffAccount(database.db, {
      ...account,
      email: `${staff.userName}@tlrz.example`,
      roles: [staff.role],
    });
    accounts.push({ ...account, id });
  }
  writeFileSync(
    demoAccountsFile(config.dataDir),
    JSON.stringify(
      accounts.map(({ id: _id, ...a }) => a),
      null,
      2,
    ),
    { mode: 0o600 },
  );
  await seedDemoCase(services, accounts.find((a) => a.role === "case-handler")!.id);
}

/**
 * The demo person's access request, as a handler took it in from an e-mail three days ago. Its
 * gathering starts at once, so the staff area has findings to review.
 */
async function seedDemoCase(services: Services, handlerId: string): Promise<void> {
  const erika = DEMO_PERSONS.erika;
  const { requestId, outboxIds } = await intakeRequest(services, {
    staffId: handlerId,
    scan: null,
    form: {
      representative: null,
      channel: "email",
      receivedOn: addDays(berlinDayOf(new Date()), -3),
      kinds: ["auskunft"],
      lang: "de",
      email: erika.email,
      name: `${erika.firstName} ${erika.lastName}`,
      note: "Bitte um Auskunft über alle gespeicherten Daten (per E-Mail an die Poststelle).",
    },
  });
  await announceMail(services.jobs, outboxIds);
  await gatherOnReceipt(services, requestId);
}

/**
 * A realistic sample of every source store, ending yesterday, so that gathering, retention and
 * answers have something to work on. Database stores go into the portal's database (own schemas).
 */
async function seedDemoSources({ config, database }: Services): Promise<void> {
  if (!existsSync(path.join(config.sourcesDir, ANSWER_KEY_FILE))) {
    await generateSample({
      people: 200,
      days: 30,
      seed: "demo",
      out: config.sourcesDir,
      endDay: addDays(berlinDayOf(new Date()), -1),
    });
  }
  await loadDatabaseStores(database.sql, config.sourcesDir);
}

export function readDemoAccounts(dataDir: string): DemoAccount[] {
  try {
    return z.array(demoAccountSchema).parse(JSON.parse(readFileSync(demoAccountsFile(dataDir), "utf8")));
  } catch {
    return [];
  }
}

/** What `npm start` prints after the URL in demo mode: where the data is and how to sign in. */
export async function describeDemo({ config }: Services): Promise<string[]> {
  if (!config.demoMode) return [];
  const lines = [`Demo mode: data in ${config.dataDir} (delete the folder to start afresh).`];
  const accounts = readDemoAccounts(config.dataDir);
  if (accounts.length > 0) {
    lines.push(
      `Staff sign-in at ${config.publicUrl}/intern (password, then the TOTP code for the secret below):`,
    );
    for (const a of accounts)
      lines.push(
        `  ${a.role.padEnd(13)} user ${a.userName.padEnd(16)} password ${a.password}  TOTP secret ${a.totpSecret}`,
      );
    if (accounts.filter((a) => a.role === "dpo").length > 1)
      lines.push("Four eyes: a round one DPO proposed is approved by the other DPO.");
  }
  return lines;
}
