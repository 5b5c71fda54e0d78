import type { Page } from "playwright-core";
import { type DemoAccount, readDemoAccounts } from "#app/server/demo.server";
import { takeStaffSession } from "./sessions";
import { freshTotpCode } from "./totp-steps";

export function demoAccount(dataDir: string, role: string): DemoAccount {
  const account = readDemoAccounts(dataDir).find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  return account;
}

/**
 * Signs the page's browser context in with a session opened in the database before the portal
 * started (./sessions.ts): no sign-in pages, no waiting for a TOTP step. Where that session's
 * second factor is too old for approvals, a fresh code is entered on the confirmation page, as a
 * member would.
 */
export async function signInAsStaff(
  page: Page,
  baseUrl: string,
  account: DemoAccount,
  dataDir: string,
): Promise<void> {
  const session = takeStaffSession(dataDir, account.userName);
  const [name, value] = splitCookie(session.cookie);
  await page.context().addCookies([{ name, value, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
  if (!session.stale) return;
  await page.goto(`${baseUrl}/intern/bestaetigen`);
  await page.fill("input[name=code]", await freshTotpCode(dataDir, account));
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/intern"),
    page.click("form:has(input[name=code]) button[type=submit]"),
  ]);
}

/** Signs in through the real pages, with a TOTP code this account has not used before: for the sign-in tests. */
export async function signInThroughPages(
  page: Page,
  baseUrl: string,
  account: DemoAccount,
  dataDir: string,
): Promise<void> {
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
  // The URL changes before React has committed the new page: wait for the signed-in frame.
  await page.locator("form[action='/intern/abmelden']").waitFor();
}

function splitCookie(cookie: string): [string, string] {
  const at = cookie.indexOf("=");
  return [cookie.slice(0, at), cookie.slice(at + 1)];
}
