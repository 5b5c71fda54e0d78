import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { auditEvents, findings, gatherRuns, requestIdentifiers, requests, tlfdiDemands } from "#db/schema";
import { journeyDe } from "#app/i18n/journey.de";
import { statutoryDe } from "#app/i18n/statutory.de";
import { installAuditKey } from "#app/server/audit/keys.server";
import { createStaffAccount, syncRoles } from "#app/server/auth/staff-accounts.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { releasedWithWithheldFinding } from "../support/cases";
import { TEST_AUDIT_KEY, createServerDatabase } from "../support/database";
import { freePort } from "./global-setup";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox, mailFromMailbox } from "./support/mailbox";
import {
  type PortalProcess,
  builtPortalEnv,
  spawnPortal,
  stopGently,
  waitForHealthy,
} from "./support/portal-process";

/**
 * § 21(5) ThürDSG in a real browser: a person whose answer kept a record back (its reasons left out
 * under § 21(4)) demands that the TLfDI be given it. The portal runs in a process of its own on a
 * database prepared with that answer (embedded, or PostgreSQL with DATABASE_URL).
 */
const EMAIL = "verlangen.browser@example.org";
const REFERENCE = "DSR-2026-770001";
const dataDir = mkdtempSync(path.join(tmpdir(), "rp-e2e-tlfdi-"));
let serverDb: Awaited<ReturnType<typeof createServerDatabase>> | undefined;
let web: PortalProcess | undefined;
let browser: Browser;
let baseUrl: string;

const databaseOptions = () => (serverDb ? { databaseUrl: serverDb.url, dataDir: null } : { dataDir });

/** The case as the review left it: one record withheld (secrecy, reasons left out), the answer released. */
async function prepareCase() {
  installAuditKey(TEST_AUDIT_KEY);
  const database = await openDatabase(databaseOptions());
  try {
    await database.migrate();
    const db = database.db;
    await syncRoles(db);
    const handler = await createStaffAccount(db, {
      userName: "tlfdi-e2e",
      displayName: "Sachbearbeitung",
      email: "tlfdi-e2e@x",
      password: "pw-not-used",
      roles: ["case-handler"],
    });
    const now = new Date();
    const [request] = await db
      .insert(requests)
      .values({
        reference: REFERENCE,
        status: "answered",
        kinds: ["auskunft"],
        channel: "web",
        lang: "de",
        contactEmail: EMAIL,
        receivedAt: now,
        provenAt: now,
        deadline: new Date(now.getTime() + 30 * 86_400_000),
        answeredAt: now,
      })
      .returning();
    await db
      .insert(requestIdentifiers)
      .values({ requestId: request!.id, kind: "email", value: EMAIL, normalized: EMAIL, provenAt: now });
    const [run] = await db
      .insert(gatherRuns)
      .values({ requestId: request!.id, version: 1, frozenAt: now })
      .returning();
    const content = { subject: "Vermerk zur Anfrage einer Behörde" };
    const [finding] = await db
      .insert(findings)
      .values({
        runId: run!.id,
        store: "mail-support",
        storeKind: "maildir",
        processingActivityId: "email",
        ref: "m/1",
        flags: [],
        unproven: false,
        matched: {},
        content,
        contentHash: contentHashOf(content),
      })
      .returning();
    await releasedWithWithheldFinding(db, {
      requestId: request!.id,
      runId: run!.id,
      findingId: finding!.id,
      staffId: handler,
      at: now,
    });
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  serverDb = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : undefined;
  await prepareCase();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  web = spawnPortal("web", {
    ...builtPortalEnv({ port, dataDir, databaseUrl: serverDb?.url }),
    // Demo mode for the demo mailbox; the prepared staff account keeps the demo data out.
    DEMO_MODE: "true",
  });
  await waitForHealthy(baseUrl, web);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (web) await stopGently(web);
  await serverDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("the person demands the TLfDI's review of the restricted answer, with a confirmation, and is told", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/vorgang`);
  await page.getByLabel(journeyDe.signIn.email).fill(EMAIL);
  await page.getByRole("button", { name: journeyDe.signIn.send }).click();
  await page.getByLabel(journeyDe.signIn.code).waitFor();
  const code = await codeFromMailbox(page, baseUrl, EMAIL, journeyDe.mail.signInSubject);
  await page.goto(`${baseUrl}/vorgang`);
  await page.getByLabel(journeyDe.signIn.code).fill(code);
  await page.getByRole("button", { name: journeyDe.signIn.verify }).click();
  await page.locator(`a[href='/vorgang/${REFERENCE}']`).waitFor();
  await page.goto(`${baseUrl}/vorgang/${REFERENCE}`);

  const section = page.locator("section[aria-labelledby=tlfdi-pruefung]");
  expect(await section.getByRole("heading").innerText()).toBe(statutoryDe.demand.title);
  expect(await section.innerText()).toContain("§ 21 Abs. 5 ThürDSG");
  expect(await checkAccessibility(page)).toEqual([]);

  // Without the confirmation: the page says what is missing, nothing is demanded.
  await section.getByRole("button", { name: statutoryDe.demand.submit }).click();
  await expect.poll(() => section.getByRole("alert").innerText()).toBe(statutoryDe.demand.errors.confirm);
  expect(await checkAccessibility(page)).toEqual([]);

  await section.getByLabel(statutoryDe.demand.confirm).check();
  await section.getByRole("button", { name: statutoryDe.demand.submit }).click();
  await expect.poll(() => section.getByRole("status").innerText()).toBe(statutoryDe.demand.done);
  await expect
    .poll(() => section.getByTestId("tlfdi-demand-state").innerText())
    .toContain("verlangt, dass wir die Auskunft der Aufsichtsbehörde erteilen");
  expect(await section.getByRole("button", { name: statutoryDe.demand.submit }).count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  // Loaded anew, the page tells the state, offers no second demand, and shows the confirmation among the messages.
  await page.goto(`${baseUrl}/vorgang/${REFERENCE}`);
  expect(await section.getByTestId("tlfdi-demand-state").count()).toBe(1);
  expect(await section.getByRole("button").count()).toBe(0);
  expect(await page.locator(".messages").innerText()).toContain("(§ 21 Abs. 5 ThürDSG)");

  const mail = await mailFromMailbox(page, baseUrl, EMAIL, statutoryDe.demand.mail.subject(REFERENCE));
  expect(await mail.locator(".demo-mail__text").innerText()).toContain(
    "Thüringer Landesbeauftragten für den Datenschutz und die Informationsfreiheit",
  );
  await context.close();

  // In the database: one demand, its record kept, the demand in the audit trail.
  await stopGently(web!);
  web = undefined;
  const database = await openDatabase(databaseOptions());
  try {
    const demands = await database.db.select().from(tlfdiDemands);
    expect(demands).toHaveLength(1);
    expect(demands[0]!.recordPdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "tlfdi.review-demanded"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "person", data: { demandId: demands[0]!.id, withheld: 1 } });
  } finally {
    await database.close();
  }
}, 180_000);
