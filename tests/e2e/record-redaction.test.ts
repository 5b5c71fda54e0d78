import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { findings, gatherRuns, requestIdentifiers, requests } from "#db/schema";
import { suggestFor } from "#app/core/suggestions";
import { deliveryDe } from "#app/i18n/delivery.de";
import { executionDe } from "#app/i18n/execution.de";
import { journeyDe } from "#app/i18n/journey.de";
import { installAuditKey } from "#app/server/audit/keys.server";
import { createStaffAccount, syncRoles } from "#app/server/auth/staff-accounts.server";
import { newTotpSecret } from "#app/server/auth/totp.server";
import { type Config, loadConfig } from "#app/server/config.server";
import { demoAccountsFile } from "#app/server/demo.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import type { Finding, JsonObject } from "#app/sources/connector";
import { TEST_AUDIT_KEY, createServerDatabase } from "../support/database";
import { freePort } from "./global-setup";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox } from "./support/mailbox";
import {
  type PortalProcess,
  builtPortalEnv,
  spawnPortal,
  stopGently,
  waitForHealthy,
} from "./support/portal-process";
import { prepareStaffSessions } from "./support/sessions";
import { demoAccount, signInAsStaff } from "./support/staff";

/**
 * Redaction ticked, not typed, in a real browser: a case whose mail names the person only in Cc
 * (the sender and an attachment are another person's). The handler reads the record as labelled
 * fields, ticks the suggested sender and attachment, the DPO approves, the person downloads the
 * archive: it holds the mail without them. Then a rectification is picked from the list of fields.
 * The portal runs in a process of its own on a database prepared with the case and two staff
 * accounts (embedded, or PostgreSQL with DATABASE_URL); demo mode gives it the demo mailbox, and the
 * prepared accounts keep the demo data out.
 */
const EMAIL = "ticked.browser@example.org";
const REFERENCE = "DSR-2026-770101";
const SENDER = "Anna Beispiel <anna.beispiel@example.net>";
const dataDir = mkdtempSync(path.join(tmpdir(), "rp-e2e-redaction-"));
const downloads = mkdtempSync(path.join(tmpdir(), "rp-e2e-redaction-files-"));
const run = promisify(execFile);
let serverDb: Awaited<ReturnType<typeof createServerDatabase>> | undefined;
let web: PortalProcess | undefined;
let browser: Browser;
let baseUrl: string;
let caseUrl: string;

const databaseOptions = () => (serverDb ? { databaseUrl: serverDb.url, dataDir: null } : { dataDir });

const mail: JsonObject = {
  folder: "INBOX",
  messageId: "<e2e-redaction@example.net>",
  from: SENDER,
  to: ["Servicecenter <servicecenter@tlrz.thueringen.de>"],
  cc: [EMAIL],
  subject: "Kennwort vergessen",
  date: "2025-10-09T11:16:26.000Z",
  text: "Bitte setzen Sie das Kennwort zurück.",
  attachments: [{ filename: "Vollmacht Anna Beispiel.pdf", contentType: "application/pdf", size: 2048 }],
};
const letter: JsonObject = {
  id: "VIS-2024-990001",
  aktenzeichen: "31-9001/2024",
  betreff: "Ummeldung",
  eingangsart: "Brief",
  eingangsdatum: "2024-03-03T12:23:53.000Z",
  absender: {
    vorname: "Tina",
    nachname: "Tick",
    strasse: "Rosmarinweg 12",
    postleitzahl: "99089",
    ort: "Erfurt",
  },
};

