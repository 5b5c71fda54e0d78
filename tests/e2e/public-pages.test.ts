import http from "node:http";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkAccessibility, launchBrowser } from "./support/browser";

const baseUrl = inject("baseUrl");
const pages = ["/", "/datenschutz", "/barrierefreiheit", "/leichte-sprache", "/impressum"];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

/** A fresh context per language; it records every request that leaves the portal's origin. */
async function contextFor(lang: "de" | "en", options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext(options);
  const foreign: string[] = [];
  context.on("request", (request) => {
    if (!request.url().startsWith(baseUrl) && !request.url().startsWith("data:")) foreign.push(request.url());
  });
  if (lang === "en") {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sprache?lang=en&zurueck=/`);
    await page.close();
  }
  return { context, foreign };
}

describe.each(["de", "en"] as const)("public pages in %s", (lang) => {
  let context: BrowserContext;
  let foreign: string[];
  beforeAll(async () => {
    ({ context, foreign } = await contextFor(lang));
  });
  afterAll(() => context.close());

  it.each(pages)("%s renders, is accessible and loads nothing from elsewhere", async (path) => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const response = await page.goto(`${baseUrl}${path}`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe(lang);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    await expect(page.locator("main#inhalt").count()).resolves.toBe(1);
    await expect(page.locator("a.skip-link[href='#inhalt']").count()).resolves.toBe(1);
    expect(await page.title()).not.toBe("");
    expect(await checkAccessibility(page)).toEqual([]);
    // Hydration ran under the nonce-based CSP without a violation.
    expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it("shows the 404 page in the right language", async () => {
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/gibt-es-nicht`);
    expect(response?.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe(
      lang === "de" ? "Seite nicht gefunden" : "Page not found",
    );
    expect(await checkAccessibility(page)).toEqual([]);
    await page.close();
  });
});

describe("language switch", () => {
  it("keeps the page and works without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/datenschutz`);
    await page.click("a.language-switch");
    expect(new URL(page.url()).pathname).toBe("/datenschutz");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.click("a.language-switch");
    expect(new URL(page.url()).pathname).toBe("/datenschutz");
    expect(await page.getAttribute("html", "lang")).toBe("de");
    await context.close();
  });
});

describe("HTTP behaviour", () => {
  it("answers a malformed URL with a 400 page, not a stack trace", async () => {
    const response = await fetch(`${baseUrl}/%E0%A4%A`);
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain("Anfrage nicht verständlich");
    expect(body).not.toMatch(/at .*\.js:\d+/);
  });

  it("refuses a body above the size limit with 413", async () => {
    // Only the headers are sent: the portal must refuse on the declared length, before any body.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(`${baseUrl}/`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": String(100 * 1024 * 1024),
        },
      });
      request.on("response", (response) => resolve(response.statusCode ?? 0));
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it("sends security headers with a fresh CSP nonce per response", async () => {
    const [a, b] = await Promise.all([fetch(`${baseUrl}/`), fetch(`${baseUrl}/`)]);
    const csp = a.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(b.headers.get("content-security-policy")).not.toBe(csp);
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await a.text();
    for (const script of html.match(/<script[^>]*>/g) ?? []) expect(script).toContain(`nonce="${nonce}"`);
  });

  it("sets the language cookie httpOnly and SameSite=Lax", async () => {
    const response = await fetch(`${baseUrl}/sprache?lang=en&zurueck=/impressum`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/impressum");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^lang=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("does not redirect elsewhere from the language switch", async () => {
    const response = await fetch(`${baseUrl}/sprache?lang=en&zurueck=//evil.example/`, {
      redirect: "manual",
    });
    expect(response.headers.get("location")).toBe("/");
  });

  it("reports health with the database checked", async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });
});
