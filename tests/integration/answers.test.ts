/**
 * The answer documents of an access request: the letter (PDF) and the archives (ZIP), built from
 * reviewed findings of several stores with redactions and restrictions, checked with the tools a
 * person or an auditor would use: unzip, 7-Zip, pdftotext, a JSON Schema validator, a CSV parser.
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  processingActivityById,
  supervisoryAuthority,
  type ProcessingActivityId,
} from "#app/core/processing-activities";
import { retentionRules } from "#app/core/retention";
import { describeRetention } from "#app/core/retention-text";
import {
  AnswerInputError,
  releasedFromArray,
  type AnswerInput,
  type ReleasedFinding,
  type ReleasedFindings,
} from "#app/server/answers/answer-input";
import {
  writeAccessArchive,
  writePortabilityArchive,
  type ArchiveOptions,
  type ArchiveResult,
} from "#app/server/answers/archive.server";
import type { LetterFacts, LetterInput } from "#app/server/answers/letter-content";
import { answerTexts } from "#app/server/answers/texts";
import { renderAccessLetter } from "#app/server/answers/letter-pdf.server";
import { archivePassword } from "#app/server/answers/password.server";
import { checkAccessibility, launchBrowser } from "../e2e/support/browser";
import { hasPdftotext, letterPhrase, letterText, pdfText } from "../support/pdf-text";

const run = promisify(execFile);

function hasTool(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const tools = {
  unzip: hasTool("unzip"),
  sevenZip: hasTool("7z"),
  pdftotext: hasPdftotext,
  chromium: existsSync(chromiumPath),
};
const missing = (tool: string, pkg: string) => ` — SKIPPED: ${tool} not installed (apt-get install ${pkg})`;

const EMAIL = "lukasz.wojcik@example.org";
const THIRD_PARTY = "dritte.person@example.net";
const at = (iso: string) => new Date(iso);

function finding(
  partial: Omit<ReleasedFinding, "matchedIdentifier" | "unproven" | "flags" | "redactions"> &
    Partial<ReleasedFinding>,
): ReleasedFinding {
  return {
    matchedIdentifier: { kind: "email", value: EMAIL, recordValue: EMAIL, proven: true },
    unproven: false,
    flags: [],
    redactions: [],
    ...partial,
  };
}

/** Findings as the connectors shape them, after review: some redacted, from seven stores. */
const released: ReleasedFinding[] = [
  finding({
    store: "web-tsr",
    storeKind: "nginx-access-log",
    processingActivityId: "website-visit",
    ref: "access.log:1201",
    matchedIdentifier: { kind: "ip", value: "198.51.100.23", recordValue: "198.51.100.23", proven: true },
    role: "subject",
    recordedAt: at("2025-10-30T08:15:02Z"),
    content: {
      raw: '198.51.100.23 - - [30/Oct/2025:09:15:02 +0100] "GET /suche?q=a,b HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
      remoteAddr: "198.51.100.23",
      time: "2025-10-30T08:15:02.000Z",
      request: "GET /suche?q=a,b HTTP/1.1",
      status: 200,
      bytes: 5120,
      referer: "-",
      userAgent: "Mozilla/5.0",
      forwardedFor: [],
    },
  }),
  finding({
    store: "web-tsr",
    storeKind: "nginx-access-log",
    processingActivityId: "website-visit",
    ref: "access.log:1202",
    matchedIdentifier: { kind: "ip", value: "198.51.100.23", recordValue: "198.51.100.23", proven: true },
    role: "subject",
    recordedAt: at("2025-10-30T08:15:03Z"),
    content: {
      raw: '198.51.100.23 - - [30/Oct/2025:09:15:03 +0100] "GET /<script>alert(1)</script> HTTP/1.1" 404 0 "-" "curl"',
      remoteAddr: "198.51.100.23",
      time: "2025-10-30T08:15:03.000Z",
      request: "GET /<script>alert(1)</script> HTTP/1.1",
      status: 404,
      bytes: 0,
      referer: "-",
      userAgent: "curl",
      forwardedFor: ["10.0.0.1"],
    },
  }),
  finding({
    store: "login-beaus",
    storeKind: "login-jsonl",
    processingActivityId: "beauskunftung-login",
    ref: "login-2025-10.jsonl:77",
    matchedIdentifier: { kind: "userName", value: "lwojcik", recordValue: "lwojcik", proven: false },
    role: "subject",
    recordedAt: at("2025-10-02T06:00:00Z"),
    content: {
      raw: '{"user":"lwojcik"}',
      user: "lwojcik",
      firstName: "Łukasz",
      lastName: "Wójcik",
      ip: "198.51.100.23",
      result: "success",
    },
  }),
  finding({
    store: "abrufprotokolle",
    storeKind: "retrieval-protocol-db",
    processingActivityId: "retrieval-protocol",
    ref: "abrufprotokoll/5521",
    role: "requester",
    flags: ["third-party-data"],
    recordedAt: at("2025-09-12T10:30:00Z"),
    content: {
      id: 5521,
      behoerde: "Stadtverwaltung Erfurt, Bürgeramt",
      sicherheitsbehoerde: false,
      sachbearbeiter: { benutzername: "lwojcik", vorname: "Łukasz", familienname: "Wójcik", email: EMAIL },
      // The review replaced the looked-up person with null; the archive must keep it that way.
      suchkriterien: null,
      trefferanzahl: 1,
    },
    redactions: [{ field: "suchkriterien", reasonCode: "art-15-4" }],
  }),
  finding({
    store: "servicedesk",
    storeKind: "servicedesk-db",
    processingActivityId: "contact-form",
    ref: "ticket/900",
    role: "customer",
    flags: ["consent"],
    recordedAt: at("2025-08-01T12:00:00Z"),
    content: {
      table: "ticket",
      id: 900,
      title: "Frage zur Gebühr (12 €)",
      customer_email: EMAIL,
      body: 'Er sagte: "Grüße aus Weißensee", dann ging er.\nZweite Zeile',
    },
  }),
  finding({
    store: "servicedesk",
    storeKind: "servicedesk-db",
    processingActivityId: "contact-form",
    ref: "article/901",
    role: "customer",
    flags: ["consent"],
    recordedAt: at("2025-08-01T12:05:00Z"),
    content: {
      table: "article",
      id: 901,
      ticket_id: 900,
      from_addr: EMAIL,
      body: '=HYPERLINK("http://evil.example","klick")',
    },
  }),
  finding({
    store: "servicedesk",
    storeKind: "servicedesk-db",
    processingActivityId: "support-ticket",
    ref: "ticket/950",
    role: "customer",
    recordedAt: at("2025-09-20T07:45:00Z"),
    content: {
      table: "ticket",
      id: 950,
      title: "Passwort vergessen",
      customer_email: EMAIL,
      body: "Bitte zurücksetzen.",
    },
  }),
  finding({
    store: "mail-poststelle",
    storeKind: "maildir",
    processingActivityId: "email",
    ref: "cur/1730000000.M1P1.mail",
    role: "sender",
    flags: ["third-party-data"],
    recordedAt: at("2025-10-01T08:00:00Z"),
    // The workflow forgot to blank the CC: the answer must blank it itself.
    content: {
      from: `Łukasz Wójcik <${EMAIL}>`,
      to: ["poststelle@tlrz.thueringen.de"],
      cc: [`Dritte Person <${THIRD_PARTY}>`],
      subject: "Straßenreinigung – Gebühr",
      text: "Sehr geehrte Damen und Herren,\nbitte prüfen Sie die Gebühr von 12 €.",
      attachments: [{ filename: "bescheid.pdf", contentType: "application/pdf", size: 20480 }],
    },
    redactions: [{ field: "cc.0", reasonCode: "art-15-4" }],
  }),
  finding({
    store: "telefon",
    storeKind: "call-records-csv",
    processingActivityId: "telephone",
    ref: "calls-2025-11-01.csv:12",
    matchedIdentifier: {
      kind: "phone",
      value: "+49 361 5550100",
      recordValue: "+493615550100",
      proven: true,
    },
    role: "subject",
    recordedAt: at("2025-11-01T09:00:00Z"),
    content: {
      raw: "2025-11-01 10:00:00;in;+493615550100;+49361573635800;95",
      direction: "in",
      caller: "+493615550100",
      callee: "+49361573635800",
      duration: "95",
    },
  }),
  finding({
    store: "viskompakt",
    storeKind: "records-management",
    processingActivityId: "records-management",
    ref: "VIS-2025-0042",
    matchedIdentifier: {
      kind: "postalAddress",
      value: "Große Straße 5, 99084 Erfurt",
      recordValue: "Große Straße 5, 99084 Erfurt",
      proven: false,
    },
    role: "sender",
    recordedAt: at("2025-07-15T00:00:00Z"),
    content: {
      aktenzeichen: "TLRZ-1234/25",
      betreff: "Widerspruch gegen Bescheid",
      absender: { vorname: "Łukasz", nachname: "Wójcik", ort: "Erfurt" },
    },
  }),
];

