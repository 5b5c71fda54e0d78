import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { auditEvents, complaints, mailOutbox } from "../../../db/schema";
import { appendAuditEvent } from "../audit.server";
import type { JobDefinition } from "../jobs/job";

export type ComplaintState = "queued" | "sent" | "failed";

export interface ComplaintSummary {
  id: string;
  createdAt: string;
  text: string;
  attachCaseFile: boolean;
  state: ComplaintState;
  sentAt: string | null;
}

/** The complaints of a case with how far their sending got, newest first (for the person's page). */
export async function complaintsOfCase(db: Db, requestId: string): Promise<ComplaintSummary[]> {
  const rows = await db
    .select({ complaint: complaints, status: mailOutbox.status, sentAt: mailOutbox.sentAt })
    .from(complaints)
    .leftJoin(mailOutbox, eq(mailOutbox.id, complaints.outboxId))
    .where(eq(complaints.requestId, requestId))
    .orderBy(desc(complaints.createdAt));
  return rows.map(({ complaint, status, sentAt }) => ({
    id: complaint.id,
    createdAt: complaint.createdAt.toISOString(),
    text: complaint.text,
    attachCaseFile: complaint.attachCaseFile,
    state: status === "sent" ? "sent" : status === "failed" ? "failed" : "queued",
    sentAt: status === "sent" && sentAt ? sentAt.toISOString() : null,
  }));
}

/**
 * Writes "complaint.sent" into the audit trail for every complaint whose mail a server has
 * accepted since: when, and under which message id. The outbox knows nothing of complaints, so
 * this runs after it (a job every minute) instead of inside the delivery.
 */
export async function recordComplaintDeliveries(db: Db): Promise<number> {
  const delivered = await db
    .select({ id: complaints.id, requestId: complaints.requestId, outboxId: mailOutbox.id, to: mailOutbox.to, messageId: mailOutbox.messageId, sentAt: mailOutbox.sentAt })
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
      // The audit lock, taken before the check, keeps two workers from recording one delivery twice.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('audit_events'))`);
      const [already] = await tx
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "complaint.sent"), sql`${auditEvents.data} ->> 'complaintId' = ${complaint.id}`))
        .limit(1);
      if (already) return false;
      await appendAuditEvent(tx, {
        requestId: complaint.requestId,
        actorType: "system",
        action: "complaint.sent",
        data: { complaintId: complaint.id, outboxId: complaint.outboxId, messageId: complaint.messageId, sentAt: complaint.sentAt?.toISOString() ?? null, channel: "email", to: complaint.to },
      });
      return true;
    });
    if (wrote) recorded++;
  }
  return recorded;
}

export const recordComplaintDeliveriesJob: JobDefinition = {
  queue: "complaint-deliveries",
  schedule: "* * * * *",
  async run({ db }) {
    await recordComplaintDeliveries(db);
  },
};
