/**
 * Every PDF the portal writes (letters, receipts, the complaint letter and case file, the TLfDI
 * record, the annual report) starts here, so that all of them are made the same way: A4 with the
 * DIN 5008 margins, the DejaVu fonts embedded (they cover German and the Latin letters of names such
 * as Łukasz or Dvořák), PDF/A-2b metadata, the title shown in the viewer, the document language,
 * and a structure tree under one Document element that the blocks in ./blocks.server.ts tag their
 * content into. What is not content (page numbers, fold marks) is drawn as an artifact.
 *
 * The metadata claim PDF/A-2b, not 2a, although every text is tagged: level a adds rules about the
 * structure itself, and no PDF/A validator (veraPDF) runs here to show that they hold; what the
 * tests read with poppler is in tests/integration/pdf-tagging.test.ts. The sample scans
 * (app/sources/sample/pdf.server.ts) stay outside this module on purpose: they imitate a scanner's
 * plain PDFs.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Font, create } from "fontkit";
import PDFDocument from "pdfkit";
import type { Lang } from "#app/i18n";

const require = createRequire(import.meta.url);
const fontFiles = {
  regular: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
  bold: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
};

/**
 * The document's own parsed copy of a font (pdfkit ≥ 0.20 takes a parsed fontkit font). Given a file
 * path, pdfkit read and parsed the file again for every table cell, because a table puts the cell's
 * font back by its source and a path is not the name the font was cached under: the annual report
 * spent seconds of CPU on that. Not one copy for all documents: fontkit keeps a glyph with the
 * characters it was first met with, and a glyph first met as part of another ("U" in "Ü") has none,
 * so a later document would lose that letter from its text layer.
 */
function parsedFont(file: Buffer): Font {
  const font = create(file);
  if (!("layout" in font)) throw new Error("a font collection, not a font");
  return font;
}

/** Millimetres in PDF points. */
export const mm = (value: number) => (value * 72) / 25.4;

/** The page frame of DIN 5008 (form B), in points from the top left corner of an A4 page. */
export const PAGE = {
  margins: { top: mm(20), bottom: mm(25), left: mm(25), right: mm(20) },
  /** The letterhead sits in the top margin of the first page. */
  letterheadTop: mm(12),
  footerY: mm(297 - 14),
};

/** Languages as the PDF's /Lang states them. */
const pdfLang: Record<Lang, string> = { de: "de-DE", en: "en-GB" };

export interface Pdf {
  doc: PDFKit.PDFDocument;
  /** The Document element every block of content is tagged under. */
  root: PDFKit.PDFStructureElement;
  /** The size and line gap of body text, the same for every block of the document. */
  body: { size: number; lineGap: number };
  footer: PdfFooter | null;
  lang: Lang;
}

/** The foot of every page: a line on the left (a reference, a title) and "Seite x von y" on the right. */
export interface PdfFooter {
  left: string;
}

/** "Seite x von y" in the document's language: every paged PDF says it the same way. */
const pageOfPages: Record<Lang, (page: number, pages: number) => string> = {
  de: (page, pages) => `Seite ${page} von ${pages}`,
  en: (page, pages) => `Page ${page} of ${pages}`,
};

/**
 * `creationDate` fixes the document's date and with it the trailer ID pdfkit derives from it, so the
 * same letter gives the same bytes. A footer keeps every page open until the end, because "page x
 * of y" needs the page count.
 */
export function createPdf({
  title,
  lang,
  author,
  creationDate,
  footer,
  body = { size: 11, lineGap: 0 },
}: {
  title: string;
  lang: Lang;
  author: string;
  creationDate?: Date;
  footer?: PdfFooter;
  body?: Pdf["body"];
}): Pdf {
  const doc = new PDFDocument({
    size: "A4",
    margins: PAGE.margins,
    lang: pdfLang[lang],
    displayTitle: true,
    tagged: true,
    subset: "PDF/A-2b",
    pdfVersion: "1.7",
    info: {
      Title: title,
      Author: author,
      Creator: "Rechteportal",
      ...(creationDate ? { CreationDate: creationDate } : {}),
    },
    bufferPages: footer !== undefined,
    autoFirstPage: true,
  });
  // @types/pdfkit does not know parsed fonts yet.
  for (const [name, file] of Object.entries(fontFiles)) {
    doc.registerFont(name, parsedFont(file) as unknown as Buffer);
  }
  doc.font("regular").fontSize(body.size);
  const root = doc.struct("Document");
  doc.addStructure(root);
  return { doc, root, body, footer: footer ?? null, lang };
}

/** Draws outside the structure tree: page numbers, fold and hole marks. */
export function asArtifact(doc: PDFKit.PDFDocument, type: "Pagination" | "Layout", draw: () => void): void {
  doc.markContent("Artifact", { type });
  draw();
  doc.endMarkedContent();
}

function drawFooters({ doc, footer, lang }: Pdf): void {
  if (!footer) return;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it while writing, or pdfkit would start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const left = doc.page.margins.left;
    const half = (doc.page.width - left - doc.page.margins.right) / 2;
    asArtifact(doc, "Pagination", () => {
      doc.font("regular").fontSize(8).fillColor("#444444");
      doc.text(footer.left, left, PAGE.footerY, { width: half, lineBreak: false });
      doc.text(pageOfPages[lang](i - start + 1, count), left + half, PAGE.footerY, {
        width: half,
        align: "right",
        lineBreak: false,
      });
    });
    doc.page.margins.bottom = bottom;
  }
}

/** Draws the page feet, closes the structure tree, ends the document and collects it. */
export function finishPdf(pdf: Pdf): Promise<Buffer> {
  drawFooters(pdf);
  pdf.root.end();
  const { doc } = pdf;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}
