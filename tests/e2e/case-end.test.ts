import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { supervisoryAuthority } from "../../app/core/processing-activities";
import { complaintsDe } from "../../app/i18n/complaints.de";
import { journeyDe } from "../../app/i18n/journey.de";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox } from "./support/mailbox";

/**
 * A complaint request ends when it is forwarded (ADR 0015): the person's case page says so, says
 * that the supervisory authority answers — not we — and promises no download.
 */
let browser: Browser;
const baseUrl = inject("baseUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

it("shows a forwarded complaint as closed, with who answers and nothing to download from us", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const email = "beschwerde.ende@example.org";
  await page.goto(`${baseUrl}/antrag/beschwerde`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page.getByLabel("Worüber beschweren Sie sich?").fill("Meine Auskunft kam zu spät.");
  await page.getByRole("group", { name: complaintsDe.requestForm.caseFileLegend }).getByRole("radio").last().check();
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
  const confirmUrl = page.url();
  const code = await codeFromMailbox(page, baseUrl, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  const caseUrl = page.url().split("?")[0]!;

  const facts = await page.locator("dl.facts").innerText();
  expect(facts).toContain(journeyDe.status.forwarded!);
  const note = await page.locator("[data-testid=outcome-note]").innerText();
  expect(note).toContain(journeyDe.case.complaintNext(supervisoryAuthority.name.de));
  // No answer section promising a download from us, no form to add to an ended case.
  expect(await page.getByRole("heading", { name: journeyDe.case.downloads }).count()).toBe(0);
  expect(await page.getByRole("heading", { name: journeyDe.case.withdrawTitle }).count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  await page.goto(`${caseUrl}/beschwerde`);
  expect(await page.locator("[data-testid=complaint-next]").innerText()).toBe(complaintsDe.page.next(supervisoryAuthority.name.de));
  expect(await checkAccessibility(page)).toEqual([]);

  // The list of cases says the same.
  await page.goto(`${baseUrl}/vorgang`);
  expect(await page.locator("table").innerText()).toContain(journeyDe.status.forwarded!);
  await context.close();
});
