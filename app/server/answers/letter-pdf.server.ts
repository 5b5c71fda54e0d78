/**
 * Lays the access letter out as a DIN 5008 letter (form B): return address and recipient in the
 * address field of a window envelope (DL/C5/C4), the information block on the right, subject,
 * body, fold and hole marks, "Seite x von y" on every page. Tagged: headings, paragraphs and lists
 * are structure elements; marks and page numbers are artifacts.
 */
import { createPdf, pdfToBuffer } from "../mail/pdf.server";
import { letterContent, type Block, type LetterContent, type LetterInput } from "./letter-content";
import { summarize, type CopySummary } from "./summary";
import { answerTexts } from "./texts";

const mm = (value: number) => (value * 72) / 25.4;

/** DIN 5008 form B, in points from the top left corner of an A4 page. */
const DIN = {
  left: mm(25),
  right: mm(20),
  followTop: mm(20),
  bottom: mm(25),
  letterheadTop: mm(12),
  /** Address field 45 mm from the top, 85 mm wide; its last 27.3 mm are the address zone proper. */
  returnAddressY: mm(57),
  addressY: mm(63),
  addressWidth: mm(80),
  infoX: mm(125),
  infoY: mm(50),
  infoWidth: mm(75),
  subjectY: mm(98.5),
  foldMarks: [mm(105), mm(210)],
  holeMark: mm(148.5),
  footerY: mm(297 - 14),
};

const SIZE = { body: 10, small: 8, tiny: 7, heading: 12, subheading: 11, subject: 11 };

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

function asArtifact(doc: Doc, type: "Pagination" | "Layout", draw: () => void): void {
  doc.markContent("Artifact", { type });
  draw();
  doc.endMarkedContent();
}

function contentWidth(doc: Doc): number {
  return doc.page.width - DIN.left - DIN.right;
}

/** Keeps a heading with at least a few lines of what follows it. */
function keepWithNext(doc: Doc, lines: number): void {
  if (doc.y + doc.currentLineHeight(true) * lines > doc.page.maxY()) doc.addPage();
}

function firstPage(doc: Doc, root: Struct, letter: LetterContent): void {
  const [name, ...details] = letter.letterhead;
  doc
    .font("bold")
    .fontSize(SIZE.heading)
    .text(name!, DIN.left, DIN.letterheadTop, { width: contentWidth(doc), structParent: root });
  doc.font("regular").fontSize(SIZE.small);
  for (const line of details) doc.text(line, { width: contentWidth(doc), structParent: root });

  let size = SIZE.tiny;
  while (doc.fontSize(size).widthOfString(letter.senderLine) > DIN.addressWidth && size > 5) size -= 0.25;
  doc.text(letter.senderLine, DIN.left, DIN.returnAddressY, {
    width: DIN.addressWidth,
    lineBreak: false,
    structParent: root,
  });
  doc.fontSize(SIZE.body).text(letter.addressLines.join("\n"), DIN.left, DIN.addressY, {
    width: DIN.addressWidth,
    structParent: root,
  });

  doc.y = DIN.infoY;
  for (const [label, value] of letter.info) {
    doc
      .font("regular")
      .fontSize(SIZE.tiny)
      .fillColor("#444444")
      .text(label, DIN.infoX, doc.y, { width: DIN.infoWidth, structParent: root });
    doc
      .font("regular")
      .fontSize(SIZE.small)
      .fillColor("black")
      .text(value, DIN.infoX, doc.y, { width: DIN.infoWidth, structParent: root });
    doc.moveDown(0.25);
  }

  asArtifact(doc, "Layout", () => {
    doc.lineWidth(0.5).strokeColor("#888888");
    for (const y of DIN.foldMarks) doc.moveTo(mm(3), y).lineTo(mm(8), y).stroke();
    doc.moveTo(mm(3), DIN.holeMark).lineTo(mm(10), DIN.holeMark).stroke();
  });

  doc
    .font("bold")
    .fontSize(SIZE.subject)
    .text(letter.subject, DIN.left, DIN.subjectY, {
      width: contentWidth(doc),
      structParent: root,
      structType: "H1",
    });
  doc.moveDown(1.2);
  doc
    .font("regular")
    .fontSize(SIZE.body)
    .text(letter.salutation, DIN.left, doc.y, { width: contentWidth(doc), structParent: root });
  doc.moveDown(0.6);
}

