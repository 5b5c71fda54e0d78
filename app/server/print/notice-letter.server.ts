/**
 * A notice (extension, refusal, confirmation …) as a DIN 5008 letter (form B) for a person who wrote
 * by post: the same words as the mail, the postal address from the request in the address field of
 * a window envelope, the information block on the right, fold and hole marks, "Seite x von y".
 * Laid out by the access letter's renderer (app/server/answers/letter-pdf.server.ts).
 */
import { controller, dataProtectionOfficer } from "#app/core/processing-activities";
import type { LetterContent } from "../answers/letter-content";
import { messagesFor, type Lang } from "#app/i18n";
import { renderLetter } from "../answers/letter-pdf.server";

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
  const paragraphs = input.text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    lang: input.lang,
    title: l.title(input.reference),
    senderLine: `${shortName} · ${postBox.street} · ${postBox.postalCode} ${postBox.city}`,
    letterhead: [
      controller.name[input.lang],
      `${controller.address.street}, ${controller.address.postalCode} ${controller.address.city}`,
      `${l.phone} ${controller.phone} · ${controller.email}`,
    ],
    addressLines: [
      ...(input.name ? [input.name] : []),
      ...input.postalAddress
        .split(/\r?\n|,\s*(?=\d{5}\s)/)
        .map((line) => line.trim())
        .filter(Boolean),
    ],
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
      ...(input.enclosures.length > 0
        ? [
            { kind: "label" as const, text: l.enclosures },
            { kind: "list" as const, items: input.enclosures },
          ]
        : []),
    ],
    closing: [l.machine],
  };
}

/** The notice letter as a PDF, ready to print and post in a window envelope. */
export function renderNoticeLetter(input: NoticeLetterInput): Promise<Buffer> {
  return renderLetter(noticeContent(input), input.reference, input.date);
}
