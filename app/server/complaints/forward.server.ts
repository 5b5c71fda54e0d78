import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../db/client";
import { complaints, requestMessages, requests } from "../../../db/schema";
import { supervisoryAuthority } from "../../core/processing-activities";
import { type Lang, isLang, messagesFor } from "../../i18n";
import { appendAuditEvent } from "../audit.server";
import { endCaseIfDone } from "../cases/case-end.server";
import { type QueuedAttachment, queueMail } from "../mail/outbox.server";
import { type RateLimit, takeRateLimits } from "../rate-limit.server";
import { loadCaseFile } from "./case-file.server";
import { documentsWithinBudget, renderCaseDossier, renderComplaintLetter } from "./complaint-pdf.server";
import type { ComplaintFile } from "./complaint-form.server";

export interface ComplaintDeps {
  db: Db;
  /** Keys the rate-limit buckets. */
  secret: string;
  /** Base of the link in the person's confirmation. */
  publicUrl: string;
  /** The authority's mailbox (TLFDI_COMPLAINT_ADDRESS). */
  authorityAddress: string;
}

/** Everything attached to the authority's mail together; common relays refuse far larger messages. */
export const MAIL_ATTACHMENT_BUDGET_BYTES = 12 * 1024 * 1024;
/** A complaint per case is rare; many in an hour are a script or a slip of the finger. */
const complaintLimit: RateLimit = { name: "complaint-case", max: 5, windowMs: 60 * 60 * 1000 };
/** A second POST of the same complaint within this time (double click, reload) forwards nothing new. */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export type FileComplaintResult = { ok: true; complaintId: string; outboxIds: string[]; repeated: boolean } | { ok: false; reason: "unknown-case" | "rate-limited" };

/**
 * A complaint about a proven case, from its case page: stored, rendered and queued for the
 * authority, copied and confirmed to the person, audited — one transaction, so either all of it
 * happens or nothing, and the outbox retries the sending until a mail server accepts it.
 */
export async function fileComplaint(
  deps: ComplaintDeps,
  input: { requestId: string; text: string; attachCaseFile: boolean; files: ComplaintFile[] },
  now = new Date(),
): Promise<FileComplaintResult> {
  return deps.db.transaction(async (tx): Promise<FileComplaintResult> => {
    // The row lock serialises two POSTs of one case, so the repeat check below sees the first.
    const [request] = await tx.select({ id: requests.id, reference: requests.reference }).from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!request?.reference) return { ok: false, reason: "unknown-case" };
    const [earlier] = await tx
      .select({ id: complaints.id, attachCaseFile: complaints.attachCaseFile })
      .from(complaints)
      .where(and(eq(complaints.requestId, request.id), eq(complaints.text, input.text), gt(complaints.createdAt, new Date(now.getTime() - REPEAT_WINDOW_MS))))
      .orderBy(desc(complaints.createdAt))
      .limit(1);
    if (earlier && earlier.attachCaseFile === input.attachCaseFile) return { ok: true, complaintId: earlier.id, outboxIds: [], repeated: true };
    if (!(await takeRateLimits(tx, deps.secret, [{ limit: complaintLimit, subject: request.id }], now))) return { ok: false, reason: "rate-limited" };
    const [complaint] = await tx
      .insert(complaints)
      .values({ requestId: request.id, text: input.text, attachCaseFile: input.attachCaseFile })
      .returning();
    const outboxIds = await forwardComplaint(tx, deps, complaint!, input.files, now);
    return { ok: true, complaintId: complaint!.id, outboxIds, repeated: false };
  });
}

/**
 * A complaint made with the request form (/antrag/beschwerde): kept with the person's choice until
 * the address is proven; nothing goes to the authority for an unproven request.
 */
export async function recordPendingComplaint(tx: DbOrTx, input: { requestId: string; text: string; attachCaseFile: boolean }): Promise<void> {
  await tx.insert(complaints).values(input);
}

