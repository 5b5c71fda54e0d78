import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { requests } from "#db/schema";
import { staffDe } from "#app/i18n/staff.de";
import { statutoryDe } from "#app/i18n/statutory.de";
import { installAuditKey } from "#app/server/audit/keys.server";
import { createStaffAccount, syncRoles } from "#app/server/auth/staff-accounts.server";
import { newTotpSecret } from "#app/server/auth/totp.server";
import { loadConfig } from "#app/server/config.server";
import type { DemoAccount } from "#app/server/demo.server";
import { caseReadyForReview, releasedWithWithheldFinding } from "../support/cases";
import { TEST_AUDIT_KEY, createServerDatabase } from "../support/database";
import { freePort } from "./global-setup";
import { launchBrowser } from "./support/browser";
import { hydrated, sentForms, tiedError } from "./support/forms";
import {
  type PortalProcess,
  builtPortalEnv,
  spawnPortal,
  stopGently,
  waitForHealthy,
} from "./support/portal-process";
import { prepareStaffSessions } from "./support/sessions";
import { signInAsStaff } from "./support/staff";

/**
 * The staff case page's own forms in a real browser: the choice of who works on the case, the
 * § 21(5) tasks (a demand taken by letter, the record's hand-over) and the identity check. Each is
 * checked in the browser with the schema the server checks again: the refusal shows at its field,
 * tied to it (aria-invalid, aria-describedby), and nothing is sent; without JavaScript the server's
 * refusal comes back to the same field with what was typed. A case whose answer withheld a record on
 * a § 21 ground (its reasons left out) is written into a database of its own, so the demand is open.
 */
const t = statutoryDe.task;
const account: DemoAccount = {
  userName: "formen-dsb",
  displayName: "Formen DSB",
  role: "dpo",
  password: "formen-dsb-password",
  totpSecret: newTotpSecret(),
};
let browser: Browser;
let portal: PortalProcess;
let baseUrl: string;
let dataDir: string;
let server: Awaited<ReturnType<typeof createServerDatabase>> | null = null;
let caseUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "rp-case-forms-"));
  server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : null;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...builtPortalEnv({ port, dataDir, databaseUrl: server?.url }),
    DEMO_MODE: "false",
    SESSION_SECRET: "case-forms-test-session-secret-case-forms",
    SECURE_COOKIES: "false",
    RUN_WORKERS: "false",
  };
  installAuditKey(TEST_AUDIT_KEY);
  const database = await openDatabase({ databaseUrl: server?.url, dataDir });
  try {
    await database.migrate();
    const db = database.db;
    await syncRoles(db);
    const staffId = await createStaffAccount(db, {
      ...account,
      email: "formen-dsb@example.org",
      roles: ["dpo"],
    });
    const now = new Date();
    const { requestId, runId, findingIds } = await caseReadyForReview(db, [
      { subject: "Vermerk zur Anfrage einer Behörde" },
    ]);
    await db
      .update(requests)
      .set({
        status: "answered",
        provenAt: now,
        answeredAt: now,
        deadline: new Date(now.getTime() + 30 * 86_400_000),
      })
      .where(eq(requests.id, requestId));
    await releasedWithWithheldFinding(db, { requestId, runId, findingId: findingIds[0]!, staffId, at: now });
    caseUrl = `${baseUrl}/intern/vorgaenge/${requestId}`;
    await prepareStaffSessions(database, loadConfig(env), [account.userName]);
  } finally {
    await database.close();
  }
  portal = spawnPortal("web", env);
  await waitForHealthy(baseUrl, portal);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (portal) await stopGently(portal);
  await server?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The case page, signed in, with or without JavaScript; with it, once React has taken over its forms. */
async function openCase(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "de-DE", javaScriptEnabled });
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, account, dataDir);
  await page.goto(caseUrl);
  if (javaScriptEnabled) await hydrated(page);
  return { context, page };
}

/**
 * A choice the page does not offer, added to a select as a crafted or outdated page would send it:
 * no person can choose a wrong value in a list, so this is how a refusal of the list is reached.
 */