function block(doc: Doc, root: Struct, b: Block): void {
  const width = contentWidth(doc);
  const options = { width, lineGap: 1.5, structParent: root };
  doc.x = DIN.left;
  switch (b.kind) {
    case "heading":
      doc.moveDown(0.8);
      doc.font("bold").fontSize(SIZE.heading);
      keepWithNext(doc, 4);
      doc.text(b.text, { ...options, structType: "H2" });
      doc.moveDown(0.3);
      break;
    case "subheading":
      doc.moveDown(0.6);
      doc.font("bold").fontSize(SIZE.subheading);
      keepWithNext(doc, 4);
      doc.text(b.text, { ...options, structType: "H3" });
      doc.moveDown(0.2);
      break;
    case "label":
      doc.moveDown(0.3);
      doc.font("bold").fontSize(SIZE.body);
      keepWithNext(doc, 3);
      doc.text(b.text, { ...options, structType: "H4" });
      break;
    case "paragraph":
      doc
        .font("regular")
        .fontSize(SIZE.body)
        .text(b.text, { ...options, structType: "P" });
      doc.moveDown(0.4);
      break;
    case "list": {
      const list = doc.struct("L");
      root.add(list);
      doc.font("regular").fontSize(SIZE.body).list(b.items, {
        width,
        lineGap: 1.5,
        bulletRadius: 1.6,
        textIndent: 10,
        bulletIndent: 4,
        structParent: list,
      });
      list.end();
      doc.moveDown(0.4);
      break;
    }
  }
}

function pageNumbers(doc: Doc, letter: LetterContent, reference: string): void {
  const t = answerTexts(letter.lang).letter;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it while writing, or pdfkit would start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    asArtifact(doc, "Pagination", () => {
      doc.font("regular").fontSize(SIZE.small).fillColor("#444444");
      doc.text(reference, DIN.left, DIN.footerY, { width: contentWidth(doc) / 2, lineBreak: false });
      doc.text(t.page(i - start + 1, count), DIN.left + contentWidth(doc) / 2, DIN.footerY, {
        width: contentWidth(doc) / 2,
        align: "right",
        lineBreak: false,
      });
    });
    doc.page.margins.bottom = bottom;
  }
}

/** The access letter as a PDF; `summary` saves a pass over the findings when the caller has one. */
export async function renderAccessLetter(input: LetterInput, summary?: CopySummary): Promise<Buffer> {
  return renderLetter(
    letterContent(input, summary ?? (await summarize(input.released))),
    input.reference,
    input.answeredAt,
  );
}

/** Any letter of the portal as a tagged DIN 5008 PDF: the access letter, and notices sent by post. */
export function renderLetter(letter: LetterContent, reference: string, date: Date): Promise<Buffer> {
  // Page numbers need the page count, known only at the end: every page is kept until then.
  const doc = createPdf({
    title: letter.title,
    lang: letter.lang === "de" ? "de-DE" : "en-GB",
    author: letter.letterhead[0]!,
    creationDate: date,
    bufferPages: true,
  });
  const margins = { top: DIN.followTop, bottom: DIN.bottom, left: DIN.left, right: DIN.right };
  doc.options.margins = margins;
  doc.page.margins = { ...margins };

  const root = doc.struct("Document");
  doc.addStructure(root);
  firstPage(doc, root, letter);
  for (const b of letter.body) block(doc, root, b);
  doc.moveDown(1);
  doc.x = DIN.left;
  doc.font("regular").fontSize(SIZE.body);
  keepWithNext(doc, 4);
  for (const line of letter.closing) {
    doc.text(line, { width: contentWidth(doc), structParent: root });
    if (line === letter.closing[0]) doc.moveDown(0.6);
  }
  pageNumbers(doc, letter, reference);
  return pdfToBuffer(doc);
}