/** On proof: forwards what `recordPendingComplaint` kept, in the proof's transaction. */
export async function forwardPendingComplaints(tx: DbOrTx, deps: Omit<ComplaintDeps, "db" | "secret">, requestId: string, now = new Date()): Promise<string[]> {
  const pending = await tx
    .select()
    .from(complaints)
    .where(and(eq(complaints.requestId, requestId), isNull(complaints.outboxId)))
    .orderBy(complaints.createdAt);
  const outboxIds: string[] = [];
  for (const complaint of pending) outboxIds.push(...(await forwardComplaint(tx, deps, complaint, [], now)));
  return outboxIds;
}

async function forwardComplaint(
  tx: DbOrTx,
  deps: Pick<ComplaintDeps, "publicUrl" | "authorityAddress">,
  complaint: typeof complaints.$inferSelect,
  files: ComplaintFile[],
  now: Date,
): Promise<string[]> {
  const file = await loadCaseFile(tx, complaint.requestId);
  if (!file?.request.reference) throw new Error("a complaint is forwarded only for a proven case");
  const reference = file.request.reference;
  const de = messagesFor("de").complaints;

  const letter: QueuedAttachment = {
    fileName: de.letter.fileName(reference),
    contentType: "application/pdf",
    content: await renderComplaintLetter({ file, text: complaint.text, attachCaseFile: complaint.attachCaseFile, fileNames: files.map((f) => f.fileName), now }),
  };
  const dossier: QueuedAttachment[] = [];
  const caseDocuments: QueuedAttachment[] = [];
  if (complaint.attachCaseFile) {
    const ownBytes = files.reduce((sum, f) => sum + f.content.length, 0);
    const chosen = documentsWithinBudget(file, MAIL_ATTACHMENT_BUDGET_BYTES - ownBytes);
    dossier.push({ fileName: de.dossier.fileName(reference), contentType: "application/pdf", content: await renderCaseDossier(file, chosen, now) });
    file.documents.forEach((document, index) => {
      if (chosen.has(index)) caseDocuments.push({ fileName: document.fileName, contentType: document.contentType, content: document.content });
    });
  }
  const outboxId = await queueMail(tx, {
    requestId: file.request.id,
    to: deps.authorityAddress,
    subject: de.mail.authoritySubject(reference),
    text: de.mail.authorityText(reference, complaint.attachCaseFile),
    attachments: [letter, ...dossier, ...files, ...caseDocuments],
  });

  const lang: Lang = isLang(file.request.lang) ? file.request.lang : "de";
  const m = messagesFor(lang);
  const a = supervisoryAuthority;
  const copyText = m.complaints.mail.copyText({
    reference,
    authority: a.name[lang],
    address: `${a.address.street}, ${a.address.postalCode} ${a.address.city}`,
    date: m.journey.formatDateTime(now),
    text: complaint.text,
    caseFile: complaint.attachCaseFile,
    files: files.map((f) => f.fileName),
    link: `${deps.publicUrl}/vorgang/${reference}/beschwerde`,
  });
  // The person's copy carries what the authority reads about them; their own files they already have.
  const copyOutboxId = await queueMail(tx, {
    requestId: file.request.id,
    to: file.request.contactEmail,
    subject: m.complaints.mail.copySubject(reference),
    text: copyText,
    attachments: [letter, ...dossier],
  });
  await tx.insert(requestMessages).values({ requestId: file.request.id, direction: "to-person", body: copyText });
  // A person without e-mail gets the copy as a letter (ADR 0009): the id is then a print job's, not a mail's.
  const copyByPost = file.request.contactEmail.trim() === "";
  await tx.update(complaints).set({ outboxId, copyOutboxId: copyByPost ? null : copyOutboxId }).where(eq(complaints.id, complaint.id));
  await appendAuditEvent(tx, {
    requestId: file.request.id,
    actorType: "person",
    action: "complaint.forwarded",
    data: {
      complaintId: complaint.id,
      outboxId,
      copyOutboxId: copyByPost ? null : copyOutboxId,
      copyPrintJobId: copyByPost ? copyOutboxId : null,
      recipient: "supervisory-authority",
      attachCaseFile: complaint.attachCaseFile,
      personFiles: files.length,
      caseDocuments: caseDocuments.length,
    },
  });
  // A complaint request ends here: the supervisory authority answers it, not we (ADR 0015).
  await endCaseIfDone(tx, file.request.id, now);
  return [outboxId, copyOutboxId];
}
