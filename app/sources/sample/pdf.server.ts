/**
 * Small but valid PDF "scans" for the records-management sample and mail attachments. Fixed
 * creation date so the bytes are the same for the same seed. DejaVu comes from an npm package
 * (Polish letters need it), so every machine embeds the same font file.
 */
import anyAscii from "any-ascii";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

const FONT = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");

export function renderLetterPdf(lines: readonly string[], created: Date, title: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4",
      margin: 56,
      info: {
        Title: title,
        Producer: "VISkompakt Scan",
        Creator: "Scanstation Poststelle",
        CreationDate: created,
      },
    });
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

/**
 * The same letter as a plain one-page PDF written by hand with the standard Helvetica font: about a
 * thousand times faster than embedding DejaVu, for samples of a data centre's size (tens of
 * thousands of scans). Helvetica speaks WinAnsi only, so letters beyond Latin-1 are transliterated
 * in the scan; the metadata XML beside it keeps the name as written.
 */
export function renderPlainLetterPdf(lines: readonly string[], created: Date, title: string): Buffer {
  const text = (s: string) =>
    `(${[...s]
      .map((c) => (c.charCodeAt(0) <= 0xff && c.length === 1 ? c : anyAscii(c)))
      .join("")
      .replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const content = `BT /F1 11 Tf 56 785 Td 14 TL\n${lines.map((line) => `${text(line)} Tj T*`).join("\n")}\nET`;
  const date = `D:${created.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    `<< /Title ${text(title)} /Producer (VISkompakt Scan) /Creator (Scanstation Poststelle) /CreationDate (${date}) >>`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}
