/**
 * Art. 12(6) DS-GVO: staff check a person's identity against a document shown in person or a copy
 * sent. The check is a row of identity_checks — the kind of document, the last four characters of
 * its number, how it was seen, who checked, when, and the result — and a copy is deleted in the
 * same transaction (its file right after the commit). The audit event says who checked which kind
 * of document, how, with what result, and which files were deleted (ids, type, size, hash — not
 * their names or contents). The person reads on their case page what was done. Confirming the
 * identifiers the document proves is the review's "confirm identifier" (evidence: identity
 * document); `deleteIdentityDocuments` is the one way documents go (ADR 0012).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { attachments, identityChecks, requestMessages, requests, staffUsers } from "#db/schema";
import {
  type IdentityCheckHow,
  type IdentityCheckResultKind,
  type IdentityDocumentKind,
  numberTailSchema,
} from "#app/core/identity-checks";
import { type Lang, messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { copyWithoutDocuments } from "./identity-check-form";
import {
  DocumentFileError,
  documentColumns,
  readDocument,
  removeUnreferenced,
} from "../document-files.server";
import type { Services } from "../services.server";
import type { StaffIdentity } from "../auth/staff.server";

/** Recording a check and opening a copy before it need the same permission: whoever decides may look. */
const CHECK_PERMISSION = "finding:propose";

export interface IdentityCheckView {
  documents: {
    id: string;
    fileName: string;
    contentType: string;
    size: number;
    uploadedAt: string;
    byPerson: boolean;
  }[];
  history: {
    id: string;
    by: string;
    at: string;
    how: IdentityCheckHow;
    documentKind: IdentityDocumentKind;
    numberTail: string;
    result: IdentityCheckResultKind;
    reason: string | null;
  }[];
}

