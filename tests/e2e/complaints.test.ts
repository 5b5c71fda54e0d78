import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { complaintsDe } from "#app/i18n/complaints.de";
import { journeyDe } from "#app/i18n/journey.de";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { DEMO_COMPLAINT_ADDRESS } from "#app/server/config.server";
import { randomUUID } from "node:crypto";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox, mailFromMailbox } from "./support/mailbox";
import { demoAccount, signInAsStaff } from "./support/staff";
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

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);

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
  await expect
    .poll(() => page.locator(".error-summary").innerText())
    .toContain(complaintsDe.errors.choiceRequired);
  expect(await page.locator("[data-testid=complaint]").count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  await page.getByLabel(complaintsDe.page.text).fill("Ich habe keine vollständige Auskunft erhalten.");
  await page
    .locator("input[name=files]")
    .setInputFiles({ name: "bildschirmfoto.png", mimeType: "image/png", buffer: png });
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
  expect(await page.locator(".messages").innerText()).toContain(
    "Ich habe keine vollständige Auskunft erhalten.",
  );

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

it("forwards a complaint taken in from a letter: the intake keeps what was typed, staff confirm, the TLfDI gets the scan, the person a printed copy", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  const note = "Herr Weiß beschwert sich, dass seine Auskunft unvollständig war.";
  const address = "Anger 1\n99084 Erfurt";

  // The letter typed in, with a mistake in the e-mail address: refused, and nothing typed is lost.
  await page.goto(`${baseUrl}/intern/eingang`);
  await page.check("#f-kinds-beschwerde");
  await page.fill("#f-email", "weiss@");
  await page.fill("#f-name", "Jürgen Weiß");
  await page.fill("#f-postalAddress", address);
  await page.fill("#f-note", note);
  await page.getByRole("button", { name: journeyDe.intake.submit }).click();
  await expect.poll(() => page.locator(".error-summary").innerText()).toContain(journeyDe.errors.email);
  expect(await page.isChecked("#f-kinds-beschwerde")).toBe(true);
  expect(await page.inputValue("#f-name")).toBe("Jürgen Weiß");
  expect((await page.inputValue("#f-postalAddress")).replace(/\r\n/g, "\n")).toBe(address);
  expect(await page.inputValue("#f-note")).toBe(note);
  expect(await checkAccessibility(page)).toEqual([]);

  // Only a postal address after all; the scanned letter goes with it.
  await page.fill("#f-email", "");
  await page.locator("input[name=scan]").setInputFiles({
    name: "schreiben-weiss.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% Schreiben\n%%EOF\n"),
  });
  await page.getByRole("button", { name: journeyDe.intake.submit }).click();
  const created = await page.locator(".success[role=status]").innerText();
  const reference = /DSR-\d{4}-\d{6}/.exec(created)![0];
  expect(await page.inputValue("#f-note")).toBe("");

  await page.goto(`${baseUrl}/intern/vorgaenge`);
  await page.getByRole("link", { name: reference }).click();
  await page.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  const caseUrl = page.url();
  await page.getByRole("link", { name: complaintsDe.takenIn.link }).click();
  await page.waitForURL(/\/beschwerde$/);
  expect(await page.locator("h1").innerText()).toBe(complaintsDe.takenIn.title(reference));
  // The intake's note is the text offered; the scan is listed as the enclosure.
  expect(await page.getByLabel(complaintsDe.takenIn.text).inputValue()).toBe(note);
  expect(await page.locator("article").innerText()).toContain("schreiben-weiss.pdf");
  expect(await checkAccessibility(page)).toEqual([]);

  // Without the person's choice about the case file nothing goes.
  await page.getByRole("button", { name: complaintsDe.takenIn.submit }).click();
  await expect.poll(() => page.locator(".error-summary").innerText()).toContain(journeyDe.errors.choice);
  expect(await page.getByLabel(complaintsDe.takenIn.text).inputValue()).toBe(note);
  await page.getByLabel(complaintsDe.takenIn.caseFileNo).check();
  await page.getByRole("button", { name: complaintsDe.takenIn.submit }).click();
  // Queued: the page says it is being sent (or, should the mail have been accepted already, forwarded).
  await expect
    .poll(() => page.locator("[role=status]").allInnerTexts())
    .toEqual([
      expect.toBeOneOf([
        complaintsDe.takenIn.sending(supervisoryAuthority.name.de),
        complaintsDe.takenIn.forwarded(supervisoryAuthority.name.de),
      ]),
    ]);
  // Forwarded once the mail server accepted the mail (recorded by a job every minute), not before.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.locator("[role=status]").first().innerText();
      },
      { timeout: 150_000, interval: 2_000 },
    )
    .toBe(complaintsDe.takenIn.forwarded(supervisoryAuthority.name.de));
  expect(await page.getByRole("button", { name: complaintsDe.takenIn.submit }).count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  // The case page says it is over and who answers.
  await page.goto(caseUrl);
  expect(await page.locator("article").innerText()).toContain(
    complaintsDe.takenIn.forwarded(supervisoryAuthority.name.de),
  );

  // The TLfDI's mail carries the letter and the scan; the person's copy waits in the print queue.
  const mail = await mailFromMailbox(page, baseUrl, DEMO_COMPLAINT_ADDRESS, reference);
  const facts = await mail.locator("dl").innerText();
  expect(facts).toContain(`Beschwerde-${reference}.pdf`);
  expect(facts).toContain("schreiben-weiss.pdf");
  await page.goto(`${baseUrl}/intern/druck`);
  const waiting = page.locator("tr").filter({ hasText: reference });
  expect(await waiting.innerText()).toContain(complaintsDe.mail.copySubject(reference));
  await context.close();
}, 300_000);
