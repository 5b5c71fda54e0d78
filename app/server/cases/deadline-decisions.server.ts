import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { requestMessages, requests } from "#db/schema";
import { isFinalStatus } from "#app/core/case-status";
import { canExtend, extendedDeadline } from "#app/core/deadline";
import { type Lang, messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { queueMail } from "../mail/outbox.server";
import { complaintRightsNotice } from "../rights-notice";
import { EXTENSION_ACTION } from "./extension-lapse.server";
import { recordFinalNotice } from "./case-end.server";

export type DeadlineDecisionRefusal =
  "not-permitted" | "unknown-case" | "too-late" | "already-extended" | "reasons-required" | "closed";
export type DeadlineDecisionResult =
  { ok: true; outboxId: string } | { ok: false; reason: DeadlineDecisionRefusal };

/** Reasons the person reads: a word or two is no reason. */
export const MIN_REASONS = 20;

type RequestRow = typeof requests.$inferSelect;

/**
 * Whether an extension (Art. 12(3)) or a refusal (Art. 12(5)) can still be given: only to a case
 * that is open — not answered, refused, withdrawn or closed — and only within the first month from
 * receipt (Art. 12(3) sentence 3: the person must be told of an extension within it; Art. 12(4):
 * the reasons for not acting are due within it). An extension only once. The case page offers the
 * forms by this rule and the actions refuse by it.
 */
export function deadlineDecisionsOpen(
  request: RequestRow,
  now = new Date(),
): { extend: DeadlineDecisionRefusal | null; refuse: DeadlineDecisionRefusal | null } {
  const refusal = ((): DeadlineDecisionRefusal | null => {
    if (!request.reference || !request.receivedAt) return "unknown-case";
    if (request.closedAt || request.answeredAt || isFinalStatus(request.status)) return "closed";
    if (!canExtend(request.receivedAt, now)) return "too-late";
    return null;
  })();
  return { extend: refusal ?? (request.extendedDeadline ? "already-extended" : null), refuse: refusal };
}

/** A decision's notice: its text, the right to complain, the judicial remedy, the signature. */
export function decisionNotice(lang: Lang, publicUrl: string, reference: string, text: string): string {
  const m = messagesFor(lang);
  return `${text}\n\n${complaintRightsNotice(lang, publicUrl, reference)}\n\n${m.staff.notices.signature}`;
}

/**
 * Art. 12(3): the DPO may extend by one or two months, with reasons, only while the first month
 * runs; the person is told by mail and on their case page, with their right to complain and the
 * judicial remedy.
 */
export async function extendDeadline(
  db: Db,
  staff: StaffIdentity,
  input: { requestId: string; months: 1 | 2; reasons: string; publicUrl: string },
  now = new Date(),
): Promise<DeadlineDecisionResult> {
  if (!staff.permissions.has("deadline:extend")) return { ok: false, reason: "not-permitted" };
  const reasons = input.reasons.trim();
  if (reasons.length < MIN_REASONS) return { ok: false, reason: "reasons-required" };
  return db.transaction(async (tx) => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!request) return { ok: false as const, reason: "unknown-case" as const };
    const refusal = deadlineDecisionsOpen(request, now).extend;
    if (refusal || !request.reference || !request.receivedAt)
      return { ok: false as const, reason: refusal ?? ("unknown-case" as const) };
    const deadline = extendedDeadline(request.receivedAt, input.months);
    await tx
      .update(requests)
      .set({ extendedDeadline: deadline, extensionReason: reasons })
      .where(eq(requests.id, request.id));
    const lang: Lang = request.lang;
    const m = messagesFor(lang);
    const n = m.delivery.notices;
    const body = decisionNotice(
      lang,
      input.publicUrl,
      request.reference,
      n.extensionBody(
        request.reference,
        m.journey.formatDate(request.receivedAt),
        m.journey.formatDate(deadline),
        reasons,
      ),
    );
    const outboxId = await sendStaffNotice(tx, {
      requestId: request.id,
      to: request.contactEmail,
      staffId: staff.id,
      subject: n.extensionSubject(request.reference),
      body,
    });
    await appendAuditEvent(tx, {
      requestId: request.id,
      actorType: "staff",
      actorId: staff.id,
      action: EXTENSION_ACTION,
      reason: reasons,
      data: { months: input.months, deadline: deadline.toISOString(), noticeId: outboxId },
    });
    return { ok: true as const, outboxId };
  });
}

/**
 * Art. 12(5)(b): refusing to act on a manifestly unfounded or excessive request, within the first
 * month (Art. 12(4)), with reasons, the right to complain and the judicial remedy. The burden of
 * proof is the data centre's: the reasons are kept in the audit trail.
 */
export async function refuseRequest(
  db: Db,
  staff: StaffIdentity,
  input: { requestId: string; ground: "unfounded" | "excessive"; reasons: string; publicUrl: string },
  now = new Date(),
): Promise<DeadlineDecisionResult> {
  if (!staff.permissions.has("request:refuse")) return { ok: false, reason: "not-permitted" };
  const reasons = input.reasons.trim();
  if (reasons.length < MIN_REASONS) return { ok: false, reason: "reasons-required" };
  return db.transaction(async (tx) => {
    const [found] = await tx.select().from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!found) return { ok: false as const, reason: "unknown-case" as const };
    const refusal = deadlineDecisionsOpen(found, now).refuse;
    if (refusal || !found.reference)
      return { ok: false as const, reason: refusal ?? ("unknown-case" as const) };
    const reference = found.reference;
    await tx.update(requests).set({ status: "refused", closedAt: now }).where(eq(requests.id, found.id));
    const lang: Lang = found.lang;
    const m = messagesFor(lang);
    const n = m.delivery.notices;
    const ground = input.ground === "unfounded" ? m.staff.notices.unfounded : m.staff.notices.excessive;
    const body = decisionNotice(lang, input.publicUrl, reference, n.refusalBody(reference, ground, reasons));
    const outboxId = await sendStaffNotice(tx, {
      requestId: found.id,
      to: found.contactEmail,
      staffId: staff.id,
      subject: n.refusalSubject(reference),
      body,
    });
    await recordFinalNotice(tx, found.id, outboxId);
    await appendAuditEvent(tx, {
      requestId: found.id,
      actorType: "staff",
      actorId: staff.id,
      action: "request.refused",
      reason: reasons,
      data: { ground: input.ground },
    });
    return { ok: true as const, outboxId };
  });
}

/**
 * A staff member's notice to the person: kept among the case's messages and queued as a mail, or
 * as a letter in the print queue when the person gave no e-mail address. Returns the outbox id.
 */
export async function sendStaffNotice(
  tx: DbOrTx,
  notice: { requestId: string; to: string; staffId: string; subject: string; body: string },
): Promise<string> {
  await tx.insert(requestMessages).values({
    requestId: notice.requestId,
    direction: "to-person",
    body: notice.body,
    authorStaffId: notice.staffId,
  });
  return queueMail(tx, {
    requestId: notice.requestId,
    to: notice.to,
    subject: notice.subject,
    text: notice.body,
  });
}
