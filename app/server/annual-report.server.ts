/**
 * The annual report for the head of the data centre and the supervisory authority: the dashboard's
 * figures for one calendar year, each chart drawn as vector graphics and followed by its table.
 *
 * The page follows the letters' frame (DIN 5008 margins, letterhead, "Seite x von y"); the access
 * letter's layout code in app/server/answers is private to it, so this module keeps its own small
 * copy of those measures. Tagged PDF/A through createPdf: headings, paragraphs and tables are
 * structure elements, each chart a Figure with its values as alternative text, the page numbers
 * artifacts.
 */
import { z } from "zod";
import type { Db } from "#db/client";
import { berlinDayOf } from "../core/berlin-date";
import { controller } from "../core/processing-activities";
import { type Lang, messagesFor } from "../i18n";
import { appendAuditEvent } from "./audit.server";
import { createPdf, pdfToBuffer } from "./mail/pdf.server";
import { type ChartSpec, figureCharts, keyFigureRows } from "./statistics/charts";
import type { Figures } from "./statistics/figures";
import { yearPeriod } from "./statistics/period";
import { loadFigures } from "./statistics/statistics.server";

const mm = (value: number) => (value * 72) / 25.4;
const PAGE = { left: mm(25), right: mm(20), top: mm(20), bottom: mm(25), footerY: mm(297 - 14) };
const SIZE = { title: 18, heading: 13, body: 10, small: 8 };
const CHART = { barHeight: 11, gap: 5, labelShare: 0.42, color: "#1f5f8b", axis: "#666666" };

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const contentWidth = (doc: Doc) => doc.page.width - PAGE.left - PAGE.right;

/** Starts a new page unless `height` points still fit on this one. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

function heading(doc: Doc, root: Struct, text: string, type: "H1" | "H2", size: number): void {
  doc.x = PAGE.left;
  doc
    .font("bold")
    .fontSize(size)
    .fillColor("black")
    .text(text, { width: contentWidth(doc), structParent: root, structType: type });
  doc.moveDown(0.4);
}

function paragraph(doc: Doc, root: Struct, text: string): void {
  doc.x = PAGE.left;
  doc
    .font("regular")
    .fontSize(SIZE.body)
    .fillColor("black")
    .text(text, { width: contentWidth(doc), structParent: root, structType: "P" });
}

/** A table with a header row; pdfkit tags it Table/TR/TH/TD under `root`. */
function table(
  doc: Doc,
  root: Struct,
  head: string[],
  rows: (string | number)[][],
  firstColumnShare: number,
): void {
  doc.x = PAGE.left;
  const width = contentWidth(doc);
  const rest = (width * (1 - firstColumnShare)) / Math.max(1, head.length - 1);
  ensureSpace(doc, 3 * (SIZE.body + 8));
  doc.font("regular").fontSize(SIZE.body).fillColor("black");
  const options = {
    position: { x: PAGE.left, y: doc.y },
    columnStyles: head.map((_, i) => (i === 0 ? width * firstColumnShare : rest)),
    defaultStyle: { border: 0.5, borderColor: "#999999", padding: 3 },
    data: [
      head.map((text, i) => ({
        text,
        type: "TH" as const,
        font: { src: "bold" },
        backgroundColor: "#eeeeee",
        align: { x: i === 0 ? ("left" as const) : ("right" as const) },
      })),
      ...rows.map((row) =>
        row.map((cell, i) => ({
          text: String(cell),
          type: (i === 0 ? "TH" : "TD") as "TH" | "TD",
          align: { x: i === 0 ? ("left" as const) : ("right" as const) },
        })),
      ),
    ],
    // Not in @types/pdfkit yet: pdfkit nests the table's structure under this element.
    structParent: root,
  };
  doc.table(options as PDFKit.Mixins.TableOptionsWithData);
  doc.x = PAGE.left;
  doc.moveDown(0.8);
}

/** The largest size up to the normal small one at which a bar label fits its column on one line. */
function labelSize(doc: Doc, label: string, width: number): number {
  let size = SIZE.small;
  while (size > 5 && doc.fontSize(size).widthOfString(label) > width) size -= 0.25;
  return size;
}

/** Horizontal bars with their labels and values; the whole drawing is one Figure with alt text. */
function barChart(doc: Doc, root: Struct, chart: ChartSpec, alt: string): void {
  const width = contentWidth(doc);
  const labelWidth = width * CHART.labelShare;
  const barArea = width - labelWidth - 40;
  const max = Math.max(1, ...chart.bars.map((b) => b.value));
  const height = chart.bars.length * (CHART.barHeight + CHART.gap) + CHART.gap;
  ensureSpace(doc, height + 20);
  const top = doc.y;
  const figure = doc.struct("Figure", { alt }, () => {
    doc.font("regular").fontSize(SIZE.small).fillColor("black");
    chart.bars.forEach((bar, i) => {
      const y = top + CHART.gap + i * (CHART.barHeight + CHART.gap);
      doc
        .fontSize(labelSize(doc, bar.label, labelWidth - 6))
        .fillColor("black")
        .text(bar.label, PAGE.left, y + 1.5, { width: labelWidth - 6, align: "right", lineBreak: false });
      doc.fontSize(SIZE.small);
      const length = (bar.value / max) * barArea;
      if (length > 0) doc.rect(PAGE.left + labelWidth, y, length, CHART.barHeight).fill(CHART.color);
      doc
        .fillColor("black")
        .text(String(bar.value), PAGE.left + labelWidth + length + 4, y + 1.5, { lineBreak: false });
    });
    doc
      .lineWidth(0.75)
      .strokeColor(CHART.axis)
      .moveTo(PAGE.left + labelWidth, top)
      .lineTo(PAGE.left + labelWidth, top + height)
      .stroke();
  });
  root.add(figure);
  doc.x = PAGE.left;
  doc.y = top + height + 8;
}

