/**
 * The blocks the portal's PDFs are written in. Each one tags what it draws under the document's
 * root: headings as H1–H4, paragraphs and "label: value" lines as P, lists as L with LI/Lbl/LBody,
 * so a screen reader reads every PDF the same way and nothing is left outside the structure tree.
 */
import { PAGE, type Pdf } from "./document.server";

type Doc = PDFKit.PDFDocument;

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Starts a new page unless `height` points still fit on this one. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

/** Tags what `draw` puts on the page as one element of `type` under the root. */
function tagged(pdf: Pdf, type: string, draw: () => void): void {
  pdf.root.add(pdf.doc.struct(type, {}, draw));
}

/** The sender's name in bold and the lines below it small, in the top margin of the first page. */
export function letterhead(pdf: Pdf, [name, ...details]: readonly string[], nameSize = 12): void {
  const { doc } = pdf;
  const width = contentWidth(doc);
  doc.x = doc.page.margins.left;
  doc.y = PAGE.letterheadTop;
  if (name !== undefined)
    tagged(pdf, "P", () => doc.font("bold").fontSize(nameSize).fillColor("black").text(name, { width }));
  doc.font("regular").fontSize(8);
  for (const line of details) tagged(pdf, "P", () => doc.text(line, { width }));
}

const headingSize = { 1: 16, 2: 13, 3: 12 } as const;

/**
 * A heading of `level`, kept with the first lines of what follows it. Space before and after it in
 * lines of the heading's size.
 */
export function heading(
  pdf: Pdf,
  text: string,
  level: 1 | 2 | 3 | 4,
  {
    size = level === 4 ? pdf.body.size : headingSize[level],
    before = level === 4 ? 0.3 : 0.8,
    after = level === 4 ? 0 : 0.3,
  }: { size?: number; before?: number; after?: number } = {},
): void {
  const { doc } = pdf;
  doc.x = doc.page.margins.left;
  doc.font("bold").fontSize(size).fillColor("black");
  doc.moveDown(before);
  ensureSpace(doc, doc.currentLineHeight(true) * (level === 4 ? 3 : 4));
  tagged(pdf, `H${level}`, () => doc.text(text, { width: contentWidth(doc), lineGap: pdf.body.lineGap }));
  doc.moveDown(after);
}

/** A paragraph of body text; blank lines inside it stay blank lines of the same paragraph. */
export function paragraph(
  pdf: Pdf,
  text: string,
  {
    after = 0.5,
    size = pdf.body.size,
    color = "black",
    align,
  }: { after?: number; size?: number; color?: string; align?: "left" | "right" } = {},
): void {
  const { doc } = pdf;
  doc.x = doc.page.margins.left;
  doc.font("regular").fontSize(size).fillColor(color);
  tagged(pdf, "P", () => doc.text(text, { width: contentWidth(doc), lineGap: pdf.body.lineGap, align }));
  doc.moveDown(after);
}

/** "Label: value" on one line, the label bold. */
export function fact(pdf: Pdf, label: string, value: string): void {
  const { doc } = pdf;
  const width = contentWidth(doc);
  doc.x = doc.page.margins.left;
  doc.fontSize(pdf.body.size).fillColor("black");
  tagged(pdf, "P", () =>
    doc
      .font("bold")
      .text(`${label}: `, { continued: true, width, lineGap: pdf.body.lineGap })
      .font("regular")
      .text(value, { width, lineGap: pdf.body.lineGap }),
  );
}

/** A bulleted list; nothing at all for no items. */
export function list(pdf: Pdf, items: readonly string[], { after = 0.4 }: { after?: number } = {}): void {
  if (items.length === 0) return;
  const { doc } = pdf;
  doc.x = doc.page.margins.left;
  const element = doc.struct("L");
  pdf.root.add(element);
  doc
    .font("regular")
    .fontSize(pdf.body.size)
    .fillColor("black")
    .list([...items], {
      width: contentWidth(doc),
      lineGap: pdf.body.lineGap,
      bulletRadius: 1.6,
      textIndent: 10,
      bulletIndent: 4,
      structParent: element,
    });
  element.end();
  doc.moveDown(after);
}
