import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { demoAccount, signInAsStaff } from "./support/staff";
import { getPage, signInOverHttp } from "./support/staff-http";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

it("shows the DPO the figures with accessible charts, each with a title and a data table", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const foreign: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(baseUrl)) foreign.push(request.url());
  });
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "dpo"), dataDir);
  await page.goto(`${baseUrl}/intern/uebersicht?von=2021-01-01&bis=2030-12-31`);
  await expect(page.locator("h1").textContent()).resolves.toBe("Übersicht für die Datenschutzbeauftragte");
  await expect(page.locator("main").textContent()).resolves.toContain("Zahlen für 01.01.2021 bis 31.12.2030");
  expect(await page.locator("main [role=status]").count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  const sections = page.locator("section.dashboard-chart");
  expect(await sections.count()).toBeGreaterThanOrEqual(6);
  for (let i = 0; i < (await sections.count()); i++) {
    const section = sections.nth(i);
    const heading = (await section.locator("h2").textContent())?.trim();
    expect(heading).toBeTruthy();
    // The chart: an SVG image named by its title, described, drawn on the server.
    const svg = section.locator("svg");
    expect(await svg.count()).toBe(1);
    expect((await svg.locator("title").first().textContent())?.trim()).toBe(heading);
    expect((await svg.locator("desc").first().textContent())?.trim()).not.toBe("");
    // And the same numbers as a table.
    expect(await section.locator("table caption").count()).toBeGreaterThanOrEqual(1);
    expect(await section.locator("table tbody tr").count()).toBeGreaterThan(0);
  }
  expect(foreign).toEqual([]);

  // The period filter is a plain GET form.
  await page.fill("#period-from", "2026-01-01");
  await page.fill("#period-to", "2026-06-30");
  await Promise.all([
    page.waitForURL(/von=2026-01-01&bis=2026-06-30/),
    page.click("fieldset.dashboard-period button[type=submit] >> nth=0"),
  ]);
  // With JavaScript the URL changes before the new figures arrive: wait for them.
  await expect
    .poll(() => page.locator("main").textContent(), { timeout: 10_000 })
    .toContain("Zahlen für 01.01.2026 bis 30.06.2026");

  // A hand-edited, unreadable period shows the default one and says so, not an error page.
  const odd = await page.goto(`${baseUrl}/intern/uebersicht?von=2026-02-30&bis=2026-01-01`);
  expect(odd?.status()).toBe(200);
  await expect(page.locator("main [role=status]").textContent()).resolves.toContain("nicht lesbar");

  // Downloads with the session of the page.
  const csv = await page.request.get(
    `${baseUrl}/intern/antragsverzeichnis.csv?von=2026-01-01&bis=2026-12-31`,
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(csv.headers()["content-disposition"]).toBe(
    'attachment; filename="antragsverzeichnis_2026-01-01_2026-12-31.csv"',
  );
  const body = await csv.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(body.toString("utf8")).toContain('"Aktenzeichen";"Eingang"');

  const pdf = await page.request.get(`${baseUrl}/intern/jahresbericht.pdf?jahr=2025`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect(pdf.headers()["content-disposition"]).toBe('attachment; filename="jahresbericht_2025.pdf"');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  expect((await page.request.get(`${baseUrl}/intern/jahresbericht.pdf?jahr=1999`)).status()).toBe(400);
  await context.close();
});

it("keeps the figures and downloads from staff without the statistics permission", async () => {
  const cookie = await signInOverHttp(baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  for (const path of ["/intern/uebersicht", "/intern/antragsverzeichnis.csv", "/intern/jahresbericht.pdf"]) {
    expect((await getPage(baseUrl, path, cookie)).status).toBe(403);
    const anonymous = await getPage(baseUrl, path, null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/intern\/anmelden/);
  }
});