const releasedActivities = [...new Set(released.map((f) => f.processingActivityId))];

function answerInput(lang: "de" | "en", overrides: Partial<AnswerInput> = {}): AnswerInput {
  return {
    reference: "DSR-2025-004711",
    lang,
    receivedAt: at("2025-11-03T09:12:00Z"),
    answeredAt: at("2025-11-20T10:00:00Z"),
    recipient: { name: "Łukasz Wójcik", email: EMAIL, postalAddress: "Große Straße 5\n99084 Erfurt" },
    kinds: ["auskunft", "datenuebertragung", "loeschung"],
    released: releasedFromArray(released),
    withheld: [
      {
        groundId: "thuerdsg-21-1-3",
        legalReference: "§ 21 Abs. 1 Nr. 3 ThürDSG",
        reasons:
          "Ein Ermittlungsverfahren wegen eines Angriffs auf den Webserver (Schaden über 10 000 €) läuft noch; es gehört zu einem größeren Verfahren.",
        reviewDate: at("2026-05-01T10:00:00Z"),
        count: 3,
        processingActivityId: "website-visit",
      },
      {
        groundId: "thuerdsg-21-3",
        legalReference: "§ 21 Abs. 3 ThürDSG",
        reasons: null,
        reviewDate: null,
        count: 1,
        processingActivityId: "retrieval-protocol",
      },
    ],
    ...overrides,
  };
}

