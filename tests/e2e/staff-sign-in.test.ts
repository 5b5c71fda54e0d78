import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { demoAccount, signInThroughPages } from "./support/staff";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

it("sends anonymous visitors of the staff area to the sign-in", async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/intern/sitzungen`);
  expect(new URL(page.url()).pathname).toBe("/intern/anmelden");
  expect(await checkAccessibility(page)).toEqual([]);
  await page.close();
});

it("signs a case handler in with password and TOTP, and out again", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const account = demoAccount(dataDir, "case-handler");
  await signInThroughPages(page, baseUrl, account, dataDir);
  expect(new URL(page.url()).pathname).toBe("/intern");
  await page.locator("main", { hasText: account.displayName }).waitFor();
  expect(await checkAccessibility(page)).toEqual([]);

  await page.goto(`${baseUrl}/intern/sitzungen`);
  await expect(page.locator("tbody tr").count()).resolves.toBeGreaterThan(0);
  expect(await checkAccessibility(page)).toEqual([]);

  await page.goto(`${baseUrl}/intern`);
  await Promise.all([
    page.waitForURL(/\/intern\/anmelden/),
    page.click("form[action='/intern/abmelden'] button"),
  ]);
  await page.goto(`${baseUrl}/intern`);
  expect(new URL(page.url()).pathname).toBe("/intern/anmelden");
  await context.close();
});

it("refuses a wrong password with a message in the person's language", async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/sprache?lang=en&zurueck=/intern/anmelden`);
  await page.fill("input[name=userName]", "dsb");
  await page.fill("input[name=password]", "not the password");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.click("button[type=submit]"),
  ]);
  expect(response.status()).toBe(401);
  await expect(page.locator(".error-summary").textContent()).resolves.toContain(
    "User name or password is wrong.",
  );
  await page.close();
});
