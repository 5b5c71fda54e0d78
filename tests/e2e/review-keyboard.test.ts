import { rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "#db/client";
import { findingDecisions, findings } from "#db/schema";
import { staffDe } from "#app/i18n/staff.de";
import { installAuditKey } from "#app/server/audit/keys.server";
import { loadConfig } from "#app/server/config.server";
import { type ReviewCase, seedReviewCase } from "#scripts/bench/review-case";
import { TEST_AUDIT_KEY, createServerDatabase } from "../support/database";
import { freePort } from "./global-setup";
import { launchBrowser } from "./support/browser";
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
 * Working at scale (issue 15, point 8): a case of several pages of findings over seven stores,
 * written straight into a database of its own, reviewed with the keyboard only: the handler
 * chooses a group (a store, "no suggestion", undecided) in the filter, applies it, chooses the
 * whole group as the decision's scope and releases it — Tab, arrow keys, typing and Enter, no
 * click. The database then holds exactly that group released, nothing else changed.
 */
const t = staffDe.case;
const FINDINGS = 600;
let browser: Browser;
let portal: PortalProcess;
let baseUrl: string;
let dataDir: string;
let server: Awaited<ReturnType<typeof createServerDatabase>> | null = null;
let seeded: ReviewCase;
let before: { n: number } | undefined;
let undecided: { n: number } | undefined;
/** The group reviewed: the telephone records without any suggestion. */
const groupWhere = () =>
  and(
    eq(findings.runId, seeded.runId),
    eq(findings.store, "telefon"),
    sql`jsonb_array_length(${findings.suggestions}) = 0`,
  )!;

const openDb = () => openDatabase({ databaseUrl: server?.url, dataDir });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "rp-review-keyboard-"));
  server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : null;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...builtPortalEnv({ port, dataDir, databaseUrl: server?.url }),
    DEMO_MODE: "false",
    SESSION_SECRET: "review-keyboard-test-session-secret-review",
    SECURE_COOKIES: "false",
    RUN_WORKERS: "false",
  };
  installAuditKey(TEST_AUDIT_KEY);
  const database = await openDb();
  try {
    await database.migrate();
    seeded = await seedReviewCase(database.db, { total: FINDINGS, seed: "review-keyboard" });
    await prepareStaffSessions(database, loadConfig(env), [seeded.handler.userName]);
    // Counted before the portal opens the database (the embedded one is one process's alone).
    [before] = await database.db
      .select({ n: count() })
      .from(findingDecisions)
      .where(eq(findingDecisions.roundId, seeded.roundId));
    [undecided] = await database.db
      .select({ n: count() })
      .from(findings)
      .where(
        and(
          groupWhere(),
          sql`not exists (select 1 from finding_decisions d where d.finding_id = ${findings.id} and d.round_id = ${seeded.roundId})`,
        ),
      );
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
  await rm(dataDir, { recursive: true, force: true });
});

/** Presses Tab until the focused element matches; fails if it never does. */
async function tabTo(page: Page, selector: string, max = 3000) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Chooses a select's option by typing its beginning, as a keyboard user does; checks the value taken. */
async function typeIntoSelect(page: Page, id: string, text: string, value: string) {
  await tabTo(page, `#${id}`);
  await page.keyboard.type(text, { delay: 50 });
  await expect.poll(() => page.locator(`#${id}`).inputValue()).toBe(value);
}

it("reviews a group with the keyboard only: filter by store, suggestion and state, decide the whole group, and the database holds exactly that", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signInAsStaff(page, baseUrl, seeded.handler, dataDir);
  const caseUrl = `${baseUrl}/intern/vorgaenge/${seeded.requestId}`;
  await page.goto(caseUrl);
  // Paged, and counted per store and per suggestion.
  await expect(page.locator('nav[aria-label="Seiten der Treffer"]').count()).resolves.toBe(1);
  await expect(page.locator("table", { hasText: t.byStore }).locator("tbody tr").count()).resolves.toBe(
    Object.keys(seeded.stores).length,
  );
  await expect(page.locator("#f-suggestion option").count()).resolves.toBeGreaterThan(3);

  expect(undecided!.n).toBeGreaterThan(0);

  // The group, chosen in the filter with the keyboard.
  await page.locator("body").focus();
  await typeIntoSelect(page, "f-store", "telefon", "telefon");
  await typeIntoSelect(page, "f-suggestion", t.noSuggestion, "none");
  await typeIntoSelect(page, "f-state", t.undecided, "undecided");
  await tabTo(page, "form.filters button[type=submit]");
  await Promise.all([
    page.waitForURL(/store=telefon&suggestion=none&state=undecided/),
    page.keyboard.press("Enter"),
  ]);
  await expect.poll(() => page.locator("input[name=groupSize]").inputValue()).toBe(String(undecided!.n));

  // The whole group as the scope: Tab reaches the checked radio, the arrow key moves to "all matching".
  await tabTo(page, "input[name=scope]");
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => page.locator("#s-filter").isChecked()).toBe(true);
  await expect.poll(() => page.getByTestId("decision-about").textContent()).toContain(String(undecided!.n));
  // Release is the preselected decision; the apply button says how many it decides.
  await expect(page.locator("#d-release").isChecked()).resolves.toBe(true);
  await tabTo(page, "[data-testid=apply-decision]");
  await page.keyboard.press("Enter");
  // Decided: the view of the undecided group is empty now.
  await expect.poll(() => page.locator("body").textContent(), { timeout: 15_000 }).toContain(t.noneMatching);
  await page.close();

  // The database as the portal left it (stopped first: the embedded database is one process's alone).
  await stopGently(portal);
  const after = await openDb();
  try {
    const [released] = await after.db
      .select({ n: count() })
      .from(findings)
      .innerJoin(
        findingDecisions,
        and(
          eq(findingDecisions.findingId, findings.id),
          eq(findingDecisions.roundId, seeded.roundId),
          eq(findingDecisions.decision, "release"),
        ),
      )
      .where(groupWhere());
    const [all] = await after.db.select({ n: count() }).from(findings).where(groupWhere());
    const [total] = await after.db
      .select({ n: count() })
      .from(findingDecisions)
      .where(eq(findingDecisions.roundId, seeded.roundId));
    // Every finding of the group released; exactly the group's findings newly decided, nothing else.
    expect(released!.n).toBe(all!.n);
    expect(total!.n).toBe(before!.n + undecided!.n);
  } finally {
    await after.close();
  }
});
