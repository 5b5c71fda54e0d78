import { and, eq } from "drizzle-orm";
import { requestIdentifiers, requests } from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import { answerDeadline } from "#app/core/deadline";
import type { Lang } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { forwardPendingComplaints } from "../complaints/forward.server";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { type CodeCheck, issueCode } from "../verification.server";
import { checkCode } from "../verification.server";
import type { Services } from "../services.server";
import { queueAcknowledgmentMail, queueProofCodeMail } from "./mails.server";
import { newReference } from "./reference.server";

export type ProveResult =
  | { ok: true; reference: string; contactEmail: string; outboxIds: string[] }
  | { ok: false; reason: Exclude<CodeCheck, "ok"> | "unknown" | "already-proven" };

/**
 * Turns an unproven request into a case: reference, date of receipt, deadline, acknowledgment.
 *
 * The date of receipt is the time the form was SUBMITTED, not the time of the proof: the request
 * reached the data centre then, and the person must not lose days of the Art. 12(3) period because
 * the code mail was slow or read the next morning. The proof only confirms whose request it is.
 */
export async function proveRequest(
  { db, config }: Pick<Services, "db" | "config">,
  input: { requestId: string; code: string },
  now = new Date(),
): Promise<ProveResult> {
  return db.transaction(async (tx): Promise<ProveResult> => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!request) return { ok: false, reason: "unknown" };
    if (request.status !== "unproven") return { ok: false, reason: "already-proven" };
    const check = await checkCode(tx, config.sessionSecret, "request-proof", request.id, input.code, now);
    if (check !== "ok") return { ok: false, reason: check };

    const receivedAt = request.submittedAt;
    const deadline = answerDeadline(receivedAt);
    const reference = await newReference(tx, Number(berlinDayOf(receivedAt).slice(0, 4)));
    await tx
      .update(requests)
      .set({
        status: "received",
        reference,
        receivedAt,
        provenAt: now,
        deadline,
        expiresAt: null,
      })
      .where(eq(requests.id, request.id));
    await tx
      .update(requestIdentifiers)
      .set({ provenAt: now, proofSource: "email-code" })
      .where(
        and(
          eq(requestIdentifiers.requestId, request.id),
          eq(requestIdentifiers.kind, "email"),
          eq(requestIdentifiers.normalized, request.contactEmail),
        ),
      );
    await appendAuditEvent(tx, {
      requestId: request.id,
      actorType: "person",
      action: "request.proven",
      data: {
        reference,
        receivedAt: receivedAt.toISOString(),
        deadline: deadline.toISOString(),
        receivedAtBasis: "submission",
      },
    });
    const lang: Lang = request.lang;
    const outboxId = await queueAcknowledgmentMail(tx, {
      requestId: request.id,
      to: request.contactEmail,
      lang,
      reference,
      kinds: request.kinds,
      receivedAt,
      deadline,
      publicUrl: config.publicUrl,
    });
    // A complaint filed with the request form (Art. 77) leaves for the authority with the proof.
    const complaintOutboxIds = await forwardPendingComplaints(tx, config, request.id, now);
    return {
      ok: true,
      reference,
      contactEmail: request.contactEmail,
      outboxIds: [outboxId, ...complaintOutboxIds],
    };
  });
}

export type ResendResult =
  { ok: true; outboxIds: string[] } | { ok: false; reason: "unknown" | "rate-limited" };

/** A new proof code for a request still waiting for it; the old code stops working. */
export async function resendProofCode(
  { db, config }: Pick<Services, "db" | "config">,
  input: { requestId: string; clientKey: string | null },
  now = new Date(),
): Promise<ResendResult> {
  return db.transaction(async (tx): Promise<ResendResult> => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!request || request.status !== "unproven") return { ok: false, reason: "unknown" };
    const limits = [{ limit: codeLimits.perAddress, subject: request.contactEmail }];
    if (input.clientKey) limits.push({ limit: codeLimits.perClient, subject: input.clientKey });
    if (!(await takeRateLimits(tx, config.sessionSecret, limits, now)))
      return { ok: false, reason: "rate-limited" };
    const { code } = await issueCode(tx, config.sessionSecret, "request-proof", request.id, now);
    const lang: Lang = request.lang;
    const outboxId = await queueProofCodeMail(tx, {
      requestId: request.id,
      to: request.contactEmail,
      lang,
      code,
      publicUrl: config.publicUrl,
    });
    await appendAuditEvent(tx, { requestId: request.id, actorType: "person", action: "request.code-resent" });
    return { ok: true, outboxIds: [outboxId] };
  });
}

/** Whether a request is waiting for its proof (the confirmation page shows its form only then). */
export async function isAwaitingProof({ db }: Pick<Services, "db">, requestId: string): Promise<boolean> {
  const [row] = await db
    .select({ status: requests.status })
    .from(requests)
    .where(eq(requests.id, requestId))
    .limit(1);
  return row?.status === "unproven";
}
