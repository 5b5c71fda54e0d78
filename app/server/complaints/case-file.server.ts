import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { attachments, auditEvents, requestIdentifiers, requestMessages, requests } from "#db/schema";

type CaseRow = typeof requests.$inferSelect;

/** What the person may let the authority see: the case as the portal holds it. */
export interface CaseFile {
  request: CaseRow;
  identifiers: { kind: string; value: string; proven: boolean }[];
  timeline: { action: string; at: Date }[];
  messages: { direction: string; body: string; at: Date }[];
  documents: {
    id: string;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    at: Date;
  }[];
}

/**
 * Reads a case in the caller's transaction. The timeline keeps only what happened and when, never
 * the reasons or data of internal events: those name staff and other people.
 */
export async function loadCaseFile(tx: DbOrTx, requestId: string): Promise<CaseFile | null> {
  const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).limit(1);
  if (!request) return null;
  const [identifiers, events, messages, documents] = await Promise.all([
    tx
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, requestId))
      .orderBy(asc(requestIdentifiers.createdAt)),
    tx
      .select({ action: auditEvents.action, at: auditEvents.createdAt })
      .from(auditEvents)
      .where(eq(auditEvents.requestId, requestId))
      .orderBy(asc(auditEvents.seq)),
    tx
      .select()
      .from(requestMessages)
      .where(eq(requestMessages.requestId, requestId))
      .orderBy(asc(requestMessages.createdAt)),
    // Names and hashes only: the bytes are files, read when a document is sent (readDocument).
    tx
      .select({
        id: attachments.id,
        fileName: attachments.fileName,
        contentType: attachments.contentType,
        size: attachments.size,
        sha256: attachments.sha256,
        at: attachments.createdAt,
      })
      .from(attachments)
      .where(eq(attachments.requestId, requestId))
      .orderBy(asc(attachments.createdAt)),
  ]);
  return {
    request,
    identifiers: identifiers.map((i) => ({ kind: i.kind, value: i.value, proven: i.provenAt !== null })),
    timeline: events,
    messages: messages.map((m) => ({ direction: m.direction, body: m.body, at: m.createdAt })),
    documents,
  };
}

/** The person's contact details for the letter: given even without the case file, so the authority can answer. */
export function contactOf(file: CaseFile): {
  name: string | null;
  email: string;
  postalAddress: string | null;
} {
  const first = (kind: string) => file.identifiers.find((i) => i.kind === kind)?.value ?? null;
  return { name: first("name"), email: file.request.contactEmail, postalAddress: first("postal-address") };
}
