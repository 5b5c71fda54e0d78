import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { journeyDe } from "#app/i18n/journey.de";
import { reviewDe } from "#app/i18n/review.de";
import { staffDe } from "#app/i18n/staff.de";
import { readDemoAccounts } from "#app/server/demo.server";
import { DEMO_PERSONS } from "#app/sources/sample/people";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { demoAccount, signInAsStaff } from "./support/staff";

/**
 * The review screen a DPO can trust (issue 15), in Chromium with JavaScript: what is ticked is what
 * is decided, the decision panel never covers the focused row, and four eyes a newcomer can finish
 * with the demo's two DPO accounts.
 */
const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
const t = staffDe.case;
let browser: Browser;
let caseUrl: string;
/** The handler's session, signed in once: each sign-in waits for a fresh TOTP step. */
let handler: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await handler?.close();
  await browser.close();
});

const rows = (page: Page) => page.locator("#decide-form tbody tr");
const rowOf = (page: Page, id: string) =>
  page.locator("#decide-form tbody tr", { has: page.locator(`input[name=findingIds][value="${id}"]`) });
const decisionText = (page: Page, id: string) => rowOf(page, id).locator("td").nth(3).textContent();

/** Reloads the case page until no store is waiting or running any more. */
async function waitForGathering(page: Page) {
  for (let i = 0; i < 90; i++) {
    await page.goto(caseUrl);
    const states = await page.locator("table").first().locator("tbody td:nth-child(2)").allTextContents();
    if (states.length > 0 && states.every((s) => /fertig|fehlgeschlagen/.test(s))) return;
    await page.waitForTimeout(1000);
  }
  throw new Error("gathering did not finish");
}

/** Finding ids of the page's rows, proven ones (no "not confirmed" mark) and unproven ones. */
async function findingIds(page: Page) {
  const all = await rows(page).evaluateAll(
    (trs, mark) =>
      trs.map((tr) => ({
        id: (tr.querySelector("input[name=findingIds]") as HTMLInputElement).value,
        unproven: (tr.querySelector(".note")?.textContent ?? "").includes(mark),
      })),
    t.unprovenId,
  );
  return {
    proven: all.filter((r) => !r.unproven).map((r) => r.id),
    unproven: all.filter((r) => r.unproven).map((r) => r.id),
  };
}

/** The decisions as the server reads them from the database: a fresh page of one decision state, as the server renders it. */
async function idsInState(context: BrowserContext, state: "withhold" | "release" | "undecided") {
  const page = await context.newPage();
  await page.goto(`${caseUrl}?state=${state}`);
  const ids = await page
    .locator("#decide-form tbody input[name=findingIds]")
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  await page.close();
  return ids;
}

