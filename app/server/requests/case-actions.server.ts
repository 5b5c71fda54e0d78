import { and, eq, ne } from "drizzle-orm";
import {
  attachments,
  complaints,
  mailOutbox,
  requestIdentifiers,
  requestMessages,
  requests,
} from "#db/schema";
import type { Lang } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { withStagedDocument } from "../document-files.server";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { type CodeCheck, checkCode, issueCode } from "../verification.server";
import { isFinalStatus } from "#app/core/case-status";
import type { Services } from "../services.server";
import type { DocumentType } from "./documents.server";
import { queueIdentifierCodeMail, queueWithdrawnMail } from "./mails.server";
import { markFindingsProven } from "../review/identifier-confirm.server";

/**
 * What a signed-in person can do on their case. Every function takes the case id the page got from
 * `findOwnedCase`, which has already checked ownership; the status is checked again under a row
 * lock, so a parallel withdrawal and addition cannot both slip through.
 */

export type CaseActionResult = { ok: true; outboxIds: string[] } | { ok: false; reason: "not-changeable" };

export async function withdrawRequest(
  { db }: Pick<Services, "db">,
  requestId: string,
  now = new Date(),
): Promise<CaseActionResult> {
  return db.transaction(async (tx): Promise<CaseActionResult> => {
    const [row] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
    if (!row || !row.reference || row.status === "unproven" || isFinalStatus(row.status))
      return { ok: false, reason: "not-changeable" };
    // A complaint handed to the outbox for the supervisory authority goes out whatever the case
    // says after it (the case ends once a mail server accepted it, ADR 0015): past that point a
    // withdrawal would be untrue. One the outbox gave up on went nowhere and may be withdrawn.
    const [handedOver] = await tx
      .select({ id: complaints.id })
      .from(complaints)
      .innerJoin(mailOutbox, eq(mailOutbox.id, complaints.outboxId))
      .where(and(eq(complaints.requestId, requestId), ne(mailOutbox.status, "failed")))
      .limit(1);
    if (handedOver) return { ok: false, reason: "not-changeable" };
    await tx.update(requests).set({ status: "withdrawn", closedAt: now }).where(eq(requests.id, requestId));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "person",
      action: "request.withdrawn",
      data: { reference: row.reference, previousStatus: row.status },
    });
    const lang: Lang = row.lang;
    const outboxId = await queueWithdrawnMail(tx, {
      requestId,
      to: row.contactEmail,
      lang,
      reference: row.reference,
    });
    return { ok: true, outboxIds: [outboxId] };
  });
}

/** A document to store with a case: its bytes as a Blob (an upload reads from the spool, not memory). */
export interface AddedDocument {
  fileName: string;
  contentType: DocumentType;
  content: Blob;
}

export async function addInformation(
  { db, config }: Pick<Services, "db" | "config">,
  requestId: string,
  input: { text: string; document: AddedDocument | null },
): Promise<CaseActionResult> {
  return withStagedDocument({ db, config }, input.document?.content ?? null, (staged) =>
    db.transaction(async (tx): Promise<CaseActionResult> => {
      const [row] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
      if (!row || !row.reference || isFinalStatus(row.status)) return { ok: false, reason: "not-changeable" };
      const [message] = await tx
        .insert(requestMessages)
        .values({ requestId, direction: "from-person", body: input.text })
        .returning({ id: requestMessages.id });
      let attachmentId: string | null = null;
      if (input.document && staged) {
        await staged.place(tx);
        const [stored] = await tx
          .insert(attachments)
          .values({
            requestId,
            fileName: input.document.fileName,
            contentType: input.document.contentType,
            size: staged.size,
            sha256: staged.sha256,
            uploadedBy: `message:${message!.id}`,
          })
          .returning({ id: attachments.id });
        attachmentId = stored!.id;
      }
      await appendAuditEvent(tx, {
        requestId,
        actorType: "person",
        action: "request.information-added",
        data: {
          messageId: message!.id,
          attachmentId,
          contentType: input.document?.contentType ?? null,
          size: staged?.size ?? 0,
        },
      });
      return { ok: true, outboxIds: [] };
    }),
  );
}

export type IdentifierCodeResult =
  { ok: true; outboxIds: string[] } | { ok: false; reason: "unknown" | "rate-limited" };

/** Sends a code to a further address of the case, so it can be proven like the first one. */
export async function sendIdentifierCode(
  { db, config }: Pick<Services, "db" | "config">,
  input: { requestId: string; identifierId: string; clientKey: string | null },
  now = new Date(),
): Promise<IdentifierCodeResult> {
  return db.transaction(async (tx): Promise<IdentifierCodeResult> => {
    const [row] = await tx
      .select({ identifier: requestIdentifiers, reference: requests.reference, lang: requests.lang })
      .from(requestIdentifiers)
      .innerJoin(requests, eq(requests.id, requestIdentifiers.requestId))
      .where(
        and(
          eq(requestIdentifiers.id, input.identifierId),
          eq(requestIdentifiers.requestId, input.requestId),
          eq(requestIdentifiers.kind, "email"),
        ),
      );
    if (!row || !row.reference || row.identifier.provenAt) return { ok: false, reason: "unknown" };
    const limits = [{ limit: codeLimits.perAddress, subject: row.identifier.normalized }];
    if (input.clientKey) limits.push({ limit: codeLimits.perClient, subject: input.clientKey });
    if (!(await takeRateLimits(tx, config.sessionSecret, limits, now)))
      return { ok: false, reason: "rate-limited" };
    const { code } = await issueCode(tx, config.sessionSecret, "identifier-proof", row.identifier.id, now);
    const lang: Lang = row.lang;
    const outboxId = await queueIdentifierCodeMail(tx, {
      requestId: input.requestId,
      reference: row.reference,
      to: row.identifier.normalized,
      lang,
      code,
      publicUrl: config.publicUrl,
    });
    return { ok: true, outboxIds: [outboxId] };
  });
}

export async function proveIdentifier(
  { db, config }: Pick<Services, "db" | "config">,
  input: { requestId: string; identifierId: string; code: string },
  now = new Date(),
): Promise<CodeCheck> {
  return db.transaction(async (tx): Promise<CodeCheck> => {
    const [identifier] = await tx
      .select()
      .from(requestIdentifiers)
      .where(
        and(
          eq(requestIdentifiers.id, input.identifierId),
          eq(requestIdentifiers.requestId, input.requestId),
          eq(requestIdentifiers.kind, "email"),
        ),
      );
    if (!identifier || identifier.provenAt) return "missing";
    const check = await checkCode(
      tx,
      config.sessionSecret,
      "identifier-proof",
      identifier.id,
      input.code,
      now,
    );
    if (check !== "ok") return check;
    await tx
      .update(requestIdentifiers)
      .set({ provenAt: now, proofSource: "email-code" })
      .where(eq(requestIdentifiers.id, identifier.id));
    // Its findings are the person's now: no longer held back as unproven matches.
    const findings = await markFindingsProven(tx, input.requestId);
    await appendAuditEvent(tx, {
      requestId: input.requestId,
      actorType: "person",
      action: "request.identifier-proven",
      data: {
        identifierId: identifier.id,
        findingsProven: findings.proven,
        findingsProvenDecided: findings.decided,
      },
    });
    return "ok";
  });
}
