import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { journeyDe } from "#app/i18n/journey.de";
import { launchBrowser } from "./support/browser";

/**
 * The request form checks what is typed in the browser, with the server's own schema and messages,
 * before anything is sent; without JavaScript the server refuses the same input with the same words.
 */
let browser: Browser;
const baseUrl = inject("baseUrl");
const badEmail = "erika.mustermann.example.org";
const emailMessage = journeyDe.errors.email;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Every request of the page that is not a plain GET: what would reach the action. */
function sentForms(page: Page): string[] {
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.method() !== "GET") sent.push(`${request.method()} ${request.url()}`);
  });
  return sent;
}

it("with JavaScript, shows a bad e-mail address at its field on leaving it and on submitting, and sends nothing", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const sent = sentForms(page);
  await page.goto(`${baseUrl}/antrag/auskunft`);
  // React has taken over the form once its element carries React's own properties.
  await page.waitForFunction(() =>
    Object.keys(document.querySelector("form[method=post]") ?? {}).some((key) => key.startsWith("__react")),
  );

  const email = page.getByLabel("Ihre E-Mail-Adresse");
  await email.fill(badEmail);
  await email.blur();
  await expect.poll(() => page.locator("#f-email-error").textContent()).toBe(emailMessage);
  expect(await email.getAttribute("aria-invalid")).toBe("true");
  expect(await email.getAttribute("aria-describedby")).toContain("f-email-error");

  // Submitting does not send the form either: the summary links to the field.
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await expect.poll(() => page.locator(".error-summary a[href='#f-email']").textContent()).toBe(emailMessage);
  expect(sent).toEqual([]);
  expect(new URL(page.url()).pathname).toBe("/antrag/auskunft");

  // Corrected, the message goes as the person types.
  await email.fill("erika.mustermann@example.org");
  await expect.poll(() => page.locator("#f-email-error").count()).toBe(0);
  await context.close();
});

it("without JavaScript, the server refuses the same address with the same message", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const page = await context.newPage();
  const sent = sentForms(page);
  await page.goto(`${baseUrl}/antrag/auskunft`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(badEmail);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Antrag absenden" }).click(),
  ]);
  expect(response.status()).toBe(400);
  expect(sent).toHaveLength(1);
  await page.waitForLoadState();
  expect(await page.locator("#f-email-error").textContent()).toBe(emailMessage);
  expect(await page.getByLabel("Ihre E-Mail-Adresse").inputValue()).toBe(badEmail);
  await context.close();
});
