import { createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { auditEvents, complaints, mailOutbox, requests } from "#db/schema";
import { appendAuditEvent } from "../audit.server";
import { endCaseIfDone } from "../cases/case-end.server";
import type { JobDefinition } from "../jobs/job";

type ComplaintState = "queued" | "sent" | "failed";

export interface ComplaintSummary {
  id: string;
  createdAt: string;
  text: string;
  attachCaseFile: boolean;
  state: ComplaintState;
  sentAt: string | null;
}

/** A complaint as staff see it: the person's summary, with the mail server's last refusal of a failed mail. */
export interface StaffComplaintSummary extends ComplaintSummary {
  lastError: string | null;
}

/** The complaints of a case with their mail to the authority (none while the address is unproven), newest first. */
function complaintRows(db: Db, requestId: string) {
  return db
    .select({
      complaint: complaints,
      outboxId: mailOutbox.id,
      status: mailOutbox.status,
      sentAt: mailOutbox.sentAt,
      lastError: mailOutbox.lastError,
    })
    .from(complaints)
    .leftJoin(mailOutbox, eq(mailOutbox.id, complaints.outboxId))
    .where(eq(complaints.requestId, requestId))
    .orderBy(desc(complaints.createdAt));
}

function summaryOf({
  complaint,
  status,
  sentAt,
}: Awaited<ReturnType<typeof complaintRows>>[number]): ComplaintSummary {
  return {
    id: complaint.id,
    createdAt: complaint.createdAt.toISOString(),
    text: complaint.text,
    attachCaseFile: complaint.attachCaseFile,
    state: status === "sent" ? "sent" : status === "failed" ? "failed" : "queued",
    sentAt: status === "sent" && sentAt ? sentAt.toISOString() : null,
  };
}

/** The complaints of a case with how far their sending got, newest first (for the person's page). */
export async function complaintsOfCase(db: Db, requestId: string): Promise<ComplaintSummary[]> {
  return (await complaintRows(db, requestId)).map(summaryOf);
}

/**
 * For staff: the complaints of a case that have a mail to the authority, newest first, a failed
 * one with the mail server's last answer (which may quote the address: never on the person's page).
 */
export async function mailedComplaintsOfCase(db: Db, requestId: string): Promise<StaffComplaintSummary[]> {
  return (await complaintRows(db, requestId))
    .filter((row) => row.outboxId !== null)
    .map((row) => ({ ...summaryOf(row), lastError: row.status === "failed" ? row.lastError : null }));
}

/**
 * For the staff case page: whether the case has a complaint with a mail to the authority, and
 * whether the outbox gave up on one of them while none was accepted — then the case is staff's
 * again (ADR 0015) and the page says so.
 */
export async function complaintMailsOfCase(
  db: Db,
  requestId: string,
): Promise<{ mailed: boolean; failedForGood: boolean }> {
  const mailed = await mailedComplaintsOfCase(db, requestId);
  return {
    mailed: mailed.length > 0,
    failedForGood: mailed.some((c) => c.state === "failed") && !mailed.some((c) => c.state === "sent"),
  };
}

/**
 * Writes "complaint.sent" into the audit trail for every complaint whose mail a server has
 * accepted since: when, and under which message id, and ends a complaint request then. The outbox
 * knows nothing of complaints, so this runs after it (a job every minute) instead of inside the
 * delivery.
 *
 * In the same transaction the copies the outbox kept for that mail go (`complaint.copies-deleted`):
 * the letter, the case file and the enclosures — among them identity documents the person sent
 * and scanned letters. Once the authority's server accepted them, nothing needs them again, and
 * identity documents are kept no longer than their purpose (Art. 5(1)(e), 12(6) DS-GVO; ADR 0012).
 * What stays is what was deleted: type, size and hash of each copy, never its name or content.
 */
export async function recordComplaintDeliveries(db: Db): Promise<number> {
  const delivered = await db
    .select({
      id: complaints.id,
      requestId: complaints.requestId,
      outboxId: mailOutbox.id,
      to: mailOutbox.to,
      messageId: mailOutbox.messageId,
      sentAt: mailOutbox.sentAt,
    })
    .from(complaints)
    .innerJoin(mailOutbox, eq(mailOutbox.id, complaints.outboxId))
    .where(
      and(
        eq(mailOutbox.status, "sent"),
        sql`not exists (select 1 from ${auditEvents} where ${auditEvents.action} = 'complaint.sent' and ${auditEvents.data} ->> 'complaintId' = ${complaints.id}::text)`,
      ),
    );
  let recorded = 0;
  for (const complaint of delivered) {
    const wrote = await db.transaction(async (tx) => {
      // The case row first, as every other writer of a case takes it before the audit lock (a
      // withdrawal, a staff action): the other order could deadlock with them. The audit lock, taken
      // before the check, keeps two workers from recording one delivery twice.
      await tx
        .select({ id: requests.id })
        .from(requests)
        .where(eq(requests.id, complaint.requestId))
        .for("update");
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('audit_events'))`);
      const [already] = await tx
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, "complaint.sent"),
            sql`${auditEvents.data} ->> 'complaintId' = ${complaint.id}`,
          ),
        )
        .limit(1);
      if (already) return false;
      await appendAuditEvent(tx, {
        requestId: complaint.requestId,
        actorType: "system",
        action: "complaint.sent",
        data: {
          complaintId: complaint.id,
          outboxId: complaint.outboxId,
          messageId: complaint.messageId,
          sentAt: complaint.sentAt?.toISOString() ?? null,
          channel: "email",
          to: complaint.to,
        },
      });
      await deleteSentCopies(tx, complaint.requestId, complaint.id, complaint.outboxId);
      // Accepted, the complaint is forwarded: a complaint request ends now, on the day it was sent
      // (ADR 0015), and not when it was queued — a mail refused for good forwarded nothing.
      await endCaseIfDone(tx, complaint.requestId, complaint.sentAt ?? new Date());
      return true;
    });
    if (wrote) recorded++;
  }
  return recorded;
}

type StoredAttachment = { fileName: string; contentType: string; base64: string };

/** The accepted mail's attachments, emptied and audited; the row stays as the record of the sending. */
async function deleteSentCopies(
  tx: DbOrTx,
  requestId: string,
  complaintId: string,
  outboxId: string,
): Promise<void> {
  // Only a mail still marked as accepted: a row claimed again for sending keeps what it must send.
  const [mail] = await tx
    .select({ attachments: mailOutbox.attachments })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.id, outboxId), eq(mailOutbox.status, "sent")))
    .for("update");
  const stored = (mail?.attachments ?? []) as StoredAttachment[];
  if (stored.length === 0) return;
  const deletedCopies = stored.map((a) => {
    const content = Buffer.from(a.base64, "base64");
    return {
      contentType: a.contentType,
      size: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
    };
  });
  await tx.update(mailOutbox).set({ attachments: [] }).where(eq(mailOutbox.id, outboxId));
  await appendAuditEvent(tx, {
    requestId,
    actorType: "system",
    action: "complaint.copies-deleted",
    data: { complaintId, outboxId, deletedCopies },
  });
}

export const recordComplaintDeliveriesJob: JobDefinition = {
  queue: "complaint-deliveries",
  schedule: "* * * * *",
  async run({ db }) {
    await recordComplaintDeliveries(db);
  },
};
