import { generate } from "otplib";
import type { Page } from "playwright-core";
import { type DemoAccount, readDemoAccounts } from "../../../app/server/demo.server";

export function demoAccount(dataDir: string, role: string): DemoAccount {
  const account = readDemoAccounts(dataDir).find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  return account;
}

/**
 * Signs in through the real pages. A TOTP code is accepted once per 30-second step, so a second
 * sign-in of the same account waits for the next step.
 */
export async function signInAsStaff(page: Page, baseUrl: string, account: DemoAccount): Promise<void> {
  await page.goto(`${baseUrl}/intern/anmelden`);
  await page.fill("input[name=userName]", account.userName);
  await page.fill("input[name=password]", account.password);
  await Promise.all([page.waitForURL(/\/intern\/anmelden\/code/), page.click("button[type=submit]")]);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.fill("input[name=code]", await generate({ secret: account.totpSecret }));
    await page.click("button[type=submit]");
    const signedIn = await Promise.race([
      page.waitForURL((url) => !url.pathname.startsWith("/intern/anmelden")).then(() => true),
      page.waitForSelector(".error-summary").then(() => false),
    ]);
    if (signedIn) return;
    await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
  }
  throw new Error(`Could not sign in as ${account.userName}`);
}
