/** What the DPO reads of the sweeps: the evidence rows and deletions summed over time and store. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { sweepEvidence, sweepRuns } from "#db/schema";
import type { Sql } from "#db/sql";

export async function latestEvidence(db: Db, limit = 200) {
  return db
    .select({
      id: sweepEvidence.id,
      runId: sweepEvidence.sweepRunId,
      dryRun: sweepRuns.dryRun,
      trigger: sweepRuns.trigger,
      store: sweepEvidence.store,
      ruleId: sweepEvidence.ruleId,
      deleted: sweepEvidence.deleted,
      skippedOnHold: sweepEvidence.skippedOnHold,
      skippedPendingArchive: sweepEvidence.skippedPendingArchive,
      malformed: sweepEvidence.malformed,
      oldestAffected: sweepEvidence.oldestAffected,
      newestAffected: sweepEvidence.newestAffected,
      startedAt: sweepEvidence.startedAt,
      finishedAt: sweepEvidence.finishedAt,
      outcome: sweepEvidence.outcome,
      error: sweepEvidence.error,
    })
    .from(sweepEvidence)
    .innerJoin(sweepRuns, eq(sweepRuns.id, sweepEvidence.sweepRunId))
    .orderBy(desc(sweepEvidence.startedAt), sweepEvidence.store, sweepEvidence.ruleId)
    .limit(limit);
}

/** Records deleted by real sweeps since `since`, per Berlin day (days without a sweep left out). */
export async function deletionsPerDay(sql: Sql, since: Date): Promise<{ day: string; deleted: number }[]> {
  return sql.query(
    `SELECT to_char(e.started_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD') AS day, sum(e.deleted)::int AS deleted
     FROM sweep_evidence e JOIN sweep_runs r ON r.id = e.sweep_run_id
     WHERE NOT r.dry_run AND e.started_at >= $1::text::timestamptz GROUP BY 1 ORDER BY 1`,
    [since.toISOString()],
  );
}

/** Records deleted by real sweeps since `since`, per store, largest first. */
export async function deletionsPerStore(
  sql: Sql,
  since: Date,
): Promise<{ store: string; deleted: number }[]> {
  return sql.query(
    `SELECT e.store, sum(e.deleted)::int AS deleted FROM sweep_evidence e JOIN sweep_runs r ON r.id = e.sweep_run_id
     WHERE NOT r.dry_run AND e.started_at >= $1::text::timestamptz GROUP BY 1 HAVING sum(e.deleted) > 0 ORDER BY 2 DESC, 1`,
    [since.toISOString()],
  );
}

/**
 * The audit trail's own deletions (§ 51(4) ThürDSG): how many events left it, in how many recorded
 * gaps, and when its head was last signed — what `npm run audit:verify` checks in full.
 */
export async function auditTrailDeletions(
  sql: Sql,
): Promise<{ deleted: number; gaps: number; lastCheckpointAt: Date | null }> {
  const [row] = await sql.query<{ deleted: number; gaps: number; last_checkpoint: unknown }>(
    `SELECT (SELECT coalesce(sum(events), 0)::int FROM audit_gaps) AS deleted, (SELECT count(*)::int FROM audit_gaps) AS gaps,
            (SELECT max(created_at) FROM audit_checkpoints) AS last_checkpoint`,
  );
  const at = row?.last_checkpoint;
  return {
    deleted: row?.deleted ?? 0,
    gaps: row?.gaps ?? 0,
    lastCheckpointAt: at ? new Date(at as string | Date) : null,
  };
}
