import { controller, supervisoryAuthority } from "#app/core/processing-activities";
import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import { type Lang, messagesFor } from "#app/i18n";
import { createPdf, finishPdf } from "../pdf/document.server";
import { fact, heading, letterhead, list, paragraph } from "../pdf/blocks.server";

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
  const pdf = createPdf({
    title: `${r.title} ${input.reference}`,
    lang: input.lang,
    author: controller.name[input.lang],
  });
  const c = controller.address;
  letterhead(pdf, [controller.name[input.lang], `${c.street}, ${c.postalCode} ${c.city}`]);
  pdf.doc.moveDown(2);
  heading(pdf, r.title, 1, { size: 18, before: 0, after: 0.5 });
  paragraph(pdf, r.intro, { after: 1 });

  fact(pdf, r.reference, input.reference);
  fact(pdf, r.kinds, kindLabels(input.kinds, input.lang));
  fact(pdf, r.receivedAt, m.formatDate(input.receivedAt));
  fact(pdf, r.deadline, m.formatDate(input.deadline));
  pdf.doc.moveDown();
  paragraph(pdf, r.deadlineNote);

  heading(pdf, r.nextTitle, 2);
  list(pdf, r.next);

  heading(pdf, r.rightsTitle, 2);
  paragraph(pdf, r.rights);
  const a = supervisoryAuthority.address;
  paragraph(
    pdf,
    r.complaint(
      supervisoryAuthority.name[input.lang],
      `${a.street}, ${a.postalCode} ${a.city}, ${supervisoryAuthority.email}`,
    ),
    { after: 2 },
  );
  paragraph(
    pdf,
    `${r.controller}: ${controller.name[input.lang]}, ${controller.email}, ${controller.phone}`,
    {
      size: 9,
      color: "#444444",
    },
  );
  return finishPdf(pdf);
}
