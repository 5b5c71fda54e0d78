import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { auditEvents, requestIdentifiers, requests } from "#db/schema";
import { identityDe } from "#app/i18n/identity.de";
import { identityEn } from "#app/i18n/identity.en";
import { journeyDe } from "#app/i18n/journey.de";
import { createServerDatabase } from "#tests/support/database";
import { EIDAS, type TestProvider, startTestProvider } from "#tests/support/oidc-provider";
import { freePort } from "./global-setup";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { codeFromMailbox } from "./support/mailbox";
import { type PortalProcess, spawnPortal, stopGently, waitForHealthy } from "./support/portal-process";

/**
 * The whole proof of identity in Chromium against the built portal and a real OpenID Connect
 * provider on localhost: filing, the offer, consent at the provider, the way back, the claims shown
 * (one contradicting what the person typed), their use, and a tampered state, an ID token with a
 * foreign nonce, a code that expired on the way back and a provider that is down, each ending with
 * a message in the person's language and the case unchanged — on the page, and in the database
 * read after the portal stopped (issue 19). Embedded database, or PostgreSQL with DATABASE_URL.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "rp-idp-e2e-"));
let browser: Browser;
let provider: TestProvider;
let web: PortalProcess | undefined;
let serverDb: Awaited<ReturnType<typeof createServerDatabase>> | undefined;
let base = "";
const name = "Jonas Beispiel";
/** The references of the cases whose proof was refused, and of the one that was proven. */
const refused: string[] = [];
let provenReference = "";
const referenceOf = (caseUrl: string) => caseUrl.split("/").pop()!;

