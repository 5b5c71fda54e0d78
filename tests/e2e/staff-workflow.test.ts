import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { deliveryDe } from "#app/i18n/delivery.de";
import { journeyDe } from "#app/i18n/journey.de";
import { reviewDe } from "#app/i18n/review.de";
import { DEMO_PERSONS } from "#app/sources/sample/people";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox } from "./support/mailbox";
import { demoAccount, signInAsStaff } from "./support/staff";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
let caseUrl: string;
const downloads = mkdtempSync(join(tmpdir(), "rp-e2e-downloads-"));
const run = promisify(execFile);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  rmSync(downloads, { recursive: true, force: true });
});

/** Without JavaScript: clicks a submit button and waits for the page the server answers with. */
async function submit(page: Page, name: string | RegExp) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name }).click(),
  ]);
  const error = await page.locator(".error-summary").count();
  if (error > 0) throw new Error(`the page refused: ${await page.locator(".error-summary").textContent()}`);
}

/** Reloads the case page until no store is waiting or running any more. */
async function waitForGathering(page: Page) {
  for (let i = 0; i < 60; i++) {
    await page.goto(caseUrl);
    const states = await page.locator("table").first().locator("tbody td:nth-child(2)").allTextContents();
    if (states.length > 0 && states.every((s) => /fertig|fehlgeschlagen/.test(s))) return;
    await page.waitForTimeout(1000);
  }
  throw new Error("gathering did not finish");
}

it("lets a handler review the demo person's findings with the suggestions, and a DPO approve", async () => {
  // The handler works without JavaScript (plain form posts); the DPO below with it.
  const handlerContext = await browser.newContext({ javaScriptEnabled: false });
  const page = await handlerContext.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);

  // The demo case was taken in from an e-mail; its gathering started by itself.
  await page.goto(`${baseUrl}/intern/vorgaenge?channel=email`);
  await page.locator("tbody th a").first().click();
  await page.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  caseUrl = page.url();
  await waitForGathering(page);
  expect(await page.locator("table").first().locator("tbody tr").count()).toBeGreaterThanOrEqual(8);

  await submit(page, "Prüfung beginnen (friert die Treffer ein)");
  await expect(page.getByText("in Prüfung").first().isVisible()).resolves.toBe(true);
  // The open round's page (filter, counts, decision panel with the group choice) as the handler
  // sees it, kept for an accessibility check below: axe needs JavaScript, this session has none.
  const openRoundHtml = await page.content();
  // The rules marked findings before anyone looked: an unconfirmed match or a third party's data.
  const suggestions = await page.locator("#decide-form tbody td:nth-child(3) li").allTextContents();
  expect(suggestions.some((s) => /Art\. 12 Abs\. 6|Art\. 15 Abs\. 4|§ 21/.test(s))).toBe(true);

  // Withhold one finding with a ground from the catalogue …
  const boxes = page.locator("#decide-form input[name=findingIds]");
  const total = await boxes.count();
  const withheldId = await boxes.first().getAttribute("value");
  await boxes.first().check();
  await page.check("#d-withhold");
  await page.selectOption("#f-ground", "secrecy");
  await page.fill("#f-reasoning", "Nach Abwägung überwiegen die Rechte einer dritten Person.");
  await page.fill("#f-reviewOn", "2030-01-15");
  await submit(page, /Entscheidung für die ausgewählten Treffer speichern/);
  const withheldRow = page.locator("#decide-form tbody tr", {
    has: page.locator(`input[value="${withheldId}"]`),
  });
  await expect(withheldRow.locator("td").nth(3).textContent()).resolves.toContain("zurückhalten");

  // … and release the rest. Matches through identifiers the person never proved are given out only
  // with a separate confirmation (without JavaScript too): the page asks before anything is saved.
  for (let i = 0; i < total; i++)
    if ((await boxes.nth(i).getAttribute("value")) !== withheldId) await boxes.nth(i).check();
  await page.check("#d-release");
  await submit(page, /Entscheidung für die ausgewählten Treffer speichern/);
  const confirm = page.getByTestId("decision-confirm");
  if ((await confirm.count()) > 0) {
    expect(await page.locator("#decide-form tbody td:nth-child(4)").allTextContents()).toEqual(
      expect.not.arrayContaining([expect.stringContaining("herausgeben")]),
    );
    if ((await confirm.locator("#f-confirm-unproven").count()) > 0)
      await confirm.locator("#f-confirm-unproven").check();
    await submit(page, reviewDe.confirm.submit);
  }
  const decisions = await page.locator("#decide-form tbody td:nth-child(4)").allTextContents();
  expect(decisions.filter((d) => d.includes("herausgeben"))).toHaveLength(total - 1);

  await submit(page, "Zur Freigabe vorlegen");
  await expect(page.getByText("zur Freigabe vorgelegt").first().isVisible()).resolves.toBe(true);
  // The handler cannot approve: the button is not there, and a forged POST is refused.
  expect(await page.getByRole("button", { name: /Freigeben/ }).count()).toBe(0);
  await handlerContext.close();

  const dpoContext = await browser.newContext();
  const dpoPage = await dpoContext.newPage();
  await signInAsStaff(dpoPage, baseUrl, demoAccount(dataDir, "dpo"), dataDir);
  // axe needs JavaScript in the page, so the accessibility checks run in the DPO's session.
  await dpoPage.goto(`${baseUrl}/intern/vorgaenge`);
  expect(await checkAccessibility(dpoPage)).toEqual([]);
  await dpoPage.goto(caseUrl);
  expect(await checkAccessibility(dpoPage)).toEqual([]);
  const snapshot = await dpoContext.newPage();
  await snapshot.goto(`${baseUrl}/healthz`);
  // Same origin for the styles; the page's own scripts left out, so nothing hydrates or navigates.
  await snapshot.setContent(openRoundHtml.replace(/<script\b[\s\S]*?<\/script>/g, ""), { waitUntil: "load" });
  expect(await snapshot.locator("#decide-form").count()).toBe(1);
  expect(await checkAccessibility(snapshot)).toEqual([]);
  await snapshot.close();
  await dpoPage.getByRole("button", { name: "Freigeben (Vier-Augen-Prinzip)" }).click();
  await expect
    .poll(() => dpoPage.locator("p[role=status]").first().textContent(), { timeout: 10_000 })
    .toMatch(/^freigegeben/);
  await dpoContext.close();
}, 180_000);

