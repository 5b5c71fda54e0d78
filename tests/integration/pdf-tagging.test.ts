/**
 * Every PDF the portal writes is a tagged PDF/A document made the same way (app/server/pdf): read
 * with poppler as an archive or a screen reader would. pdfinfo says it is tagged and PDF 1.7, its
 * XMP metadata names PDF/A-2b, the catalogue states the language and shows the title, pdffonts finds
 * only embedded DejaVu fonts, and every word pdftotext extracts sits in the structure tree (pdfinfo
 * -struct-text) except the page numbers, which are artifacts. The structure tree's text is read from
 * a copy without the PDF/A output intent (tests/support/pdf-text.ts `withoutOutputIntent`, as pdfText
 * reads every PDF), which changes nothing poppler reads of it (the first test proves that, for the
 * structure and for pdftotext, on every run) and costs a tenth of the time.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { requestIdentifiers, requests } from "#db/schema";
import { renderAnnualReport } from "#app/server/annual-report.server";
import { releasedFromArray } from "#app/server/answers/answer-input";
import { renderAccessLetter } from "#app/server/answers/letter-pdf.server";
import { appendAuditEvent } from "#app/server/audit.server";
import { loadCaseFile } from "#app/server/complaints/case-file.server";
import { renderCaseDossier, renderComplaintLetter } from "#app/server/complaints/complaint-pdf.server";
import { renderTlfdiRecord } from "#app/server/complaints/tlfdi-record.server";
import { renderReceiptPdf } from "#app/server/mail/receipt-pdf.server";
import { renderNoticeLetter } from "#app/server/print/notice-letter.server";
import { yearPeriod } from "#app/server/statistics/period";
import { loadFigures } from "#app/server/statistics/statistics.server";
import { type Lang, messagesFor } from "#app/i18n";
import { answerTexts } from "#app/server/answers/texts";
import { createTestDatabase } from "#tests/support/database";
import { pdftotextOrder, withoutOutputIntent } from "#tests/support/pdf-text";

const at = (iso: string) => new Date(iso);
const now = at("2025-11-20T10:00:00Z");
const reference = "DSR-2025-004711";

const run = promisify(execFile);
let dir: string;
let files = 0;

/** Writes `pdf` to a file of its own for the tools to read. */
async function written(pdf: Buffer): Promise<string> {
  const file = path.join(dir, `${++files}.pdf`);
  await writeFile(file, pdf);
  return file;
}

const tool = async (file: string, name: string, ...args: string[]) =>
  (await run(name, [...args, file, ...(name === "pdftotext" ? ["-"] : [])], { encoding: "utf8" })).stdout;

/** What each poppler tool says about the PDF, the tools run side by side. */
async function readWithPoppler(pdf: Buffer) {
  const file = await written(pdf);
  const copy = await written(withoutOutputIntent(pdf));
  const [info, meta, fonts, tree, text, copyText] = await Promise.all([
    tool(file, "pdfinfo"),
    tool(file, "pdfinfo", "-meta"),
    tool(file, "pdffonts"),
    tool(copy, "pdfinfo", "-struct-text"),
    tool(file, "pdftotext", "-layout", "-enc", "UTF-8"),
    tool(copy, "pdftotext", "-layout", "-enc", "UTF-8"),
  ]);
  return { info, meta, fonts, tree, text, copyText };
}

/**
 * How often each character occurs, blanks and hyphens aside: pdftotext and the structure tree break
 * lines and join hyphenated words differently, but hold the same characters when all text is tagged.
 */
function characters(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const char of text.replace(/[\s-]/g, "")) counts.set(char, (counts.get(char) ?? 0) + 1);
  return counts;
}

