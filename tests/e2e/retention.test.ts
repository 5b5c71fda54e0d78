import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { retentionRuleIds } from "#app/core/retention";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { demoAccount, signInAsStaff } from "./support/staff";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

async function changeRule(page: Page, ruleId: string, amount: string, unit: string) {
  const row = page.locator(`#regel-${ruleId}`);
  await row.locator("input[name=amount]").fill(amount);
  await row.locator("select[name=unit]").selectOption(unit);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    row.locator("button[type=submit]").click(),
  ]);
  await page.waitForLoadState("networkidle");
  return response.status();
}

describe("retention rules and the deletion record", () => {
  let admin: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    admin = await browser.newContext();
    page = await admin.newPage();
    await signInAsStaff(page, baseUrl, demoAccount(dataDir, "admin"), dataDir);
  }, 120_000);
  afterAll(() => admin.close());

  it("lists every rule for administrators with its legal reference and bounds", async () => {
    await page.goto(`${baseUrl}/intern/aufbewahrung`);
    await expect(page.locator("table.retention-rules tbody tr").count()).resolves.toBe(
      retentionRuleIds.length,
    );
    await expect(page.locator("#regel-retrieval-protocol").textContent()).resolves.toContain(
      "§ 40 Abs. 5 BMG",
    );
    await expect(page.locator("#regel-retrieval-protocol").textContent()).resolves.toContain(
      "mindestens 12 Monate",
    );
    expect(await checkAccessibility(page)).toEqual([]);
  });

  it("changes a period within the bounds and refuses one below the legal minimum, in the person's language", async () => {
    expect(await changeRule(page, "call-record", "30", "days")).toBe(200);
    await expect(page.locator("[role=status]").textContent()).resolves.toContain(
      "Verbindungsdaten der Telefonanlage",
    );
    // The page revalidates after the change: wait for the new value rather than read at once.
    await page.locator("#regel-call-record", { hasText: "30 Tage" }).waitFor({ timeout: 10_000 });

    expect(await changeRule(page, "retrieval-protocol", "6", "months")).toBe(422);
    await page
      .locator("#regel-retrieval-protocol [role=alert]", { hasText: "kürzer als gesetzlich vorgeschrieben" })
      .waitFor({ timeout: 10_000 });
    expect(await checkAccessibility(page)).toEqual([]);

    await page.goto(`${baseUrl}/sprache?lang=en&zurueck=/intern/aufbewahrung`);
    expect(await changeRule(page, "retrieval-protocol", "3", "years")).toBe(422);
    await page
      .locator("#regel-retrieval-protocol [role=alert]", { hasText: "longer than the law allows" })
      .waitFor({ timeout: 10_000 });
    expect(await changeRule(page, "call-record", "21", "days")).toBe(200);
    await page.goto(`${baseUrl}/sprache?lang=de&zurueck=/intern/aufbewahrung`);
  });

  it("runs a dry run that the DPO then finds in the deletion record, with the chart's data as a table", async () => {
    await page.goto(`${baseUrl}/intern/aufbewahrung`);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.click("form:has(input[name=intent][value=dry-run]) button"),
    ]);
    await page.locator("[role=status]", { hasText: "Probelauf beendet" }).waitFor({ timeout: 60_000 });

    const response = await page.goto(`${baseUrl}/intern/loeschprotokoll`);
    expect(response?.status()).toBe(403);

    const dpo = await browser.newContext();
    const dpoPage = await dpo.newPage();
    await signInAsStaff(dpoPage, baseUrl, demoAccount(dataDir, "dpo"), dataDir);
    await dpoPage.goto(`${baseUrl}/intern/loeschprotokoll`);
    const rows = await dpoPage.locator("table.evidence tbody tr").count();
    expect(rows).toBeGreaterThanOrEqual(retentionRuleIds.length);
    await expect(dpoPage.locator("table.evidence").textContent()).resolves.toContain("Probelauf");
    for (const chart of await dpoPage.locator("svg[role=img]").all()) {
      await expect(chart.locator("title").textContent()).resolves.toBeTruthy();
      await expect(chart.locator("desc").textContent()).resolves.toBeTruthy();
    }
    expect(await checkAccessibility(dpoPage)).toEqual([]);
    await dpo.close();
  }, 120_000);
});
