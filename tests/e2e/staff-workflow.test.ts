import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { demoAccount, signInAsStaff } from "./support/staff";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
let caseUrl: string;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** Without JavaScript: clicks a submit button and waits for the page the server answers with. */
async function submit(page: Page, name: string | RegExp) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.getByRole("button", { name }).click()]);
  const error = await page.locator(".error-summary").count();
  if (error > 0) throw new Error(`the page refused: ${await page.locator(".error-summary").textContent()}`);
}

/** Reloads the case page until no store is waiting or running any more. */
async function waitForGathering(page: Page) {
  for (let i = 0; i < 60; i++) {
    await page.goto(caseUrl);
    const states = await page.locator("table").first().locator("tbody td:nth-child(2)").allTextContents();
    if (states.length > 0 && states.every((s) => /fertig|fehlgeschlagen/.test(s))) return;
    await page.waitForTimeout(1000);
  }
  throw new Error("gathering did not finish");
}

it("lets a handler review the demo person's findings with the suggestions, and a DPO approve", async () => {
  // The handler works without JavaScript (plain form posts); the DPO below with it.
  const handlerContext = await browser.newContext({ javaScriptEnabled: false });
  const page = await handlerContext.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);

  // The demo case was taken in from an e-mail; its gathering started by itself.
  await page.goto(`${baseUrl}/intern/vorgaenge?channel=email`);
  await page.locator("tbody th a").first().click();
  await page.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  caseUrl = page.url();
  await waitForGathering(page);
  expect(await page.locator("table").first().locator("tbody tr").count()).toBeGreaterThanOrEqual(8);

  await submit(page, "Prüfung beginnen (friert die Treffer ein)");
  await expect(page.getByText("in Prüfung").first().isVisible()).resolves.toBe(true);
  // The rules marked findings before anyone looked: an unconfirmed match or a third party's data.
  const suggestions = await page.locator("#decide-form tbody td:nth-child(3) li").allTextContents();
  expect(suggestions.some((s) => /Art\. 12 Abs\. 6|Art\. 15 Abs\. 4|§ 21/.test(s))).toBe(true);

  // Withhold one finding with a ground from the catalogue …
  const boxes = page.locator("#decide-form input[name=findingIds]");
  const total = await boxes.count();
  const withheldId = await boxes.first().getAttribute("value");
  await boxes.first().check();
  await page.check("#d-withhold");
  await page.selectOption("#f-ground", "secrecy");
  await page.fill("#f-reasoning", "Nach Abwägung überwiegen die Rechte einer dritten Person.");
  await page.fill("#f-reviewOn", "2030-01-15");
  await submit(page, /Entscheidung für die ausgewählten Treffer speichern/);
  const withheldRow = page.locator("#decide-form tbody tr", { has: page.locator(`input[value="${withheldId}"]`) });
  await expect(withheldRow.locator("td").nth(3).textContent()).resolves.toContain("zurückhalten");

  // … and release the rest.
  for (let i = 0; i < total; i++) if ((await boxes.nth(i).getAttribute("value")) !== withheldId) await boxes.nth(i).check();
  await page.check("#d-release");
  await submit(page, /Entscheidung für die ausgewählten Treffer speichern/);
  const decisions = await page.locator("#decide-form tbody td:nth-child(4)").allTextContents();
  expect(decisions.filter((d) => d.includes("herausgeben"))).toHaveLength(total - 1);

  await submit(page, "Zur Freigabe vorlegen");
  await expect(page.getByText("zur Freigabe vorgelegt").first().isVisible()).resolves.toBe(true);
  // The handler cannot approve: the button is not there, and a forged POST is refused.
  expect(await page.getByRole("button", { name: /Freigeben/ }).count()).toBe(0);
  await handlerContext.close();

  const dpoContext = await browser.newContext();
  const dpoPage = await dpoContext.newPage();
  await signInAsStaff(dpoPage, baseUrl, demoAccount(dataDir, "dpo"), dataDir);
  // axe needs JavaScript in the page, so the accessibility checks run in the DPO's session.
  await dpoPage.goto(`${baseUrl}/intern/vorgaenge`);
  expect(await checkAccessibility(dpoPage)).toEqual([]);
  await dpoPage.goto(caseUrl);
  expect(await checkAccessibility(dpoPage)).toEqual([]);
  await dpoPage.getByRole("button", { name: "Freigeben (Vier-Augen-Prinzip)" }).click();
  await expect.poll(() => dpoPage.locator("p[role=status]").first().textContent(), { timeout: 10_000 }).toMatch(/^freigegeben/);
  await dpoContext.close();
}, 180_000);