it("decides exactly what is ticked: withhold A, then release B, and A stays withheld; changing A is shown and asked", async () => {
  handler = await browser.newContext();
  const context = handler;
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  // A request by letter for a person of the demo sample, with a phone number the person never proved.
  const person = DEMO_PERSONS.lukasz;
  await page.goto(`${baseUrl}/intern/eingang`);
  await page.check("#f-kinds-auskunft");
  await page.fill("#f-email", person.email);
  await page.fill("#f-name", `${person.firstName} ${person.lastName}`);
  await page.fill("#f-phones", person.phones.join("\n"));
  await page.getByRole("button", { name: journeyDe.intake.submit }).click();
  const reference = /DSR-\d{4}-\d+/.exec(await page.locator(".success[role=status]").innerText())?.[0];
  expect(reference).toBeDefined();
  await page.goto(`${baseUrl}/intern/vorgaenge`);
  await page.getByRole("link", { name: reference! }).click();
  await page.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  caseUrl = page.url();
  await waitForGathering(page);
  expect(await page.getByTestId("search-gate").count(), "every store of the demo was searched").toBe(0);
  // Taken in by letter, nothing is proven: the handler confirms the e-mail address with the evidence seen.
  const email = page
    .locator("li", { hasText: person.email })
    .filter({ has: page.locator("details.identifier-confirm") });
  await email.locator("summary").click();
  await email.locator("select[name=evidenceKind]").selectOption("signed-letter");
  await email
    .locator("textarea[name=evidence]")
    .fill("Unterschriebener Antrag mit dieser Adresse liegt im Original vor.");
  await email.getByRole("button", { name: reviewDe.identifiers.submit }).click();
  await expect
    .poll(() => page.locator("li", { hasText: person.email }).first().textContent())
    .toContain(reviewDe.identifiers.proven);
  // A new gathering searches with the proven address from the start: its matches are proven ones.
  await page.getByRole("button", { name: t.regather }).click();
  await page.waitForTimeout(1000);
  await waitForGathering(page);
  await page.getByRole("button", { name: t.startReview }).click();
  await page.getByText(t.roundStates.open!).first().waitFor();

  const { proven, unproven } = await findingIds(page);
  expect(proven.length).toBeGreaterThanOrEqual(3);
  const [a, b, c] = proven as [string, string, string];
  const about = page.getByTestId("decision-about");
  const apply = page.getByTestId("apply-decision");
  await expect.poll(() => about.textContent()).toBe(reviewDe.panel.noneTicked);

  // Withhold A.
  await rowOf(page, a).locator("input[name=findingIds]").check();
  await expect.poll(() => about.textContent()).toBe(reviewDe.panel.aboutTicked("1"));
  await expect(apply.textContent()).resolves.toBe(reviewDe.panel.applyCount("1"));
  await page.check("#d-withhold");
  await page.selectOption("#f-ground", "secrecy");
  await page.fill("#f-reasoning", "Nach Abwägung überwiegen die Rechte einer dritten Person.");
  await page.fill("#f-reviewOn", "2030-01-15");
  await apply.click();
  await expect.poll(() => decisionText(page, a), { timeout: 10_000 }).toContain(t.decisions.withhold);
  // Saved: nothing is ticked any more, and the panel says so.
  await expect.poll(() => page.locator("#decide-form input[name=findingIds]:checked").count()).toBe(0);
  await expect.poll(() => about.textContent()).toBe(reviewDe.panel.noneTicked);

  // Release B: only B.
  await rowOf(page, b).locator("input[name=findingIds]").check();
  await expect.poll(() => apply.textContent()).toBe(reviewDe.panel.applyCount("1"));
  await page.check("#d-release");
  await apply.click();
  await expect.poll(() => decisionText(page, b), { timeout: 10_000 }).toContain(t.decisions.release);
  await expect(decisionText(page, a)).resolves.toContain(t.decisions.withhold);
  // The database agrees: A is withheld, B released, C undecided.
  expect(await idsInState(context, "withhold")).toEqual([a]);
  expect(await idsInState(context, "release")).toEqual([b]);

  // A and C released together: A was decided, so the page shows the change and asks; nothing is saved.
  await rowOf(page, a).locator("input[name=findingIds]").check();
  await rowOf(page, c).locator("input[name=findingIds]").check();
  await expect.poll(() => about.textContent()).toBe(reviewDe.panel.aboutTicked("2"));
  await page.check("#d-release");
  await apply.click();
  const confirm = page.getByTestId("decision-confirm");
  await confirm.waitFor();
  await expect(confirm.textContent()).resolves.toContain(reviewDe.confirm.changes("1"));
  expect(await confirm.locator("tbody tr").count()).toBe(1);
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
    .toBe("decision-confirm");
  expect(await checkAccessibility(page)).toEqual([]);
  await confirm.getByRole("link", { name: reviewDe.confirm.cancel }).click();
  await page.waitForLoadState("load");
  expect(await idsInState(context, "withhold")).toEqual([a]);
  expect(await idsInState(context, "release")).toEqual([b]);
  expect(unproven.length, "the demo person's phone matched records too").toBeGreaterThan(0);
  await page.close();
}, 240_000);

/** The focused element against the decision panel: overlap in px², whether it is the element seen at its centre, its size. */
function measureFocus() {
  const el = document.activeElement as HTMLElement | null;
  const tbody = document.querySelector("#decide-form tbody");
  if (!el || !tbody?.contains(el)) return null;
  const r = el.getBoundingClientRect();
  const p = document.querySelector(".decision-panel")!.getBoundingClientRect();
  const overlap =
    Math.max(0, Math.min(r.right, p.right) - Math.max(r.left, p.left)) *
    Math.max(0, Math.min(r.bottom, p.bottom) - Math.max(r.top, p.top));
  const labels = (el as HTMLInputElement).labels ? [...(el as HTMLInputElement).labels!] : [];
  // The part of the element that is visible at all (the window, and any ancestor that clips, such as a
  // table scrolled sideways on a phone): whatever is seen at its centre must be the element.
  let [left, top, right, bottom] = [
    Math.max(r.left, 0),
    Math.max(r.top, 0),
    Math.min(r.right, window.innerWidth),
    Math.min(r.bottom, window.innerHeight),
  ];
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX === "visible" && getComputedStyle(a).overflowY === "visible") continue;
    const c = a.getBoundingClientRect();
    [left, top, right, bottom] = [
      Math.max(left, c.left),
      Math.max(top, c.top),
      Math.min(right, c.right),
      Math.min(bottom, c.bottom),
    ];
  }
  const hit =
    right > left && bottom > top ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
  return {
    overlap,
    seen: Boolean(hit && (hit === el || el.contains(hit) || labels.some((l) => l.contains(hit)))),
    // Whole in the window; a pixel's tolerance for sub-pixel layout.
    inView: r.top >= -1 && r.bottom <= window.innerHeight + 1,
    width: r.width,
    height: r.height,
    checkbox: el instanceof HTMLInputElement && el.type === "checkbox",
    row: [...(tbody as HTMLTableSectionElement).rows].indexOf(el.closest("tr") as HTMLTableRowElement),
    what: `${el.tagName}${el.getAttribute("name") ? `[${el.getAttribute("name")}]` : ""}`,
  };
}