async function chooseUnoffered(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).evaluate((select, value) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value;
    select.append(option);
  }, value);
  await page.locator(selector).selectOption(value);
}

/** Submits with the button and waits for the POST's answer (the form was sent). */
async function submitted(page: Page, button: ReturnType<Page["getByRole"]>) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    button.click(),
  ]);
  return response;
}

it("the assignee choice: a value not in the list is refused at the field in the browser, nothing sent; without JavaScript the server refuses a vanished member at the field", async () => {
  const message = staffDe.case.errors["unknown-assignee"];
  const assignButton = (page: Page) => page.locator("form:has(#f-assignee)").getByRole("button");

  const { context, page } = await openCase(true);
  const sent = sentForms(page);
  await chooseUnoffered(page, "#f-assignee", "nicht-eine-kennung");
  await assignButton(page).click();
  await expect.poll(() => page.locator("#f-assignee-error").count()).toBe(1);
  expect(await tiedError(page, "#f-assignee", "f-assignee-error")).toEqual({
    text: message,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-assignee-error"]),
  });
  // The browser checked it: nothing reached the server.
  expect(sent).toEqual([]);
  // Corrected, the message goes as the choice changes.
  await page.locator("#f-assignee").selectOption("");
  await expect.poll(() => page.locator("#f-assignee-error").count()).toBe(0);
  expect(sent).toEqual([]);
  await context.close();

  // A well-formed id of nobody: only the server can tell.
  const plain = await openCase(false);
  const vanished = "6f1c1a8e-3d1b-4c55-9a57-0c8f5b2d7e10";
  await chooseUnoffered(plain.page, "#f-assignee", vanished);
  const response = await submitted(plain.page, assignButton(plain.page));
  expect(response.status()).toBe(400);
  await plain.page.waitForLoadState();
  expect(await tiedError(plain.page, "#f-assignee", "f-assignee-error")).toEqual({
    text: message,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-assignee-error"]),
  });
  await plain.context.close();
}, 120_000);

