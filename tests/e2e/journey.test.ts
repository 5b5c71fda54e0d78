import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { answerDeadline } from "#app/core/deadline";
import { journeyDe } from "#app/i18n/journey.de";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox } from "./support/mailbox";

/**
 * The person's journey in a real browser against the built portal in demo mode: the first person
 * without JavaScript (every form must work so), the second with it and with accessibility checks.
 */
let browser: Browser;
const baseUrl = inject("baseUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function fileAndProve(
  context: BrowserContext,
  email: string,
  checkA11y: boolean,
): Promise<{ page: Page; caseUrl: string }> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/antrag`);
  if (checkA11y) expect(await checkAccessibility(page)).toEqual([]);
  await page.getByRole("link", { name: "Auskunft beantragen" }).click();
  await page.waitForURL(/\/antrag\/auskunft$/);
  if (checkA11y) expect(await checkAccessibility(page)).toEqual([]);

  // Submitting without an address shows the error summary linked to the field.
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  if (checkA11y) {
    await expect.poll(() => page.locator(".error-summary").count()).toBe(1);
    await expect.poll(() => page.locator(".error-summary a[href='#f-email']").count()).toBe(1);
    expect(await checkAccessibility(page)).toEqual([]);
  }

  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
  const confirmUrl = page.url();
  if (checkA11y) expect(await checkAccessibility(page)).toEqual([]);

  const code = await codeFromMailbox(page, baseUrl, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  return { page, caseUrl: page.url().split("?")[0]! };
}

it("files an access request, proves the address from the demo mailbox, shows the case with its deadline; a second person gets 404", async () => {
  const erika = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const { page, caseUrl } = await fileAndProve(erika, "erika.mustermann@example.org", false);
  expect(await page.locator("h1").innerText()).toMatch(/^Vorgang DSR-\d{4}-\d{6}$/);
  const expectedDeadline = journeyDe.formatDate(answerDeadline(new Date()));
  expect(await page.getByTestId("deadline").innerText()).toBe(expectedDeadline);

  // axe needs the page's timers, so the accessibility checks run in the second, scripted browser.
  const max = await browser.newContext({ locale: "de-DE" });
  const own = await fileAndProve(max, "max.mustermann@example.org", true);
  expect(await checkAccessibility(own.page)).toEqual([]);
  expect(own.caseUrl).not.toBe(caseUrl);
  const response = await own.page.goto(caseUrl);
  expect(response?.status()).toBe(404);
  expect(await own.page.locator("h1").innerText()).toBe("Seite nicht gefunden");

  // Not signed in at all: sent to the sign-in page, the case is not shown.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(caseUrl);
  expect(new URL(strangerPage.url()).pathname).toBe("/vorgang");
  expect(await strangerPage.content()).not.toContain(caseUrl.split("/").pop()!);

  await Promise.all([erika.close(), max.close(), stranger.close()]);
});
