/**
 * Recorded gaps: the only way an audit event leaves the trail. The retention sweep deletes a run of
 * consecutive expired events (§ 51(4) ThürDSG) and records in the same transaction what the chain
 * needs to go on across it — the link of the first deleted event, the hash of the last, the count —
 * signed with the audit key. A database trigger refuses every other DELETE.
 */
import type { Sql } from "#db/sql";
import { auditKeys, macOf } from "./keys.server";

/** Consecutive events of the chain, all expired. */
export interface GapRun {
  firstSeq: number;
  lastSeq: number;
  events: number;
  /** The first deleted event's link: the hash of whatever came before it. */
  prevHash: string;
  /** The last deleted event's hash: what the next event links to. */
  lastHash: string;
  oldestAt: Date;
  newestAt: Date;
}

export interface StoredGap extends GapRun {
  createdAt: Date;
  mac: string;
}

export function gapMac(key: Buffer, gap: Omit<StoredGap, "mac">): string {
  return macOf(key, {
    firstSeq: gap.firstSeq,
    lastSeq: gap.lastSeq,
    events: gap.events,
    prevHash: gap.prevHash,
    lastHash: gap.lastHash,
    oldestAt: gap.oldestAt.toISOString(),
    newestAt: gap.newestAt.toISOString(),
    createdAt: gap.createdAt.toISOString(),
  });
}

/** The transaction-local setting the DELETE trigger of audit_events checks against audit_gaps. */
const GAP_SETTING = "rechteportal.audit_gap";

class AuditTrailChanged extends Error {}

/**
 * Records the gap and deletes its events, serialised with appends. Returns false when another sweep
 * cut the same run first; throws (and deletes nothing) when the run no longer is what the sweep read.
 */
export async function cutGap(sql: Sql, run: GapRun): Promise<boolean> {
  const keys = auditKeys();
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('audit_events'))`);
    const range = [String(run.firstSeq), String(run.lastSeq)];
    const [present] = await tx.query<{ n: number; first_prev: string | null; last_hash: string | null }>(
      `SELECT count(*)::int AS n, (array_agg(prev_hash ORDER BY seq))[1] AS first_prev, (array_agg(hash ORDER BY seq DESC))[1] AS last_hash
       FROM audit_events WHERE seq BETWEEN $1::bigint AND $2::bigint`,
      range,
    );
    if (!present || present.n === 0) return false;
    if (
      present.n !== run.events ||
      present.first_prev !== run.prevHash ||
      present.last_hash !== run.lastHash
    ) {
      throw new AuditTrailChanged(
        `audit events ${run.firstSeq}–${run.lastSeq} are not the run the sweep read; nothing was deleted`,
      );
    }
    const gap = { ...run, createdAt: new Date() };
    await tx.query(
      `INSERT INTO audit_gaps (first_seq, last_seq, events, prev_hash, last_hash, oldest_at, newest_at, created_at, mac)
       VALUES ($1::bigint, $2::bigint, $3, $4, $5, $6::text::timestamptz, $7::text::timestamptz, $8::text::timestamptz, $9)`,
      [
        ...range,
        gap.events,
        gap.prevHash,
        gap.lastHash,
        gap.oldestAt.toISOString(),
        gap.newestAt.toISOString(),
        gap.createdAt.toISOString(),
        gapMac(keys.gap, gap),
      ],
    );
    await tx.query(`SELECT set_config('${GAP_SETTING}', $1, true)`, [range[0]]);
    const deleted = await tx.query(
      `DELETE FROM audit_events WHERE seq BETWEEN $1::bigint AND $2::bigint RETURNING seq`,
      range,
    );
    if (deleted.length !== run.events)
      throw new AuditTrailChanged(
        `deleting audit events ${run.firstSeq}–${run.lastSeq} removed ${deleted.length}, not ${run.events}`,
      );
    return true;
  });
}
