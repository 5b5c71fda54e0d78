import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { de } from "#app/i18n/de";
import { en } from "#app/i18n/en";
import { journeyDe } from "#app/i18n/journey.de";
import { staffDe } from "#app/i18n/staff.de";
import { readDemoAccounts } from "#app/server/demo.server";
import { DEMO_PERSONS } from "#app/sources/sample/people";
import { checkAccessibility, launchBrowser } from "./support/browser";
import { demoAccount, signInAsStaff } from "./support/staff";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");
let browser: Browser;
/** The case the handler takes in below; the four-eyes test reviews it (the demo case stays for the other files). */
let intakeCaseUrl: string | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const staffNav = (page: Page, lang: "de" | "en" = "de") =>
  page.getByRole("navigation", { name: (lang === "de" ? de : en).staffNav.label });

/** The page must not be wider than the window: nothing may scroll sideways. Names the culprits if it is. */
async function expectNoSidewaysScroll(page: Page, path: string) {
  const measured = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });
  expect(
    measured.scrollWidth,
    `${path} scrolls sideways at 375 px: ${measured.wide.join(", ")}`,
  ).toBeLessThanOrEqual(375);
}

it("shows a mail that arrives while the demo mailbox is open, and no public page scrolls sideways at 375 px", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  for (const path of ["/", "/antrag", "/antrag/auskunft", "/datenschutz", "/vorgang", "/demo/postfach"]) {
    await page.goto(`${baseUrl}${path}`);
    await expectNoSidewaysScroll(page, path);
  }

  // The mailbox stays open (and is not reloaded) while the demo person asks for a sign-in code elsewhere.
  const mailbox = await context.newPage();
  await mailbox.goto(`${baseUrl}/demo/postfach`);
  const newestBefore =
    (await mailbox.locator("article.demo-mail").count()) > 0
      ? await mailbox.locator("article.demo-mail").first().innerText()
      : "";
  await mailbox.evaluate(
    () => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true),
  );
  const erika = DEMO_PERSONS.erika;
  await page.goto(`${baseUrl}/vorgang`);
  await page.getByLabel(journeyDe.signIn.email).fill(erika.email);
  await page.getByRole("button", { name: journeyDe.signIn.send }).click();
  await page.getByLabel(journeyDe.signIn.code).waitFor();
  const newest = mailbox.locator("article.demo-mail").first();
  // A mail that was not there before: the newest one changes, without a reload.
  const arrived = async () => {
    const text = (await newest.count()) > 0 ? await newest.innerText() : "";
    return text === newestBefore ? "" : text;
  };
  await expect
    .poll(arrived, { timeout: 20_000 })
    .toMatch(new RegExp(`${journeyDe.mail.signInSubject}[\\s\\S]*${erika.email.replace(/[.+]/g, "\\$&")}`));
  expect(
    await mailbox.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage),
  ).toBe(true);
  // Without JavaScript the page offers a link that loads it anew.
  await expect(mailbox.getByRole("link", { name: de.layout.refresh }).getAttribute("href")).resolves.toBe(
    "/demo/postfach",
  );

  // The person's case page, signed in with that code.
  const code = /(\d{6})/.exec(await newest.locator(".demo-mail__text").innerText())?.[1];
  expect(code).toBeDefined();
  await page.getByLabel(journeyDe.signIn.code).fill(code!);
  await page.getByRole("button", { name: journeyDe.signIn.verify }).click();
  const caseLink = page.locator("a[href^='/vorgang/DSR-']").first();
  await caseLink.waitFor();
  await expectNoSidewaysScroll(page, "/vorgang (signed in)");
  expect(await checkAccessibility(page)).toEqual([]);
  const casePath = (await caseLink.getAttribute("href"))!;
  await page.goto(`${baseUrl}${casePath}`);
  await expectNoSidewaysScroll(page, casePath);
  expect(await checkAccessibility(page)).toEqual([]);
  // The public navigation, not the staff one.
  expect(await staffNav(page).count()).toBe(0);
  await context.close();
}, 120_000);

