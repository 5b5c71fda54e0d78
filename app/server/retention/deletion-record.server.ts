/**
 * The DPO's deletion record (/intern/loeschprotokoll): the sweeps' deletions of the last 90 days per
 * day and store, the audit trail's own deletions, and the latest evidence rows, dated as ISO strings.
 */
import type { Services } from "../services.server";
import { auditTrailDeletions, deletionsPerDay, deletionsPerStore, latestEvidence } from "./evidence.server";

const WINDOW_DAYS = 90;

export async function deletionRecordPage({ db, sql }: Pick<Services, "db" | "sql">, now = new Date()) {
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const [evidence, perDay, perStore, audit] = await Promise.all([
    latestEvidence(db),
    deletionsPerDay(sql, since),
    deletionsPerStore(sql, since),
    auditTrailDeletions(sql),
  ]);
  return {
    audit: { ...audit, lastCheckpointAt: audit.lastCheckpointAt?.toISOString() ?? null },
    perDay,
    perStore,
    evidence: evidence.map((e) => ({
      ...e,
      oldestAffected: e.oldestAffected?.toISOString() ?? null,
      newestAffected: e.newestAffected?.toISOString() ?? null,
      startedAt: e.startedAt.toISOString(),
      finishedAt: e.finishedAt?.toISOString() ?? null,
    })),
  };
}
