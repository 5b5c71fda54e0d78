import { and, asc, desc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { attachments, complaints, mailOutbox, requestMessages, requests } from "#db/schema";
import { isFinalStatus } from "#app/core/case-status";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { type Lang, messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import type { Config } from "../config.server";
import { DocumentFileError, type DocumentsConfig, readDocument } from "../document-files.server";
import { log } from "../log.server";
import { type QueuedAttachment, queueMail } from "../mail/outbox.server";
import { type RateLimit, takeRateLimits } from "../rate-limit.server";
import type { Services } from "../services.server";
import { loadCaseFile } from "./case-file.server";
import { documentsWithinBudget, renderCaseDossier, renderComplaintLetter } from "./complaint-pdf.server";
import type { ComplaintFile } from "./complaint-form.server";
import { type DocumentType, sniffDocumentType } from "../requests/documents.server";

/**
 * Where the authority's mail goes, the base of the link in the person's confirmation (ADR 0018), and
 * the folder of the case's documents that the case file sends along.
 */
type ComplaintAddresses = Pick<Config, "publicUrl" | "complaintAddress"> & DocumentsConfig;

/** Everything attached to the authority's mail together; common relays refuse far larger messages. */
const MAIL_ATTACHMENT_BUDGET_BYTES = 12 * 1024 * 1024;
/** A complaint per case is rare; many in an hour are a script or a slip of the finger. */
const complaintLimit: RateLimit = { name: "complaint-case", max: 5, windowMs: 60 * 60 * 1000 };
/** A second POST of the same complaint within this time (double click, reload) forwards nothing new. */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export type FileComplaintResult =
  | { ok: true; complaintId: string; outboxIds: string[]; repeated: boolean }
  | { ok: false; reason: "unknown-case" | "rate-limited" | "document-unreadable" };

/**
 * A document the forwarding must send whose file is missing or damaged: nothing is forwarded (the
 * transaction is rolled back), the operator reads which file in the log, the page says why.
 */
async function refusedIfUnreadable<T>(
  requestId: string,
  forward: () => Promise<T>,
): Promise<T | { ok: false; reason: "document-unreadable" }> {
  try {
    return await forward();
  } catch (error) {
    if (!(error instanceof DocumentFileError)) throw error;
    log.error(
      { requestId, sha256: error.sha256, problem: error.problem },
      "complaints: a document to forward cannot be read",
    );
    return { ok: false, reason: "document-unreadable" };
  }
}

/**
 * A complaint about a proven case, from its case page: stored, rendered and queued for the
 * authority, copied and confirmed to the person, audited — one transaction, so either all of it
 * happens or nothing, and the outbox retries the sending until a mail server accepts it.
 */
export async function fileComplaint(
  { db, config }: Pick<Services, "db" | "config">,
  input: { requestId: string; text: string; attachCaseFile: boolean; files: ComplaintFile[] },
  now = new Date(),
): Promise<FileComplaintResult> {
  return refusedIfUnreadable(input.requestId, () => fileComplaintOnce({ db, config }, input, now));
}

async function fileComplaintOnce(
  { db, config }: Pick<Services, "db" | "config">,
  input: { requestId: string; text: string; attachCaseFile: boolean; files: ComplaintFile[] },
  now: Date,
): Promise<FileComplaintResult> {
  return db.transaction(async (tx): Promise<FileComplaintResult> => {
    // The row lock serialises two POSTs of one case, so the repeat check below sees the first.
    const [request] = await tx
      .select({ id: requests.id, reference: requests.reference })
      .from(requests)
      .where(eq(requests.id, input.requestId))
      .for("update");
    if (!request?.reference) return { ok: false, reason: "unknown-case" };
    const [earlier] = await tx
      .select({ id: complaints.id, attachCaseFile: complaints.attachCaseFile })
      .from(complaints)
      .where(
        and(
          eq(complaints.requestId, request.id),
          eq(complaints.text, input.text),
          gt(complaints.createdAt, new Date(now.getTime() - REPEAT_WINDOW_MS)),
        ),
      )
      .orderBy(desc(complaints.createdAt))
      .limit(1);
    if (earlier && earlier.attachCaseFile === input.attachCaseFile)
      return { ok: true, complaintId: earlier.id, outboxIds: [], repeated: true };
    if (
      !(await takeRateLimits(tx, config.sessionSecret, [{ limit: complaintLimit, subject: request.id }], now))
    )
      return { ok: false, reason: "rate-limited" };
    const [complaint] = await tx
      .insert(complaints)
      .values({ requestId: request.id, text: input.text, attachCaseFile: input.attachCaseFile })
      .returning();
    const outboxIds = await forwardComplaint(tx, config, complaint!, input.files, now, { type: "person" });
    return { ok: true, complaintId: complaint!.id, outboxIds, repeated: false };
  });
}

/**
 * A complaint made with the request form (/antrag/beschwerde): kept with the person's choice until
 * the address is proven; nothing goes to the authority for an unproven request.
 */
export async function recordPendingComplaint(
  tx: DbOrTx,
  input: { requestId: string; text: string; attachCaseFile: boolean },
): Promise<void> {
  await tx.insert(complaints).values(input);
}

/** On proof: forwards what `recordPendingComplaint` kept, in the proof's transaction. */
export async function forwardPendingComplaints(
  tx: DbOrTx,
  config: ComplaintAddresses,
  requestId: string,
  now = new Date(),
): Promise<string[]> {
  const pending = await tx
    .select()
    .from(complaints)
    .where(and(eq(complaints.requestId, requestId), isNull(complaints.outboxId)))
    .orderBy(complaints.createdAt);
  const outboxIds: string[] = [];
  for (const complaint of pending)
    outboxIds.push(...(await forwardComplaint(tx, config, complaint, [], now, { type: "person" })));
  return outboxIds;
}

export type TakenInComplaintState =
  | { state: "open"; note: string; enclosures: { fileName: string; size: number }[] }
  | { state: "forwarded" }
  | { state: "not-applicable" };

/**
 * A complaint that staff took in from a letter (kind "beschwerde" at intake, ADR 0009/0015): open to
 * forward while the case is not ended and nothing was forwarded for it yet. The intake's note is
 * offered as the complaint's text, the documents of the case (the scanned letter) as its enclosures.
 */
export async function takenInComplaintState(db: DbOrTx, requestId: string): Promise<TakenInComplaintState> {
  const [request] = await db
    .select({
      kinds: requests.kinds,
      status: requests.status,
      createdByStaffId: requests.createdByStaffId,
      details: requests.details,
    })
    .from(requests)
    .where(eq(requests.id, requestId));
  if (!request || request.createdByStaffId === null || !request.kinds.includes("beschwerde"))
    return { state: "not-applicable" };
  const [forwarded] = await db
    .select({ id: complaints.id })
    .from(complaints)
    .where(and(eq(complaints.requestId, requestId), isNotNull(complaints.outboxId)))
    .limit(1);
  if (forwarded || request.status === "forwarded") return { state: "forwarded" };
  if (isFinalStatus(request.status)) return { state: "not-applicable" };
  const enclosures = await db
    .select({ fileName: attachments.fileName, size: attachments.size })
    .from(attachments)
    .where(eq(attachments.requestId, requestId))
    .orderBy(asc(attachments.createdAt));
  const note = request.details.intakeNote;
  return { state: "open", note: typeof note === "string" ? note : "", enclosures };
}

export type ForwardTakenInResult =
  | { ok: true; outboxIds: string[] }
  | {
      ok: false;
      reason: "not-permitted" | "not-a-taken-in-complaint" | "already-forwarded" | "document-unreadable";
    };

/**
 * Staff confirm the forwarding of a complaint taken in from a letter: the online path's forwarding
 * (`forwardComplaint`) with the staff's text and the person's choice about the case file as the
 * letter states it, and the case's documents — the letter as scanned — as the person's enclosures.
 * There is no address to prove first: staff hold the letter. The TLfDI answers the person, not we.
 */
export async function forwardTakenInComplaint(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  input: { text: string; attachCaseFile: boolean },
  now = new Date(),
): Promise<ForwardTakenInResult> {
  if (!staff.permissions.has("finding:propose")) return { ok: false, reason: "not-permitted" };
  return refusedIfUnreadable(requestId, () =>
    db.transaction(async (tx): Promise<ForwardTakenInResult> => {
      // The row lock serialises two confirmations of one case: the second sees the first's forwarding.
      const [locked] = await tx
        .select({ id: requests.id })
        .from(requests)
        .where(eq(requests.id, requestId))
        .for("update");
      if (!locked) return { ok: false, reason: "not-a-taken-in-complaint" };
      const state = await takenInComplaintState(tx, requestId);
      if (state.state === "forwarded") return { ok: false, reason: "already-forwarded" };
      if (state.state !== "open") return { ok: false, reason: "not-a-taken-in-complaint" };
      const documents = await tx
        .select({
          id: attachments.id,
          fileName: attachments.fileName,
          size: attachments.size,
          sha256: attachments.sha256,
        })
        .from(attachments)
        .where(eq(attachments.requestId, requestId))
        .orderBy(asc(attachments.createdAt));
      const files: ComplaintFile[] = [];
      for (const d of documents) {
        const content = await readDocument(config, d);
        // Stored documents were typed by their bytes when they came in; read them again, never trust a name.
        files.push({
          fileName: d.fileName,
          contentType: (sniffDocumentType(content) ?? "application/pdf") as DocumentType,
          content,
        });
      }
      const [complaint] = await tx
        .insert(complaints)
        .values({ requestId, text: input.text, attachCaseFile: input.attachCaseFile })
        .returning();
      const outboxIds = await forwardComplaint(
        tx,
        config,
        complaint!,
        files,
        now,
        { type: "staff", staffId: staff.id },
        new Set(documents.map((d) => d.id)),
      );
      return { ok: true, outboxIds };
    }),
  );
}

export type ResendComplaintResult =
  { ok: true; outboxId: string } | { ok: false; reason: "not-permitted" | "not-failed" | "case-ended" };

/**
 * A complaint whose mail the outbox gave up on (refused for good, or never accepted in
 * MAX_MAIL_ATTEMPTS tries) forwarded nothing, and the case is back with staff (ADR 0015). Staff send
 * the same mail again — letter, case file and enclosures, kept for this (deleted once accepted) —
 * to the authority's address as configured now, which may have been corrected since; the tries
 * start anew. The case ends once a mail server accepts it (recordComplaintDeliveries).
 */
export async function resendFailedComplaint(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  complaintId: string,
): Promise<ResendComplaintResult> {
  if (!staff.permissions.has("finding:propose")) return { ok: false, reason: "not-permitted" };
  return db.transaction(async (tx): Promise<ResendComplaintResult> => {
    // A case withdrawn or ended since the mail failed is not forwarded after all.
    const [request] = await tx
      .select({ status: requests.status })
      .from(requests)
      .where(eq(requests.id, requestId))
      .for("update");
    const [failed] = await tx
      .select({ outboxId: mailOutbox.id, to: mailOutbox.to, lastError: mailOutbox.lastError })
      .from(complaints)
      .innerJoin(mailOutbox, eq(mailOutbox.id, complaints.outboxId))
      .where(
        and(
          eq(complaints.id, complaintId),
          eq(complaints.requestId, requestId),
          eq(mailOutbox.status, "failed"),
        ),
      )
      .for("update");
    if (!failed) return { ok: false, reason: "not-failed" };
    if (!request || isFinalStatus(request.status)) return { ok: false, reason: "case-ended" };
    await tx
      .update(mailOutbox)
      .set({ status: "pending", attempts: 0, lastError: null, sentAt: null, to: config.complaintAddress })
      .where(and(eq(mailOutbox.id, failed.outboxId), eq(mailOutbox.status, "failed")));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "complaint.resent",
      data: {
        complaintId,
        outboxId: failed.outboxId,
        lastError: failed.lastError,
        addressChanged: failed.to !== config.complaintAddress,
      },
    });
    return { ok: true, outboxId: failed.outboxId };
  });
}

