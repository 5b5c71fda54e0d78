/**
 * Requests filed for someone else (ADR 0011): the representative as recorded at filing, the staff's
 * check of their authority, and the rule that no answer leaves before that authority is confirmed.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import {
  attachments,
  representationChecks,
  representations,
  requestIdentifiers,
  requestMessages,
  requests,
  staffUsers,
} from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import {
  type AuthorityCheckResult,
  type AuthorityDocumentKind,
  acceptedDocuments,
  representativeRoleSchema,
} from "#app/core/representation";
import { messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { documentColumns, removeUnreferenced } from "../document-files.server";
import type { Services } from "../services.server";
import type { Representative } from "./request-form";

export interface RepresentationView extends Representative {
  /** The represented person's name, from the case's identifiers (what is searched). */
  representedName: string | null;
  representedBirthDay: string | null;
  /** The newest check, which is the one that counts. */
  lastCheck: {
    staffName: string;
    at: Date;
    documentKind: AuthorityDocumentKind;
    result: AuthorityCheckResult;
  } | null;
}

/** Kept with the request in the caller's transaction; the audit trail gets the role, never a name. */
export async function recordRepresentation(
  tx: DbOrTx,
  requestId: string,
  representative: Representative,
): Promise<void> {
  await tx.insert(representations).values({ requestId, ...representative });
}

/** Where letters of a case filed for someone else go: the representative; null for a person's own request. */
export async function representativeAddressOf(
  db: DbOrTx,
  requestId: string,
): Promise<{ name: string; postalAddress: string | null } | null> {
  const [row] = await db
    .select({ name: representations.name, postalAddress: representations.postalAddress })
    .from(representations)
    .where(eq(representations.requestId, requestId));
  return row ? { name: row.name, postalAddress: row.postalAddress?.trim() || null } : null;
}

/** The case's representative with what the letter and the staff page need; null for a person's own request. */
export async function representationOf(db: DbOrTx, requestId: string): Promise<RepresentationView | null> {
  const [row] = await db.select().from(representations).where(eq(representations.requestId, requestId));
  if (!row) return null;
  const role = representativeRoleSchema.safeParse(row.role);
  if (!role.success) throw new Error(`representation of ${requestId} has an unknown role`);
  const identifiers = await db
    .select({
      kind: requestIdentifiers.kind,
      value: requestIdentifiers.value,
      normalized: requestIdentifiers.normalized,
    })
    .from(requestIdentifiers)
    .where(eq(requestIdentifiers.requestId, requestId))
    .orderBy(requestIdentifiers.createdAt);
  const [check] = await db
    .select({
      staffName: staffUsers.displayName,
      at: representationChecks.createdAt,
      documentKind: representationChecks.documentKind,
      result: representationChecks.result,
    })
    .from(representationChecks)
    .innerJoin(staffUsers, eq(staffUsers.id, representationChecks.staffId))
    .where(eq(representationChecks.requestId, requestId))
    .orderBy(desc(representationChecks.createdAt), desc(representationChecks.id))
    .limit(1);
  return {
    role: role.data,
    name: row.name,
    postalAddress: row.postalAddress,
    phone: row.phone,
    representedName: identifiers.find((i) => i.kind === "name")?.value ?? null,
    representedBirthDay: identifiers.find((i) => i.kind === "birth-date")?.normalized ?? null,
    lastCheck: check ?? null,
  };
}

/**
 * Whether the case may be answered as far as representation goes: a person's own request always; a
 * request filed for someone else only after the newest check confirmed the representative's authority.
 */
export async function authorityConfirmed(db: DbOrTx, requestId: string): Promise<boolean> {
  const [filed] = await db
    .select({ requestId: representations.requestId })
    .from(representations)
    .where(eq(representations.requestId, requestId));
  if (!filed) return true;
  const [check] = await db
    .select({ result: representationChecks.result })
    .from(representationChecks)
    .where(eq(representationChecks.requestId, requestId))
    .orderBy(desc(representationChecks.createdAt), desc(representationChecks.id))
    .limit(1);
  return check?.result === "confirmed";
}

/** The documents uploaded to a case (by the person, or scanned at intake): candidates for deletion with a check. */
async function uploadedCopiesOf(
  db: DbOrTx,
  requestId: string,
): Promise<{ id: string; fileName: string; createdAt: Date }[]> {
  return db
    .select({ id: attachments.id, fileName: attachments.fileName, createdAt: attachments.createdAt })
    .from(attachments)
    .where(eq(attachments.requestId, requestId))
    .orderBy(attachments.createdAt);
}

