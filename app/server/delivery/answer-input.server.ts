import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { findingDecisions, findings, requestIdentifiers, requests } from "#db/schema";
import { type RequestKindSlug, requestKindSlug } from "#app/core/request-kinds";
import type { OverdueRecords } from "../answers/answer-input";
import type { LetterInput } from "../answers/letter-content";
import type { SourcesConfig } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import { overdueGroupsOfCase, retentionEnv } from "../retention/overdue.server";
import { effectiveRules } from "../retention/rules.server";
import { representationOf } from "../requests/representation.server";
import { letterFactsOf } from "../review/review.server";
import { type ApprovedRound, approvedRoundOf, releasedFindingsOf } from "./released-findings.server";

/**
 * The input of the answer documents for a case: its approved review with what the letter may say of
 * it (withheld groups as the person reads them, stores not searched completely, unproven
 * identifiers — see letterFactsOf), its dates, the address of the person or of their representative, and the retention rules in
 * force. Null when no review of the case is approved. The
 * released findings are read from the database as the documents are written, never all at once;
 * the first pass over them throws ChangedSinceReview where one differs from what was reviewed.
 */
export async function answerInputFor(
  db: Db,
  requestId: string,
  answeredAt: Date,
  publicUrl?: string,
  // The portal passes the configuration loaded at start; tests and benchmarks without one read the shipped file.
  sources: SourcesConfig = loadSourcesConfig(),
): Promise<LetterInput | null> {
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  const round = request?.reference && request.receivedAt ? await approvedRoundOf(db, requestId) : null;
  if (!request?.reference || !request.receivedAt || !round) return null;
  const lang = request.lang;
  const facts = await letterFactsOf(db, requestId, lang);
  if (!facts) return null;
  const names = await db
    .select({ value: requestIdentifiers.value, kind: requestIdentifiers.kind })
    .from(requestIdentifiers)
    .where(eq(requestIdentifiers.requestId, requestId));
  const representative = await representationOf(db, requestId);
  // Filed for someone else: the letter goes to the representative and names the represented person (ADR 0011).
  const recipient = representative
    ? {
        email: request.contactEmail,
        name: representative.name,
        postalAddress: representative.postalAddress ?? undefined,
      }
    : {
        email: request.contactEmail,
        name: names.find((n) => n.kind === "name")?.value,
        postalAddress: names.find((n) => n.kind === "postal-address")?.value,
      };
  return {
    reference: request.reference,
    lang,
    receivedAt: request.receivedAt,
    answeredAt,
    recipient,
    ...(representative?.representedName
      ? { representation: { role: representative.role, representedName: representative.representedName } }
      : {}),
    kinds: request.kinds.filter((k): k is RequestKindSlug => requestKindSlug.safeParse(k).success),
    released: releasedFindingsOf(db, round),
    withheld: facts.withheld,
    facts,
    ...(publicUrl ? { complaintUrl: `${publicUrl}/vorgang/${request.reference}/beschwerde` } : {}),
    retentionRules: await effectiveRules(db),
    overdue: await overdueReleased(db, requestId, round, answeredAt, sources),
  };
}

/**
 * The released records of the approved round that are past their store's retention period on the
 * answer's date, per store, activity, rule and hold (the staff's overdue flag, overdue.server.ts,
 * decides which): what the letter must say beside the periods it states. Counted by the database
 * (overdueGroupsOfCase): a case with 100 000 findings may have 50 000 overdue, and listing them
 * took as long as the pass over the findings and filled the heap before it (ADR 0006).
 */
async function overdueReleased(
  db: Db,
  requestId: string,
  round: ApprovedRound,
  answeredAt: Date,
  sources: SourcesConfig,
): Promise<OverdueRecords[]> {
  const released = sql`${findings.runId} = ${round.runId} and exists (
    select 1 from ${findingDecisions} d where d.finding_id = ${findings.id}
      and d.round_id = ${round.roundId} and d.decision <> 'withhold')`;
  const groups = await overdueGroupsOfCase(
    await retentionEnv(db, { sources }),
    requestId,
    answeredAt,
    released,
  );
  return (
    groups
      .map((g): OverdueRecords => ({
        store: g.store,
        storeKind: g.storeKind,
        processingActivityId: g.activity,
        ruleId: g.ruleId,
        count: g.count,
        oldest: g.oldest,
        held: g.held,
      }))
      // A total order (the database hands the groups back in any order): the same review, the same letter.
      .sort(
        (a, b) =>
          a.store.localeCompare(b.store) ||
          Number(a.held) - Number(b.held) ||
          byCodeUnits(a.processingActivityId, b.processingActivityId) ||
          byCodeUnits(a.ruleId, b.ruleId),
      )
  );
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
