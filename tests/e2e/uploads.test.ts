import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { de } from "#app/i18n/de";
import { en } from "#app/i18n/en";
import { journeyDe } from "#app/i18n/journey.de";
import { statutoryDe } from "#app/i18n/statutory.de";
import { launchBrowser } from "./support/browser";
import { demoAccount, signInAsStaff } from "./support/staff";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

/** The upload spool of the running portal: one folder per process, holding the files of requests in progress. */
/**
 * The spool's files, which the server removes once the response is closed — just after the page
 * has it, so a test waits a moment for them to go.
 */
function spoolFiles(): string[] {
  const root = join(dataDir, "uploads");
  return readdirSync(root).flatMap((pid) => readdirSync(join(root, pid)));
}

const pdf = (bytes: number) => {
  const content = Buffer.alloc(bytes, 0x20);
  content.write("%PDF-1.4\n");
  return content;
};

it("answers an upload above the limit with a 413 page in the person's language, and keeps no file of it", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);

  await page.goto(`${baseUrl}/intern/eingang`);
  await page
    .locator("input[name=scan]")
    .setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: pdf(13 * 1024 * 1024) });
  const [german] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: journeyDe.intake.submit }).click(),
  ]);
  expect(german?.status()).toBe(413);
  expect(await page.locator("h1").innerText()).toBe(de.errors.tooLargeTitle);
  expect(await page.locator("main p").first().innerText()).toBe(de.errors.tooLargeText);
  expect(await page.locator("html").getAttribute("lang")).toBe("de");

  await page.goto(`${baseUrl}/sprache?lang=en&zurueck=/intern/eingang`);
  await page
    .locator("input[name=scan]")
    .setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: pdf(13 * 1024 * 1024) });
  const [english] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: en.journey.intake.submit }).click(),
  ]);
  expect(english?.status()).toBe(413);
  expect(await page.locator("h1").innerText()).toBe(en.errors.tooLargeTitle);
  expect(await page.locator("main p").first().innerText()).toBe(en.errors.tooLargeText);
  expect(await page.locator("html").getAttribute("lang")).toBe("en");
  await expect.poll(spoolFiles, { timeout: 5000 }).toEqual([]);
  await context.close();
});

it("shows the same refusal where the page sends the form by script", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await page.goto(`${baseUrl}/intern/eingang`);
  await page
    .locator("input[name=scan]")
    .setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: pdf(13 * 1024 * 1024) });
  await page.getByRole("button", { name: journeyDe.intake.submit }).click();
  await expect.poll(() => page.locator("h1").innerText()).toBe(de.errors.tooLargeTitle);
  expect(await page.locator("main p").first().innerText()).toBe(de.errors.tooLargeText);
  await context.close();
});

it("takes in a scan streamed through the spool into the case, and removes the spool file afterwards", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await page.goto(`${baseUrl}/intern/eingang`);
  await page.check("#f-kinds-auskunft");
  await page.fill("#f-email", "scan.upload@example.org");
  // Just below the largest document: read from disk by the route, typed by its first bytes, stored.
  await page
    .locator("input[name=scan]")
    .setInputFiles({ name: "brief.pdf", mimeType: "application/pdf", buffer: pdf(8 * 1024 * 1024 - 1024) });
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: journeyDe.intake.submit }).click(),
  ]);
  expect(await page.locator(".success[role=status]").innerText()).toMatch(/DSR-\d{4}-\d+/);
  await expect.poll(spoolFiles, { timeout: 5000 }).toEqual([]);
  await context.close();
});

it("records an identity check against a scanned copy: opened as a download first, a wrong number tail refused at its field, then the check listed and the copy gone", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await page.goto(`${baseUrl}/intern/eingang`);
  await page.check("#f-kinds-auskunft");
  await page.fill("#f-email", "ausweis.kopie@example.org");
  const scan = pdf(4096);
  scan.write("Ausweiskopie", 100);
  await page
    .locator("input[name=scan]")
    .setInputFiles({ name: "ausweis.pdf", mimeType: "application/pdf", buffer: scan });
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole("button", { name: journeyDe.intake.submit }).click(),
  ]);
  const reference = /DSR-\d{4}-\d+/.exec(await page.locator(".success[role=status]").innerText())![0];
  await page.goto(`${baseUrl}/intern/vorgaenge`);
  await page.getByRole("link", { name: reference }).click();
  const t = statutoryDe.identity;

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: t.open("ausweis.pdf") }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("ausweis.pdf");
  expect(readFileSync((await download.path())!).equals(scan)).toBe(true);

  const section = page.locator("section", { has: page.locator("#identitaet") });
  await section.getByLabel(t.hows.copy).check();
  await section.getByLabel(/ausweis\.pdf/).check();
  await section.getByLabel(t.documentKind).selectOption("id-card");
  await section.getByLabel(t.numberTail).fill("12-4");
  await section.getByLabel(t.results.confirmed).check();
  await Promise.all([page.waitForNavigation(), section.getByRole("button", { name: t.submit }).click()]);
  expect(await page.locator("#f-id-tail-error").innerText()).toBe(t.errors["number-tail"]);
  // What was typed stays.
  expect(await section.getByLabel(t.hows.copy).isChecked()).toBe(true);

  await section.getByLabel(t.numberTail).fill("l01x");
  await Promise.all([page.waitForNavigation(), section.getByRole("button", { name: t.submit }).click()]);
  const history = page.getByTestId("identity-history");
  expect(await history.locator("tbody tr").count()).toBe(1);
  const row = await history.locator("tbody tr").innerText();
  for (const shown of [t.hows.copy, t.kinds["id-card"], "…L01X", t.results.confirmed])
    expect(row).toContain(shown);
  expect(await page.getByRole("link", { name: t.open("ausweis.pdf") }).count()).toBe(0);
  await context.close();
});