async function expectTaggedPdfA(pdf: Buffer, lang: Lang, title: string): Promise<void> {
  const { info, meta, fonts, tree, text, copyText } = await readWithPoppler(pdf);
  // The copy the tree is read from (and every test's pdfText) holds this PDF's text, whatever its kind.
  expect(copyText).toBe(text);
  expect(info).toMatch(/^Tagged:\s+yes$/m);
  expect(info).toMatch(/^PDF version:\s+1\.7$/m);
  expect(info).toMatch(new RegExp(`^Title:\\s+${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));

  expect(meta).toContain("<pdfaid:part>2</pdfaid:part>");
  expect(meta).toContain("<pdfaid:conformance>B</pdfaid:conformance>");

  const raw = pdf.toString("latin1");
  expect(raw).toContain(`/Lang (${lang === "de" ? "de-DE" : "en-GB"})`);
  // PDF/A's output intent, once (the catalogue's key that `withoutOutputIntent` hides from -struct-text).
  expect(raw.split("/OutputIntents")).toHaveLength(2);
  expect(raw).toMatch(/\/DisplayDocTitle true/);

  const fontRows = fonts.trim().split("\n").slice(2);
  expect(fontRows.length).toBeGreaterThan(0);
  for (const row of fontRows) {
    expect(row).toMatch(/^[A-Z]{6}\+DejaVuSans/);
    // name, type (two words), encoding, then emb sub uni.
    expect(row.split(/\s+/).slice(4, 7)).toEqual(["yes", "yes", "yes"]);
  }

  expect(tree.split("\n")[0]).toBe("Document");
  expect(tree).toMatch(/^\s+H1 /m);
  const tagged = characters([...tree.matchAll(/"(.*)"$/gm)].map((m) => m[1]).join(""));
  // The page foot (reference or title, "Seite x von y") is an artifact: outside the tree by design.
  const shown = characters(
    text
      .split("\n")
      .filter((line) => !/(Seite \d+ von \d+|Page \d+ of \d+)\s*$/.test(line))
      .join("\n"),
  );
  const untagged = [...shown].filter(([char, count]) => count > (tagged.get(char) ?? 0));
  expect(untagged, "text drawn outside the structure tree").toEqual([]);
}

let database: Database;
let requestId: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "pdf-tagging-"));
  database = await createTestDatabase();
  const [row] = await database.db
    .insert(requests)
    .values({
      reference,
      status: "answered",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "lukasz@example.org",
      submittedAt: at("2025-11-03T09:12:00Z"),
      receivedAt: at("2025-11-03T09:12:00Z"),
      deadline: at("2025-12-03T09:12:00Z"),
    })
    .returning({ id: requests.id });
  requestId = row!.id;
  await database.db.insert(requestIdentifiers).values({
    requestId,
    kind: "name",
    value: "Łukasz Wójcik",
    normalized: "łukasz wójcik",
    provenAt: now,
  });
  await appendAuditEvent(database.db, {
    requestId,
    actorType: "staff",
    action: "request.refused",
    reason: "Offenkundig unbegründet: derselbe Antrag zum dritten Mal in einer Woche.",
  });
});

afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

const receipt = (lang: Lang) =>
  renderReceiptPdf({
    lang,
    reference,
    kinds: ["auskunft", "loeschung"],
    receivedAt: at("2025-11-03T09:12:00Z"),
    deadline: at("2025-12-03T09:12:00Z"),
  });

it("poppler reads the same structure tree and text, without the output intent as with it", async () => {
  const pdf = await receipt("de");
  const copy = withoutOutputIntent(pdf);
  expect(copy.length).toBe(pdf.length);
  expect(copy.equals(pdf)).toBe(false);
  const [original, hidden] = await Promise.all([written(pdf), written(copy)]);
  const read = (file: string) =>
    Promise.all([
      tool(file, "pdfinfo", "-struct-text"),
      ...Object.values(pdftotextOrder).map((flags) => tool(file, "pdftotext", ...flags, "-enc", "UTF-8")),
    ]);
  const [withIntent, withoutIntent] = await Promise.all([read(original), read(hidden)]);
  // Something to compare: the tree with its heading and the elements' text, and the page's text.
  expect(withIntent[0]).toMatch(/^\s+H1 /m);
  expect(withIntent[0]).toContain(`"Aktenzeichen: ${reference}"`);
  for (const text of withIntent.slice(1)) expect(text).toContain(`Aktenzeichen: ${reference}`);
  expect(withoutIntent).toEqual(withIntent);
});

describe.each(["de", "en"] as const)("PDFs in %s", (lang) => {
  it("the receipt", async () => {
    const pdf = await receipt(lang);
    await expectTaggedPdfA(pdf, lang, `${messagesFor(lang).journey.receipt.title} ${reference}`);
  });

  it("the access letter", async () => {
    const pdf = await renderAccessLetter({
      reference,
      lang,
      receivedAt: at("2025-11-03T09:12:00Z"),
      answeredAt: now,
      recipient: {
        name: "Łukasz Wójcik",
        email: "lukasz@example.org",
        postalAddress: "Große Straße 5\n99084 Erfurt",
      },
      kinds: ["auskunft"],
      released: releasedFromArray([]),
      withheld: [],
    });
    await expectTaggedPdfA(pdf, lang, answerTexts(lang).letter.title(reference));
  });

  it("a notice by post", async () => {
    const pdf = await renderNoticeLetter({
      lang,
      reference,
      name: "Łukasz Wójcik",
      postalAddress: "Große Straße 5\n99084 Erfurt",
      subject: "Fristverlängerung",
      text: "Guten Tag,\n\nwir brauchen länger.\n\nMit freundlichen Grüßen",
      enclosures: ["Vollmacht"],
      date: now,
    });
    await expectTaggedPdfA(pdf, lang, messagesFor(lang).print.letter.title(reference));
  });

  it("the TLfDI record", async () => {
    const record = await renderTlfdiRecord(database.db, requestId, lang, { label: "Rechteportal" }, now);
    if (!record.ok) throw new Error(record.reason);
    await expectTaggedPdfA(record.pdf, lang, `${messagesFor(lang).complaints.record.title} ${reference}`);
  });
});

describe("PDFs for the authority (always German)", () => {
  it("the complaint letter and the case file", async () => {
    const file = await loadCaseFile(database.db, requestId);
    const letter = await renderComplaintLetter({
      file: file!,
      text: "Ich habe nach drei Monaten noch keine Antwort.\n\nBitte prüfen Sie das.",
      attachCaseFile: true,
      fileNames: ["beleg.pdf"],
      now,
    });
    const c = messagesFor("de").complaints;
    await expectTaggedPdfA(letter, "de", `${c.letter.title} ${reference}`);
    const dossier = await renderCaseDossier(file!, new Set(), now);
    await expectTaggedPdfA(dossier, "de", c.dossier.title(reference));
  });
});

// One language only: the report is the slowest PDF to render, and its language goes through the
// same createPdf as the letters' above.
describe("the annual report", () => {
  it("is tagged PDF/A", async () => {
    const figures = await loadFigures(database.db, yearPeriod(2025), now);
    const pdf = await renderAnnualReport(figures, 2025, "de", now);
    await expectTaggedPdfA(pdf, "de", messagesFor("de").dashboard.report.title(2025));
  });
});
