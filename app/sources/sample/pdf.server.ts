/**
 * Small but valid PDF "scans" for the records-management sample and mail attachments. Fixed
 * creation date so the bytes are the same for the same seed. DejaVu is embedded where the system
 * has it (Polish letters need it); otherwise Helvetica with the text folded to Latin-1-safe ASCII.
 */
import { existsSync } from "node:fs";
import anyAscii from "any-ascii";
import PDFDocument from "pdfkit";

const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const hasFont = existsSync(FONT);

export function renderLetterPdf(lines: readonly string[], created: Date, title: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: title, Producer: "VISkompakt Scan", Creator: "Scanstation Poststelle", CreationDate: created } });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    if (hasFont) doc.font(FONT);
    doc.fontSize(11);
    for (const line of lines) doc.text(hasFont ? line : anyAscii(line));
    doc.end();
  });
}
