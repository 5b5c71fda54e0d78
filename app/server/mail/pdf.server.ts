import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

/**
 * A PDF with an embedded open font (DejaVu: covers German and the Latin letters of names such as
 * Łukasz or Dvořák), PDF/A-2b metadata and the document language set, for receipts and letters.
 */
const require = createRequire(import.meta.url);
const fontFiles = {
  regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
};

export type PdfFont = keyof typeof fontFiles;

/**
 * `creationDate` fixes the document's date and with it the trailer ID pdfkit derives from it, so the
 * same letter gives the same bytes; `bufferPages` keeps pages open for "page x of y" footers.
 */
export function createPdf({
  title,
  lang,
  author,
  creationDate,
  bufferPages = false,
}: {
  title: string;
  lang: string;
  author: string;
  creationDate?: Date;
  bufferPages?: boolean;
}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 56, bottom: 56, left: 64, right: 64 },
    lang,
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
    bufferPages,
    autoFirstPage: true,
  });
  for (const [name, file] of Object.entries(fontFiles)) doc.registerFont(name, file);
  doc.font("regular");
  return doc;
}

/** Ends the document and collects it. */
export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}
