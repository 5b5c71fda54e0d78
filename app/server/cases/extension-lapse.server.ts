/**
 * Art. 12(3) sentence 3: an extension counts only if the person is told of it within one month of
 * receipt. By post the person is told on the day the letter goes out (ADR 0009), so the day staff
 * record decides: an extension letter posted after the first month leaves the original deadline in
 * force, and the case page shows that deadline again.
 */
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { auditEvents, requests } from "#db/schema";
import { type BerlinDay, startOfBerlinDay } from "#app/core/berlin-date";
import { canExtend } from "#app/core/deadline";
import { appendAuditEvent } from "../audit.server";

/** The audit action of an extension; its data name the notice (`noticeId`: an outbox or print job id). */
export const EXTENSION_ACTION = "request.deadline-extended";

/** Called in the transaction that records a letter's dispatch day. Returns whether the extension lapsed. */
export async function checkExtensionNoticeDispatch(
  tx: DbOrTx,
  input: { requestId: string; printJobId: string; day: BerlinDay; staffId: string },
): Promise<boolean> {
  const [extension] = await tx
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.requestId, input.requestId),
        eq(auditEvents.action, EXTENSION_ACTION),
        sql`${auditEvents.data}->>'noticeId' = ${input.printJobId}`,
      ),
    )
    .limit(1);
  if (!extension) return false;
  const [request] = await tx
    .select({ receivedAt: requests.receivedAt })
    .from(requests)
    .where(eq(requests.id, input.requestId))
    .for("update");
  if (!request?.receivedAt || canExtend(request.receivedAt, startOfBerlinDay(input.day))) return false;
  await tx
    .update(requests)
    .set({ extendedDeadline: null, extensionReason: null })
    .where(eq(requests.id, input.requestId));
  await appendAuditEvent(tx, {
    requestId: input.requestId,
    actorType: "staff",
    actorId: input.staffId,
    action: "request.extension-lapsed",
    data: { printJobId: input.printJobId, dispatchedOn: input.day },
  });
  return true;
}
