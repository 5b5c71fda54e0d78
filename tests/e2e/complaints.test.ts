import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { complaintsDe } from "../../app/i18n/complaints.de";
import { journeyDe } from "../../app/i18n/journey.de";
import { DEMO_COMPLAINT_ADDRESS } from "../../app/server/config.server";
import { randomUUID } from "node:crypto";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox, mailFromMailbox } from "./support/mailbox";
import { demoAccount } from "./support/staff";
import { getPage, signInOverHttp } from "./support/staff-http";

/** A person complains to the supervisory authority from their case page, in a real browser. */
let browser: Browser;
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

it("files a complaint from a case page; the person sees it and the mail to the authority is in the demo mailbox", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const email = "beschwerde.browser@example.org";
  await page.goto(`${baseUrl}/antrag/auskunft`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
  const confirmUrl = page.url();
  const code = await codeFromMailbox(page, baseUrl, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  const caseUrl = page.url().split("?")[0]!;
  const reference = caseUrl.split("/").pop()!;

  await page.goto(`${caseUrl}/beschwerde`);
  expect(await page.locator("h1").innerText()).toBe(complaintsDe.page.title(reference));
  expect(await checkAccessibility(page)).toEqual([]);

  // Without the choice about the case file nothing is sent.
  await page.getByLabel(complaintsDe.page.text).fill("Ich habe keine vollständige Auskunft erhalten.");
  await page.getByRole("button", { name: complaintsDe.page.submit }).click();
  await expect.poll(() => page.locator(".error-summary").innerText()).toContain(complaintsDe.errors.choiceRequired);
  expect(await page.locator("[data-testid=complaint]").count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  await page.getByLabel(complaintsDe.page.text).fill("Ich habe keine vollständige Auskunft erhalten.");
  await page.locator("input[name=files]").setInputFiles({ name: "bildschirmfoto.png", mimeType: "image/png", buffer: png });
  await page.getByLabel(complaintsDe.page.caseFileNo).check();
  await page.getByRole("button", { name: complaintsDe.page.submit }).click();
  await page.waitForURL(/\/beschwerde\?gesendet=1$/);
  expect(await page.getByRole("status").innerText()).toBe(complaintsDe.page.sent);
  const filed = page.locator("[data-testid=complaint]");
  expect(await filed.count()).toBe(1);
  expect(await filed.innerText()).toContain("Ich habe keine vollständige Auskunft erhalten.");
  expect(await filed.innerText()).toContain(complaintsDe.page.caseFileNotAttached);

  // On the case page: the confirmation with the complaint's text among the messages.
  await page.goto(caseUrl);
  expect(await page.locator(".messages").innerText()).toContain("Ich habe keine vollständige Auskunft erhalten.");

  const mail = await mailFromMailbox(page, baseUrl, DEMO_COMPLAINT_ADDRESS, reference);
  const facts = await mail.locator("dl").innerText();
  expect(facts).toContain(`Beschwerde-${reference}.pdf`);
  expect(facts).toContain("bildschirmfoto.png");
  expect(facts).not.toContain("Vorgangsakte");

  // Once sent, the complaint page says so.
  await expect
    .poll(
      async () => {
        await page.goto(`${caseUrl}/beschwerde`);
        return page.locator("[data-testid=complaint]").innerText();
      },
      { timeout: 30_000 },
    )
    .toContain("gesendet am");
  await context.close();
});

it("asks for the case-file choice on the complaint request form", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/antrag/beschwerde`);
  const choice = page.getByRole("group", { name: complaintsDe.requestForm.caseFileLegend });
  expect(await choice.getByRole("radio").count()).toBe(2);
  expect(await choice.getByRole("radio", { checked: true }).count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);
  await context.close();
});

it("gives the record for the TLfDI only to staff with tlfdi:record", async () => {
  const path = `/intern/vorgaenge/${randomUUID()}/tlfdi-nachweis`;
  const anonymous = await getPage(baseUrl, path, null);
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get("location")).toMatch(/^\/intern\/anmelden/);
  const handler = await signInOverHttp(baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  expect((await getPage(baseUrl, path, handler)).status).toBe(403);
  const dpo = await signInOverHttp(baseUrl, demoAccount(dataDir, "dpo"), dataDir);
  // Permitted, but there is no such case.
  expect((await getPage(baseUrl, path, dpo)).status).toBe(404);
});
