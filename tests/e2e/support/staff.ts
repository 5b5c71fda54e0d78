import type { Page } from "playwright-core";
import { type DemoAccount, readDemoAccounts } from "../../../app/server/demo.server";
import { freshTotpCode } from "./totp-steps";

export function demoAccount(dataDir: string, role: string): DemoAccount {
  const account = readDemoAccounts(dataDir).find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  return account;
}

/** Signs in through the real pages, with a TOTP code this account has not used before. */
export async function signInAsStaff(page: Page, baseUrl: string, account: DemoAccount, dataDir: string): Promise<void> {
  await page.goto(`${baseUrl}/intern/anmelden`);
  await page.fill("input[name=userName]", account.userName);
  await page.fill("input[name=password]", account.password);
  await Promise.all([page.waitForURL(/\/intern\/anmelden\/code/), page.click("button[type=submit]")]);
  await page.fill("input[name=code]", await freshTotpCode(dataDir, account));
  await page.click("button[type=submit]");
  const signedIn = await Promise.race([
    page.waitForURL((url) => !url.pathname.startsWith("/intern/anmelden")).then(() => true),
    page.waitForSelector(".error-summary").then(() => false),
  ]);
  if (!signedIn) throw new Error(`Could not sign in as ${account.userName}`);
}