export type AuthorityCheckOutcome =
  { ok: true } | { ok: false; reason: "not-represented" | "document-not-accepted" | "unknown-copy" };

/**
 * Records the staff's check: who, which kind of document, the result. The copies staff name are
 * deleted in the same transaction, so no copy outlives the record of having seen it, and their files
 * (unless another row names the same bytes) right after it committed. A confirmation with a document
 * that does not prove the role (a birth certificate for a child of 16) is refused.
 */
export async function recordAuthorityCheck(
  { db, config }: Pick<Services, "db" | "config">,
  input: {
    staffId: string;
    requestId: string;
    documentKind: AuthorityDocumentKind;
    result: AuthorityCheckResult;
    deleteCopyIds: string[];
  },
  now = new Date(),
): Promise<AuthorityCheckOutcome> {
  let deletedHashes: string[] = [];
  const outcome = await db.transaction(async (tx): Promise<AuthorityCheckOutcome> => {
    // The case row is locked: a release cannot slip between the check and its record.
    const [case_] = await tx
      .select({ lang: requests.lang })
      .from(requests)
      .where(eq(requests.id, input.requestId))
      .for("update");
    if (!case_) return { ok: false, reason: "not-represented" };
    const representation = await representationOf(tx, input.requestId);
    if (!representation) return { ok: false, reason: "not-represented" };
    const accepted = acceptedDocuments(
      representation.role,
      representation.representedBirthDay,
      berlinDayOf(now),
    );
    if (input.result === "confirmed" && !accepted.includes(input.documentKind))
      return { ok: false, reason: "document-not-accepted" };
    const copyIds = [...new Set(input.deleteCopyIds)];
    const copies = copyIds.length
      ? await tx
          .select(documentColumns)
          .from(attachments)
          .where(and(eq(attachments.requestId, input.requestId), inArray(attachments.id, copyIds)))
      : [];
    // A copy of another case, or one gone already: nothing is recorded, nothing deleted.
    if (copies.length !== copyIds.length) return { ok: false, reason: "unknown-copy" };
    if (copies.length > 0) await tx.delete(attachments).where(inArray(attachments.id, copyIds));
    deletedHashes = copies.map((c) => c.sha256);
    await tx.insert(representationChecks).values({
      requestId: input.requestId,
      staffId: input.staffId,
      documentKind: input.documentKind,
      result: input.result,
      deletedCopies: copies.length,
      createdAt: now,
    });
    await appendAuditEvent(tx, {
      requestId: input.requestId,
      actorType: "staff",
      actorId: input.staffId,
      action: "representation.checked",
      data: {
        role: representation.role,
        documentKind: input.documentKind,
        result: input.result,
        deletedDocuments: copies.map((c) => ({
          id: c.id,
          contentType: c.contentType,
          size: c.size,
          sha256: c.sha256,
        })),
      },
    });
    // The representative reads the outcome on the case page, and that no copy is kept.
    const m = messagesFor(case_.lang).representation;
    const document = m.documents[input.documentKind];
    const outcome =
      input.result === "confirmed" ? m.check.messageConfirmed(document) : m.check.messageRejected(document);
    const body = copies.length
      ? `${outcome} ${m.check.messageDeleted(copies.map((c) => c.fileName).join(", "))}`
      : outcome;
    await tx
      .insert(requestMessages)
      .values({ requestId: input.requestId, direction: "to-person", body, authorStaffId: input.staffId });
    return { ok: true };
  });
  if (outcome.ok) await removeUnreferenced(db, config, deletedHashes);
  return outcome;
}

export interface RepresentationCheckView {
  representation: RepresentationView;
  contactEmail: string;
  /** The documents that would prove the role today; for a child of 16 or more only their own power of attorney. */
  accepted: AuthorityDocumentKind[];
  childOwnRights: boolean;
  copies: { id: string; fileName: string; createdAt: Date }[];
}

/** What the staff case page shows of a request filed for someone else; null for a person's own request. */
export async function representationCheckView(
  db: Db,
  requestId: string,
  now = new Date(),
): Promise<RepresentationCheckView | null> {
  const representation = await representationOf(db, requestId);
  if (!representation) return null;
  const [request] = await db
    .select({ contactEmail: requests.contactEmail })
    .from(requests)
    .where(eq(requests.id, requestId));
  const accepted = acceptedDocuments(
    representation.role,
    representation.representedBirthDay,
    berlinDayOf(now),
  );
  return {
    representation,
    contactEmail: request?.contactEmail ?? "",
    accepted,
    childOwnRights: representation.role === "parent" && accepted.includes("power-of-attorney"),
    copies: await uploadedCopiesOf(db, requestId),
  };
}
