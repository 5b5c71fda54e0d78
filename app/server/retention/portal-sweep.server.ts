/**
 * The sweep of the portal's own data: codes, unconfirmed requests, closed cases after their period,
 * and the audit trail (events of erased cases and the portal's processing log, § 51(4) ThürDSG).
 * Codes and unconfirmed requests have jobs of their own; the sweep runs those and records counts.
 */
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { requests, verifications } from "../../../db/schema";
import type { Sql } from "../../../db/sql";
import { emptySweepResult, type SweepResult } from "../../sources/connector";
import { toDate } from "../../sources/connectors/db-store.server";
import { appendAuditEvent } from "../audit.server";
import { deleteExpiredVerifications } from "../jobs/expire-verifications.server";
import type { JobContext } from "../jobs/job";
import { requestStatus } from "../requests/deps.server";
import { eraseExpiredUnprovenRequests } from "../requests/expire-unproven.server";
import { expiryCutoff } from "./cutoff";
import type { EffectiveRules } from "./rules.server";

export const PORTAL_STORE = "portal";
/** The audit trail is swept apart from the cases: its evidence counts events, not cases. */
export const AUDIT_STORE = "portal-audit";

export interface PartResult extends SweepResult {
  /** Why the sweep kept records it would otherwise have deleted; no personal data. */
  note?: string;
}

interface Stats {
  n: number;
  oldest: unknown;
  newest: unknown;
}

function fromStats(stats: Stats | undefined): PartResult {
  return { ...emptySweepResult(), deleted: stats?.n ?? 0, oldestAffected: toDate(stats?.oldest), newestAffected: toDate(stats?.newest) };
}

const CASE_BATCH = 100;
const AUDIT_BATCH = 5_000;

/** Codes: counted (with their dates) first, then deleted by the job's own use case at the same instant. */
export async function sweepVerificationCodes(context: JobContext, dryRun: boolean): Promise<PartResult> {
  const at = new Date();
  // Instants go to the driver as ISO text: postgres.js cannot bind a Date to an untyped parameter.
  const expired = `FROM verifications WHERE expires_at < $1`;
  const [before] = await context.sql.query<Stats>(`SELECT count(*)::int AS n, min(created_at) AS oldest, max(created_at) AS newest ${expired}`, [at.toISOString()]);
  const result = fromStats(before);
  if (dryRun || result.deleted === 0) return result;
  result.deleted = await deleteExpiredVerifications(context.db, at);
  return result;
}

/** Unconfirmed requests past their `expiresAt`, erased by the request module's own use case. */
export async function sweepUnprovenRequests({ db, sql }: { db: Db; sql: Sql }, now: Date, dryRun: boolean): Promise<PartResult> {
  const [stats] = await sql.query<Stats>(
    `SELECT count(*)::int AS n, min(submitted_at) AS oldest, max(submitted_at) AS newest FROM requests WHERE status = $1 AND expires_at < $2`,
    [requestStatus.unproven, now.toISOString()],
  );
  const result = fromStats(stats);
  if (dryRun) return result;
  result.deleted = 0;
  for (;;) {
    const erased = await eraseExpiredUnprovenRequests(db, now);
    result.deleted += erased;
    if (erased === 0) return result;
  }
}

/**
 * Closed cases past the "portal-case" rule, with everything that hangs on them (identifiers,
 * messages, attachments, mail, gatherings, findings, decisions: ON DELETE CASCADE). Small batches,
 * each one transaction with its audit event, so a stopped sweep leaves whole cases or none.
 */
export async function sweepClosedCases(db: Db, rules: EffectiveRules, now: Date, dryRun: boolean): Promise<PartResult> {
  const cutoff = expiryCutoff(rules["portal-case"], now);
  if (dryRun) {
    const rows = await db.select({ closedAt: requests.closedAt }).from(requests).where(lt(requests.closedAt, cutoff));
    const result = emptySweepResult();
    for (const row of rows) noteRow(result, row.closedAt!);
    return result;
  }
  const result = emptySweepResult();
  for (;;) {
    const erased = await db.transaction(async (tx) => {
      const batch = await tx
        .select({ id: requests.id, closedAt: requests.closedAt })
        .from(requests)
        .where(lt(requests.closedAt, cutoff))
        .orderBy(asc(requests.closedAt))
        .limit(CASE_BATCH)
        .for("update", { skipLocked: true });
      if (batch.length === 0) return 0;
      const ids = batch.map((r) => r.id);
      await tx.delete(verifications).where(and(eq(verifications.type, "request-proof"), inArray(verifications.target, ids)));
      await tx.delete(requests).where(inArray(requests.id, ids));
      await appendAuditEvent(tx, { actorType: "system", action: "retention.cases-erased", data: { ruleId: "portal-case", count: ids.length } });
      for (const row of batch) noteRow(result, row.closedAt!);
      return ids.length;
    });
    if (erased === 0) return result;
  }
}

