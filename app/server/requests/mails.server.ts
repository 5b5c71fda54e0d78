import type { DbOrTx } from "#db/client";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { type Lang, messagesFor } from "#app/i18n";
import { queueMail } from "../mail/outbox.server";
import { kindLabels, renderReceiptPdf } from "../mail/receipt-pdf.server";

/** The texts of the journey's mails, queued in the caller's transaction; each returns the outbox id. */
function compose(lang: Lang, body: string, notYou = false): string {
  const m = messagesFor(lang).journey.mail;
  return [m.greeting, "", body, "", ...(notYou ? [m.notYou, ""] : []), m.closing, "", m.automatic].join("\n");
}

export function queueProofCodeMail(
  tx: DbOrTx,
  a: { requestId: string; to: string; lang: Lang; code: string; publicUrl: string },
) {
  const m = messagesFor(a.lang).journey.mail;
  const link = `${a.publicUrl}/bestaetigen?antrag=${a.requestId}`;
  return queueMail(tx, {
    requestId: a.requestId,
    to: a.to,
    subject: m.codeSubject,
    text: compose(a.lang, m.codeText(a.code, link), true),
  });
}

export function queueSignInCodeMail(
  tx: DbOrTx,
  a: { to: string; lang: Lang; code: string; publicUrl: string },
) {
  const m = messagesFor(a.lang).journey.mail;
  return queueMail(tx, {
    requestId: null,
    to: a.to,
    subject: m.signInSubject,
    text: compose(a.lang, m.signInText(a.code, `${a.publicUrl}/vorgang`)),
  });
}

export function queueIdentifierCodeMail(
  tx: DbOrTx,
  a: { requestId: string; reference: string; to: string; lang: Lang; code: string; publicUrl: string },
) {
  const m = messagesFor(a.lang).journey.mail;
  const link = `${a.publicUrl}/vorgang/${a.reference}`;
  return queueMail(tx, {
    requestId: a.requestId,
    to: a.to,
    subject: m.codeSubject,
    text: compose(a.lang, m.codeText(a.code, link)),
  });
}

export async function queueAcknowledgmentMail(
  tx: DbOrTx,
  a: {
    requestId: string;
    to: string;
    lang: Lang;
    reference: string;
    kinds: RequestKindSlug[];
    receivedAt: Date;
    deadline: Date;
    publicUrl: string;
  },
) {
  const j = messagesFor(a.lang).journey;
  const pdf = await renderReceiptPdf({
    lang: a.lang,
    reference: a.reference,
    kinds: a.kinds,
    receivedAt: a.receivedAt,
    deadline: a.deadline,
  });
  const text = j.mail.ackText(
    a.reference,
    kindLabels(a.kinds, a.lang),
    j.formatDate(a.receivedAt),
    j.formatDate(a.deadline),
    `${a.publicUrl}/vorgang/${a.reference}`,
  );
  return queueMail(tx, {
    requestId: a.requestId,
    to: a.to,
    subject: j.mail.ackSubject(a.reference),
    text: compose(a.lang, text),
    attachments: [
      { fileName: j.receipt.fileName(a.reference), contentType: "application/pdf", content: pdf },
    ],
  });
}

export function queueWithdrawnMail(
  tx: DbOrTx,
  a: { requestId: string; to: string; lang: Lang; reference: string },
) {
  const m = messagesFor(a.lang).journey.mail;
  return queueMail(tx, {
    requestId: a.requestId,
    to: a.to,
    subject: m.withdrawnSubject(a.reference),
    text: compose(a.lang, m.withdrawnText(a.reference)),
  });
}