/** Who made the forwarding happen: the person (online, on proof) or staff (a letter taken in). */
type ForwardedBy = { type: "person" } | { type: "staff"; staffId: string };

async function forwardComplaint(
  tx: DbOrTx,
  config: ComplaintAddresses,
  complaint: typeof complaints.$inferSelect,
  files: ComplaintFile[],
  now: Date,
  by: ForwardedBy,
  /** The case's documents already among `files` (a scanned letter): the case file does not send them a second time. */
  enclosedDocumentIds: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const loaded = await loadCaseFile(tx, complaint.requestId);
  if (!loaded?.request.reference) throw new Error("a complaint is forwarded only for a proven case");
  const file = { ...loaded, documents: loaded.documents.filter((d) => !enclosedDocumentIds.has(d.id)) };
  const reference = loaded.request.reference;
  const { complaints: de, journey: dj } = messagesFor("de");
  const takenIn =
    by.type === "staff"
      ? {
          channel: dj.intake.channels[file.request.channel] ?? file.request.channel,
          receivedOn: dj.formatDate(file.request.receivedAt ?? file.request.createdAt),
        }
      : null;

  const letter: QueuedAttachment = {
    fileName: de.letter.fileName(reference),
    contentType: "application/pdf",
    content: await renderComplaintLetter({
      file,
      text: complaint.text,
      attachCaseFile: complaint.attachCaseFile,
      fileNames: files.map((f) => f.fileName),
      now,
      takenIn,
    }),
  };
  const dossier: QueuedAttachment[] = [];
  const caseDocuments: QueuedAttachment[] = [];
  if (complaint.attachCaseFile) {
    const ownBytes = files.reduce((sum, f) => sum + f.content.length, 0);
    const chosen = documentsWithinBudget(file, MAIL_ATTACHMENT_BUDGET_BYTES - ownBytes);
    dossier.push({
      fileName: de.dossier.fileName(reference),
      contentType: "application/pdf",
      content: await renderCaseDossier(file, chosen, now),
    });
    for (const [index, document] of file.documents.entries())
      if (chosen.has(index))
        caseDocuments.push({
          fileName: document.fileName,
          contentType: document.contentType,
          content: await readDocument(config, document),
        });
  }
  const outboxId = await queueMail(tx, {
    requestId: file.request.id,
    to: config.complaintAddress,
    subject: de.mail.authoritySubject(reference),
    text: de.mail.authorityText(reference, complaint.attachCaseFile, takenIn),
    attachments: [letter, ...dossier, ...files, ...caseDocuments],
  });

  const lang: Lang = file.request.lang;
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
    link: `${config.publicUrl}/vorgang/${reference}/beschwerde`,
  });
  // The person's copy carries what the authority reads about them; their own files they already have.
  const copyOutboxId = await queueMail(tx, {
    requestId: file.request.id,
    to: file.request.contactEmail,
    subject: m.complaints.mail.copySubject(reference),
    text: copyText,
    attachments: [letter, ...dossier],
  });
  await tx
    .insert(requestMessages)
    .values({ requestId: file.request.id, direction: "to-person", body: copyText });
  // A person without e-mail gets the copy as a letter (ADR 0009): the id is then a print job's, not a mail's.
  const copyByPost = file.request.contactEmail.trim() === "";
  await tx
    .update(complaints)
    .set({ outboxId, copyOutboxId: copyByPost ? null : copyOutboxId })
    .where(eq(complaints.id, complaint.id));
  await appendAuditEvent(tx, {
    requestId: file.request.id,
    ...(by.type === "staff"
      ? { actorType: "staff" as const, actorId: by.staffId }
      : { actorType: "person" as const }),
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
  // A complaint request ends once a mail server accepted this mail (recordComplaintDeliveries), not
  // here: queued, it may still be refused for good, and then nothing was forwarded (ADR 0015).
  return [outboxId, copyOutboxId];
}
