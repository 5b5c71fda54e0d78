import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { findings } from "#db/schema";
import { type FindingsFilter, decisionToken } from "#app/core/findings-view";
import { groupStamp } from "./decision-checks.server";
import { decidedInRound, findingsWhere } from "./review.server";
import { type SearchGate, searchGate } from "./search-complete.server";

/**
 * What the staff case page needs beyond the case to decide exactly what it shows: each finding's
 * decision state (posted back with a decision), the group's stamp, a stamp of all the round's
 * decisions (the table starts afresh, nothing ticked, after every saved decision), the search that
 * must be complete, and whether the member decided in the round (then they do not approve it).
 */
export async function reviewPageFacts(
  db: Db,
  staffId: string,
  runId: string | null,
  round: { id: string; runId: string; status: string } | null,
  filter: FindingsFilter,
  matching: number,
): Promise<{
  groupStamp: string | null;
  decisionsStamp: string;
  searchGate: SearchGate | null;
  ownDecisions: boolean;
}> {
  // Independent reads, side by side (a pool of connections on PostgreSQL).
  const [group, all, gate, ownDecisions] = await Promise.all([
    round?.status === "open" && matching > 0
      ? groupStamp(db, round.id, findingsWhere(round.runId, round.id, filter))
      : null,
    round ? groupStamp(db, round.id, eq(findings.runId, round.runId)) : null,
    runId ? searchGate(db, runId) : null,
    round?.status === "proposed" ? decidedInRound(db, round.id, staffId) : false,
  ]);
  return {
    groupStamp: group,
    decisionsStamp: round ? `${round.id}.${round.status}.${all}` : "none",
    searchGate: gate,
    ownDecisions,
  };
}

/** The findings of a page, each with its decision state as the page shows it. */
export function withShownState<T extends { decision: { decision: string; decidedAt: Date } | null }>(
  rows: T[],
): (T & { shown: string })[] {
  return rows.map((row) => ({ ...row, shown: decisionToken(row.decision) }));
}
