import type { CaseStatus } from "#app/core/case-status";
import type { Channel } from "#app/core/channels";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { auditEvents, findingDecisions, findings, gatherRuns, requests, reviewRounds } from "#db/schema";
import type { AuditAction } from "#app/core/audit-actions";
import type { RequestKindSlug } from "#app/core/request-kinds";
import type { RestrictionGroundId } from "#app/core/restriction-grounds";
import type { FindingDecisionKind } from "#app/core/review-states";
import { answerDeadline, extendedDeadline } from "#app/core/deadline";
import { renderAnnualReport } from "#app/server/annual-report.server";
import { createStaffAccount, syncRoles } from "#app/server/auth/staff-accounts.server";
import { REGISTER_CSV_DELIMITER, loadRegisterRows, registerCsv } from "#app/server/register-csv.server";
import { yearPeriod } from "#app/server/statistics/period";
import { loadFigures } from "#app/server/statistics/statistics.server";
import { createTestDatabase } from "../support/database";
import { hasPdftotext, pdfText } from "../support/pdf-text";

const run = promisify(execFile);

/** A Berlin wall-clock time; the dates used keep clear of the summer-time switch days. */
const berlin = (local: string) => {
  const [day, time = "12:00"] = local.split(" ");
  const month = Number(day!.slice(5, 7));
  return new Date(`${day}T${time}:00${month > 3 && month < 11 ? "+02:00" : "+01:00"}`);
};
const now = berlin("2026-11-23 10:00");

let database: Database;
let reviewer: string;
let approver: string;
const caseIds = new Map<string, string>();

async function insertCase(
  name: string,
  fields: {
    receivedAt: Date;
    status?: CaseStatus;
    kinds?: RequestKindSlug[];
    channel?: Channel;
    answeredAt?: Date;
    closedAt?: Date;
    extendMonths?: 1 | 2;
    reference?: string | null;
  },
) {
  const [row] = await database.db
    .insert(requests)
    .values({
      reference:
        fields.reference === undefined
          ? `DSR-${fields.receivedAt.getUTCFullYear()}-9000${name.charCodeAt(0)}`
          : fields.reference,
      status: fields.status ?? "received",
      kinds: fields.kinds ?? ["auskunft"],
      channel: fields.channel ?? "web",
      contactEmail: `${name.toLowerCase()}@example.org`,
      receivedAt: fields.receivedAt,
      provenAt: fields.reference === null ? null : fields.receivedAt,
      deadline: answerDeadline(fields.receivedAt),
      extendedDeadline: fields.extendMonths ? extendedDeadline(fields.receivedAt, fields.extendMonths) : null,
      extensionReason: fields.extendMonths ? "Viele Speicher, umfangreiche Prüfung" : null,
      answeredAt: fields.answeredAt ?? null,
      closedAt: fields.closedAt ?? fields.answeredAt ?? null,
    })
    .returning({ id: requests.id });
  caseIds.set(name, row!.id);
  return row!.id;
}

/** A review round of a case with one finding per decision. */
async function reviewRound(
  caseName: string,
  status: "approved" | "returned",
  decidedAt: Date,
  decisions: { decision: FindingDecisionKind; groundId?: RestrictionGroundId }[],
) {
  const db = database.db;
  const requestId = caseIds.get(caseName)!;
  const existing = await db.select().from(gatherRuns).where(eq(gatherRuns.requestId, requestId));
  const [gatherRun] =
    existing.length > 0
      ? existing
      : await db.insert(gatherRuns).values({ requestId, version: 1 }).returning();
  const [round] = await db
    .insert(reviewRounds)
    .values({
      runId: gatherRun!.id,
      status,
      proposedBy: reviewer,
      proposedAt: decidedAt,
      decidedBy: approver,
      decidedAt,
    })
    .returning();
  for (const [i, d] of decisions.entries()) {
    const ref = `${round!.id}/${i}`;
    const [finding] = await db
      .insert(findings)
      .values({
        runId: gatherRun!.id,
        store: "mail-support",
        storeKind: "maildir",
        processingActivityId: "email",
        ref,
        flags: [],
        unproven: false,
        matched: {},
        content: { i },
        contentHash: ref,
      })
      .returning();
    await db.insert(findingDecisions).values({
      roundId: round!.id,
      findingId: finding!.id,
      decision: d.decision,
      groundId: d.groundId ?? null,
      reasoning: "Abwägung dokumentiert",
      contentHash: ref,
      decidedBy: reviewer,
    });
  }
}