it("never covers the focused row: tabbing through every focusable element of the rows at 1280×800, 1024×768 and 375×812", async () => {
  expect(caseUrl, "the review above must have run first").toBeDefined();
  const page = await handler.newPage();
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
    [375, 812],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(caseUrl);
    const rowCount = await rows(page).count();
    const focusable = await page
      .locator("#decide-form tbody")
      .evaluate(
        (tbody) =>
          [
            ...tbody.querySelectorAll<HTMLElement>(
              "a[href], button, input:not([type=hidden]), select, textarea, summary",
            ),
          ].filter(
            (el) => !el.closest("details:not([open]) > :not(summary)") && el.getClientRects().length > 0,
          ).length,
      );
    await rows(page).first().locator("input[name=findingIds]").focus();
    const seen: NonNullable<ReturnType<typeof measureFocus>>[] = [];
    for (let i = 0; i < 5000; i++) {
      const m = await page.evaluate(measureFocus);
      if (!m) break;
      seen.push(m);
      await page.keyboard.press("Tab");
    }
    const where = `${width}×${height}`;
    expect(seen.length, where).toBe(focusable);
    expect(new Set(seen.map((m) => m.row)).size, where).toBe(rowCount);
    expect(
      seen.filter((m) => m.overlap > 0),
      where,
    ).toEqual([]);
    expect(
      seen.filter((m) => !m.seen || !m.inView),
      where,
    ).toEqual([]);
    // Target size (2.5.8): every row's tick at least 24 × 24 CSS px.
    expect(
      seen.filter((m) => m.checkbox && (m.width < 24 || m.height < 24)),
      where,
    ).toEqual([]);
    // The save button is reachable and shown whole, not in a scroll area of its own.
    const apply = page.getByTestId("apply-decision");
    await apply.focus();
    const box = await apply.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    });
    expect(box.top >= 0 && box.bottom <= height, where).toBe(true);
    expect(box.height, where).toBeGreaterThanOrEqual(24);
  }
  await page.close();
}, 240_000);

it("lets a newcomer finish four eyes with the demo's two DPO accounts: the proposer is not offered the approval, the other DPO approves", async () => {
  expect(caseUrl, "the review above must have run first").toBeDefined();
  const dpos = readDemoAccounts(dataDir).filter((a) => a.role === "dpo");
  expect(dpos.map((a) => a.userName)).toEqual(["dsb", "dsb-vertretung"]);

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, dpos[0]!, dataDir);
  // The rest of the findings as one group: those matched only through the unproven phone number
  // are given out only with the separate confirmation.
  await page.goto(`${caseUrl}?state=undecided`);
  await page.check("#s-filter");
  await expect.poll(() => page.getByTestId("decision-about").textContent()).toMatch(/alle .* Treffer mit/);
  await page.check("#d-release");
  await page.getByTestId("apply-decision").click();
  const confirm = page.getByTestId("decision-confirm");
  await confirm.waitFor();
  await expect(confirm.textContent()).resolves.toMatch(/nicht bestätigt/);
  await confirm.locator("#f-confirm-unproven").check();
  await confirm.getByRole("button", { name: reviewDe.confirm.submit }).click();
  await expect.poll(async () => (await idsInState(context, "undecided")).length, { timeout: 10_000 }).toBe(0);

  await page.goto(caseUrl);
  await page.getByRole("button", { name: t.propose }).click();
  await page.getByText(t.roundStates.proposed!).first().waitFor();
  // The proposer is told who must approve, and is not offered the button.
  await page.getByTestId("own-proposal").waitFor();
  expect(await page.getByRole("button", { name: t.approve }).count()).toBe(0);
  await context.close();

  const second = await browser.newContext();
  const other = await second.newPage();
  await signInAsStaff(other, baseUrl, dpos[1]!, dataDir);
  await other.goto(caseUrl);
  expect(await other.getByTestId("own-proposal").count()).toBe(0);
  expect(await checkAccessibility(other)).toEqual([]);
  await other.getByRole("button", { name: t.approve }).click();
  await expect
    .poll(() => other.locator("p[role=status]").first().textContent(), { timeout: 10_000 })
    .toMatch(/^freigegeben/);
  await second.close();
}, 240_000);
