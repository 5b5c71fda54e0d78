/**
 * Art. 12(6) DS-GVO: where staff check a person's identity against a document, the document is
 * looked at and then deleted. What stays is who checked what, and when: an audit event naming the
 * kind of document and the files deleted (ids, type, size, hash — not their names or contents), in
 * the same transaction as the deletion. The person reads on their case page that the document is
 * gone. Confirming the identifiers the document proves is the review's "confirm identifier"
 * (evidence: identity document); `deleteIdentityDocuments` is the one way documents go (ADR 0012).
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { attachments, auditEvents, requestMessages, requests, staffUsers } from "#db/schema";
import { type Lang, isLang, messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { removeUnreferenced } from "../document-files.server";
import type { Services } from "../services.server";
import type { StaffIdentity } from "../auth/staff.server";
import type { IdentityDocumentKind } from "../cases/statutory-intents";

export interface IdentityCheckView {
  documents: {
    id: string;
    fileName: string;
    contentType: string;
    size: number;
    uploadedAt: string;
    byPerson: boolean;
  }[];
  history: { by: string; at: string; documentKind: string; deleted: number }[];
}

export async function identityCheckView(db: Db, requestId: string): Promise<IdentityCheckView> {
  const [documents, events] = await Promise.all([
    db
      .select({
        id: attachments.id,
        fileName: attachments.fileName,
        contentType: attachments.contentType,
        size: attachments.size,
        createdAt: attachments.createdAt,
        uploadedBy: attachments.uploadedBy,
      })
      .from(attachments)
      .where(eq(attachments.requestId, requestId))
      .orderBy(asc(attachments.createdAt)),
    db
      .select({ at: auditEvents.createdAt, data: auditEvents.data, by: staffUsers.displayName })
      .from(auditEvents)
      .leftJoin(staffUsers, eq(sql`${staffUsers.id}::text`, auditEvents.actorId))
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "identity.checked")))
      .orderBy(asc(auditEvents.seq)),
  ]);
  return {
    documents: documents.map((d) => ({
      id: d.id,
      fileName: d.fileName,
      contentType: d.contentType,
      size: d.size,
      uploadedAt: d.createdAt.toISOString(),
      byPerson: d.uploadedBy.startsWith("message:"),
    })),
    history: events.map((e) => {
      const data = e.data as { documentKind?: string; deletedDocuments?: unknown[] };
      return {
        by: e.by ?? "–",
        at: e.at.toISOString(),
        documentKind: data.documentKind ?? "",
        deleted: data.deletedDocuments?.length ?? 0,
      };
    }),
  };
}

export type IdentityCheckResult =
  | { ok: true; deleted: number }
  | { ok: false; reason: "not-permitted" | "unknown-document" | "nothing-checked" };

/**
 * The staff page's record of a check: the documents named are the identity documents seen, and go —
 * their rows with the record, their files (unless another row names the same bytes) right after it
 * committed, before the page says it is done.
 */
export async function recordIdentityCheck(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  input: { documentKind: IdentityDocumentKind; documentIds: string[]; note: string },
): Promise<IdentityCheckResult> {
  if (!staff.permissions.has("finding:propose")) return { ok: false, reason: "not-permitted" };
  if (input.documentIds.length === 0) return { ok: false, reason: "nothing-checked" };
  const result = await db.transaction((tx) => deleteIdentityDocuments(tx, staff.id, requestId, input));
  if (!result.ok) return result;
  await removeUnreferenced(db, config, result.hashes);
  return { ok: true, deleted: result.deleted };
}

/**
 * Deletes the case's identity documents named after a check, in the caller's transaction: the rows,
 * the audit event that says who checked which kind of document and what was deleted, and the message
 * that tells the person. A document of another case refuses the whole check. The files go after the
 * commit (`removeUnreferenced` with the hashes returned).
 */
async function deleteIdentityDocuments(
  tx: DbOrTx,
  staffId: string,
  requestId: string,
  input: { documentKind: IdentityDocumentKind; documentIds: string[]; note?: string },
): Promise<{ ok: true; deleted: number; hashes: string[] } | Extract<IdentityCheckResult, { ok: false }>> {
  const documentIds = [...new Set(input.documentIds)];
  const [request] = await tx
    .select({ lang: requests.lang })
    .from(requests)
    .where(eq(requests.id, requestId))
    .for("update");
  if (!request) return { ok: false, reason: "unknown-document" };
  const documents = documentIds.length
    ? await tx
        .select({
          id: attachments.id,
          fileName: attachments.fileName,
          contentType: attachments.contentType,
          size: attachments.size,
          sha256: attachments.sha256,
        })
        .from(attachments)
        .where(and(eq(attachments.requestId, requestId), inArray(attachments.id, documentIds)))
    : [];
  if (documents.length !== documentIds.length) return { ok: false, reason: "unknown-document" };
  if (documents.length) await tx.delete(attachments).where(inArray(attachments.id, documentIds));
  await appendAuditEvent(tx, {
    requestId,
    actorType: "staff",
    actorId: staffId,
    action: "identity.checked",
    reason: input.note?.trim() || null,
    data: {
      documentKind: input.documentKind,
      deletedDocuments: documents.map((d) => ({
        id: d.id,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
      })),
    },
  });
  const lang: Lang = isLang(request.lang) ? request.lang : "de";
  const m = messagesFor(lang).statutory.identity;
  const body = documents.length ? m.message(documents.map((d) => d.fileName).join(", ")) : m.messageNoFiles;
  await tx
    .insert(requestMessages)
    .values({ requestId, direction: "to-person", body, authorStaffId: staffId });
  return { ok: true, deleted: documents.length, hashes: documents.map((d) => d.sha256) };
}