it("puts the staff navigation on every staff page, in both languages, by permission, and signs out with a POST", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Before the sign-in is complete: the staff header, no navigation into the area.
  await page.goto(`${baseUrl}/intern/anmelden`);
  expect(await staffNav(page).count()).toBe(0);
  expect(await page.getByRole("navigation", { name: de.layout.mainNav }).count()).toBe(0);

  await signInAsStaff(page, baseUrl, demoAccount(dataDir, "case-handler"), dataDir);
  // The handler takes in a request by letter; the four-eyes test below reviews it.
  await page.goto(`${baseUrl}/intern/eingang`);
  await page.check("#f-kinds-auskunft");
  await page.fill("#f-email", "vier.augen@example.org");
  await page.getByRole("button", { name: journeyDe.intake.submit }).click();
  const created = await page.locator(".success[role=status]").innerText();
  const reference = /DSR-\d{4}-\d+/.exec(created)?.[0];
  expect(reference).toBeDefined();
  await page.goto(`${baseUrl}/intern/vorgaenge`);
  await page.getByRole("link", { name: reference! }).click();
  await page.waitForURL(/\/intern\/vorgaenge\/[0-9a-f-]{36}$/);
  intakeCaseUrl = page.url();

  for (const path of [
    "/intern",
    "/intern/vorgaenge",
    "/intern/eingang",
    new URL(intakeCaseUrl).pathname,
    `${new URL(intakeCaseUrl).pathname}/umsetzung`,
    "/intern/sitzungen",
  ]) {
    await page.goto(`${baseUrl}${path}`);
    const nav = staffNav(page);
    await expect(nav.count(), path).resolves.toBe(1);
    expect(await page.getByRole("navigation", { name: de.layout.mainNav }).count(), path).toBe(0);
    await expect(nav.getByRole("link", { name: de.staffNav.sessions }).count(), path).resolves.toBe(1);
    await expect(nav.getByRole("button", { name: de.staffNav.signOut }).count(), path).resolves.toBe(1);
    if (path !== "/intern/sitzungen") {
      // What the handler may open, and nothing the handler may not.
      await expect(nav.getByRole("link", { name: de.staffNav.cases }).count(), path).resolves.toBe(1);
      await expect(nav.getByRole("link", { name: de.staffNav.intake }).count(), path).resolves.toBe(1);
      await expect(nav.getByRole("link", { name: de.staffNav.overview }).count(), path).resolves.toBe(0);
      await expect(nav.getByRole("link", { name: de.staffNav.retention }).count(), path).resolves.toBe(0);
    }
    expect(await checkAccessibility(page), path).toEqual([]);
  }
  const cases = staffNav(page).getByRole("link", { name: de.staffNav.cases });
  await page.goto(`${baseUrl}/intern/vorgaenge`);
  await expect(cases.getAttribute("aria-current")).resolves.toBe("page");

  // In English: the same navigation in the reader's language.
  await page.goto(`${baseUrl}/sprache?lang=en&zurueck=/intern/vorgaenge`);
  await expect(staffNav(page, "en").getByRole("link", { name: en.staffNav.cases }).count()).resolves.toBe(1);
  await expect(staffNav(page, "en").getByRole("button", { name: en.staffNav.signOut }).count()).resolves.toBe(
    1,
  );
  expect(await checkAccessibility(page)).toEqual([]);
  await page.goto(`${baseUrl}/sprache?lang=de&zurueck=/intern/vorgaenge`);

  // Signing out is a POST from the navigation; the area is closed afterwards.
  await Promise.all([
    page.waitForURL(/\/intern\/anmelden/),
    staffNav(page).getByRole("button", { name: de.staffNav.signOut }).click(),
  ]);
  await page.goto(`${baseUrl}/intern/vorgaenge`);
  expect(new URL(page.url()).pathname).toBe("/intern/anmelden");
  await context.close();

  // The administrator's navigation leads to the retention rules, not to cases.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsStaff(adminPage, baseUrl, demoAccount(dataDir, "admin"), dataDir);
  await adminPage.goto(`${baseUrl}/intern/aufbewahrung`);
  await expect(staffNav(adminPage).getByRole("link", { name: de.staffNav.retention }).count()).resolves.toBe(
    1,
  );
  await expect(staffNav(adminPage).getByRole("link", { name: de.staffNav.cases }).count()).resolves.toBe(0);
  await adminContext.close();
}, 180_000);

it("does not offer the proposer the approval; the second DPO of the demo approves", async () => {
  expect(intakeCaseUrl, "the intake above must have run first").toBeDefined();
  const dpos = readDemoAccounts(dataDir).filter((a) => a.role === "dpo");
  expect(dpos.length).toBeGreaterThanOrEqual(2);
  const [proposer, approver] = dpos as [(typeof dpos)[0], (typeof dpos)[0]];

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsStaff(page, baseUrl, proposer, dataDir);
  // The DPO's navigation: figures and the deletion log as well.
  for (const path of ["/intern/uebersicht", "/intern/loeschprotokoll"]) {
    await page.goto(`${baseUrl}${path}`);
    await expect(
      staffNav(page).getByRole("link", { name: de.staffNav.overview }).count(),
      path,
    ).resolves.toBe(1);
    await expect(
      staffNav(page).getByRole("link", { name: de.staffNav.deletionLog }).count(),
      path,
    ).resolves.toBe(1);
    expect(await page.getByRole("navigation", { name: de.layout.mainNav }).count(), path).toBe(0);
  }
  // The gathering for an address no store knows ends without findings; then the review opens.
  const startReview = page.getByRole("button", { name: staffDe.case.startReview });
  for (let i = 0; i < 60 && (await startReview.count()) === 0; i++) {
    await page.goto(intakeCaseUrl!);
    if ((await startReview.count()) === 0) await page.waitForTimeout(1000);
  }
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), startReview.click()]);
  await page.getByRole("button", { name: staffDe.case.propose }).click();
  await page.getByText(staffDe.case.roundStates.proposed!).first().waitFor();
  // The proposer sees why there is nothing to approve, and who proposed; not the approval.
  await page.getByTestId("own-proposal").waitFor();
  expect(await page.getByRole("button", { name: staffDe.case.approve }).count()).toBe(0);
  await expect(
    page.getByText(new RegExp(`vorgelegt von ${proposer.displayName.replace(/[().]/g, "\\$&")}`)).count(),
  ).resolves.toBeGreaterThan(0);
  expect(await checkAccessibility(page)).toEqual([]);
  await context.close();

  const approverContext = await browser.newContext();
  const approverPage = await approverContext.newPage();
  await signInAsStaff(approverPage, baseUrl, approver, dataDir);
  await approverPage.goto(intakeCaseUrl!);
  expect(await approverPage.getByTestId("own-proposal").count()).toBe(0);
  expect(await checkAccessibility(approverPage)).toEqual([]);
  await approverPage.getByRole("button", { name: staffDe.case.approve }).click();
  await expect
    .poll(() => approverPage.locator("p[role=status]").first().textContent(), { timeout: 10_000 })
    .toMatch(/^freigegeben/);
  await approverContext.close();
}, 180_000);
