import { controller, dataProtectionOfficer, supervisoryAuthority } from "#app/core/processing-activities";
import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import { messagesFor } from "#app/i18n";
import { createPdf, pdfToBuffer } from "../mail/pdf.server";
import { kindLabels } from "../mail/receipt-pdf.server";
import { type CaseFile, contactOf } from "./case-file.server";
import { bulletList, fact, heading, paragraph } from "./pdf-layout.server";

// The authority works in German: the letter and the case file are German whatever the person reads.
const de = messagesFor("de");
const c = de.complaints;
const j = de.journey;

export function eventLabel(action: string): string {
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
  const doc = createPdf({ title: `${l.title} ${reference}`, lang: "de", author: controller.name.de });

  doc.font("bold").fontSize(9).text(`${l.from}: ${controller.name.de}`);
  doc.font("regular").text(`${addressLine(controller)}, ${controller.email}`);
  doc.moveDown();
  doc.fontSize(11).text(`${l.to}:`);
  doc.text(supervisoryAuthority.name.de);
  doc.text(addressLine(supervisoryAuthority));
  doc.moveDown();
  doc.text(`${l.date}: ${j.formatDate(input.now)}`, { align: "right" });
  doc.moveDown();
  doc.font("bold").fontSize(16).text(l.title);
  doc.moveDown(0.5);
  const takenIn = input.takenIn ?? null;
  paragraph(
    doc,
    `${l.salutation}\n\n${takenIn ? l.introTakenIn(takenIn.channel, takenIn.receivedOn) : l.intro}`,
  );

  heading(doc, l.personTitle);
  const contact = contactOf(input.file);
  if (contact.name) fact(doc, l.name, contact.name);
  // Only an address proven by code is "confirmed"; staff copied theirs from the letter.
  if (!takenIn) fact(doc, l.email, contact.email);
  else if (contact.email) fact(doc, l.emailGiven, contact.email);
  if (contact.postalAddress) fact(doc, l.postalAddress, contact.postalAddress.replace(/\s*\n\s*/g, ", "));
  fact(doc, l.reference, reference);
  if (input.attachCaseFile) {
    fact(doc, l.kinds, kindLabels(request.kinds, "de"));
    if (request.receivedAt) fact(doc, l.receivedAt, j.formatDate(request.receivedAt));
  }

  heading(doc, l.complaintTitle);
  if (takenIn) paragraph(doc, l.textTakenIn);
  paragraph(doc, input.text);

  heading(doc, l.filesTitle);
  if (input.fileNames.length === 0) paragraph(doc, l.noFiles);
  else bulletList(doc, input.fileNames);

  heading(doc, l.caseFileTitle);
  paragraph(doc, input.attachCaseFile ? l.caseFileGiven : l.caseFileWithheld);
  if (input.attachCaseFile) {
    heading(doc, l.timelineTitle, 12);
    bulletList(
      doc,
      input.file.timeline.map((event) => `${j.formatDateTime(event.at)}: ${eventLabel(event.action)}`),
    );
  }

  heading(doc, l.questions, 12);
  paragraph(
    doc,
    `${dataProtectionOfficer.name.de}, ${addressLine(dataProtectionOfficer)}, ${dataProtectionOfficer.email}, ${dataProtectionOfficer.phone}`,
  );
  doc.moveDown();
  paragraph(doc, l.closing);
  return pdfToBuffer(doc);
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
  const doc = createPdf({ title: d.title(reference), lang: "de", author: controller.name.de });
  doc.font("bold").fontSize(16).text(d.title(reference));
  doc
    .font("regular")
    .fontSize(10)
    .text(d.made(j.formatDateTime(now)));

  heading(doc, d.facts);
  fact(doc, c.letter.reference, reference);
  fact(doc, c.letter.kinds, kindLabels(request.kinds, "de"));
  fact(doc, d.status, j.status[request.status] ?? request.status);
  fact(doc, d.channel, request.channel);
  fact(doc, d.submittedAt, j.formatDateTime(request.submittedAt));
  if (request.receivedAt) fact(doc, c.letter.receivedAt, j.formatDate(request.receivedAt));
  if (request.deadline) fact(doc, d.deadline, j.formatDate(request.deadline));
  if (request.extendedDeadline) fact(doc, d.extendedDeadline, j.formatDate(request.extendedDeadline));
  if (request.extensionReason) fact(doc, d.extensionReason, request.extensionReason);
  if (request.answeredAt) fact(doc, d.answeredAt, j.formatDate(request.answeredAt));
  if (request.closedAt) fact(doc, d.closedAt, j.formatDate(request.closedAt));

  heading(doc, d.details);
  const details = detailLines(request.details);
  if (details.length === 0) paragraph(doc, d.none);
  else bulletList(doc, details);

  heading(doc, d.identifiers);
  bulletList(
    doc,
    file.identifiers.map(
      (i) => `${c.identifierKinds[i.kind] ?? i.kind}: ${i.value} (${i.proven ? d.proven : d.unproven})`,
    ),
  );

  heading(doc, c.letter.timelineTitle);
  bulletList(
    doc,
    file.timeline.map((event) => `${j.formatDateTime(event.at)}: ${eventLabel(event.action)}`),
  );

  heading(doc, d.messages);
  if (file.messages.length === 0) paragraph(doc, d.none);
  for (const message of file.messages) {
    doc
      .font("bold")
      .fontSize(10)
      .text(
        `${message.direction === "from-person" ? d.fromPerson : d.toPerson}, ${j.formatDateTime(message.at)}`,
      );
    paragraph(doc, message.body || "–");
  }

  heading(doc, d.documents);
  if (file.documents.length === 0) paragraph(doc, d.none);
  else
    bulletList(
      doc,
      file.documents.map(
        (document, index) =>
          `${document.fileName} (${document.contentType}, ${Math.ceil(document.size / 1024)} KB, ${j.formatDateTime(document.at)}, SHA-256 ${document.sha256}): ${
            attachedDocuments.has(index) ? d.documentAttached : d.documentTooLarge
          }`,
      ),
    );
  return pdfToBuffer(doc);
}
