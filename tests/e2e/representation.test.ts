import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { journeyDe } from "#app/i18n/journey.de";
import { representationDe } from "#app/i18n/representation.de";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox } from "./support/mailbox";
import { demoAccount, signInAsStaff } from "./support/staff";

/**
 * Filing for someone else in a real browser (issue 14 point 9): a representative files on the web
 * form, proves their own address, and a handler records the check of their authority on the case page.
 */
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
const r = representationDe;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it("a representative files for someone else; staff see who filed for whom and record the check of the authority", async () => {
  const email = `bevollmaechtigte.${Date.now()}@example.org`;
  const person = await browser.newContext({ locale: "de-DE" });
  const page = await person.newPage();
  await page.goto(`${baseUrl}/antrag/auskunft`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page.getByLabel(r.form.other).check();
  // Filing for someone else without saying as whom: the form names what is missing.
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await expect.poll(() => page.locator(".error-summary a[href='#f-representativeRole']").count()).toBe(1);
  await expect.poll(() => page.locator(".error-summary a[href='#f-name']").count()).toBe(1);
  expect(await checkAccessibility(page)).toEqual([]);

  await page.getByLabel(r.form.other).check();
  await page.getByLabel(r.roles.authorised).check();
  await page.getByLabel(r.form.name, { exact: true }).fill("Dr. Anna Schmidt");
  await page.getByLabel(r.form.postalAddress).fill("Anger 5\n99084 Erfurt");
  await page.getByLabel(journeyDe.form.name, { exact: true }).fill("Max Muster");
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
  const confirmUrl = page.url();
  const code = await codeFromMailbox(page, baseUrl, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  const reference = /DSR-\d{4}-\d{6}/.exec(page.url())![0];

  const staff = await browser.newContext({ locale: "de-DE" });
  const staffPage = await staff.newPage();
  await signInAsStaff(staffPage, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await staffPage.goto(`${baseUrl}/intern/vorgaenge`);
  await staffPage.getByRole("link", { name: reference }).click();
  await staffPage.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  const section = staffPage.locator("section[aria-labelledby=representation-heading]");
  expect(await section.innerText()).toContain(r.check.filedBy("Dr. Anna Schmidt", r.roles.authorised));
  expect(await section.innerText()).toContain(r.check.none);
  expect(await section.innerText()).toContain("Anger 5, 99084 Erfurt");
  expect(await checkAccessibility(staffPage)).toEqual([]);

  await section.getByLabel(r.documents["power-of-attorney"]).check();
  await section.getByLabel(r.check.results.confirmed).check();
  await Promise.all([
    staffPage.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/),
    section.getByRole("button", { name: r.check.submit }).click(),
  ]);
  await expect
    .poll(() =>
      staffPage.locator("section[aria-labelledby=representation-heading] [role=status]").innerText(),
    )
    .toContain(r.check.results.confirmed);

  // The representative reads on their case page that the authority was checked.
  await page.reload();
  expect(await page.content()).toContain(r.check.messageConfirmed(r.documents["power-of-attorney"]));
  await Promise.all([person.close(), staff.close()]);
});
