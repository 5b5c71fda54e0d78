/**
 * Lays the access letter out as a DIN 5008 letter (form B): return address and recipient in the
 * address field of a window envelope (DL/C5/C4), the information block on the right, subject,
 * body, fold and hole marks, "Seite x von y" on every page. The page frame, fonts, tagging and
 * PDF/A come from the portal's PDF module (app/server/pdf).
 */
import { asArtifact, createPdf, finishPdf, mm, type Pdf } from "#app/server/pdf/document.server";
import { ensureSpace, heading, letterhead, list, paragraph } from "#app/server/pdf/blocks.server";
import { letterContent, type Block, type LetterContent, type LetterInput } from "./letter-content";
import { summarize, type CopySummary } from "./summary";

/** The address field and information block of DIN 5008 form B, in points from the top left corner. */
const DIN = {
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
};

const SIZE = { body: 10, small: 8, tiny: 7, heading: 12, subheading: 11, subject: 11 };

function firstPage(pdf: Pdf, letter: LetterContent): void {
  const { doc, root } = pdf;
  const left = doc.page.margins.left;
  letterhead(pdf, letter.letterhead, SIZE.heading);

  doc.font("regular");
  let size = SIZE.tiny;
  while (doc.fontSize(size).widthOfString(letter.senderLine) > DIN.addressWidth && size > 5) size -= 0.25;
  doc.text(letter.senderLine, left, DIN.returnAddressY, {
    width: DIN.addressWidth,
    lineBreak: false,
    structParent: root,
  });
  doc.fontSize(SIZE.body).text(letter.addressLines.join("\n"), left, DIN.addressY, {
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

  doc.x = left;
  doc.y = DIN.subjectY;
  heading(pdf, letter.subject, 1, { size: SIZE.subject, before: 0, after: 1.2 });
  // A notice by post has no salutation of its own: its text begins with the greeting.
  if (letter.salutation) paragraph(pdf, letter.salutation, { after: 0.6 });
  else doc.moveDown(0.6);
}

function block(pdf: Pdf, b: Block): void {
  switch (b.kind) {
    case "heading":
      heading(pdf, b.text, 2, { size: SIZE.heading });
      break;
    case "subheading":
      heading(pdf, b.text, 3, { size: SIZE.subheading, before: 0.6, after: 0.2 });
      break;
    case "label":
      heading(pdf, b.text, 4);
      break;
    case "paragraph":
      paragraph(pdf, b.text, { after: 0.4 });
      break;
    case "list":
      list(pdf, b.items);
      break;
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
  const pdf = createPdf({
    title: letter.title,
    lang: letter.lang,
    author: letter.letterhead[0]!,
    creationDate: date,
    footer: { left: reference },
    body: { size: SIZE.body, lineGap: 1.5 },
  });
  firstPage(pdf, letter);
  for (const b of letter.body) block(pdf, b);
  const { doc } = pdf;
  doc.moveDown(1);
  ensureSpace(doc, doc.currentLineHeight(true) * 4);
  const [first, ...rest] = letter.closing;
  if (first !== undefined) paragraph(pdf, first, { after: rest.length > 0 ? 0.6 : 0 });
  for (const line of rest) paragraph(pdf, line, { after: 0 });
  return finishPdf(pdf);
}
