/**
 * The annual report for the head of the data centre and the supervisory authority: the dashboard's
 * figures for one calendar year, each chart drawn as vector graphics and followed by its table.
 *
 * Written with the portal's PDF module (app/server/pdf): the letters' page frame (DIN 5008 margins,
 * letterhead, "Seite x von y"), tagged PDF/A; headings, paragraphs and tables are structure
 * elements, each chart a Figure with its values as alternative text.
 */
import { z } from "zod";
import type { Db } from "#db/client";
import { berlinDayOf } from "../core/berlin-date";
import { controller } from "../core/processing-activities";
import { type Lang, messagesFor } from "../i18n";
import { appendAuditEvent } from "./audit.server";
import { createPdf, finishPdf, type Pdf } from "./pdf/document.server";
import { contentWidth, ensureSpace, heading, letterhead, list, paragraph } from "./pdf/blocks.server";
import { type ChartSpec, figureCharts, keyFigureRows } from "./statistics/charts";
import type { Figures } from "./statistics/figures";
import { yearPeriod } from "./statistics/period";
import { loadFigures } from "./statistics/statistics.server";

const SIZE = { title: 18, heading: 13, body: 10, small: 8 };
const CHART = { barHeight: 11, gap: 5, labelShare: 0.42, color: "#1f5f8b", axis: "#666666" };

/** A table with a header row; pdfkit tags it Table/TR/TH/TD under the document's root. */
function table(pdf: Pdf, head: string[], rows: (string | number)[][], firstColumnShare: number): void {
  const { doc } = pdf;
  const left = doc.page.margins.left;
  doc.x = left;
  const width = contentWidth(doc);
  const rest = (width * (1 - firstColumnShare)) / Math.max(1, head.length - 1);
  ensureSpace(doc, 3 * (SIZE.body + 8));
  doc.font("regular").fontSize(SIZE.body).fillColor("black");
  const options = {
    position: { x: left, y: doc.y },
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
    structParent: pdf.root,
  };
  doc.table(options as PDFKit.Mixins.TableOptionsWithData);
  doc.x = left;
  doc.moveDown(0.8);
}

/** The largest size up to the normal small one at which a bar label fits its column on one line. */
function labelSize(doc: PDFKit.PDFDocument, label: string, width: number): number {
  let size = SIZE.small;
  while (size > 5 && doc.fontSize(size).widthOfString(label) > width) size -= 0.25;
  return size;
}

/** Horizontal bars with their labels and values; the whole drawing is one Figure with alt text. */
function barChart(pdf: Pdf, chart: ChartSpec, alt: string): void {
  const { doc } = pdf;
  const left = doc.page.margins.left;
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
        .text(bar.label, left, y + 1.5, { width: labelWidth - 6, align: "right", lineBreak: false });
      doc.fontSize(SIZE.small);
      const length = (bar.value / max) * barArea;
      if (length > 0) doc.rect(left + labelWidth, y, length, CHART.barHeight).fill(CHART.color);
      doc
        .fillColor("black")
        .text(String(bar.value), left + labelWidth + length + 4, y + 1.5, { lineBreak: false });
    });
    doc
      .lineWidth(0.75)
      .strokeColor(CHART.axis)
      .moveTo(left + labelWidth, top)
      .lineTo(left + labelWidth, top + height)
      .stroke();
  });
  pdf.root.add(figure);
  doc.x = left;
  doc.y = top + height + 8;
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
  const pdf = createPdf({
    title,
    lang,
    author: controller.name[lang],
    creationDate: createdAt,
    footer: { left: title },
    body: { size: SIZE.body, lineGap: 0 },
  });
  const { doc } = pdf;
  const a = controller.address;
  letterhead(
    pdf,
    [controller.name[lang], `${a.street}, ${a.postalCode} ${a.city} · ${controller.email}`],
    SIZE.body,
  );
  doc.moveDown(2);

  const h2 = { size: SIZE.heading, before: 0, after: 0.4 };
  heading(pdf, title, 1, { size: SIZE.title, before: 0, after: 0.4 });
  for (const line of [
    r.subtitle,
    r.period(figures.period.from, figures.period.to),
    r.asOf(figures.asOf),
    r.created(createdAt),
  ])
    paragraph(pdf, line, { after: 0 });
  doc.moveDown(1);

  heading(pdf, r.keyFigures, 2, h2);
  table(pdf, [d.keyFigures.figure, d.keyFigures.value], keyFigureRows(figures, lang), 0.7);

  for (const chart of figureCharts(figures, lang)) {
    ensureSpace(doc, 60 + chart.bars.length * (CHART.barHeight + CHART.gap));
    heading(pdf, chart.title, 2, h2);
    paragraph(pdf, chart.description, { after: 0.4 });
    barChart(pdf, chart, r.chartAlt(chart.title, chart.bars.map((b) => `${b.label} ${b.value}`).join("; ")));
    table(pdf, chart.table.head, chart.table.rows, chart.table.head.length > 2 ? 0.4 : 0.7);
  }

  ensureSpace(doc, 120);
  heading(pdf, d.notes.title, 2, h2);
  list(pdf, d.notes.items, { after: 0 });
  return finishPdf(pdf);
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