function noteRow(result: SweepResult, at: Date): void {
  result.deleted++;
  if (!result.oldestAffected || at < result.oldestAffected) result.oldestAffected = at;
  if (!result.newestAffected || at > result.newestAffected) result.newestAffected = at;
}

/**
 * The audit trail is a hash chain that `verifyAuditChain` anchors on its oldest remaining event,
 * so it can only be shortened from the old end. An event is expired when its case is closed past
 * the "portal-case" rule, or — without a case (staff, system, erased requests) — past the
 * "portal-processing-log" rule. Everything before the oldest event that is not expired goes;
 * expired events behind it are kept (and counted in the note) until the chain can reach them.
 */
export async function sweepAuditTrail(sql: Sql, rules: EffectiveRules, now: Date, dryRun: boolean): Promise<{ cases: PartResult; log: PartResult }> {
  const caseCutoff = expiryCutoff(rules["portal-case"], now);
  const logCutoff = expiryCutoff(rules["portal-processing-log"], now);
  const keep = `CASE WHEN r.id IS NOT NULL THEN (r.closed_at IS NULL OR r.closed_at >= $1) ELSE e.created_at >= $2 END`;
  const [first] = await sql.query<{ seq: string | null }>(
    `SELECT min(e.seq)::text AS seq FROM audit_events e LEFT JOIN requests r ON r.id = e.request_id WHERE ${keep}`,
    [caseCutoff.toISOString(), logCutoff.toISOString()],
  );
  const boundary = first?.seq ?? null;
  const [deferred] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events e LEFT JOIN requests r ON r.id = e.request_id
     WHERE NOT (${keep}) AND $3::bigint IS NOT NULL AND e.seq > $3::bigint`,
    [caseCutoff.toISOString(), logCutoff.toISOString(), boundary],
  );
  const cases = emptySweepResult() as PartResult;
  const log = emptySweepResult() as PartResult;
  if (deferred && deferred.n > 0) {
    log.note = `${deferred.n} expired audit events are kept until the older events before them in the hash chain expire`;
  }
  const below = boundary === null ? "" : `AND e.seq < ${BigInt(boundary)}`;
  const tally = (rows: (Stats & { is_case: boolean })[]) => {
    for (const row of rows) {
      const part = row.is_case ? cases : log;
      part.deleted += row.n;
      for (const at of [toDate(row.oldest), toDate(row.newest)]) {
        if (!at) continue;
        if (!part.oldestAffected || at < part.oldestAffected) part.oldestAffected = at;
        if (!part.newestAffected || at > part.newestAffected) part.newestAffected = at;
      }
    }
  };
  const classify = (from: string) =>
    `SELECT (r.id IS NOT NULL) AS is_case, count(*)::int AS n, min(d.created_at) AS oldest, max(d.created_at) AS newest
     FROM ${from} d LEFT JOIN requests r ON r.id = d.request_id GROUP BY 1`;
  if (dryRun) {
    tally(await sql.query(classify(`(SELECT e.* FROM audit_events e WHERE true ${below})`)));
    return { cases, log };
  }
  for (;;) {
    // Serialised with appends (same lock as appendAuditEvent), one short transaction per batch.
    const rows = await sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('audit_events'))`);
      return tx.query<Stats & { is_case: boolean }>(
        `WITH batch AS (SELECT e.seq FROM audit_events e WHERE true ${below} ORDER BY e.seq LIMIT ${AUDIT_BATCH}),
              gone AS (DELETE FROM audit_events x USING batch WHERE x.seq = batch.seq RETURNING x.request_id, x.created_at)
         ${classify("gone")}`,
      );
    });
    if (rows.length === 0) return { cases, log };
    tally(rows);
  }
}