beforeAll(async () => {
  serverDb = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : undefined;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider(
    {
      jonas: {
        given_name: "Jonas",
        family_name: "Beispiel",
        birthdate: "1981-04-02",
        address: { street_address: "Domplatz 1", postal_code: "99084", locality: "Erfurt" },
        acr: EIDAS.substantial,
      },
    },
    base,
  );
  web = spawnPortal("web", {
    PORT: String(port),
    DATA_DIR: dataDir,
    DEMO_MODE: "true",
    LOG_LEVEL: "warn",
    DATABASE_URL: serverDb?.url ?? "",
    ...provider.env,
  });
  await waitForHealthy(base, web);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (web) await stopGently(web);
  await provider?.close();
  await serverDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fileAndProve(page: Page, email: string): Promise<string> {
  await page.goto(`${base}/antrag/auskunft`);
  await page.getByLabel("Ihre E-Mail-Adresse").fill(email);
  await page.getByLabel("Vor- und Nachname").fill(name);
  await page.getByLabel("Geburtsdatum").fill("01.01.1980");
  await page.getByRole("button", { name: "Antrag absenden" }).click();
  await page.waitForURL(/\/bestaetigen\?antrag=/);
  const confirmUrl = page.url();
  const code = await codeFromMailbox(page, base, email, journeyDe.mail.codeSubject);
  await page.goto(confirmUrl);
  await page.getByLabel("Code aus der E-Mail").fill(code);
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.waitForURL(/\/vorgang\/DSR-\d{4}-\d{6}/);
  return page.url().split("?")[0]!;
}

it("offers the proof after filing, walks consent and return, shows the claims with the contradicting birth date, and makes them proven identifiers on confirmation", async () => {
  const page = await (await browser.newContext({ locale: "de-DE" })).newPage();
  const caseUrl = await fileAndProve(page, "jonas.beispiel@example.org");
  provenReference = referenceOf(caseUrl);
  const provider = "Test-Identitätsanbieter";
  await expect.poll(() => page.getByTestId("identity-offer-after-filing").count()).toBe(1);
  await page
    .getByRole("link", { name: identityDe.offer(provider) })
    .first()
    .click();
  await page.waitForURL(`${caseUrl}/identitaet`);
  expect(await checkAccessibility(page)).toEqual([]);
  expect(await page.locator("main").innerText()).toContain(identityDe.voluntary);

  await page.getByRole("button", { name: identityDe.start(provider) }).click();
  await page.waitForURL(/\/interaction\//);
  await page.getByRole("button", { name: "Zustimmen" }).click();
  await page.waitForURL(`${caseUrl}/identitaet`);
  const claims = page.getByTestId("received-claims");
  await expect.poll(() => claims.innerText()).toContain(name);
  expect(await claims.innerText()).toContain("1981-04-02");
  expect(await claims.innerText()).toContain(identityDe.levelNames.substantial);
  // The birth date typed differs: shown, and not overwritten.
  expect(await page.getByTestId("claim-differs").innerText()).toBe(identityDe.differs("01.01.1980"));
  expect(await checkAccessibility(page)).toEqual([]);

  await page.getByRole("button", { name: identityDe.confirm }).click();
  await expect.poll(() => page.locator("[role=status]").innerText()).toBe(identityDe.confirmed(2));
  await page.goto(caseUrl);
  const identifiers = await page.locator("main").innerText();
  expect(identifiers).toContain(
    `${name} (${identityDe.provenBy(identityDe.proofSources["identity-provider"])})`,
  );
  expect(identifiers).toContain(
    `1981-04-02 (${identityDe.provenBy(identityDe.proofSources["identity-provider"])})`,
  );
  expect(identifiers).toContain(`01.01.1980 (${journeyDe.case.unproven}; ${identityDe.differsMark})`);
});

it("refuses an ID token with a foreign nonce and a code that expired before the portal redeemed it, in German; the case stays as it was", async () => {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const caseUrl = await fileAndProve(page, "jonas.drei@example.org");
  refused.push(referenceOf(caseUrl));
  const caseText = async () => {
    const view = await context.newPage();
    await view.goto(caseUrl);
    const text = await view.locator("main").innerText();
    await view.close();
    return text;
  };
  const before = await caseText();
  const m = identityDe;
  const startAndConsent = async () => {
    // A fresh sign-in at the provider each time: its session cookies from the last one go.
    await context.clearCookies({ name: /^_(session|interaction|state)/ });
    await page.goto(`${caseUrl}/identitaet`);
    await page.getByRole("button", { name: m.start("Test-Identitätsanbieter") }).click();
    await page.waitForURL(/\/interaction\//);
    await page.getByRole("button", { name: "Zustimmen" }).click();
  };

  // The provider signs its ID token with a nonce this sign-in never sent.
  provider.foreignNonce = "a-nonce-this-portal-never-sent-0123456789";
  try {
    await startAndConsent();
    await page.waitForURL(/fehler=nonce/);
  } finally {
    provider.foreignNonce = null;
  }
  expect(await page.locator(".error-summary").innerText()).toContain(`${m.errors.nonce} ${m.unchanged}`);
  expect(await page.getByTestId("received-claims").count()).toBe(0);
  expect(await checkAccessibility(page)).toEqual([]);

  // The code lives one second, and the token endpoint answers after two: it expired on the way back.
  provider.codeTtl = 1;
  provider.tokenDelayMs = 2_100;
  try {
    await startAndConsent();
    await page.waitForURL(/fehler=code/);
  } finally {
    provider.codeTtl = 60;
    provider.tokenDelayMs = 0;
  }
  expect(await page.locator(".error-summary").innerText()).toContain(`${m.errors.code} ${m.unchanged}`);
  expect(await page.getByTestId("received-claims").count()).toBe(0);

  expect(await caseText()).toBe(before);
  await context.close();
});

it("refuses a tampered state and a provider that is down with a message in the person's language; the case stays as it was", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  const caseUrl = await fileAndProve(page, "jonas.zwei@example.org");
  refused.push(referenceOf(caseUrl));
  await page.goto(`${base}/sprache?lang=en&zurueck=/`);
  const caseText = async () => {
    const view = await context.newPage();
    await view.goto(caseUrl);
    const text = await view.locator("main").innerText();
    await view.close();
    return text;
  };
  const before = await caseText();
  await page.goto(`${caseUrl}/identitaet`);
  expect(await page.locator("html").getAttribute("lang")).toBe("en");
  const m = identityEn;

  // Two sign-ins started, the first one finished: its answer carries a state this session no longer expects.
  await page.getByRole("button", { name: m.start("Test-Identitätsanbieter") }).click();
  await page.waitForURL(/\/interaction\//);
  const firstAttempt = page.url();
  await page.goto(`${caseUrl}/identitaet`);
  await page.getByRole("button", { name: m.start("Test-Identitätsanbieter") }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/interaction/") && url.href !== firstAttempt);
  await page.goto(firstAttempt);
  await page.getByRole("button", { name: "Zustimmen" }).click();
  await page.waitForURL(/fehler=state/);
  expect(await page.locator(".error-summary").innerText()).toContain(`${m.errors.state} ${m.unchanged}`);

  // The provider goes down: starting ends on the portal's page with its message, not at a dead host.
  await provider.close();
  await page.getByRole("button", { name: m.start("Test-Identitätsanbieter") }).click();
  await expect.poll(() => page.locator(".error-summary").innerText()).toContain(m.errors.unavailable);
  expect(await checkAccessibility(page)).toEqual([]);

  expect(await caseText()).toBe(before);
});

it("in the database, the refused cases hold no proof of the provider: their name and birth date stay unproven, no proof event", async () => {
  await stopGently(web!);
  web = undefined;
  const database = await openDatabase(serverDb ? { databaseUrl: serverDb.url, dataDir: null } : { dataDir });
  try {
    const { db } = database;
    const cases = await db
      .select({ id: requests.id, reference: requests.reference })
      .from(requests)
      .where(inArray(requests.reference, [...refused, provenReference]));
    expect(cases).toHaveLength(refused.length + 1);
    const idOf = (reference: string) => cases.find((c) => c.reference === reference)!.id;
    const provenEvents = (requestId: string) =>
      db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "identity.provider-proven")));
    // The proven case shows what a proof leaves behind, so its absence below means something.
    expect(await provenEvents(idOf(provenReference))).toHaveLength(1);
    for (const reference of refused) {
      const requestId = idOf(reference);
      expect(await provenEvents(requestId)).toEqual([]);
      const identifiers = await db
        .select({
          kind: requestIdentifiers.kind,
          provenAt: requestIdentifiers.provenAt,
          source: requestIdentifiers.proofSource,
        })
        .from(requestIdentifiers)
        .where(eq(requestIdentifiers.requestId, requestId));
      expect(identifiers.map((i) => [i.kind, i.provenAt !== null, i.source]).sort()).toEqual([
        ["birth-date", false, null],
        ["email", true, "email-code"],
        ["name", false, null],
      ]);
    }
  } finally {
    await database.close();
  }
});