it("the § 21(5) tasks: a demand's channel and the hand-over's note and day are refused at their fields in the browser, nothing sent; without JavaScript the server sends them back with what was typed", async () => {
  const recordButton = (page: Page) => page.getByRole("button", { name: t.recordSubmit });

  // The demand taken by letter: a channel the list does not offer.
  const { context, page } = await openCase(true);
  const sent = sentForms(page);
  await chooseUnoffered(page, "#f-demand-channel", "brieftaube");
  await recordButton(page).click();
  await expect.poll(() => page.locator("#f-demand-channel-error").count()).toBe(1);
  expect(await tiedError(page, "#f-demand-channel", "f-demand-channel-error")).toEqual({
    text: t.errors.channel,
    invalid: "true",
    describedBy: expect.arrayContaining(["f-demand-channel-error"]),
  });
  expect(sent).toEqual([]);
  await context.close();

  const plain = await openCase(false);
  await chooseUnoffered(plain.page, "#f-demand-channel", "brieftaube");
  const refusedDemand = await submitted(plain.page, recordButton(plain.page));
  expect(refusedDemand.status()).toBe(400);
  await plain.page.waitForLoadState();
  expect(await tiedError(plain.page, "#f-demand-channel", "f-demand-channel-error")).toMatchObject({
    text: t.errors.channel,
    invalid: "true",
  });
  expect(await plain.page.locator("[data-testid=tlfdi-task]").count()).toBe(0);

  // Recorded with a channel of the list: the task and its hand-over form appear.
  await plain.page.locator("#f-demand-channel").selectOption("letter");
  await Promise.all([plain.page.waitForNavigation(), recordButton(plain.page).click()]);
  expect(await plain.page.locator("[data-testid=tlfdi-task]").count()).toBe(1);
  await plain.context.close();

  const withScript = await openCase(true);
  const handOver = withScript.page.locator("[data-testid=tlfdi-task] form");
  const demandId = await handOver.locator("input[name=demandId]").inputValue();
  const note = `#f-ho-note-${demandId}`;
  const day = `#f-ho-day-${demandId}`;
  const sentWithScript = sentForms(withScript.page);
  // Too short a note, on leaving it; a day after today, on sending.
  await withScript.page.locator(note).fill("ab");
  await withScript.page.locator(note).blur();
  await expect.poll(() => withScript.page.locator(`${note}-error`).count()).toBe(1);
  expect(await tiedError(withScript.page, note, `${note.slice(1)}-error`)).toEqual({
    text: t.errors["note-required"],
    invalid: "true",
    describedBy: expect.arrayContaining([`${note.slice(1)}-error`]),
  });
  await withScript.page.locator(day).fill("2999-01-01");
  await handOver.getByRole("button", { name: t.submit }).click();
  await expect.poll(() => withScript.page.locator(`${day}-error`).count()).toBe(1);
  expect(await tiedError(withScript.page, day, `${day.slice(1)}-error`)).toEqual({
    text: t.errors["bad-day"],
    invalid: "true",
    describedBy: expect.arrayContaining([`${day.slice(1)}-error`]),
  });
  expect(sentWithScript).toEqual([]);
  await withScript.context.close();

  // Without JavaScript: spaces pass the browser's own length check, the server trims them and refuses.
  const noScript = await openCase(false);
  const typed = "  ab   ";
  const form = noScript.page.locator("[data-testid=tlfdi-task] form");
  await noScript.page.locator(note).fill(typed);
  const refusedHandOver = await submitted(noScript.page, form.getByRole("button", { name: t.submit }));
  expect(refusedHandOver.status()).toBe(400);
  await noScript.page.waitForLoadState();
  expect(await tiedError(noScript.page, note, `${note.slice(1)}-error`)).toEqual({
    text: t.errors["note-required"],
    invalid: "true",
    describedBy: expect.arrayContaining([`${note.slice(1)}-error`]),
  });
  expect(await noScript.page.locator(note).inputValue()).toBe(typed);
  await noScript.context.close();
}, 180_000);

it("the identity check: a missing choice and a wrong number tail are refused at their fields in the browser, nothing sent; corrected, the check is recorded", async () => {
  const i = statutoryDe.identity;
  const { context, page } = await openCase(true);
  const section = page.locator("section", { has: page.locator("#identitaet") });
  const sent = sentForms(page);
  await section.getByLabel(i.numberTail).fill("12-4");
  await section.getByLabel(i.numberTail).blur();
  await expect.poll(() => page.locator("#f-id-tail-error").count()).toBe(1);
  expect(await tiedError(page, "#f-id-tail", "f-id-tail-error")).toEqual({
    text: i.errors["number-tail"],
    invalid: "true",
    describedBy: expect.arrayContaining(["f-id-tail-error"]),
  });
  // Sent without saying how the document was seen: told at that question (the group says so).
  await section.getByRole("button", { name: i.submit }).click();
  await expect.poll(() => page.locator("#f-id-how-error").textContent()).toBe(i.errors.how);
  expect((await page.locator("#f-id-how").getAttribute("aria-describedby"))?.split(" ")).toContain(
    "f-id-how-error",
  );
  expect(await page.locator("#f-id-result-error").textContent()).toBe(i.errors.result);
  expect(sent).toEqual([]);

  await section.getByLabel(i.hows["in-person"]).check();
  await section.getByLabel(i.results.confirmed).check();
  await section.getByLabel(i.numberTail).fill("l01x");
  await expect.poll(() => page.locator("#f-id-tail-error").count()).toBe(0);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    section.getByRole("button", { name: i.submit }).click(),
  ]);
  await expect.poll(() => page.getByTestId("identity-history").locator("tbody tr").count()).toBe(1);
  expect(await page.getByTestId("identity-history").innerText()).toContain("…L01X");
  expect(sent).toHaveLength(1);
  await context.close();
}, 120_000);
