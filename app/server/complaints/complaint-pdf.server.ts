import { controller, dataProtectionOfficer, supervisoryAuthority } from "#app/core/processing-activities";
import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import { messagesFor } from "#app/i18n";
import { kindLabels } from "../mail/receipt-pdf.server";
import { fact, heading, letterhead, list, paragraph } from "../pdf/blocks.server";
import { createPdf, finishPdf } from "../pdf/document.server";
import { type CaseFile, contactOf } from "./case-file.server";

// The authority works in German: the letter and the case file are German whatever the person reads.
const de = messagesFor("de");
const c = de.complaints;
const j = de.journey;

function eventLabel(action: string): string {
  return j.events[action] ?? c.events[action] ?? action;
}

function addressLine(contact: { address: { street: string; postalCode: string; city: string } }): string {
  return `${contact.address.street}, ${contact.address.postalCode} ${contact.address.city}`;
}

export interface LetterInput {
  file: CaseFile;
  text: string;
  attachCaseFile: boolean;
  fileNames: string[];
  now: Date;
  /** A complaint staff took in from a letter and forward on the person's behalf: how and when it came. */
  takenIn?: { channel: string; receivedOn: string } | null;
}

/** The complaint as a letter to the TLfDI: who complains, about which case, the text, and the history if allowed. */
export async function renderComplaintLetter(input: LetterInput): Promise<Buffer> {
  const { request } = input.file;
  const reference = request.reference ?? "";
  const l = c.letter;
  const pdf = createPdf({ title: `${l.title} ${reference}`, lang: "de", author: controller.name.de });

  letterhead(pdf, [`${l.from}: ${controller.name.de}`, `${addressLine(controller)}, ${controller.email}`]);
  pdf.doc.moveDown();
  paragraph(pdf, `${l.to}:\n${supervisoryAuthority.name.de}\n${addressLine(supervisoryAuthority)}`, {
    after: 1,
  });
  paragraph(pdf, `${l.date}: ${j.formatDate(input.now)}`, { align: "right", after: 1 });
  heading(pdf, l.title, 1, { before: 0, after: 0.5 });
  const takenIn = input.takenIn ?? null;
  paragraph(
    pdf,
    `${l.salutation}\n\n${takenIn ? l.introTakenIn(takenIn.channel, takenIn.receivedOn) : l.intro}`,
  );

  heading(pdf, l.personTitle, 2);
  const contact = contactOf(input.file);
  if (contact.name) fact(pdf, l.name, contact.name);
  // Only an address proven by code is "confirmed"; staff copied theirs from the letter.
  if (!takenIn) fact(pdf, l.email, contact.email);
  else if (contact.email) fact(pdf, l.emailGiven, contact.email);
  if (contact.postalAddress) fact(pdf, l.postalAddress, contact.postalAddress.replace(/\s*\n\s*/g, ", "));
  fact(pdf, l.reference, reference);
  if (input.attachCaseFile) {
    fact(pdf, l.kinds, kindLabels(request.kinds, "de"));
    if (request.receivedAt) fact(pdf, l.receivedAt, j.formatDate(request.receivedAt));
  }

  heading(pdf, l.complaintTitle, 2);
  if (takenIn) paragraph(pdf, l.textTakenIn);
  paragraph(pdf, input.text);

  heading(pdf, l.filesTitle, 2);
  if (input.fileNames.length === 0) paragraph(pdf, l.noFiles);
  else list(pdf, input.fileNames);

  heading(pdf, l.caseFileTitle, 2);
  paragraph(pdf, input.attachCaseFile ? l.caseFileGiven : l.caseFileWithheld);
  if (input.attachCaseFile) {
    heading(pdf, l.timelineTitle, 3);
    list(
      pdf,
      input.file.timeline.map((event) => `${j.formatDateTime(event.at)}: ${eventLabel(event.action)}`),
    );
  }

  heading(pdf, l.questions, 2, { size: 12 });
  paragraph(
    pdf,
    `${dataProtectionOfficer.name.de}, ${addressLine(dataProtectionOfficer)}, ${dataProtectionOfficer.email}, ${dataProtectionOfficer.phone}`,
    { after: 1.5 },
  );
  paragraph(pdf, l.closing);
  return finishPdf(pdf);
}

