import { controller, supervisoryAuthority } from "#app/core/processing-activities";
import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import { type Lang, messagesFor } from "#app/i18n";
import { createPdf, pdfToBuffer } from "./pdf.server";

export interface ReceiptInput {
  lang: Lang;
  reference: string;
  kinds: RequestKindSlug[];
  receivedAt: Date;
  deadline: Date;
}

export function kindLabels(kinds: readonly string[], lang: Lang): string {
  return kinds
    .map((slug) => {
      const kind = requestKindBySlug[slug as RequestKindSlug];
      return kind ? `${kind.label[lang]} (${lang === "de" ? kind.article : kind.articleEn})` : slug;
    })
    .join(", ");
}

/** The acknowledgment of receipt (Art. 12(3)): what arrived when, the deadline, next steps, rights. */
export async function renderReceiptPdf(input: ReceiptInput): Promise<Buffer> {
  const m = messagesFor(input.lang).journey;
  const r = m.receipt;
  const doc = createPdf({
    title: `${r.title} ${input.reference}`,
    lang: input.lang,
    author: controller.name[input.lang],
  });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font("bold").fontSize(9).text(controller.name[input.lang]);
  doc
    .font("regular")
    .text(`${controller.address.street}, ${controller.address.postalCode} ${controller.address.city}`);
  doc.moveDown(2);
  doc.font("bold").fontSize(18).text(r.title);
  doc.moveDown(0.5);
  doc.font("regular").fontSize(11).text(r.intro, { width });
  doc.moveDown();

  const facts: [string, string][] = [
    [r.reference, input.reference],
    [r.kinds, kindLabels(input.kinds, input.lang)],
    [r.receivedAt, m.formatDate(input.receivedAt)],
    [r.deadline, m.formatDate(input.deadline)],
  ];
  for (const [label, value] of facts) {
    doc.font("bold").text(`${label}: `, { continued: true }).font("regular").text(value, { width });
  }
  doc.moveDown();
  doc.text(r.deadlineNote, { width });

  doc.moveDown();
  doc.font("bold").fontSize(13).text(r.nextTitle);
  doc
    .font("regular")
    .fontSize(11)
    .list([...r.next], { width, bulletRadius: 2, textIndent: 12 });

  doc.moveDown();
  doc.font("bold").fontSize(13).text(r.rightsTitle);
  doc.font("regular").fontSize(11).text(r.rights, { width });
  doc.moveDown(0.5);
  const a = supervisoryAuthority.address;
  doc.text(
    r.complaint(
      supervisoryAuthority.name[input.lang],
      `${a.street}, ${a.postalCode} ${a.city}, ${supervisoryAuthority.email}`,
    ),
    { width },
  );

  doc.moveDown(2);
  doc
    .fontSize(9)
    .fillColor("#444444")
    .text(`${r.controller}: ${controller.name[input.lang]}, ${controller.email}, ${controller.phone}`, {
      width,
    });
  return pdfToBuffer(doc);
}
