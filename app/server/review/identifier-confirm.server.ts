import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { findings, gatherRuns, requestIdentifiers } from "#db/schema";
import type { IdentifierKind } from "#app/sources/connector";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import type { EvidenceKind } from "./identifier-evidence";
import { ReviewRefused } from "./review-refused";

/** The request's identifier kinds (as stored) and the connectors' kinds a finding's match names. */
const matchedKind: Record<string, IdentifierKind> = {
  email: "email",
  name: "name",
  phone: "phone",
  "user-name": "userName",
  ip: "ip",
  "birth-date": "birthDate",
  "postal-address": "postalAddress",
};

/**
 * Findings of the case's latest gathering that matched only through this identifier become proven
 * ones: the person proved it (by code) or staff confirmed it with evidence. The rules' suggestion
 * "identity not confirmed" goes with it; a decision already taken stays until the reviewer changes
 * it. Findings matched through another identifier that is still unproven stay unproven; a new
 * gathering searches with the proven identifier from the start. Returns how many changed.
 */
export async function markFindingsProven(
  tx: DbOrTx,
  requestId: string,
  identifier: { kind: string; value: string },
): Promise<number> {
  const kind = matchedKind[identifier.kind];
  if (!kind) return 0;
  const [run] = await tx
    .select({ id: gatherRuns.id })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  if (!run) return 0;
  const changed = await tx
    .update(findings)
    .set({
      unproven: false,
      matched: sql`jsonb_set(${findings.matched}, '{proven}', 'true'::jsonb)`,
      suggestions: sql`(select coalesce(jsonb_agg(s), '[]'::jsonb) from jsonb_array_elements(${findings.suggestions}) s where s->>'ground' <> 'identity-unconfirmed')`,
    })
    .where(
      and(
        eq(findings.runId, run.id),
        eq(findings.unproven, true),
        sql`${findings.matched}->>'kind' = ${kind}`,
        sql`${findings.matched}->>'value' = ${identifier.value}`,
      ),
    )
    .returning({ id: findings.id });
  return changed.length;
}

/**
 * Staff confirm that an identifier the person gave is theirs, naming the evidence they saw (an ID
 * document, a contract, the provider's record …): the identifier counts as proven, its findings
 * become proven ones, and the audit trail keeps who confirmed it on what evidence.
 */
export async function confirmIdentifier(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  identifierId: string,
  evidence: { kind: EvidenceKind; text: string },
): Promise<number> {
  const text = evidence.text.trim();
  if (text.length < 10) throw new ReviewRefused("reasoning-required");
  return db.transaction(async (tx) => {
    const [identifier] = await tx
      .select()
      .from(requestIdentifiers)
      .where(
        and(
          eq(requestIdentifiers.id, identifierId),
          eq(requestIdentifiers.requestId, requestId),
          isNull(requestIdentifiers.provenAt),
        ),
      )
      .for("update");
    if (!identifier) throw new ReviewRefused("unknown-identifier");
    await tx
      .update(requestIdentifiers)
      .set({ provenAt: new Date(), proofSource: "staff-check" })
      .where(eq(requestIdentifiers.id, identifier.id));
    const proven = await markFindingsProven(tx, requestId, identifier);
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "identifier.confirmed",
      reason: evidence.kind,
      data: {
        identifierId: identifier.id,
        kind: identifier.kind,
        evidenceKind: evidence.kind,
        evidence: text,
        findingsProven: proven,
      },
    });
    return proven;
  });
}