function pageNumbers(doc: Doc, lang: Lang, title: string): void {
  const r = messagesFor(lang).dashboard.report;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it while writing, or pdfkit would start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent("Artifact", { type: "Pagination" });
    doc.font("regular").fontSize(SIZE.small).fillColor("#444444");
    const half = contentWidth(doc) / 2;
    doc.text(title, PAGE.left, PAGE.footerY, { width: half, lineBreak: false });
    doc.text(r.page(i - start + 1, count), PAGE.left + half, PAGE.footerY, {
      width: half,
      align: "right",
      lineBreak: false,
    });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
}

/** The annual report of `year` as a PDF, from figures computed for that year. */
export async function renderAnnualReport(
  figures: Figures,
  year: number,
  lang: Lang,
  createdAt = new Date(),
): Promise<Buffer> {
  const d = messagesFor(lang).dashboard;
  const r = d.report;
  const title = r.title(year);
  // Page numbers need the page count, known only at the end: every page is kept until then.
  const doc = createPdf({
    title,
    lang: lang === "de" ? "de-DE" : "en-GB",
    author: controller.name[lang],
    creationDate: createdAt,
    bufferPages: true,
  });
  const margins = { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right };
  doc.options.margins = margins;
  doc.page.margins = { ...margins };
  const root = doc.struct("Document");
  doc.addStructure(root);

  doc.x = PAGE.left;
  doc.y = PAGE.top;
  doc
    .font("bold")
    .fontSize(SIZE.body)
    .text(controller.name[lang], { width: contentWidth(doc), structParent: root });
  const a = controller.address;
  doc
    .font("regular")
    .fontSize(SIZE.small)
    .text(`${a.street}, ${a.postalCode} ${a.city} · ${controller.email}`, {
      width: contentWidth(doc),
      structParent: root,
    });
  doc.moveDown(2);

  heading(doc, root, title, "H1", SIZE.title);
  paragraph(doc, root, r.subtitle);
  paragraph(doc, root, r.period(figures.period.from, figures.period.to));
  paragraph(doc, root, r.asOf(figures.asOf));
  paragraph(doc, root, r.created(createdAt));
  doc.moveDown(1);

  heading(doc, root, r.keyFigures, "H2", SIZE.heading);
  table(doc, root, [d.keyFigures.figure, d.keyFigures.value], keyFigureRows(figures, lang), 0.7);

  for (const chart of figureCharts(figures, lang)) {
    ensureSpace(doc, 60 + chart.bars.length * (CHART.barHeight + CHART.gap));
    heading(doc, root, chart.title, "H2", SIZE.heading);
    paragraph(doc, root, chart.description);
    doc.moveDown(0.4);
    barChart(
      doc,
      root,
      chart,
      r.chartAlt(chart.title, chart.bars.map((b) => `${b.label} ${b.value}`).join("; ")),
    );
    table(doc, root, chart.table.head, chart.table.rows, chart.table.head.length > 2 ? 0.4 : 0.7);
  }

  ensureSpace(doc, 120);
  heading(doc, root, d.notes.title, "H2", SIZE.heading);
  const list = doc.struct("L");
  root.add(list);
  doc
    .font("regular")
    .fontSize(SIZE.body)
    .list([...d.notes.items], {
      width: contentWidth(doc),
      bulletRadius: 1.6,
      textIndent: 10,
      bulletIndent: 4,
      structParent: list,
    });
  list.end();

  pageNumbers(doc, lang, title);
  root.end();
  return pdfToBuffer(doc);
}

/** The GDPR applies from May 2018: no earlier year has requests under it. */
const FIRST_REPORT_YEAR = 2018;

/** The year asked for in `jahr`, from 2018 (the GDPR) to the current one; the current one by default. */
export function parseReportYear(url: URL, now = new Date()): number | null {
  const current = Number(berlinDayOf(now).slice(0, 4));
  const raw = url.searchParams.get("jahr");
  if (raw === null || raw === "") return current;
  const parsed = z.coerce.number().int().min(FIRST_REPORT_YEAR).max(current).safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export function reportYears(now = new Date()): number[] {
  const current = Number(berlinDayOf(now).slice(0, 4));
  return Array.from({ length: current - FIRST_REPORT_YEAR + 1 }, (_, i) => current - i);
}

/** The annual report for a download; who took it is kept in the audit trail. */
export async function exportAnnualReport(
  db: Db,
  staffId: string,
  year: number,
  lang: Lang,
  now = new Date(),
): Promise<{ fileName: string; pdf: Buffer }> {
  const figures = await loadFigures(db, yearPeriod(year), now);
  const pdf = await renderAnnualReport(figures, year, lang, now);
  await appendAuditEvent(db, {
    actorType: "staff",
    actorId: staffId,
    action: "statistics.report-exported",
    data: { year },
  });
  return { fileName: messagesFor(lang).dashboard.report.fileName(year), pdf };
}
