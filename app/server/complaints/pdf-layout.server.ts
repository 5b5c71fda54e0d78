/** Small building blocks shared by the letters of this folder, on top of the portal's PDF setup. */
export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function heading(doc: PDFKit.PDFDocument, text: string, size = 13): void {
  doc.moveDown(0.8);
  doc
    .font("bold")
    .fontSize(size)
    .text(text, { width: contentWidth(doc) });
  doc.font("regular").fontSize(11).moveDown(0.3);
}

export function fact(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc
    .font("bold")
    .fontSize(11)
    .text(`${label}: `, { continued: true, width: contentWidth(doc) })
    .font("regular")
    .text(value, { width: contentWidth(doc) });
}

export function paragraph(doc: PDFKit.PDFDocument, text: string): void {
  doc
    .font("regular")
    .fontSize(11)
    .text(text, { width: contentWidth(doc) });
  doc.moveDown(0.5);
}

export function bulletList(doc: PDFKit.PDFDocument, items: string[]): void {
  if (items.length === 0) return;
  doc
    .font("regular")
    .fontSize(11)
    .list(items, { width: contentWidth(doc), bulletRadius: 2, textIndent: 12 });
}
