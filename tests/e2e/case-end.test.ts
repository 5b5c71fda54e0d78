import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { complaintsDe } from "#app/i18n/complaints.de";
import { deliveryDe } from "#app/i18n/delivery.de";
import { journeyDe } from "#app/i18n/journey.de";
import { staffDe } from "#app/i18n/staff.de";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox, mailFromMailbox } from "./support/mailbox";
import { demoAccount, signInAsStaff } from "./support/staff";

/**
 * A complaint request ends when it is forwarded — its mail accepted by a mail server (ADR 0015): the
 * person's case page says so, says
 * that the supervisory authority answers — not we — and promises no download. A rectification found
 * unfounded ends when the DPO declines it with reasons (Art. 12(4)).
 */
let browser: Browser;
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");

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
  await page
    .getByRole("group", { name: complaintsDe.requestForm.caseFileLegend })
    .getByRole("radio")
    .last()
    .check();
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
  const confirmUrl = page.url();
  const code = await codeFromMailbox(page, baseUrl, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  const caseUrl = page.url().split("?")[0]!;

  // Forwarded once the mail server accepted the mail (recorded by a job every minute), not before.
  await expect
    .poll(
      async () => {
        await page.goto(caseUrl);
        return page.locator("dl.facts").innerText();
      },
      { timeout: 150_000, interval: 2_000 },
    )
    .toContain(journeyDe.status.forwarded!);
  const note = await page.locator("[data-testid=outcome-note]").innerText();
  expect(note).toContain(journeyDe.case.complaintNext(supervisoryAuthority.name.de));
  // No answer section promising a download from us, no form to add to an ended case.
  expect(await page.getByRole("heading", { name: journeyDe.case.downloads }).count()).toBe(0);
  expect(await page.getByRole("heading", { name: journeyDe.case.withdrawTitle }).count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  await page.goto(`${caseUrl}/beschwerde`);
  expect(await page.locator("[data-testid=complaint-next]").innerText()).toBe(
    complaintsDe.page.next(supervisoryAuthority.name.de),
  );
  expect(await checkAccessibility(page)).toEqual([]);

  // The list of cases says the same.
  await page.goto(`${baseUrl}/vorgang`);
  expect(await page.locator("table").innerText()).toContain(journeyDe.status.forwarded!);
  await context.close();
}, 240_000);

it("lets the DPO decline an unfounded rectification with reasons; the person is told with both remedies and the case ends as refused", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const email = "berichtigung.abgelehnt@example.org";
  await page.goto(`${baseUrl}/antrag/berichtigung`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page
    .getByLabel("Welche Angabe ist falsch oder unvollständig?")
    .fill("Mein Geburtsdatum im Kontaktformular");
  await page.getByLabel("Wie lautet die Angabe richtig?").fill("1. Februar 1970");
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

  const staffContext = await browser.newContext({ locale: "de-DE" });
  const dpo = await staffContext.newPage();
  await signInAsStaff(dpo, baseUrl, demoAccount(dataDir, "dpo"), dataDir);
  await dpo.goto(`${baseUrl}/intern/vorgaenge`);
  await dpo.getByRole("link", { name: reference }).click();
  await dpo.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  const form = dpo.locator("form", { has: dpo.locator("input[name=intent][value=decline]") });
  expect(await form.getByRole("heading", { name: staffDe.case.decline }).count()).toBe(1);
  expect(await checkAccessibility(dpo)).toEqual([]);
  const personReasons = "Ihr Geburtsdatum ist richtig gespeichert: Es stimmt mit Ihrem Ausweis überein.";
  await form.getByLabel(staffDe.case.declinePersonReasons).fill(personReasons);
  await form
    .getByLabel(staffDe.case.declineReasoning)
    .fill("Abgleich mit dem Ausweis im Vorgang, Vermerk vom Tag der Prüfung.");
  await Promise.all([
    dpo.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/),
    form.getByRole("button", { name: staffDe.case.declineSubmit }).click(),
  ]);
  await expect
    .poll(
      () => dpo.getByText(staffDe.case.declined("Berichtigung", journeyDe.formatDate(new Date()))).count(),
      { timeout: 10_000 },
    )
    .toBe(1);
  // Ended: neither the decline nor extension and refusal are offered any more.
  expect(await dpo.locator("input[name=intent][value=decline]").count()).toBe(0);
  expect(await dpo.getByRole("heading", { name: staffDe.case.extend }).count()).toBe(0);
  expect(await dpo.getByRole("heading", { name: staffDe.case.refuse }).count()).toBe(0);
  expect(await checkAccessibility(dpo)).toEqual([]);
  await staffContext.close();

  // The notice in the person's mailbox: the reasons, the supervisory authority, the court.
  const notice = await (
    await mailFromMailbox(page, baseUrl, email, deliveryDe.notices.declineSubject(reference))
  ).innerText();
  expect(notice).toContain(personReasons);
  expect(notice).toContain(supervisoryAuthority.name.de);
  expect(notice).toContain("Rechtsbehelfsbelehrung");
  expect(notice).not.toContain("Abgleich mit dem Ausweis");

  await page.goto(caseUrl);
  expect(await page.locator("dl.facts").innerText()).toContain(journeyDe.status.refused!);
  expect(await page.getByText(personReasons).count()).toBeGreaterThan(0);
  expect(await page.getByRole("heading", { name: journeyDe.case.withdrawTitle }).count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);
  await context.close();
}, 240_000);
