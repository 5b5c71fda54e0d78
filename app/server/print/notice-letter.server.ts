/**
 * A notice (extension, refusal, confirmation …) as a DIN 5008 letter (form B) for a person who wrote
 * by post: the same words as the mail, the postal address from the request in the address field of
 * a window envelope, the information block on the right, fold and hole marks, "Seite x von y".
 *
 * The layout follows app/server/answers/letter-pdf.server.ts, whose drawing functions are not
 * exported; once it exports a renderer of a `LetterContent`, `layOut` below gives way to it.
 */
import { controller, dataProtectionOfficer } from "../../core/processing-activities";
import type { LetterContent } from "../answers/letter-content";
import { messagesFor, type Lang } from "../../i18n";
import { createPdf, pdfToBuffer } from "../mail/pdf.server";

const mm = (value: number) => (value * 72) / 25.4;

/** DIN 5008 form B, in points from the top left corner of an A4 page (as letter-pdf.server.ts). */
const DIN = {
  left: mm(25),
  right: mm(20),
  followTop: mm(20),
  bottom: mm(25),
  letterheadTop: mm(12),
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

export interface NoticeLetterInput {
  lang: Lang;
  reference: string;
  /** The postal address as the person gave it, one line per line; the name, when known, above it. */
  name?: string;
  postalAddress: string;
  subject: string;
  /** The text of the mail: greeting, paragraphs and closing, separated by blank lines. */
  text: string;
  enclosures: string[];
  date: Date;
}

function noticeContent(input: NoticeLetterInput): LetterContent {
  const l = messagesFor(input.lang).print.letter;
  const formatDate = messagesFor(input.lang).journey.formatDate;
  const postBox = controller.postBox ?? controller.address;
  const shortName = controller.name[input.lang].replace(/\s*\([^)]*\)$/, "");
  const paragraphs = input.text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return {
    lang: input.lang,
    title: l.title(input.reference),
    senderLine: `${shortName} · ${postBox.street} · ${postBox.postalCode} ${postBox.city}`,
    letterhead: [controller.name[input.lang], `${controller.address.street}, ${controller.address.postalCode} ${controller.address.city}`, `${l.phone} ${controller.phone} · ${controller.email}`],
    addressLines: [...(input.name ? [input.name] : []), ...input.postalAddress.split(/\r?\n|,\s*(?=\d{5}\s)/).map((line) => line.trim()).filter(Boolean)],
    info: [
      [l.reference, input.reference],
      [l.date, formatDate(input.date)],
      [l.contact, l.contactName],
      [l.phone, dataProtectionOfficer.phone],
      [l.email, dataProtectionOfficer.email],
    ],
    subject: input.subject,
    salutation: "",
    body: [
      ...paragraphs.map((text) => ({ kind: "paragraph" as const, text })),
      ...(input.enclosures.length > 0 ? [{ kind: "label" as const, text: l.enclosures }, { kind: "list" as const, items: input.enclosures }] : []),
    ],
    closing: [l.machine],
  };
}

async function layOut(letter: LetterContent, reference: string, date: Date): Promise<Buffer> {
  const doc = createPdf({ title: letter.title, lang: letter.lang === "de" ? "de-DE" : "en-GB", author: letter.letterhead[0]!, creationDate: date, bufferPages: true });
  const margins = { top: DIN.followTop, bottom: DIN.bottom, left: DIN.left, right: DIN.right };
  doc.options.margins = margins;
  doc.page.margins = { ...margins };
  const width = doc.page.width - DIN.left - DIN.right;
  const root = doc.struct("Document");
  doc.addStructure(root);
  const artifact = (type: "Pagination" | "Layout", draw: () => void) => {
    doc.markContent("Artifact", { type });
    draw();
    doc.endMarkedContent();
  };

  const [name, ...details] = letter.letterhead;
  doc.font("bold").fontSize(12).text(name!, DIN.left, DIN.letterheadTop, { width, structParent: root });
  doc.font("regular").fontSize(8);
  for (const line of details) doc.text(line, { width, structParent: root });
  let size = 7;
  while (doc.fontSize(size).widthOfString(letter.senderLine) > DIN.addressWidth && size > 5) size -= 0.25;
  doc.text(letter.senderLine, DIN.left, DIN.returnAddressY, { width: DIN.addressWidth, lineBreak: false, structParent: root });
  doc.fontSize(10).text(letter.addressLines.join("\n"), DIN.left, DIN.addressY, { width: DIN.addressWidth, structParent: root });
  doc.y = DIN.infoY;
  for (const [label, value] of letter.info) {
    doc.font("regular").fontSize(7).fillColor("#444444").text(label, DIN.infoX, doc.y, { width: DIN.infoWidth, structParent: root });
    doc.font("regular").fontSize(8).fillColor("black").text(value, DIN.infoX, doc.y, { width: DIN.infoWidth, structParent: root });
    doc.moveDown(0.25);
  }
  artifact("Layout", () => {
    doc.lineWidth(0.5).strokeColor("#888888");
    for (const y of DIN.foldMarks) doc.moveTo(mm(3), y).lineTo(mm(8), y).stroke();
    doc.moveTo(mm(3), DIN.holeMark).lineTo(mm(10), DIN.holeMark).stroke();
  });
  doc.font("bold").fontSize(11).text(letter.subject, DIN.left, DIN.subjectY, { width, structParent: root, structType: "H1" });
  doc.moveDown(1.2);

  for (const b of letter.body) {
    doc.x = DIN.left;
    if (b.kind === "list") {
      const list = doc.struct("L");
      root.add(list);
      doc.font("regular").fontSize(10).list(b.items, { width, lineGap: 1.5, bulletRadius: 1.6, textIndent: 10, bulletIndent: 4, structParent: list });
      list.end();
      doc.moveDown(0.4);
    } else if (b.kind === "paragraph") {
      doc.font("regular").fontSize(10).text(b.text, { width, lineGap: 1.5, structParent: root, structType: "P" });
      doc.moveDown(0.4);
    } else {
      doc.moveDown(0.3);
      doc.font("bold").fontSize(10).text(b.text, { width, lineGap: 1.5, structParent: root, structType: "H2" });
    }
  }
  doc.moveDown(1);
  doc.x = DIN.left;
  doc.font("regular").fontSize(8).fillColor("#444444");
  for (const line of letter.closing) doc.text(line, { width, structParent: root });

  const page = messagesFor(letter.lang).print.letter.page;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact("Pagination", () => {
      doc.font("regular").fontSize(8).fillColor("#444444");
      doc.text(reference, DIN.left, DIN.footerY, { width: width / 2, lineBreak: false });
      doc.text(page(i - start + 1, count), DIN.left + width / 2, DIN.footerY, { width: width / 2, align: "right", lineBreak: false });
    });
    doc.page.margins.bottom = bottom;
  }
  return pdfToBuffer(doc);
}

/** The notice letter as a PDF, ready to print and post in a window envelope. */
export function renderNoticeLetter(input: NoticeLetterInput): Promise<Buffer> {
  return layOut(noticeContent(input), input.reference, input.date);
}