/**
 * Complaint forwardings are written by the complaints workflow through the audit trail; the test
 * places them at chosen dates directly, since the trail stamps its own clock.
 */
async function auditEventAt(action: AuditAction, createdAt: Date) {
  await database.db.insert(auditEvents).values({
    actorType: "system",
    action,
    createdAt,
    prevHash: "0".repeat(64),
    hash: `${action}-${createdAt.toISOString()}`,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await syncRoles(database.db);
  reviewer = await createStaffAccount(database.db, {
    userName: "jmueller",
    displayName: 'Jörg "Jo" Müller',
    email: "j@x",
    password: "pw",
    roles: ["case-handler"],
  });
  approver = await createStaffAccount(database.db, {
    userName: "formel",
    displayName: '=HYPERLINK("x")',
    email: "f@x",
    password: "pw",
    roles: ["dpo"],
  });

  await insertCase("A", {
    receivedAt: berlin("2025-01-10 09:00"),
    answeredAt: berlin("2025-01-20 15:00"),
    status: "answered",
  });
  await insertCase("B", {
    receivedAt: berlin("2025-02-03 09:00"),
    answeredAt: berlin("2025-02-28 11:00"),
    status: "answered",
    channel: "email",
    kinds: ["auskunft", "loeschung"],
  });
  await insertCase("C", {
    receivedAt: berlin("2025-03-03 09:00"),
    extendMonths: 2,
    answeredAt: berlin("2025-05-30 11:00"),
    status: "answered",
    channel: "letter",
    kinds: ["berichtigung"],
  });
  await insertCase("D", {
    receivedAt: berlin("2025-04-01 09:00"),
    answeredAt: berlin("2025-05-15 11:00"),
    status: "answered",
  });
  await insertCase("E", {
    receivedAt: berlin("2025-06-02 09:00"),
    closedAt: berlin("2025-06-20 11:00"),
    status: "refused",
    channel: "phone",
    kinds: ["widerspruch"],
  });
  await insertCase("F", {
    receivedAt: berlin("2025-12-01 09:00"),
    answeredAt: berlin("2026-01-02 10:00"),
    status: "answered",
  });
  await insertCase("G", {
    receivedAt: berlin("2025-11-10 09:00"),
    status: "gathering",
    channel: "fax",
    kinds: ["loeschung"],
  });
  await insertCase("H", { receivedAt: berlin("2025-12-20 09:00"), status: "review", channel: "email" });
  await insertCase("I", {
    receivedAt: berlin("2024-12-15 09:00"),
    answeredAt: berlin("2025-01-14 11:00"),
    status: "answered",
  });
  await insertCase("J", { receivedAt: berlin("2026-01-05 09:00") });
  await insertCase("K", { receivedAt: berlin("2025-05-05 09:00"), status: "unproven", reference: null });
  await insertCase("L", {
    receivedAt: berlin("2025-07-01 09:00"),
    closedAt: berlin("2025-07-03 09:00"),
    status: "withdrawn",
    kinds: ["widerruf"],
  });

  // Decided in another order than the catalogue's, in which the register names the grounds.
  await reviewRound("A", "approved", berlin("2025-01-18 10:00"), [
    { decision: "redact", groundId: "third-party-rights" },
    { decision: "withhold", groundId: "secrecy" },
    { decision: "release" },
  ]);
  await reviewRound("B", "approved", berlin("2025-02-20 10:00"), [
    { decision: "redact", groundId: "third-party-rights" },
    { decision: "redact", groundId: "third-party-rights" },
  ]);
  // Not counted: a round sent back, and a round approved the year before.
  await reviewRound("D", "returned", berlin("2025-05-10 10:00"), [
    { decision: "withhold", groundId: "public-security" },
  ]);
  await reviewRound("I", "approved", berlin("2024-12-30 10:00"), [
    { decision: "withhold", groundId: "secrecy" },
  ]);

  // A complaint is forwarded when a mail server accepted its mail ("complaint.sent"); one queued
  // ("complaint.forwarded") whose mail was refused for good forwarded nothing (ADR 0015).
  await auditEventAt("complaint.sent", berlin("2025-03-01 10:00"));
  await auditEventAt("complaint.sent", berlin("2025-12-31 23:30"));
  await auditEventAt("complaint.sent", berlin("2024-12-31 23:30"));
  await auditEventAt("complaint.forwarded", berlin("2025-07-01 10:00"));
  await auditEventAt("request.refused", berlin("2025-06-20 11:00"));
});
afterAll(() => database.close());

describe("figures from the database", () => {
  it("counts exactly the cases, decisions and events of the period", async () => {
    const figures = await loadFigures(database.db, yearPeriod(2025), now);
    const counts = (list: { key: string; count: number }[]) =>
      Object.fromEntries(list.filter((c) => c.count > 0).map((c) => [c.key, c.count]));
    expect(figures.received.total).toBe(9);
    expect(counts(figures.received.byKind)).toEqual({
      auskunft: 5,
      loeschung: 2,
      berichtigung: 1,
      widerspruch: 1,
      widerruf: 1,
    });
    expect(counts(figures.received.byChannel)).toEqual({ web: 4, email: 2, letter: 1, fax: 1, phone: 1 });
    // F was answered only in January 2026: open at the end of 2025, not among 2025's answers.
    expect(figures.timeToAnswer.answered).toBe(5);
    expect(figures.timeToAnswer.medianDays).toBe(30);
    expect(figures.timeToAnswer.p90Days).toBeCloseTo(70.4, 10);
    expect([figures.timeToAnswer.inTime, figures.timeToAnswer.late]).toEqual([4, 1]);
    expect(figures.extensions).toEqual({ extended: 1, received: 9 });
    expect(figures.refused).toBe(1);
    expect(figures.open.total).toBe(3);
    expect(counts(figures.open.byDeadline)).toEqual({ overdue: 1, "due-this-week": 1, later: 1 });
    expect(figures.restrictions.decisions).toBe(4);
    expect(figures.restrictions.cases).toBe(2);
    expect(figures.restrictions.byGround.filter((g) => g.total > 0)).toEqual([
      { groundId: "secrecy", withhold: 1, redact: 0, total: 1 },
      { groundId: "third-party-rights", withhold: 0, redact: 3, total: 3 },
    ]);
    expect(figures.complaintsForwarded).toBe(2);
  });

  it("takes open cases as of now for a period that has not ended", async () => {
    const figures = await loadFigures(database.db, { from: "2026-01-01", to: "2026-12-31" }, now);
    expect(figures.asOf).toEqual(now);
    // G and H (received 2025, still open) and J; all overdue by November 2026.
    expect(figures.open.total).toBe(3);
    expect(figures.open.byDeadline.find((b) => b.key === "overdue")?.count).toBe(3);
    expect(figures.received.total).toBe(1);
    expect(figures.timeToAnswer.answered).toBe(1);
  });
});

describe("register of requests as CSV", () => {
  async function csvOf2025() {
    return registerCsv(await loadRegisterRows(database.db, yearPeriod(2025)), "de");
  }

  it("is UTF-8 with BOM, semicolon-separated, CRLF, with RFC 4180 quotes, one row per case", async () => {
    const csv = await csvOf2025();
    const bytes = Buffer.from(csv, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.split("\r\n").length).toBe(11); // header, 9 cases, empty string after the last CRLF
    expect(csv.replace(/\r\n/g, "")).not.toMatch(/\n/);
    const rows = parse(csv, {
      bom: true,
      delimiter: REGISTER_CSV_DELIMITER,
      columns: true,
      relax_column_count: false,
    }) as Record<string, string>[];
    expect(rows.map((r) => r.Aktenzeichen)).toHaveLength(9);
    expect(Object.keys(rows[0]!)).toEqual([
      "Aktenzeichen",
      "Eingang",
      "Eingangskanal",
      "Anliegen",
      "Bestätigt am",
      "Status",
      "Frist",
      "Verlängert bis",
      "Beantwortet am",
      "Tage bis zur Antwort",
      "Einschränkungen",
      "Rechtsgründe der Einschränkungen",
      "Prüfung vorgeschlagen von",
      "Freigegeben von",
    ]);
    const a = rows.find((r) => r.Eingang === "2025-01-10")!;
    expect(a).toMatchObject({
      Eingangskanal: "Webformular",
      Anliegen: "Auskunft",
      Status: "beantwortet",
      Frist: "2025-02-10",
      "Beantwortet am": "2025-01-20",
      "Tage bis zur Antwort": "10",
      Einschränkungen: "2",
      "Rechtsgründe der Einschränkungen": "§ 21 Abs. 1 Nr. 2 ThürDSG, Art. 15 Abs. 4 DS-GVO",
      "Prüfung vorgeschlagen von": 'Jörg "Jo" Müller',
      // A display name that a spreadsheet would run as a formula is kept as text.
      "Freigegeben von": '\'=HYPERLINK("x")',
    });
    expect(rows.find((r) => r.Eingang === "2025-02-03")).toMatchObject({
      Anliegen: "Auskunft, Löschung",
      Eingangskanal: "E-Mail",
    });
    expect(rows.find((r) => r.Eingang === "2025-03-03")).toMatchObject({
      "Verlängert bis": "2025-06-03",
      Einschränkungen: "0",
      "Freigegeben von": "",
    });
    expect(rows.find((r) => r.Eingang === "2025-06-02")).toMatchObject({
      Status: "abgelehnt",
      "Beantwortet am": "",
    });
    expect(csv).toContain('"Jörg ""Jo"" Müller"');
  });

  it("survives LibreOffice Calc's CSV import and export unchanged", async (context) => {
    const found = await run("libreoffice", ["--version"]).catch(() => null);
    if (!found) {
      console.warn(
        "libreoffice is not installed: the spreadsheet import check is skipped (apt-get install libreoffice-calc-nogui)",
      );
      context.skip();
    }
    const dir = mkdtempSync(path.join(tmpdir(), "rp-register-"));
    try {
      const csv = await csvOf2025();
      writeFileSync(path.join(dir, "register.csv"), csv);
      // Import as a person would: UTF-8, semicolon — and comma ticked as well, which the quoting must
      // withstand — and export what Calc holds, each cell as shown. One start of LibreOffice does both
      // (a start costs ~4 s of CPU); a workbook in between would only carry the same cells.
      await run(
        "libreoffice",
        [
          `-env:UserInstallation=file://${path.join(dir, "profile")}`,
          "--headless",
          "--infilter=CSV:59/44,34,76,1",
          "--convert-to",
          "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,true,true",
          "--outdir",
          path.join(dir, "back"),
          path.join(dir, "register.csv"),
        ],
        { timeout: 90_000 },
      );
      const back = readFileSync(path.join(dir, "back", "register.csv"), "utf8");
      const original = parse(csv, { bom: true, delimiter: ";" }) as string[][];
      const roundTrip = parse(back, { bom: true, delimiter: ";" }) as string[][];
      expect(roundTrip).toEqual(original);
      expect(back).toContain("Löschung");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The text of a PDF as pdftotext lays it out, blanks collapsed; null without poppler-utils. */
function reportText(pdf: Buffer): string | null {
  return hasPdftotext ? pdfText(pdf, "layout").replace(/[ \t]+/g, " ") : null;
}

describe("annual report PDF", () => {
  it("holds the year's figures, chart titles and tables as text", async (context) => {
    const figures = await loadFigures(database.db, yearPeriod(2025), now);
    const pdf = await renderAnnualReport(figures, 2025, "de", now);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("/StructTreeRoot");
    const text = reportText(pdf);
    if (text === null) {
      console.warn(
        "pdftotext is not installed: the PDF text check is skipped (apt-get install poppler-utils)",
      );
      return context.skip();
    }
    for (const expected of [
      "Jahresbericht 2025",
      "Berichtszeitraum: 01.01.2025 bis 31.12.2025",
      "Bearbeitungsdauer (Median) 30 Tage",
      "Bearbeitungsdauer (90 % der Vorgänge höchstens) 70,4 Tage",
      "Fristverlängerungen 1 von 9",
      "Ablehnungen (Art. 12 Abs. 5 DS-GVO) 1",
      "An die Aufsichtsbehörde weitergeleitete Beschwerden 2",
      "Offene Vorgänge nach Frist",
      "Einschränkungen nach Rechtsgrund",
      "Art. 15 Abs. 4 DS-GVO 3",
      "§ 21 Abs. 1 Nr. 2 ThürDSG 1",
      "Webformular 4",
      "Seite 1 von",
    ]) {
      expect(text).toContain(expected);
    }
    // The restriction table: ground, withheld, redacted, total.
    expect(text).toMatch(/Rechte und Freiheiten anderer[^\n]* 0 3 3\n/);
  });

  it("is complete in English", async (context) => {
    const figures = await loadFigures(database.db, yearPeriod(2025), now);
    const text = reportText(await renderAnnualReport(figures, 2025, "en", now));
    if (text === null) return context.skip();
    expect(text).toContain("Annual report 2025");
    expect(text).toContain("Time to answer (median) 30 days");
    expect(text).toContain("Restrictions by legal ground");
  });
});
