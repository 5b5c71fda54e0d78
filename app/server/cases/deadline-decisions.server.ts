import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { requestMessages, requests } from "../../../db/schema";
import { canExtend, extendedDeadline } from "../../core/deadline";
import { type Lang, isLang, messagesFor } from "../../i18n";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { queueMail } from "../mail/outbox.server";
import { complaintRightsNotice } from "../rights-notice";

export type DeadlineDecisionResult = { ok: true; outboxId: string } | { ok: false; reason: "not-permitted" | "unknown-case" | "too-late" | "already-extended" | "reasons-required" | "closed" };

/**
 * Art. 12(3): the DPO may extend by one or two months, with reasons, only while the first month
 * runs; the person is told by mail and on their case page.
 */
export async function extendDeadline(
  db: Db,
  staff: StaffIdentity,
  input: { requestId: string; months: 1 | 2; reasons: string; publicUrl: string },
  now = new Date(),
): Promise<DeadlineDecisionResult> {
  if (!staff.permissions.has("deadline:extend")) return { ok: false, reason: "not-permitted" };
  const reasons = input.reasons.trim();
  if (reasons.length < 20) return { ok: false, reason: "reasons-required" };
  return db.transaction(async (tx) => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!request?.receivedAt || !request.reference) return { ok: false as const, reason: "unknown-case" as const };
    if (request.extendedDeadline) return { ok: false as const, reason: "already-extended" as const };
    if (!canExtend(request.receivedAt, now)) return { ok: false as const, reason: "too-late" as const };
    const deadline = extendedDeadline(request.receivedAt, input.months);
    await tx.update(requests).set({ extendedDeadline: deadline, extensionReason: reasons }).where(eq(requests.id, request.id));
    const lang: Lang = isLang(request.lang) ? request.lang : "de";
    const m = messagesFor(lang);
    const body = `${m.staff.notices.extensionBody(request.reference, m.journey.formatDate(deadline), reasons)}\n\n${complaintRightsNotice(lang, input.publicUrl, request.reference)}\n\n${m.staff.notices.signature}`;
    await tx.insert(requestMessages).values({ requestId: request.id, direction: "to-person", body, authorStaffId: staff.id });
    const outboxId = await queueMail(tx, { requestId: request.id, to: request.contactEmail, subject: m.staff.notices.extensionSubject(request.reference), text: body });
    await appendAuditEvent(tx, { requestId: request.id, actorType: "staff", actorId: staff.id, action: "request.deadline-extended", reason: reasons, data: { months: input.months, deadline: deadline.toISOString() } });
    return { ok: true as const, outboxId };
  });
}

/**
 * Art. 12(5)(b): refusing to act on a manifestly unfounded or excessive request, with reasons, the
 * right to complain and the right to a judicial remedy. The burden of proof is the data centre's:
 * the reasons are kept in the audit trail.
 */
export async function refuseRequest(
  db: Db,
  staff: StaffIdentity,
  input: { requestId: string; ground: "unfounded" | "excessive"; reasons: string; publicUrl: string },
): Promise<DeadlineDecisionResult> {
  if (!staff.permissions.has("request:refuse")) return { ok: false, reason: "not-permitted" };
  const reasons = input.reasons.trim();
  if (reasons.length < 20) return { ok: false, reason: "reasons-required" };
  return db.transaction(async (tx) => {
    const [request] = await tx
      .update(requests)
      .set({ status: "refused", closedAt: new Date() })
      .where(and(eq(requests.id, input.requestId), isNull(requests.closedAt)))
      .returning();
    if (!request?.reference) return { ok: false as const, reason: "closed" as const };
    const lang: Lang = isLang(request.lang) ? request.lang : "de";
    const m = messagesFor(lang);
    const ground = input.ground === "unfounded" ? m.staff.notices.unfounded : m.staff.notices.excessive;
    const body = `${m.staff.notices.refusalBody(request.reference, ground, reasons)}\n\n${complaintRightsNotice(lang, input.publicUrl, request.reference)}\n\n${m.staff.notices.signature}`;
    await tx.insert(requestMessages).values({ requestId: request.id, direction: "to-person", body, authorStaffId: staff.id });
    const outboxId = await queueMail(tx, { requestId: request.id, to: request.contactEmail, subject: m.staff.notices.refusalSubject(request.reference), text: body });
    await appendAuditEvent(tx, { requestId: request.id, actorType: "staff", actorId: staff.id, action: "request.refused", reason: reasons, data: { ground: input.ground } });
    return { ok: true as const, outboxId };
  });
}