export async function identityCheckView(db: Db, requestId: string): Promise<IdentityCheckView> {
  const [documents, checks] = await Promise.all([
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
      .select({
        id: identityChecks.id,
        at: identityChecks.checkedAt,
        by: staffUsers.displayName,
        how: identityChecks.how,
        documentKind: identityChecks.documentKind,
        numberTail: identityChecks.numberTail,
        result: identityChecks.result,
        reason: identityChecks.reason,
      })
      .from(identityChecks)
      .innerJoin(staffUsers, eq(staffUsers.id, identityChecks.checkedBy))
      .where(eq(identityChecks.requestId, requestId))
      .orderBy(asc(identityChecks.checkedAt), asc(identityChecks.id)),
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
    history: checks.map((c) => ({ ...c, at: c.at.toISOString() })),
  };
}

export interface IdentityCheckInput {
  how: IdentityCheckHow;
  documentKind: IdentityDocumentKind;
  /** As typed; checked here (numberTailSchema) so the form can show the refusal at its field. */
  numberTail: string;
  result: IdentityCheckResultKind;
  /** The copies seen, deleted with the record; none for a document shown in person. */
  documentIds: string[];
  reason: string;
}

export type IdentityCheckResult =
  | { ok: true; deleted: number; checkId: string }
  | { ok: false; reason: "not-permitted" | "unknown-document" | "nothing-checked" | "number-tail" };

/**
 * The staff page's record of a check. A check of a copy names the copies seen, and they go — their
 * rows with the record, their files (unless another row names the same bytes) right after it
 * committed, before the page says it is done. A document shown in person leaves no copy to delete.
 */
export async function recordIdentityCheck(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  input: IdentityCheckInput,
): Promise<IdentityCheckResult> {
  if (!staff.permissions.has(CHECK_PERMISSION)) return { ok: false, reason: "not-permitted" };
  const tail = numberTailSchema.safeParse(input.numberTail);
  if (!tail.success) return { ok: false, reason: "number-tail" };
  if (copyWithoutDocuments(input)) return { ok: false, reason: "nothing-checked" };
  const result = await db.transaction((tx) =>
    deleteIdentityDocuments(tx, staff.id, requestId, { ...input, numberTail: tail.data }),
  );
  if (!result.ok) return result;
  await removeUnreferenced(db, config, result.hashes);
  return { ok: true, deleted: result.deleted, checkId: result.checkId };
}

/**
 * Records the check and deletes the case's documents named, in the caller's transaction: the
 * check's row, the document rows, the audit event, and the message that tells the person. A
 * document of another case refuses the whole check. The files go after the commit
 * (`removeUnreferenced` with the hashes returned).
 */
async function deleteIdentityDocuments(
  tx: DbOrTx,
  staffId: string,
  requestId: string,
  input: IdentityCheckInput,
): Promise<
  | { ok: true; deleted: number; hashes: string[]; checkId: string }
  | Extract<IdentityCheckResult, { ok: false }>
> {
  const documentIds = [...new Set(input.documentIds)];
  const [request] = await tx
    .select({ lang: requests.lang })
    .from(requests)
    .where(eq(requests.id, requestId))
    .for("update");
  if (!request) return { ok: false, reason: "unknown-document" };
  const documents = documentIds.length
    ? await tx
        .select(documentColumns)
        .from(attachments)
        .where(and(eq(attachments.requestId, requestId), inArray(attachments.id, documentIds)))
    : [];
  if (documents.length !== documentIds.length) return { ok: false, reason: "unknown-document" };
  if (documents.length) await tx.delete(attachments).where(inArray(attachments.id, documentIds));
  const [check] = await tx
    .insert(identityChecks)
    .values({
      requestId,
      checkedBy: staffId,
      how: input.how,
      documentKind: input.documentKind,
      numberTail: input.numberTail,
      result: input.result,
      reason: input.reason.trim() || null,
    })
    .returning({ id: identityChecks.id });
  // The trail says that a check happened and what it deleted; what was checked in detail (the
  // number's tail, the reason typed) stays in identity_checks, which goes with the case. The trail
  // is kept longer than the case (ADR 0014) and must not hold more of the person than it did.
  await appendAuditEvent(tx, {
    requestId,
    actorType: "staff",
    actorId: staffId,
    action: "identity.checked",
    data: {
      checkId: check!.id,
      how: input.how,
      documentKind: input.documentKind,
      result: input.result,
      deletedDocuments: documents.map((d) => ({
        id: d.id,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
      })),
    },
  });
  const lang: Lang = request.lang;
  const m = messagesFor(lang).statutory.identity;
  const confirmed = input.result === "confirmed";
  const body = documents.length
    ? m.message(documents.map((d) => d.fileName).join(", "), confirmed)
    : m.messageNoFiles(confirmed);
  await tx
    .insert(requestMessages)
    .values({ requestId, direction: "to-person", body, authorStaffId: staffId });
  return { ok: true, deleted: documents.length, hashes: documents.map((d) => d.sha256), checkId: check!.id };
}

export type OpenedDocument =
  | { ok: true; fileName: string; contentType: string; content: Buffer }
  | { ok: false; reason: "not-permitted" | "unknown-document" | DocumentFileError["problem"] };

/**
 * A copy of the case opened by staff before they record the check: its bytes from disk, checked
 * against size and hash (a missing or damaged file is said, never sent as empty bytes). Each
 * opening is a staff read in the audit trail (§ 51 ThürDSG, ADR 0014): which document, not its name.
 */
export async function openIdentityDocument(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  documentId: string,
): Promise<OpenedDocument> {
  if (!staff.permissions.has(CHECK_PERMISSION)) return { ok: false, reason: "not-permitted" };
  const [document] = await db
    .select(documentColumns)
    .from(attachments)
    .where(and(eq(attachments.requestId, requestId), eq(attachments.id, documentId)));
  if (!document) return { ok: false, reason: "unknown-document" };
  let content: Buffer;
  try {
    content = await readDocument(config, document);
  } catch (error) {
    if (!(error instanceof DocumentFileError)) throw error;
    return { ok: false, reason: error.problem };
  }
  await appendAuditEvent(db, {
    requestId,
    actorType: "staff",
    actorId: staff.id,
    action: "identity.document-read",
    data: { documentId: document.id, size: document.size, sha256: document.sha256 },
  });
  return { ok: true, fileName: document.fileName, contentType: document.contentType, content };
}
