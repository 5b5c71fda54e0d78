import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { barrierefreiheit, home, impressum, leichteSprache } from "#app/content";
import type { PageContent } from "#app/content";

const pages: Record<string, PageContent> = { home, barrierefreiheit, leichteSprache, impressum };
const langs = ["de", "en"] as const;

const allowedPaths = new Set([
  "/antrag",
  "/antrag/auskunft",
  "/antrag/berichtigung",
  "/antrag/loeschung",
  "/antrag/einschraenkung",
  "/antrag/datenuebertragung",
  "/antrag/widerspruch",
  "/antrag/widerruf",
  "/antrag/beschwerde",
  "/vorgang",
  "/datenschutz",
  "/barrierefreiheit",
  "/leichte-sprache",
  "/impressum",
]);

const allowedClasses = new Set(["lead", "note", "card-list", "card", "steps", "facts", "plain-list"]);

function render(page: PageContent, lang: (typeof langs)[number]): string {
  return renderToStaticMarkup(createElement(page[lang]));
}

function attributeValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, "g"))].map((m) => m[1] ?? "");
}

function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
}

function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe.each(Object.entries(pages))("content page %s", (_name, page) => {
  it.each(langs)("%s: has exactly one h1 and never skips a heading level", (lang) => {
    const levels = headingLevels(render(page, lang));
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) {
      expect(levels[i]!, `heading ${i} after h${levels[i - 1]}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
    }
  });

  it.each(langs)("%s: links only to portal pages, mail or phone", (lang) => {
    const hrefs = attributeValues(render(page, lang), "href");
    for (const href of hrefs) {
      const ok = allowedPaths.has(href) || /^mailto:[^@\s]+@[^@\s]+$/.test(href) || /^tel:\+\d+$/.test(href);
      expect(ok, `unexpected href ${href}`).toBe(true);
    }
  });

  it.each(langs)("%s: loads no resources and uses no inline styles or unknown classes", (lang) => {
    const html = render(page, lang);
    expect(attributeValues(html, "src")).toEqual([]);
    expect(attributeValues(html, "srcset")).toEqual([]);
    expect(attributeValues(html, "style")).toEqual([]);
    expect(html).not.toMatch(/<(script|img|iframe|link|object|embed|style)\b/);
    const classes = attributeValues(html, "class").flatMap((value) => value.split(/\s+/));
    for (const cls of classes) expect(allowedClasses.has(cls), `unknown class ${cls}`).toBe(true);
  });

  it("has German and English versions that differ and are not empty", () => {
    const de = visibleText(render(page, "de"));
    const en = visibleText(render(page, "en"));
    expect(de.length).toBeGreaterThan(200);
    expect(en.length).toBeGreaterThan(200);
    expect(de).not.toBe(en);
  });

  it("has a title and description in both languages", () => {
    for (const field of [page.title, page.description]) {
      expect(field.de.trim()).not.toBe("");
      expect(field.en.trim()).not.toBe("");
      expect(field.de).not.toBe(field.en);
    }
  });

  it("links the same portal pages in both languages", () => {
    const internal = (lang: (typeof langs)[number]) =>
      attributeValues(render(page, lang), "href").filter((href) => href.startsWith("/"));
    expect(internal("en")).toEqual(internal("de"));
  });
});

describe("start page", () => {
  const formPaths = [...allowedPaths].filter((path) => path.startsWith("/antrag/"));

  it.each(langs)("%s: links every request form, the start of a request and Leichte Sprache", (lang) => {
    const hrefs = new Set(attributeValues(render(home, lang), "href"));
    for (const path of [...formPaths, "/antrag", "/leichte-sprache"]) {
      expect(hrefs.has(path), `missing link to ${path}`).toBe(true);
    }
  });

  it.each(langs)("%s: names the legal basis of every right", (lang) => {
    const text = visibleText(render(home, lang));
    const law = lang === "de" ? "DS-GVO" : "GDPR";
    for (const article of ["Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 20", "Art. 21", "Art. 77"]) {
      expect(text).toContain(`${article} ${law}`);
    }
    expect(text).toContain(lang === "de" ? "Art. 7 Abs. 3 DS-GVO" : "Art. 7(3) GDPR");
  });
});

describe("accessibility statement", () => {
  it.each(langs)("%s: gives the date, the feedback address and the enforcement body", (lang) => {
    const html = render(barrierefreiheit, lang);
    expect(visibleText(html)).toContain(lang === "de" ? "23. November 2026" : "23 November 2026");
    expect(attributeValues(html, "href")).toContain("mailto:barrierefreiheit@tlrz.thueringen.de");
    expect(visibleText(html)).toMatch(
      lang === "de" ? /Menschen mit Behinderungen/ : /People with Disabilities/,
    );
  });
});
