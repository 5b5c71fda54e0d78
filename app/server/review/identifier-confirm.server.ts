import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { findingDecisions, findings, gatherRuns, requestIdentifiers, reviewRounds } from "#db/schema";
import { subjectKindOf } from "#app/core/identifier-kinds";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import type { EvidenceKind } from "./identifier-evidence";
import { ReviewRefused } from "./review-refused";

/** A proven identifier as a finding's `provenBy` names it (kind and value, split by the unit separator, chr(31)). */
const proofKey = (kind: string, value: string) => `${kind}\u001f${value}`;

/**
 * What a finding's match rests on: its `provenBy` list, or for a finding stored before that list
 * (ADR 0007) the matched identifier itself where it identifies a mailbox, line or account — a
 * name or an address beside a name could have been a candidate only, and stays one.
 */
const restsOn = sql`coalesce(${findings.matched}->'provenBy', case when ${findings.matched}->>'kind' in ('email', 'phone', 'userName', 'ip') then jsonb_build_array(jsonb_build_object('kind', ${findings.matched}->>'kind', 'value', ${findings.matched}->>'value')) else '[]'::jsonb end)`;

export interface FindingsProven {
  /** Findings of the latest gathering that are proven matches now. */
  proven: number;
  /** Of them, those a reviewer had already decided: the decision stands, and so does what it was made on. */
  decided: number;
}

/**
 * Re-evaluates the findings of the case's latest gathering after a proof (e-mail code, identity
 * provider, staff check), also once the review has started: an unproven match becomes a proven one
 * when every identifier it rests on (`provenBy`, ADR 0007) is proven now — never a name alone. An
 * undecided finding loses the rules' suggestion "identity not confirmed"; a finding the reviewer
 * already decided keeps its decision and the suggestion it was decided on (ADR 0016: what is
 * ticked is decided) and is only marked proven, so the review shows it and the proof behind it.
 * Findings matched through anything still unproven stay unproven; a new gathering searches with
 * the proven identifiers from the start.
 */
export async function markFindingsProven(tx: DbOrTx, requestId: string): Promise<FindingsProven> {
  const none = { proven: 0, decided: 0 };
  const [run] = await tx
    .select({ id: gatherRuns.id })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  if (!run) return none;
  const provenKeys = (
    await tx
      .select({ kind: requestIdentifiers.kind, value: requestIdentifiers.value })
      .from(requestIdentifiers)
      .where(and(eq(requestIdentifiers.requestId, requestId), isNotNull(requestIdentifiers.provenAt)))
  ).map((i) => proofKey(subjectKindOf[i.kind], i.value));
  if (provenKeys.length === 0) return none;
  const [round] = await tx
    .select({ id: reviewRounds.id })
    .from(reviewRounds)
    .where(eq(reviewRounds.runId, run.id))
    .orderBy(desc(reviewRounds.createdAt))
    .limit(1);
  const decided = round
    ? sql`exists (select 1 from ${findingDecisions} where ${findingDecisions.findingId} = ${findings.id} and ${findingDecisions.roundId} = ${round.id})`
    : sql`false`;
  const keys = sql`array[${sql.join(
    provenKeys.map((key) => sql`${key}`),
    sql`, `,
  )}]::text[]`;
  const changed = await tx
    .update(findings)
    .set({
      unproven: false,
      matched: sql`jsonb_set(${findings.matched}, '{proven}', 'true'::jsonb)`,
      suggestions: sql`case when ${decided} then ${findings.suggestions} else (select coalesce(jsonb_agg(s), '[]'::jsonb) from jsonb_array_elements(${findings.suggestions}) s where s->>'ground' <> 'identity-unconfirmed') end`,
    })
    .where(
      and(
        eq(findings.runId, run.id),
        eq(findings.unproven, true),
        sql`jsonb_array_length(${restsOn}) > 0`,
        sql`not exists (select 1 from jsonb_array_elements(${restsOn}) r where (r->>'kind') || chr(31) || (r->>'value') <> all(${keys}))`,
      ),
    )
    .returning({ id: findings.id, decided: sql<boolean>`${decided}` });
  return { proven: changed.length, decided: changed.filter((f) => f.decided).length };
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
    const proven = await markFindingsProven(tx, requestId);
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
        findingsProven: proven.proven,
        findingsProvenDecided: proven.decided,
      },
    });
    return proven.proven;
  });
}