/** Clicks a link (or a form's button) that answers with a file and keeps the file. */
async function download(
  page: Page,
  name: string | RegExp,
  fileName: string,
  role: "link" | "button" = "link",
): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole(role, { name }).click()]);
  const path = join(downloads, fileName);
  await file.saveAs(path);
  return path;
}

it("lets the handler provide the approved answer; the person downloads the letter and the archive, plain and encrypted", async () => {
  expect(caseUrl, "the review above must have run first").toBeDefined();
  const handlerContext = await browser.newContext({ javaScriptEnabled: false });
  const staffPage = await handlerContext.newPage();
  await signInAsStaff(staffPage, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await staffPage.goto(caseUrl);
  await submit(staffPage, deliveryDe.release);
  await expect(staffPage.getByText(deliveryDe.released).first().isVisible()).resolves.toBe(true);
  await handlerContext.close();

  // The demo person signs in with a code, as anyone would, and finds the answer on the case page.
  const erika = DEMO_PERSONS.erika;
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/vorgang`);
  await page.getByLabel(journeyDe.signIn.email).fill(erika.email);
  await page.getByRole("button", { name: journeyDe.signIn.send }).click();
  await page.getByLabel(journeyDe.signIn.code).waitFor();
  const signInCode = await codeFromMailbox(page, baseUrl, erika.email, journeyDe.mail.signInSubject);
  await page.goto(`${baseUrl}/vorgang`);
  await page.getByLabel(journeyDe.signIn.code).fill(signInCode);
  await page.getByRole("button", { name: journeyDe.signIn.verify }).click();
  const caseLink = page.locator("a[href^='/vorgang/DSR-']").first();
  await caseLink.waitFor();
  const personCaseUrl = `${baseUrl}${await caseLink.getAttribute("href")}`;
  await page.goto(personCaseUrl);

  // A fresh code unlocks the downloads.
  await page.locator("form:has(input[name=intent][value=download-code]) button").click();
  await page.getByText(deliveryDe.codeSent).waitFor();
  const downloadCode = await codeFromMailbox(page, baseUrl, erika.email, deliveryDe.codeSubject);
  await page.goto(personCaseUrl);
  await page.getByLabel(deliveryDe.code).fill(downloadCode);
  await page.getByRole("button", { name: deliveryDe.unlock }).click();
  await page.getByText(deliveryDe.unlocked).waitFor();
  const reference = personCaseUrl.split("/").pop()!;

  const letter = await download(page, deliveryDe.files.letter, "brief.pdf");
  expect((await run("pdftotext", [letter, "-"])).stdout).toContain(reference);
  const archive = await download(page, deliveryDe.files.archive, "auskunft.zip");
  expect((await run("unzip", ["-t", archive])).stdout).toMatch(/No errors detected/);
  expect((await run("unzip", ["-l", archive])).stdout).toMatch(/index\.html[\s\S]*manifest\.json/);

  // Encrypted: a password shown once and typed back to download; an archive only that password opens.
  const createPassword = async () => {
    await page.getByRole("button", { name: deliveryDe.encrypted.create }).click();
    const passwordText = page.getByTestId("archive-password");
    await passwordText.waitFor();
    return (await passwordText.textContent())!.trim();
  };
  const first = await createPassword();
  expect(first).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){4}$/);
  expect(await checkAccessibility(page)).toEqual([]);
  // Typed wrong: nothing is downloaded, the page says why.
  await page.getByLabel(deliveryDe.encrypted.typeBack).fill(first.replaceAll("-", ""));
  await page.getByRole("button", { name: deliveryDe.encrypted.archive }).click();
  await page.getByRole("alert").filter({ hasText: deliveryDe.encrypted.wrongPassword }).waitFor();
  expect(await checkAccessibility(page)).toEqual([]);
  const password = await createPassword();
  expect(password).not.toBe(first);
  await page.getByLabel(deliveryDe.encrypted.typeBack).fill(password);
  const encrypted = await download(
    page,
    deliveryDe.encrypted.archive,
    "auskunft-verschluesselt.zip",
    "button",
  );
  expect((await run("7z", ["l", "-slt", `-p${password}`, encrypted])).stdout).toContain(
    "Method = AES-256 Deflate",
  );
  expect((await run("7z", ["t", `-p${password}`, encrypted])).stdout).toContain("Everything is Ok");
  await expect(run("7z", ["t", "-pfalsch", encrypted])).rejects.toMatchObject({
    stderr: expect.stringContaining("Wrong password"),
  });

  // The password is not shown again when the page is loaded anew.
  await page.goto(personCaseUrl);
  expect(await page.getByTestId("archive-password").count()).toBe(0);
  await context.close();
}, 180_000);