async function archiveBytes(
  write: (input: AnswerInput, out: PassThrough, options?: ArchiveOptions) => Promise<ArchiveResult>,
  input: AnswerInput,
  options?: ArchiveOptions,
): Promise<{ bytes: Buffer; result: ArchiveResult }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const result = await write(input, out, options);
  return { bytes: Buffer.concat(chunks), result };
}

async function entriesOf(zip: Buffer, password?: string): Promise<Map<string, Buffer>> {
  const reader = new ZipReader(new Uint8ArrayReader(zip), { password });
  const files = new Map<string, Buffer>();
  for (const entry of await reader.getEntries()) {
    if (entry.directory) continue;
    files.set(entry.filename, Buffer.from(await entry.getData!(new Uint8ArrayWriter())));
  }
  await reader.close();
  return files;
}

const text = (files: Map<string, Buffer>, name: string) => files.get(name)!.toString("utf8");

let dir: string;
let access: { bytes: Buffer; result: ArchiveResult };
let files: Map<string, Buffer>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rp-answers-"));
  access = await archiveBytes(writeAccessArchive, answerInput("de"));
  files = await entriesOf(access.bytes);
  writeFileSync(join(dir, "access.zip"), access.bytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("access archive", () => {
  it("holds the overview, the letter, JSON and CSV per store, a schema per JSON file and the manifest, in a fixed order", () => {
    const stores = [...new Set(released.map((f) => f.store))].sort();
    expect([...files.keys()]).toEqual([
      "index.html",
      "Auskunftsschreiben.pdf",
      ...stores.flatMap((s) => [`data/${s}.json`, `data/${s}.csv`]),
      ...stores.map((s) => `schemas/${s}.schema.json`),
      "schemas/manifest.schema.json",
      "manifest.json",
    ]);
    expect(access.result.bytes).toBe(access.bytes.length);
  });

  it.skipIf(!tools.unzip)(`passes unzip -t${tools.unzip ? "" : missing("unzip", "unzip")}`, async () => {
    const { stdout } = await run("unzip", ["-t", join(dir, "access.zip")]);
    expect(stdout).toContain("No errors detected");
  });

  it.skipIf(!tools.sevenZip)(`passes 7z t${tools.sevenZip ? "" : missing("7z", "p7zip-full")}`, async () => {
    const { stdout } = await run("7z", ["t", join(dir, "access.zip")]);
    expect(stdout).toContain("Everything is Ok");
    expect(stdout).toContain(`Files: ${files.size}`);
  });

  it("is the same, byte for byte, when built again from the same input", async () => {
    const again = await archiveBytes(writeAccessArchive, answerInput("de"));
    expect(again.bytes.equals(access.bytes)).toBe(true);
  });

  it("dates every entry with the answer's date in Berlin time", async () => {
    const reader = new ZipReader(new Uint8ArrayReader(access.bytes));
    const entries = await reader.getEntries();
    await reader.close();
    // MS-DOS date and time, as the central directory stores them: wall-clock time without a zone.
    const dos = (raw: number) => {
      const date = raw >>> 16;
      const time = raw & 0xffff;
      return [1980 + (date >> 9), (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2];
    };
    // 10:00 UTC on 20 November is 11:00 in Berlin.
    for (const entry of entries)
      expect(dos(Number(entry.rawLastModDate)), entry.filename).toEqual([2025, 11, 20, 11, 0, 0]);
  });

  it("lists every other file in manifest.json with its size and SHA-256", () => {
    const manifest = JSON.parse(text(files, "manifest.json")) as {
      files: { path: string; bytes: number; sha256: string }[];
      createdAt: string;
    };
    expect(manifest.createdAt).toBe("2025-11-20T10:00:00.000Z");
    expect(manifest.files.map((f) => f.path)).toEqual(
      [...files.keys()].filter((name) => name !== "manifest.json"),
    );
    for (const entry of manifest.files) {
      const content = files.get(entry.path)!;
      expect(entry.bytes).toBe(content.length);
      expect(entry.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    }
    expect(access.result.entries).toEqual(manifest.files);
  });

  it("validates every JSON file against its JSON Schema (draft 2020-12)", () => {
    const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
    const jsonFiles = [...files.keys()].filter(
      (name) => name.endsWith(".json") && !name.startsWith("schemas/"),
    );
    expect(jsonFiles.length).toBeGreaterThan(1);
    for (const name of jsonFiles) {
      const schemaName = `schemas/${name.slice(name.lastIndexOf("/") + 1).replace(/\.json$/, "")}.schema.json`;
      const validate = ajv.compile(JSON.parse(text(files, schemaName)));
      const valid = validate(JSON.parse(text(files, name)));
      expect(validate.errors ?? [], name).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it("has schemas that reject what the data do not hold", () => {
    const ajv = new Ajv2020({ allowUnionTypes: true });
    const validate = ajv.compile(JSON.parse(text(files, "schemas/mail-poststelle.schema.json")));
    const data = JSON.parse(text(files, "data/mail-poststelle.json"));
    data.records[0].content.unexpected = "x";
    expect(validate(data)).toBe(false);
    data.records[0].content.unexpected = undefined;
    data.records[0].recordedAt = "yesterday";
    expect(validate(JSON.parse(JSON.stringify(data)))).toBe(false);
  });

  it("keeps redacted fields out of every file, shows them as redacted and records each redaction", () => {
    for (const [name, content] of files) {
      if (name.endsWith(".pdf")) continue;
      expect(content.toString("utf8"), name).not.toContain(THIRD_PARTY);
    }
    const mail = JSON.parse(text(files, "data/mail-poststelle.json"));
    expect(mail.records[0].content.cc).toEqual([null]);
    expect(mail.records[0].redactions).toEqual([
      { field: "cc.0", reasonCode: "art-15-4", legalReference: "Art. 15 Abs. 4 DS-GVO" },
    ]);
    expect(text(files, "data/mail-poststelle.csv")).toContain("[geschwärzt: Art. 15 Abs. 4 DS-GVO]");
    expect(text(files, "index.html")).toContain(
      '<span class="redacted">[geschwärzt: Art. 15 Abs. 4 DS-GVO]</span>',
    );
    const retrieval = JSON.parse(text(files, "data/abrufprotokolle.json"));
    expect(retrieval.records[0].content.suchkriterien).toBeNull();
  });

  it("writes CSV with BOM, header and RFC 4180 quoting that a parser reads back unchanged", () => {
    const raw = files.get("data/servicedesk.csv")!;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = raw.toString("utf8");
    expect(csv).toContain("\r\n");
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.ref)).toEqual(["ticket/900", "article/901", "ticket/950"]);
    expect(rows[0]!["content.body"]).toBe('Er sagte: "Grüße aus Weißensee", dann ging er.\nZweite Zeile');
    expect(rows[0]!["content.title"]).toBe("Frage zur Gebühr (12 €)");
    // A formula from a record is defused for spreadsheet programs; the JSON keeps it unchanged.
    expect(rows[1]!["content.body"]).toBe('\'=HYPERLINK("http://evil.example","klick")');
    expect(JSON.parse(text(files, "data/servicedesk.json")).records[1].content.body).toBe(
      '=HYPERLINK("http://evil.example","klick")',
    );
    const retrieval = parse(files.get("data/abrufprotokolle.csv")!, { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(retrieval[0]!["content.sachbearbeiter.vorname"]).toBe("Łukasz");
    expect(retrieval[0]!["content.suchkriterien"]).toBe("[geschwärzt: Art. 15 Abs. 4 DS-GVO]");
  });

  it("has an index.html that is readable offline and shows every record, escaped", () => {
    const html = text(files, "index.html");
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="de">/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/\ssrc=|url\(/i);
    expect(html).not.toMatch(/href="(https?:)?\/\//);
    for (const f of released) expect(html).toContain(f.ref.replace(/&/g, "&amp;"));
    expect(html).toContain("GET /&lt;script&gt;alert(1)&lt;/script&gt; HTTP/1.1");
    expect(html).toContain("Łukasz");
    expect(html).toContain(processingActivityById["retrieval-protocol"].purposes[0]!.de);
  });

  it.skipIf(!tools.chromium)(
    `has an index.html that a browser shows without loading anything and that meets WCAG 2.1 AA${tools.chromium ? "" : missing("chromium", "chromium")}`,
    async () => {
      const path = join(dir, "index.html");
      writeFileSync(path, files.get("index.html")!);
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on("request", (request) => requests.push(request.url()));
        await page.goto(`file://${path}`);
        expect(requests).toEqual([`file://${path}`]);
        expect(await page.locator("table.records tbody tr").count()).toBe(released.length);
        expect(await checkAccessibility(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});

/**
 * The letter's text is read with pdftotext -raw (tests/support/pdf-text.ts): it keeps a hyphen at
 * the end of a line, where the default mode would join "DS-" and "GVO" into "DSGVO".
 */
function expectText(content: string, expected: string, label?: string): void {
  expect(content, label).toContain(letterPhrase(expected));
}

/** The input with the review's facts: the withheld groups' reasons are the texts written for the person. */
function letterInput(lang: "de" | "en", overrides: Partial<AnswerInput> = {}): LetterInput {
  const input = answerInput(lang, overrides);
  return {
    ...input,
    facts: { withheld: input.withheld, withheldSilently: false, unproven: [], unsearched: [] },
  };
}

describe.each(["de", "en"] as const)("access letter (%s)", (lang) => {
  let pdf: Buffer;
  let content: string;
  const t = {
    de: {
      confirmation: "Ja. Wir verarbeiten personenbezogene Daten über Sie.",
      rights: [
        "Berichtigung (Art. 16 DS-GVO)",
        "Löschung (Art. 17 DS-GVO)",
        "Einschränkung der Verarbeitung (Art. 18 DS-GVO)",
        "Widerspruch (Art. 21 DS-GVO)",
        "Beschwerde (Art. 77 DS-GVO)",
      ],
      automated:
        "keine Entscheidung über Sie, die ausschließlich auf einer automatisierten Verarbeitung beruht",
      withheld: [
        "§ 21 Abs. 1 Nr. 3 ThürDSG",
        "Ein Ermittlungsverfahren wegen eines Angriffs auf den Webserver (Schaden über 10 000 €) läuft noch; es gehört zu einem größeren Verfahren.",
        "1. Mai 2026",
      ],
      omitted: [
        "Die tatsächlichen und rechtlichen Gründe dafür teilen wir Ihnen nicht mit",
        "§ 21 Abs. 4 ThürDSG",
        "§ 21 Abs. 5 ThürDSG",
      ],
      remedy:
        "Rechtsbehelfsbelehrung: Gegen diese Entscheidung können Sie innerhalb eines Monats nach ihrer Bekanntgabe Klage beim Verwaltungsgericht Weimar, Jenaer Straße 2a, 99425 Weimar, erheben",
      redaction: "In 2 Datensätzen haben wir einzelne Angaben geschwärzt (Art. 15 Abs. 4 DS-GVO)",
      copy: [
        "data/mail-poststelle.json",
        "data/servicedesk.csv",
        "3 Datensätze",
        "manifest.json",
        "index.html",
      ],
      page: /Seite 1 von (\d+)/,
      portability: "Datenuebertragung-DSR-2025-004711.zip",
    },
    en: {
      confirmation: "Yes. We process personal data about you.",
      rights: [
        "Rectification (Art. 16 GDPR)",
        "Erasure (Art. 17 GDPR)",
        "Restriction of processing (Art. 18 GDPR)",
        "Objection (Art. 21 GDPR)",
        "Complaint (Art. 77 GDPR)",
      ],
      automated: "no decision about you that is based solely on automated processing",
      withheld: [
        "§ 21 Abs. 1 Nr. 3 ThürDSG",
        "Ein Ermittlungsverfahren wegen eines Angriffs auf den Webserver (Schaden über 10 000 €) läuft noch; es gehört zu einem größeren Verfahren.",
        "1 May 2026",
      ],
      omitted: [
        "We do not state the factual and legal reasons",
        "section 21(4) ThürDSG",
        "section 21(5) ThürDSG",
      ],
      remedy:
        "you may bring an action against this decision before the Verwaltungsgericht Weimar (Administrative Court of Weimar), Jenaer Straße 2a, 99425 Weimar, within one month of its notification",
      redaction: "In 2 records we have redacted individual details (Art. 15(4) GDPR)",
      copy: ["data/mail-poststelle.json", "data/servicedesk.csv", "3 records", "manifest.json", "index.html"],
      page: /Page 1 of (\d+)/,
      portability: "portability-DSR-2025-004711.zip",
    },
  }[lang];

  beforeAll(async () => {
    pdf = await renderAccessLetter(letterInput(lang));
    if (tools.pdftotext) content = letterText(pdf);
  });

  it("is the same, byte for byte, when rendered again, with the answer's date and a fixed file ID", async () => {
    const again = await renderAccessLetter(letterInput(lang));
    expect(again.equals(pdf)).toBe(true);
    const trailer = pdf.subarray(pdf.lastIndexOf("trailer")).toString("latin1");
    expect(trailer).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
    expect(pdf.toString("latin1")).toContain("(D:20251120100000Z)");
    const other = await renderAccessLetter(letterInput(lang, { answeredAt: at("2025-11-21T10:00:00Z") }));
    expect(other.subarray(other.lastIndexOf("trailer")).toString("latin1")).not.toBe(trailer);
  });

  it("is tagged (structure tree with headings, paragraphs and lists), has a language and PDF/A metadata", () => {
    const raw = pdf.toString("latin1");
    expect(raw).toContain("/StructTreeRoot");
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toContain("/Marked true");
    for (const tag of ["/S /Document", "/S /H1", "/S /H2", "/S /H3", "/S /P", "/S /L", "/S /LI"])
      expect(raw).toContain(tag);
    expect(raw).toContain(`/Lang (${lang === "de" ? "de-DE" : "en-GB"})`);
    expect(raw).toContain("pdfaid:part");
    expect(raw).toContain("/FontFile2");
  });

  it.skipIf(!tools.pdftotext)(
    `keeps its text extractable, umlauts and names included${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    () => {
      for (const s of [
        "Łukasz Wójcik",
        "Große Straße 5",
        "99084 Erfurt",
        "DSR-2025-004711",
        "€",
        "ä",
        "ö",
        "ü",
        "ß",
      ])
        expectText(content, s);
      const pages = pdfText(pdf, "reading").match(t.page);
      expect(Number(pages?.[1])).toBeGreaterThan(1);
    },
  );

  it.skipIf(!tools.pdftotext)(
    `confirms the processing and gives each activity's purposes, categories, recipients, storage period and source${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    () => {
      expectText(content, t.confirmation);
      const shown: ProcessingActivityId[] = [...releasedActivities, "rechteportal"];
      for (const id of shown) {
        const activity = processingActivityById[id];
        expectText(content, activity.name[lang], id);
        for (const purpose of activity.purposes) expectText(content, purpose[lang], id);
        for (const category of activity.dataCategories) expectText(content, category[lang], id);
        for (const recipient of activity.recipients) expectText(content, recipient[lang], id);
        for (const rule of activity.retentionRuleIds)
          expectText(content, describeRetention(retentionRules[rule], lang), id);
        expectText(content, activity.source[lang], id);
      }
      expect(content).not.toContain(letterPhrase(processingActivityById.fax.name[lang]));
    },
  );

  it.skipIf(!tools.pdftotext)(
    `states the rights, the supervisory authority, the absence of automated decisions${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    () => {
      for (const right of t.rights) expectText(content, right);
      expectText(content, supervisoryAuthority.name[lang]);
      expectText(
        content,
        `${supervisoryAuthority.address.street}, ${supervisoryAuthority.address.postalCode} ${supervisoryAuthority.address.city}`,
      );
      expectText(content, supervisoryAuthority.email);
      expectText(content, t.automated);
    },
  );

  it.skipIf(!tools.pdftotext)(
    `explains every restriction: ground, reasons, review date, or the § 21(4) notice${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    () => {
      for (const s of [...t.withheld, ...t.omitted, t.redaction, t.remedy]) expectText(content, s);
      // § 21(4): the ground of the group whose reasons are left out is not named anywhere.
      expect(content).not.toContain("21 Abs. 3");
      expect(content).not.toContain("21(3)");
    },
  );

  it.skipIf(!tools.pdftotext)(
    `summarises the copy: files and counts per store${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    () => {
      for (const s of [...t.copy, t.portability]) expectText(content, s);
    },
  );
});

describe("letter without the review's facts", () => {
  it.skipIf(!tools.pdftotext)(
    `quotes no free text as reasons: it may be an internal note; the statute's reason for the ground instead${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    async () => {
      const internal = "Intern: Az. 4711, Rückfrage bei KHK Meier.";
      const withheld = [
        {
          groundId: "prosecution",
          legalReference: "§ 21 Abs. 1 Nr. 3 ThürDSG",
          reasons: internal,
          reviewDate: null,
          count: 2,
          processingActivityId: "website-visit" as const,
        },
      ];
      const content = letterText(await renderAccessLetter(answerInput("de", { withheld })));
      expect(content).not.toContain("KHK Meier");
      expectText(content, "§ 21 Abs. 1 Nr. 3 ThürDSG");
      expectText(content, `Begründung: ${answerTexts("de").groundReasons.prosecution}`);
    },
  );
});

describe("letter without findings", () => {
  const facts: LetterFacts = { withheld: [], withheldSilently: false, unproven: [], unsearched: [] };
  it.skipIf(!tools.pdftotext)(
    `says that no data were found where every store was searched and nothing withheld, and still gives the rights${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    async () => {
      const pdf = await renderAccessLetter({
        ...answerInput("de", { released: releasedFromArray([]), withheld: [], kinds: ["auskunft"] }),
        facts,
      });
      const content = letterText(pdf);
      expectText(
        content,
        "Nein. Außer den Angaben zu diesem Antrag verarbeiten wir keine personenbezogenen Daten über Sie.",
      );
      expectText(content, "Wir haben alle Systeme");
      expectText(content, "Beschwerde (Art. 77 DS-GVO)");
      expect(content).not.toContain("Einschränkungen der Auskunft");
    },
  );

  it.skipIf(!tools.pdftotext)(
    `claims no "nothing found" unless confirmed, nor "all searched" unless it was${tools.pdftotext ? "" : missing("pdftotext", "poppler-utils")}`,
    async () => {
      const empty = answerInput("de", { released: releasedFromArray([]), withheld: [], kinds: ["auskunft"] });
      const cases: [string, LetterInput][] = [
        ["unknown", empty],
        ["silent", { ...empty, facts: { ...facts, withheldSilently: true } }],
        [
          "unsearched",
          {
            ...empty,
            facts: { ...facts, unsearched: [{ store: "telefon", storeKind: "call-records-csv" }] },
          },
        ],
      ];
      for (const [name, input] of cases) {
        const content = letterText(await renderAccessLetter(input));
        expectText(content, "keine personenbezogenen Daten, die der Auskunftspflicht unterliegen", name);
        expect(content, name).not.toContain("Nein.");
        expect(content, name).not.toContain("nichts gefunden");
        // Every store was searched in the silent case: saying so is true there, and only there.
        if (name !== "silent") expect(content, name).not.toContain("alle Systeme");
        if (name === "unsearched")
          expectText(
            content,
            "Nicht vollständig durchsuchen konnten wir: Verbindungsdaten der Telefonanlage (telefon).",
          );
      }
      const en = letterText(
        await renderAccessLetter({
          ...answerInput("en", { released: releasedFromArray([]), withheld: [], kinds: ["auskunft"] }),
          facts: { ...facts, withheldSilently: true },
        }),
      );
      expectText(
        en,
        "we do not process any personal data about you that are subject to the duty to give access",
      );
      expect(en).not.toContain("found nothing");
    },
  );
});

describe("portability archive", () => {
  it("holds only the contact-form data, as JSON with schema and manifest", async () => {
    const { bytes, result } = await archiveBytes(writePortabilityArchive, answerInput("de"));
    const portable = await entriesOf(bytes);
    expect([...portable.keys()]).toEqual([
      "data/servicedesk.json",
      "schemas/servicedesk.schema.json",
      "schemas/manifest.schema.json",
      "manifest.json",
    ]);
    const data = JSON.parse(text(portable, "data/servicedesk.json"));
    expect(data.records.map((r: { ref: string }) => r.ref)).toEqual(["ticket/900", "article/901"]);
    expect(
      new Set(data.records.map((r: { processingActivityId: string }) => r.processingActivityId)),
    ).toEqual(new Set(["contact-form"]));
    expect(result.summary.total).toBe(2);
    const ajv = new Ajv2020({ allowUnionTypes: true });
    expect(ajv.validate(JSON.parse(text(portable, "schemas/servicedesk.schema.json")), data)).toBe(true);
    expect(JSON.parse(text(portable, "manifest.json")).archive).toBe("portability");
  });

  it.skipIf(!tools.sevenZip)(`passes 7z t${tools.sevenZip ? "" : missing("7z", "p7zip-full")}`, async () => {
    const { bytes } = await archiveBytes(writePortabilityArchive, answerInput("en"));
    const path = join(dir, "portability.zip");
    writeFileSync(path, bytes);
    expect((await run("7z", ["t", path])).stdout).toContain("Everything is Ok");
  });
});

describe("encrypted archive", () => {
  let encrypted: { bytes: Buffer; result: ArchiveResult };
  const password = archivePassword("server-secret", "request-id", "nonce-1");
  const path = () => join(dir, "encrypted.zip");

  beforeAll(async () => {
    encrypted = await archiveBytes(writeAccessArchive, answerInput("de"), { password });
    writeFileSync(path(), encrypted.bytes);
  });

  it("has a strong password derived from the server's secret, the case and the session's nonce", () => {
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){4}$/);
    expect(archivePassword("server-secret", "request-id", "nonce-1")).toBe(password);
    const others = [
      archivePassword("server-secret", "request-id", "nonce-2"),
      archivePassword("server-secret", "other-request", "nonce-1"),
      archivePassword("other-secret", "request-id", "nonce-1"),
    ];
    expect(new Set([password, ...others]).size).toBe(4);
  });

  it("holds the same files as the plain archive, readable with the password", async () => {
    const decrypted = await entriesOf(encrypted.bytes, password);
    expect([...decrypted.keys()]).toEqual([...files.keys()]);
    for (const [name, content] of decrypted) expect(content.equals(files.get(name)!), name).toBe(true);
  });

  it.skipIf(!tools.sevenZip)(
    `uses AES-256 and tests OK in 7z with the password only${tools.sevenZip ? "" : missing("7z", "p7zip-full")}`,
    async () => {
      const listing = (await run("7z", ["l", "-slt", `-p${password}`, path()])).stdout;
      expect(listing).toContain("Method = AES-256 Deflate");
      expect(listing).toContain("Encrypted = +");
      const ok = await run("7z", ["t", `-p${password}`, path()]);
      expect(ok.stdout).toContain("Everything is Ok");
      await expect(run("7z", ["t", "-pfalsch", path()])).rejects.toMatchObject({
        stderr: expect.stringContaining("Wrong password"),
      });
    },
  );
});

describe("bad input", () => {
  const sink = () => new PassThrough().resume();

  it("refuses a finding of an unknown processing activity or with a store id that is not a plain name", async () => {
    const bad = { ...released[0]!, processingActivityId: "nonsense" } as unknown as ReleasedFinding;
    await expect(
      writeAccessArchive(answerInput("de", { released: releasedFromArray([bad]) }), sink()),
    ).rejects.toThrow(AnswerInputError);
    const path = { ...released[0]!, store: "../etc" };
    await expect(
      writeAccessArchive(answerInput("de", { released: releasedFromArray([path]) }), sink()),
    ).rejects.toThrow(/plain id/);
  });

  it("reads the findings once: a source that would give others on a second reading changes nothing", async () => {
    let calls = 0;
    const shifting: ReleasedFindings = {
      list: (store) => {
        calls++;
        const all = calls === 1 ? released : released.slice(1);
        return store === undefined ? all : all.filter((f) => f.store === store);
      },
    };
    const result = await writeAccessArchive(answerInput("de", { released: shifting }), sink());
    expect(calls).toBe(1);
    expect(result.summary.total).toBe(released.length);
  });

  it("refuses a malformed envelope", async () => {
    await expect(writeAccessArchive(answerInput("de", { reference: "DSR <&>" }), sink())).rejects.toThrow(
      AnswerInputError,
    );
    await expect(
      writeAccessArchive(answerInput("de", { answeredAt: new Date("nonsense") }), sink()),
    ).rejects.toThrow(AnswerInputError);
  });
});