/** Which documents ride along as files; the rest are listed with a note (mail relays limit sizes). */
export function documentsWithinBudget(file: CaseFile, budgetBytes: number): Set<number> {
  const chosen = new Set<number>();
  let used = 0;
  file.documents.forEach((document, index) => {
    if (used + document.size <= budgetBytes) {
      chosen.add(index);
      used += document.size;
    }
  });
  return chosen;
}

function detailLines(details: unknown): string[] {
  if (typeof details !== "object" || details === null) return [];
  const lines: string[] = [];
  for (const [slug, fields] of Object.entries(details as Record<string, unknown>)) {
    const kind = requestKindBySlug[slug as RequestKindSlug];
    if (!kind || typeof fields !== "object" || fields === null) continue;
    for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
      if (typeof value !== "string") continue;
      const field = kind.extraFields.find((f) => f.name === name);
      const shown =
        field?.input === "choice" ? (field.options.find((o) => o.value === value)?.label.de ?? value) : value;
      lines.push(`${kind.label.de} – ${field?.label.de ?? name}: ${shown}`);
    }
  }
  return lines;
}

/** The case file for the authority, attached only with the person's consent. */
export async function renderCaseDossier(
  file: CaseFile,
  attachedDocuments: Set<number>,
  now: Date,
): Promise<Buffer> {
  const d = c.dossier;
  const { request } = file;
  const reference = request.reference ?? "";
  const pdf = createPdf({ title: d.title(reference), lang: "de", author: controller.name.de });
  heading(pdf, d.title(reference), 1, { before: 0, after: 0 });
  paragraph(pdf, d.made(j.formatDateTime(now)), { size: 10, after: 0 });

  heading(pdf, d.facts, 2);
  fact(pdf, c.letter.reference, reference);
  fact(pdf, c.letter.kinds, kindLabels(request.kinds, "de"));
  fact(pdf, d.status, j.status[request.status] ?? request.status);
  fact(pdf, d.channel, request.channel);
  fact(pdf, d.submittedAt, j.formatDateTime(request.submittedAt));
  if (request.receivedAt) fact(pdf, c.letter.receivedAt, j.formatDate(request.receivedAt));
  if (request.deadline) fact(pdf, d.deadline, j.formatDate(request.deadline));
  if (request.extendedDeadline) fact(pdf, d.extendedDeadline, j.formatDate(request.extendedDeadline));
  if (request.extensionReason) fact(pdf, d.extensionReason, request.extensionReason);
  if (request.answeredAt) fact(pdf, d.answeredAt, j.formatDate(request.answeredAt));
  if (request.closedAt) fact(pdf, d.closedAt, j.formatDate(request.closedAt));

  heading(pdf, d.details, 2);
  const details = detailLines(request.details);
  if (details.length === 0) paragraph(pdf, d.none);
  else list(pdf, details);

  heading(pdf, d.identifiers, 2);
  list(
    pdf,
    file.identifiers.map(
      (i) => `${c.identifierKinds[i.kind] ?? i.kind}: ${i.value} (${i.proven ? d.proven : d.unproven})`,
    ),
  );

  heading(pdf, c.letter.timelineTitle, 2);
  list(
    pdf,
    file.timeline.map((event) => `${j.formatDateTime(event.at)}: ${eventLabel(event.action)}`),
  );

  heading(pdf, d.messages, 2);
  if (file.messages.length === 0) paragraph(pdf, d.none);
  for (const message of file.messages) {
    heading(
      pdf,
      `${message.direction === "from-person" ? d.fromPerson : d.toPerson}, ${j.formatDateTime(message.at)}`,
      3,
      { size: 10, before: 0, after: 0 },
    );
    paragraph(pdf, message.body || "–");
  }

  heading(pdf, d.documents, 2);
  if (file.documents.length === 0) paragraph(pdf, d.none);
  else
    list(
      pdf,
      file.documents.map(
        (document, index) =>
          `${document.fileName} (${document.contentType}, ${Math.ceil(document.size / 1024)} KB, ${j.formatDateTime(document.at)}, SHA-256 ${document.sha256}): ${
            attachedDocuments.has(index) ? d.documentAttached : d.documentTooLarge
          }`,
      ),
    );
  return finishPdf(pdf);
}
