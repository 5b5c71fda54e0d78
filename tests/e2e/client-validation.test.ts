import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { requestKindBySlug } from "#app/core/request-kinds";
import { complaintsDe } from "#app/i18n/complaints.de";
import { staffDe } from "#app/i18n/staff.de";
import { journeyDe } from "#app/i18n/journey.de";
import { launchBrowser } from "./support/browser";
import { hydrated, sentForms, tiedError } from "./support/forms";
import { codeFromMailbox } from "./support/mailbox";

/**
 * The person's forms check what is typed in the browser, with the server's own schema and messages,
 * before anything is sent; without JavaScript the server refuses the same input with the same words.
 * Every message is tied to its field (aria-invalid, aria-describedby: WCAG 2.1 AA, 3.3.1 and 1.3.1).
 */
let browser: Browser;
const baseUrl = inject("baseUrl");
const badEmail = "erika.mustermann.example.org";
const emailMessage = journeyDe.errors.email;
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** A request filed through the form; the page it leads to is the code entry (`/bestaetigen`). */
async function fileRequest(page: Page, email: string): Promise<void> {
  await page.goto(`${baseUrl}/antrag/auskunft`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
}

it("with JavaScript, shows a bad e-mail address at its field on leaving it and on submitting, and sends nothing", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const sent = sentForms(page);
  await page.goto(`${baseUrl}/antrag/auskunft`);
  await hydrated(page);

  const email = page.getByLabel("Ihre E-Mail-Adresse");
  await email.fill(badEmail);
  // Left with the Tab key, as a keyboard user does.
  await email.press("Tab");
  await expect.poll(() => page.locator("#f-email-error").textContent()).toBe(emailMessage);
  expect(await email.getAttribute("aria-invalid")).toBe("true");
  expect(await email.getAttribute("aria-describedby")).toContain("f-email-error");
  // The person stays where they went: the summary does not take the focus on leaving a field.
  expect(await page.evaluate(() => document.activeElement?.closest(".error-summary") === null)).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe("BODY");

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

it("a further kind's own fields show once it is ticked and are checked with it: in the browser nothing is sent, without JavaScript the server sends them back with the tick and what was typed", async () => {
  const kindBox = "#f-kinds-berichtigung";
  const incorrect = "#f-details-berichtigung-incorrectData";
  const correct = "#f-details-berichtigung-correctValue";
  const correctValue = "Musterstraße 2, 99084 Erfurt";
  const required = journeyDe.errors.required;
  const fill = async (page: Page) => {
    await page.getByLabel("Ihre E-Mail-Adresse").fill("weitere.art@example.org");
    await page.check(kindBox);
    await page.locator(correct).fill(correctValue);
  };

  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/antrag/auskunft`);
  await hydrated(page);
  const sent = sentForms(page);
  // The kind's description is tied to its box; its fields wait until it is ticked.
  const description = (await page.locator(kindBox).getAttribute("aria-describedby"))!;
  expect(await page.locator(`#${description}`).textContent()).toBe(
    requestKindBySlug.berichtigung.description.de,
  );
  expect(await page.locator(incorrect).isVisible()).toBe(false);
  await fill(page);
  expect(await page.locator(incorrect).isVisible()).toBe(true);
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await expect.poll(() => page.locator(`${incorrect}-error`).count()).toBe(1);
  expect(await tiedError(page, incorrect, `${incorrect.slice(1)}-error`)).toEqual({
    text: required,
    invalid: "true",
    describedBy: expect.arrayContaining([`${incorrect.slice(1)}-error`]),
  });
  expect(await page.locator(`.error-summary a[href='${incorrect}']`).textContent()).toBe(required);
  expect(sent).toEqual([]);
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const noScript = await plain.newPage();
  await noScript.goto(`${baseUrl}/antrag/auskunft`);
  await fill(noScript);
  const [response] = await Promise.all([
    noScript.waitForResponse((r) => r.request().method() === "POST"),
    noScript.getByRole("button", { name: "Antrag absenden" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await noScript.waitForLoadState();
  expect(await tiedError(noScript, incorrect, `${incorrect.slice(1)}-error`)).toEqual({
    text: required,
    invalid: "true",
    describedBy: expect.arrayContaining([`${incorrect.slice(1)}-error`]),
  });
  expect(await noScript.isChecked(kindBox)).toBe(true);
  expect(await noScript.locator(correct).inputValue()).toBe(correctValue);
  await plain.close();
});

it("with JavaScript, the code entry shows a malformed code at its field and sends nothing; without, the server refuses it alike", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await fileRequest(page, "code.browser@example.org");
  const confirmUrl = page.url();
  await hydrated(page);
  const sent = sentForms(page);

  const code = page.getByLabel("Code aus der E-Mail");
  await code.fill("12a4");
  await code.blur();
  await expect.poll(() => page.locator("#f-code-error").count()).toBe(1);
  expect(await tiedError(page, "#f-code", "f-code-error")).toEqual({
    text: journeyDe.errors.code,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-code-error"]),
  });
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await expect
    .poll(() => page.locator(".error-summary a[href='#f-code']").textContent())
    .toBe(journeyDe.errors.code);
  expect(sent).toEqual([]);
  expect(page.url()).toBe(confirmUrl);

  // Six digits, spaces forgiven: the message goes as the person types.
  await code.fill("123 456");
  await expect.poll(() => page.locator("#f-code-error").count()).toBe(0);
  expect(await code.getAttribute("aria-invalid")).toBeNull();
  expect(sent).toEqual([]);
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const noScript = await plain.newPage();
  await noScript.goto(confirmUrl);
  await noScript.getByLabel("Code aus der E-Mail").fill("12a4");
  const [response] = await Promise.all([
    noScript.waitForResponse((r) => r.request().method() === "POST"),
    noScript.getByRole("button", { name: "Bestätigen" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await noScript.waitForLoadState();
  expect(await tiedError(noScript, "#f-code", "f-code-error")).toEqual({
    text: journeyDe.errors.code,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-code-error"]),
  });
  // A code is never typed back.
  expect(await noScript.getByLabel("Code aus der E-Mail").inputValue()).toBe("");
  await plain.close();
});

it("the complaint form checks its text and choice in the browser; a refused file stays at its field until another is chosen", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const email = "beschwerde.pruefung@example.org";
  await fileRequest(page, email);
  const confirmUrl = page.url();
  const mailCode = await codeFromMailbox(page, baseUrl, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(mailCode);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  const complaintUrl = `${page.url().split("?")[0]}/beschwerde`;
  await page.goto(complaintUrl);
  await hydrated(page);
  const sent = sentForms(page);

  // Leaving the text empty, and sending without the choice: both at their fields, nothing sent.
  const text = page.getByLabel(complaintsDe.page.text);
  await text.focus();
  await text.blur();
  await expect.poll(() => page.locator("#f-text-error").count()).toBe(1);
  expect(await tiedError(page, "#f-text", "f-text-error")).toEqual({
    text: complaintsDe.errors.textRequired,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-text-error"]),
  });
  await page.getByRole("button", { name: complaintsDe.page.submit }).click();
  await expect.poll(() => page.locator("#f-attachCaseFile-error").count()).toBe(1);
  expect(await page.locator("#f-attachCaseFile-error").textContent()).toBe(
    complaintsDe.errors.choiceRequired,
  );
  expect((await page.locator("#f-attachCaseFile").getAttribute("aria-describedby"))?.split(" ")).toContain(
    "f-attachCaseFile-error",
  );
  expect(await page.locator(".error-summary").innerText()).toContain(complaintsDe.errors.textRequired);
  expect(sent).toEqual([]);

  // A file only the server can type (by its first bytes): its refusal comes back to the field ...
  await text.fill("Meine Auskunft war unvollständig.");
  await page.getByLabel(complaintsDe.page.caseFileNo).check();
  await page
    .locator("input[name=files]")
    .setInputFiles({ name: "notiz.pdf", mimeType: "application/pdf", buffer: Buffer.from("nur Text") });
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: complaintsDe.page.submit }).click(),
  ]);
  expect(refused.status()).toBe(415);
  expect(sent).toHaveLength(1);
  await expect.poll(() => page.locator("#f-files-error").textContent()).toBe(complaintsDe.errors.fileType);
  expect(await tiedError(page, "#f-files", "f-files-error")).toMatchObject({ invalid: "true" });

  // ... and stays there while the person edits the other fields (the browser cannot check files) ...
  await text.fill("Meine Auskunft war unvollständig, es fehlen die Protokolle.");
  await text.blur();
  await page.getByLabel(complaintsDe.page.caseFileYes).check();
  await page.getByLabel(complaintsDe.page.caseFileNo).check();
  await page.waitForTimeout(300);
  expect(await page.locator("#f-files-error").textContent()).toBe(complaintsDe.errors.fileType);
  expect(await page.locator(".error-summary").innerText()).toContain(complaintsDe.errors.fileType);

  // ... until another file is chosen.
  await page
    .locator("input[name=files]")
    .setInputFiles({ name: "bildschirmfoto.png", mimeType: "image/png", buffer: png });
  await expect.poll(() => page.locator("#f-files-error").count()).toBe(0);
  expect(sent).toHaveLength(1);
  await context.close();
});

it("signing in on the case list: a bad address is shown at its field without a round trip, and the server refuses it alike", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/vorgang`);
  await hydrated(page);
  const sent = sentForms(page);
  const email = page.getByLabel(journeyDe.signIn.email);
  await email.fill(badEmail);
  await email.blur();
  await expect.poll(() => page.locator("#f-email-error").count()).toBe(1);
  expect(await tiedError(page, "#f-email", "f-email-error")).toEqual({
    text: emailMessage,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-email-error"]),
  });
  await page.getByRole("button", { name: journeyDe.signIn.send }).click();
  await expect.poll(() => page.locator(".error-summary a[href='#f-email']").textContent()).toBe(emailMessage);
  expect(sent).toEqual([]);
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false, locale: "de-DE" });
  const noScript = await plain.newPage();
  await noScript.goto(`${baseUrl}/vorgang`);
  await noScript.getByLabel(journeyDe.signIn.email).fill(badEmail);
  const [response] = await Promise.all([
    noScript.waitForResponse((r) => r.request().method() === "POST"),
    noScript.getByRole("button", { name: journeyDe.signIn.send }).click(),
  ]);
  expect(response.status()).toBe(400);
  await noScript.waitForLoadState();
  expect(await tiedError(noScript, "#f-email", "f-email-error")).toMatchObject({
    text: emailMessage,
    invalid: "true",
  });
  // The address is typed back.
  expect(await noScript.getByLabel(journeyDe.signIn.email).inputValue()).toBe(badEmail);
  await plain.close();
});

it("checks the staff sign-in in the browser: a missing field is told at it, tied to it, and nothing is sent", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const sent = sentForms(page);
  await page.goto(`${baseUrl}/intern/anmelden`);
  await hydrated(page);

  const userName = page.getByLabel(staffDe.signIn.userName);
  await userName.fill("dsb");
  await userName.fill("");
  await userName.blur();
  await expect
    .poll(() => page.locator("#f-userName-error").textContent())
    .toBe(staffDe.signIn.userNameRequired);
  expect(await userName.getAttribute("aria-invalid")).toBe("true");
  expect(await userName.getAttribute("aria-describedby")).toContain("f-userName-error");

  // Submitting tells the password too, in the summary that links to each field, and sends nothing.
  await page.getByRole("button", { name: staffDe.signIn.submit }).click();
  await expect
    .poll(() => page.locator(".error-summary a[href='#f-password']").textContent())
    .toBe(staffDe.signIn.passwordRequired);
  expect(await page.locator("#f-password").getAttribute("aria-describedby")).toContain("f-password-error");
  expect(sent).toEqual([]);

  // Corrected, the message goes as the member types; a wrong password is the server's to tell, at
  // the name, which stays as typed (that the answer never carries the password:
  // tests/integration/staff-forms-sent-back.test.ts).
  await userName.fill("dsb");
  await expect.poll(() => page.locator("#f-userName-error").count()).toBe(0);
  await page.getByLabel(staffDe.signIn.password).fill("nicht-das-kennwort-b2");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: staffDe.signIn.submit }).click(),
  ]);
  expect(response.status()).toBe(401);
  await expect.poll(() => page.locator("#f-userName-error").textContent()).toBe(staffDe.signIn.invalid);
  expect(await userName.inputValue()).toBe("dsb");
  expect(sent).toHaveLength(1);
  await context.close();
});
