import { and, asc, desc, eq, inArray } from "drizzle-orm";
import {
  attachments,
  auditEvents,
  representations,
  requestIdentifiers,
  requestMessages,
  requests,
} from "#db/schema";
import { personVisibleActions } from "#app/core/audit-actions";
import { type ProofSource, differingFromProvider } from "#app/core/identity-proof";
import { type RepresentativeRole, representativeRoleSchema } from "#app/core/representation";
import type { Services } from "../services.server";
import { referencePattern } from "./reference.server";
import { ownedBy } from "./signin.server";

export interface CaseSummary {
  reference: string;
  kinds: string[];
  status: string;
  receivedAt: string | null;
  deadline: string | null;
  extendedDeadline: string | null;
}

export interface CaseView extends CaseSummary {
  id: string;
  extensionReason: string | null;
  contactEmail: string;
  timeline: { action: string; at: string }[];
  messages: { direction: string; body: string; at: string; attachments: string[] }[];
  identifiers: {
    id: string;
    kind: string;
    value: string;
    proven: boolean;
    proofSource: ProofSource | null;
    /** Typed by the person and differing from what the identity provider proved (shown, never overwritten). */
    differsFromProvider: boolean;
  }[];
  /** Filed by a representative: whom the case is about (the name searched for, if given) and in which role. */
  filedFor: { name: string | null; role: RepresentativeRole } | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function listCases({ db }: Pick<Services, "db">, emails: string[]): Promise<CaseSummary[]> {
  if (emails.length === 0) return [];
  const rows = await db.select().from(requests).where(ownedBy(emails)).orderBy(desc(requests.receivedAt));
  return rows.map(summary);
}

function summary(row: typeof requests.$inferSelect): CaseSummary {
  return {
    reference: row.reference ?? "",
    kinds: row.kinds,
    status: row.status,
    receivedAt: iso(row.receivedAt),
    deadline: iso(row.deadline),
    extendedDeadline: iso(row.extendedDeadline),
  };
}

/**
 * One case, only if one of the person's proven addresses owns it. Unknown and foreign references
 * give the same `null`, so the page answers both with the same 404.
 */
export async function findOwnedCase(
  { db }: Pick<Services, "db">,
  emails: string[],
  reference: string,
): Promise<CaseView | null> {
  if (emails.length === 0 || !referencePattern.test(reference)) return null;
  const [row] = await db
    .select()
    .from(requests)
    .where(and(eq(requests.reference, reference), ownedBy(emails)))
    .limit(1);
  if (!row) return null;
  const [events, messages, files, identifiers, [representation]] = await Promise.all([
    db
      .select({ action: auditEvents.action, at: auditEvents.createdAt, seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, row.id), inArray(auditEvents.action, [...personVisibleActions])))
      .orderBy(asc(auditEvents.seq)),
    db
      .select()
      .from(requestMessages)
      .where(eq(requestMessages.requestId, row.id))
      .orderBy(asc(requestMessages.createdAt)),
    db
      .select({
        fileName: attachments.fileName,
        createdAt: attachments.createdAt,
        uploadedBy: attachments.uploadedBy,
      })
      .from(attachments)
      .where(eq(attachments.requestId, row.id)),
    db
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, row.id))
      .orderBy(asc(requestIdentifiers.createdAt)),
    db
      .select({ role: representations.role })
      .from(representations)
      .where(eq(representations.requestId, row.id)),
  ]);
  const role = representation ? representativeRoleSchema.safeParse(representation.role) : null;
  const differing = differingFromProvider(identifiers);
  return {
    ...summary(row),
    id: row.id,
    extensionReason: row.extensionReason,
    contactEmail: row.contactEmail,
    timeline: events.map((e) => ({ action: e.action, at: e.at.toISOString() })),
    messages: messages.map((message) => ({
      direction: message.direction,
      body: message.body,
      at: message.createdAt.toISOString(),
      // Documents name the message they came with in uploaded_by (see addInformation).
      attachments: files.filter((f) => f.uploadedBy === `message:${message.id}`).map((f) => f.fileName),
    })),
    identifiers: identifiers.map((i) => ({
      id: i.id,
      kind: i.kind,
      value: i.value,
      proven: i.provenAt !== null,
      proofSource: i.proofSource,
      differsFromProvider: differing.has(i.id),
    })),
    // The representative reads whose case this is: the represented person's name, as the request gave it.
    filedFor: role?.success
      ? { name: identifiers.find((i) => i.kind === "name")?.value ?? null, role: role.data }
      : null,
  };
}