/** A received, proven case whose gathering found the mail and the letter; the staff's sessions opened. */
async function prepareCase(config: Config) {
  installAuditKey(TEST_AUDIT_KEY);
  const database = await openDatabase(databaseOptions());
  try {
    await database.migrate();
    const db = database.db;
    await syncRoles(db);
    // Accounts as the demo would make them, in its accounts file: the sign-in helper reads them there.
    const accounts = [
      {
        userName: "tick-handler",
        displayName: "Sachbearbeitung",
        role: "case-handler" as const,
        password: "pw-redaction-handler",
        totpSecret: newTotpSecret(),
      },
      {
        userName: "tick-dpo",
        displayName: "Datenschutz",
        role: "dpo" as const,
        password: "pw-redaction-dpo",
        totpSecret: newTotpSecret(),
      },
    ];
    for (const a of accounts)
      await createStaffAccount(db, { ...a, email: `${a.userName}@x`, roles: [a.role] });
    writeFileSync(demoAccountsFile(dataDir), JSON.stringify(accounts), { mode: 0o600 });
    await prepareStaffSessions(
      database,
      config,
      accounts.map((a) => a.userName),
    );
    const now = new Date();
    const [request] = await db
      .insert(requests)
      .values({
        reference: REFERENCE,
        status: "review",
        kinds: ["auskunft", "berichtigung"],
        channel: "web",
        lang: "de",
        contactEmail: EMAIL,
        receivedAt: now,
        provenAt: now,
        deadline: new Date(now.getTime() + 30 * 86_400_000),
      })
      .returning();
    await db
      .insert(requestIdentifiers)
      .values({ requestId: request!.id, kind: "email", value: EMAIL, normalized: EMAIL, provenAt: now });
    const [run] = await db.insert(gatherRuns).values({ requestId: request!.id, version: 1 }).returning();
    const found: Pick<
      Finding,
      | "store"
      | "storeKind"
      | "processingActivityId"
      | "ref"
      | "role"
      | "flags"
      | "content"
      | "matchedIdentifier"
    >[] = [
      {
        store: "mail-support",
        storeKind: "maildir",
        processingActivityId: "email",
        ref: "INBOX/e2e-redaction",
        role: "cc",
        flags: ["third-party-data"],
        content: mail,
        matchedIdentifier: { kind: "email", value: EMAIL, recordValue: EMAIL, proven: true },
      },
      {
        store: "viskompakt",
        storeKind: "records-management",
        processingActivityId: "records-management",
        ref: "VIS-2024-990001",
        role: "sender",
        flags: [],
        content: letter,
        matchedIdentifier: { kind: "name", value: "Tina Tick", recordValue: "Tina Tick", proven: true },
      },
    ];
    await db.insert(findings).values(
      found.map((f) => ({
        runId: run!.id,
        store: f.store,
        storeKind: f.storeKind,
        processingActivityId: f.processingActivityId,
        ref: f.ref,
        role: f.role ?? null,
        flags: f.flags,
        unproven: false,
        matched: f.matchedIdentifier,
        recordedAt: now,
        content: f.content,
        contentHash: contentHashOf(f.content),
        suggestions: suggestFor({ ...f, unproven: false }),
      })),
    );
    return request!.id;
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  serverDb = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : undefined;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...builtPortalEnv({ port, dataDir, databaseUrl: serverDb?.url }), DEMO_MODE: "true" };
  const requestId = await prepareCase(loadConfig(env));
  caseUrl = `${baseUrl}/intern/vorgaenge/${requestId}`;
  web = spawnPortal("web", env);
  await waitForHealthy(baseUrl, web);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (web) await stopGently(web);
  await serverDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
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

it("lets the handler tick the third party's sender and attachment for redaction; the person's archive holds the mail without them", async () => {
  const handlerContext = await browser.newContext({ javaScriptEnabled: false });
  const page = await handlerContext.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await page.goto(caseUrl);
  await submit(page, "Prüfung beginnen (friert die Treffer ein)");

  // The record reads as labelled fields; the rules suggest the sender and the attachment, not the person in Cc.
  const mailRow = page.locator("#decide-form tbody tr", { hasText: "INBOX/e2e-redaction" });
  await expect(mailRow.locator("dt", { hasText: "Absender" }).textContent()).resolves.toContain(
    "Vorschlag: schwärzen",
  );
  await expect(
    mailRow.locator("dt", { hasText: "Betreff" }).locator("xpath=following-sibling::dd").textContent(),
  ).resolves.toContain("Kennwort vergessen");
  await expect(mailRow.locator("td").nth(2).textContent()).resolves.toContain("Absender, Anhänge 1");
  expect(await mailRow.locator("summary", { hasText: "Datensatz wie gespeichert (JSON)" }).count()).toBe(1);

  await mailRow.locator("input[name=findingIds]").check();
  await mailRow.getByLabel(/^schwärzen: Absender \(/).check();
  await mailRow.getByLabel(/^schwärzen: Anhänge 1 \(/).check();
  await page.check("#d-redact");
  await page.selectOption("#f-ground", "third-party-rights");
  await page.fill("#f-reasoning", "Absender und Anhang betreffen eine dritte Person.");
  await submit(page, /Entscheidung für die ausgewählten Treffer speichern/);
  await expect(mailRow.locator("td").nth(3).textContent()).resolves.toContain("schwärzen");

  const letterRow = page.locator("#decide-form tbody tr", { hasText: "VIS-2024-990001" });
  await letterRow.locator("input[name=findingIds]").check();
  await page.check("#d-release");
  await submit(page, /Entscheidung für die ausgewählten Treffer speichern/);
  await submit(page, "Zur Freigabe vorlegen");
  await handlerContext.close();

  const dpoContext = await browser.newContext();
  const dpoPage = await dpoContext.newPage();
  await signInAsStaff(dpoPage, baseUrl, demoAccount(dataDir, "dpo"), dataDir);
  await dpoPage.goto(caseUrl);
  expect(await checkAccessibility(dpoPage)).toEqual([]);
  await dpoPage.getByRole("button", { name: "Freigeben (Vier-Augen-Prinzip)" }).click();
  await expect
    .poll(() => dpoPage.locator("p[role=status]").first().textContent(), { timeout: 10_000 })
    .toMatch(/^freigegeben/);
  await dpoContext.close();

  const releaseContext = await browser.newContext({ javaScriptEnabled: false });
  const staffPage = await releaseContext.newPage();
  await signInAsStaff(staffPage, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await staffPage.goto(caseUrl);
  await submit(staffPage, deliveryDe.release);
  await releaseContext.close();

  // The person signs in with a code and downloads the archive.
  const context = await browser.newContext({ acceptDownloads: true });
  const person = await context.newPage();
  await person.goto(`${baseUrl}/vorgang`);
  await person.getByLabel(journeyDe.signIn.email).fill(EMAIL);
  await person.getByRole("button", { name: journeyDe.signIn.send }).click();
  await person.getByLabel(journeyDe.signIn.code).waitFor();
  const signInCode = await codeFromMailbox(person, baseUrl, EMAIL, journeyDe.mail.signInSubject);
  await person.goto(`${baseUrl}/vorgang`);
  await person.getByLabel(journeyDe.signIn.code).fill(signInCode);
  await person.getByRole("button", { name: journeyDe.signIn.verify }).click();
  const personCaseUrl = `${baseUrl}/vorgang/${REFERENCE}`;
  await person.locator(`a[href='/vorgang/${REFERENCE}']`).waitFor();
  await person.goto(personCaseUrl);
  await person.locator("form:has(input[name=intent][value=download-code]) button").click();
  await person.getByText(deliveryDe.codeSent).waitFor();
  const downloadCode = await codeFromMailbox(person, baseUrl, EMAIL, deliveryDe.codeSubject);
  await person.goto(personCaseUrl);
  await person.getByLabel(deliveryDe.code).fill(downloadCode);
  await person.getByRole("button", { name: deliveryDe.unlock }).click();
  await person.getByText(deliveryDe.unlocked).waitFor();
  const [file] = await Promise.all([
    person.waitForEvent("download"),
    person.getByRole("link", { name: deliveryDe.files.archive }).click(),
  ]);
  const archive = path.join(downloads, "auskunft.zip");
  await file.saveAs(archive);
  await context.close();

  const everything = (await run("unzip", ["-p", archive], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  expect(everything).toContain("Kennwort vergessen");
  expect(everything).toContain(EMAIL);
  expect(everything).not.toContain("anna.beispiel@example.net");
  expect(everything).not.toContain("Vollmacht Anna Beispiel");
  expect(everything).toContain("[geschwärzt: Art. 15 Abs. 4 DS-GVO]");
}, 240_000);

it("lets the handler pick the field to rectify from the record's list and type the correct value", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  await page.goto(`${caseUrl}/umsetzung`);
  expect(await page.locator("input[name=field]").count()).toBe(0);
  const target = page.getByLabel(executionDe.rectifyTarget);
  await target.selectOption({ label: executionDe.rectifyCurrent("Ort", "Erfurt") });
  await page.getByLabel(executionDe.rectifyValue).fill("Weimar");
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.locator("form.execution-rectify button[type=submit]").click(),
  ]);
  expect(await page.locator(".error-summary").count()).toBe(0);
  await expect(
    page
      .getByText(/Berichtigen: .*VIS-2024-990001 \(Ort → Weimar\)/)
      .first()
      .isVisible(),
  ).resolves.toBe(true);
  await context.close();
}, 120_000);
