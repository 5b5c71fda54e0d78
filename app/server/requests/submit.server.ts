import { eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { requestIdentifiers, requests } from "#db/schema";
import {
  normaliseBirthDate,
  normaliseEmail,
  normaliseIp,
  normalisePhone,
  nameKey,
  postalAddressKey,
  userNameKey,
} from "#app/core/identifiers";
import { deletionDue } from "#app/core/retention";
import { effectiveRule } from "../retention/rules.server";
import type { Lang } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { recordPendingComplaint } from "../complaints/forward.server";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { issueCode } from "../verification.server";
import type { Services } from "../services.server";
import { refuseWhileMailBacklogged } from "./intake-limit.server";
import { queueProofCodeMail } from "./mails.server";
import { recordRepresentation } from "./representation.server";
import type { RequestForm } from "./request-form";

export type SubmitResult =
  | { ok: true; requestId: string; outboxIds: string[]; repeated: boolean }
  | { ok: false; reason: "rate-limited" };

type IdentifierRow = typeof requestIdentifiers.$inferInsert;

/**
 * Stores an unproven request, its identifiers, a proof code and the mail carrying it in one
 * transaction. The form's one-time submission key makes a repeated POST (second tab, retry after a
 * lost response) return the first request instead of creating another.
 *
 * A new request is refused with a thrown 429 response while the code mails wait longer than their
 * codes live (intake-limit.server.ts); a repeated POST of an acknowledged one is still answered.
 */
export async function submitRequest(
  { db, config }: Pick<Services, "db" | "config">,
  input: { form: RequestForm; lang: Lang; clientKey: string | null; complaint?: { attachCaseFile: boolean } },
  now = new Date(),
): Promise<SubmitResult> {
  const { form } = input;
  const contactEmail = normaliseEmail(form.email);
  if (!contactEmail) throw new TypeError("submitRequest expects a validated form");
  return db.transaction(async (tx): Promise<SubmitResult> => {
    const earlier = await findBySubmissionKey(tx, form.submissionKey);
    if (earlier) return { ok: true, requestId: earlier, outboxIds: [], repeated: true };
    await refuseWhileMailBacklogged(tx);

    const limits = [{ limit: codeLimits.perAddress, subject: contactEmail }];
    if (input.clientKey) limits.push({ limit: codeLimits.perClient, subject: input.clientKey });
    if (!(await takeRateLimits(tx, config.sessionSecret, limits, now)))
      return { ok: false, reason: "rate-limited" };

    const [created] = await tx
      .insert(requests)
      .values({
        status: "unproven",
        kinds: form.kinds,
        channel: "web",
        lang: input.lang,
        contactEmail,
        details: form.details,
        submissionKey: form.submissionKey,
        submittedAt: now,
        expiresAt: deletionDue(await effectiveRule(tx, "portal-unverified-request"), now),
      })
      .onConflictDoNothing({ target: requests.submissionKey })
      .returning({ id: requests.id });
    if (!created) {
      // A parallel POST with the same key committed first: answer with its request.
      const winner = await findBySubmissionKey(tx, form.submissionKey);
      if (!winner) throw new Error("submission key conflict without a row");
      return { ok: true, requestId: winner, outboxIds: [], repeated: true };
    }
    const requestId = created.id;
    const identifiers = identifierRows(requestId, contactEmail, form);
    if (identifiers.length > 0) await tx.insert(requestIdentifiers).values(identifiers);
    if (form.representative) await recordRepresentation(tx, requestId, form.representative);
    const complaintText = form.details.beschwerde?.subject;
    // Kept with the person's choice about the file; forwarded only once the address is proven.
    if (input.complaint && complaintText)
      await recordPendingComplaint(tx, {
        requestId,
        text: complaintText,
        attachCaseFile: input.complaint.attachCaseFile,
      });
    const { code } = await issueCode(tx, config.sessionSecret, "request-proof", requestId, now);
    const outboxId = await queueProofCodeMail(tx, {
      requestId,
      to: contactEmail,
      lang: input.lang,
      code,
      publicUrl: config.publicUrl,
    });
    await appendAuditEvent(tx, {
      requestId,
      actorType: "person",
      action: "request.submitted",
      data: {
        kinds: form.kinds,
        channel: "web",
        identifiers: countIdentifiers(form),
        representativeRole: form.representative?.role ?? null,
      },
    });
    return { ok: true, requestId, outboxIds: [outboxId], repeated: false };
  });
}

async function findBySubmissionKey(tx: DbOrTx, key: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: requests.id })
    .from(requests)
    .where(eq(requests.submissionKey, key))
    .limit(1);
  return row?.id;
}

/**
 * Everything the person gave us to search for, each with its comparison key; none of it proven yet.
 * A representative's own address is where we write, not what we search: only the represented
 * person's identifiers are kept (ADR 0011).
 */
function identifierRows(requestId: string, contactEmail: string, form: RequestForm): IdentifierRow[] {
  const rows: IdentifierRow[] = form.representative
    ? []
    : [{ requestId, kind: "email", value: form.email.trim(), normalized: contactEmail }];
  const seenEmails = new Set(form.representative ? [] : [contactEmail]);
  for (const line of form.otherEmails) {
    const normalized = normaliseEmail(line);
    if (normalized && !seenEmails.has(normalized)) {
      seenEmails.add(normalized);
      rows.push({ requestId, kind: "email", value: line, normalized });
    }
  }
  if (form.name) rows.push({ requestId, kind: "name", value: form.name, normalized: nameKey(form.name) });
  if (form.postalAddress)
    rows.push({
      requestId,
      kind: "postal-address",
      value: form.postalAddress,
      normalized: postalAddressKey(form.postalAddress),
    });
  for (const phone of form.phones) {
    const normalized = normalisePhone(phone);
    if (normalized) rows.push({ requestId, kind: "phone", value: phone, normalized });
  }
  if (form.userName)
    rows.push({ requestId, kind: "user-name", value: form.userName, normalized: userNameKey(form.userName) });
  for (const ip of form.ips) {
    const normalized = normaliseIp(ip.address);
    if (normalized)
      rows.push({ requestId, kind: "ip", value: ip.address, normalized, validFrom: ip.from, validTo: ip.to });
  }
  if (form.birthDate) {
    const normalized = normaliseBirthDate(form.birthDate);
    if (normalized) rows.push({ requestId, kind: "birth-date", value: form.birthDate, normalized });
  }
  return rows;
}

/** For the audit trail: how many of each kind, never the values. */
function countIdentifiers(form: RequestForm): Record<string, number> {
  return {
    email: (form.representative ? 0 : 1) + form.otherEmails.length,
    name: form.name ? 1 : 0,
    postalAddress: form.postalAddress ? 1 : 0,
    phone: form.phones.length,
    userName: form.userName ? 1 : 0,
    ip: form.ips.length,
    birthDate: form.birthDate ? 1 : 0,
  };
}
