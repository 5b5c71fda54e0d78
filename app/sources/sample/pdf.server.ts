/**
 * Small but valid PDF "scans" for the records-management sample and mail attachments. Fixed
 * creation date so the bytes are the same for the same seed. DejaVu comes from an npm package
 * (Polish letters need it), so every machine embeds the same font file.
 */
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

const FONT = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");

export function renderLetterPdf(lines: readonly string[], created: Date, title: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: title, Producer: "VISkompakt Scan", Creator: "Scanstation Poststelle", CreationDate: created } });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font(FONT);
    doc.fontSize(11);
    for (const line of lines) doc.text(line);
    doc.end();
  });
}
