/**
 * The sweep of the portal's own data: codes, unconfirmed requests, closed cases after their period,
 * and the audit trail (events of erased cases and the portal's processing log, § 51(4) ThürDSG).
 * Codes and unconfirmed requests have jobs of their own; the sweep runs those and records counts.
 */
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "#db/client";
import { requests, verifications } from "#db/schema";
import type { Sql } from "#db/sql";
import type { CaseStatus } from "#app/core/case-status";
import { emptySweepResult, type SweepResult } from "#app/sources/connector";
import { toDate } from "#app/sources/connectors/db-store.server";
import { appendAuditEvent } from "../audit.server";
import { hashesOf, removeUnreferenced } from "../document-files.server";
import { cutGap, type GapRun } from "../audit/gaps.server";
import { deleteExpiredVerifications } from "../jobs/expire-verifications.server";
import type { JobContext } from "../jobs/job";
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
  return {
    ...emptySweepResult(),
    deleted: stats?.n ?? 0,
    oldestAffected: toDate(stats?.oldest),
    newestAffected: toDate(stats?.newest),
  };
}

const CASE_BATCH = 100;
const AUDIT_BATCH = 5_000;

/** Codes: counted (with their dates) first, then deleted by the job's own use case at the same instant. */
export async function sweepVerificationCodes(context: JobContext, dryRun: boolean): Promise<PartResult> {
  const at = new Date();
  // Instants go to the driver as ISO text: postgres.js cannot bind a Date to an untyped parameter.
  const expired = `FROM verifications WHERE expires_at < $1`;
  const [before] = await context.sql.query<Stats>(
    `SELECT count(*)::int AS n, min(created_at) AS oldest, max(created_at) AS newest ${expired}`,
    [at.toISOString()],
  );
  const result = fromStats(before);
  if (dryRun || result.deleted === 0) return result;
  result.deleted = await deleteExpiredVerifications(context.db, at);
  return result;
}

/** Unconfirmed requests past their `expiresAt`, erased by the request module's own use case. */
export async function sweepUnprovenRequests(
  { db, sql }: { db: Db; sql: Sql },
  now: Date,
  dryRun: boolean,
): Promise<PartResult> {
  const [stats] = await sql.query<Stats>(
    `SELECT count(*)::int AS n, min(submitted_at) AS oldest, max(submitted_at) AS newest FROM requests WHERE status = $1 AND expires_at < $2`,
    ["unproven" satisfies CaseStatus, now.toISOString()],
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
 * each one transaction with its audit event, so a stopped sweep leaves whole cases or none. The
 * files of the documents go after each batch committed (those no other case names); one left by a
 * crash in between goes at the next start (`removeOrphanDocuments`).
 */
export async function sweepClosedCases(
  { db, config }: Pick<JobContext, "db" | "config">,
  rules: EffectiveRules,
  now: Date,
  dryRun: boolean,
): Promise<PartResult> {
  const cutoff = expiryCutoff(rules["portal-case"], now);
  if (dryRun) {
    const rows = await db
      .select({ closedAt: requests.closedAt })
      .from(requests)
      .where(lt(requests.closedAt, cutoff));
    const result = emptySweepResult();
    for (const row of rows) noteRow(result, row.closedAt!);
    return result;
  }
  const result = emptySweepResult();
  for (;;) {
    let hashes: string[] = [];
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
      hashes = await hashesOf(tx, { requestIds: ids });
      await tx
        .delete(verifications)
        .where(and(eq(verifications.type, "request-proof"), inArray(verifications.target, ids)));
      await tx.delete(requests).where(inArray(requests.id, ids));
      await appendAuditEvent(tx, {
        actorType: "system",
        action: "retention.cases-erased",
        data: { ruleId: "portal-case", count: ids.length },
      });
      for (const row of batch) noteRow(result, row.closedAt!);
      return ids.length;
    });
    await removeUnreferenced(db, config, hashes);
    if (erased === 0) return result;
  }
}

function noteRow(result: SweepResult, at: Date): void {
  result.deleted++;
  if (!result.oldestAffected || at < result.oldestAffected) result.oldestAffected = at;
  if (!result.newestAffected || at > result.newestAffected) result.newestAffected = at;
}

/**
 * The audit trail, event by event as it expires: an event of a case is expired when its case is
 * closed past the "portal-case" rule, an event without a case (staff, system, erased requests) past
 * the "portal-processing-log" rule. Each run of consecutive expired events is cut out as one
 * recorded gap (see cutGap), wherever in the chain it lies, so nothing is kept past its period
 * because an older event is still kept before it.
 */
export async function sweepAuditTrail(
  sql: Sql,
  rules: EffectiveRules,
  now: Date,
  dryRun: boolean,
): Promise<{ cases: PartResult; log: PartResult }> {
  const caseCutoff = expiryCutoff(rules["portal-case"], now).toISOString();
  const logCutoff = expiryCutoff(rules["portal-processing-log"], now).toISOString();
  const cases = emptySweepResult() as PartResult;
  const log = emptySweepResult() as PartResult;
  let run: (GapRun & { kinds: { isCase: boolean; at: Date }[] }) | null = null;
  const finish = async () => {
    if (!run) return;
    const done = run;
    run = null;
    if (!dryRun && !(await cutGap(sql, done))) return;
    for (const { isCase, at } of done.kinds) noteRow(isCase ? cases : log, at);
  };
  let afterSeq = "0";
  for (;;) {
    const batch = await sql.query<ChainRow>(
      `SELECT e.seq::text AS seq, e.prev_hash, e.hash, e.created_at, (r.id IS NOT NULL) AS is_case,
              CASE WHEN r.id IS NOT NULL THEN (r.closed_at IS NOT NULL AND r.closed_at < $2::text::timestamptz) ELSE e.created_at < $3::text::timestamptz END AS expired
       FROM audit_events e LEFT JOIN requests r ON r.id = e.request_id
       WHERE e.seq > $1::bigint ORDER BY e.seq LIMIT ${AUDIT_BATCH}`,
      [afterSeq, caseCutoff, logCutoff],
    );
    for (const row of batch) {
      const at = toDate(row.created_at)!;
      if (!row.expired) {
        await finish();
        continue;
      }
      // A run is events that link directly to each other: one that follows an earlier gap starts
      // a gap of its own beside it. One gap, one transaction: a long run is cut in pieces.
      if (run && (row.prev_hash !== run.lastHash || run.events >= AUDIT_BATCH)) await finish();
      if (!run)
        run = {
          firstSeq: Number(row.seq),
          lastSeq: 0,
          events: 0,
          prevHash: row.prev_hash,
          lastHash: "",
          oldestAt: at,
          newestAt: at,
          kinds: [],
        };
      run.lastSeq = Number(row.seq);
      run.events++;
      run.lastHash = row.hash;
      if (at < run.oldestAt) run.oldestAt = at;
      if (at > run.newestAt) run.newestAt = at;
      run.kinds.push({ isCase: row.is_case, at });
    }
    if (batch.length < AUDIT_BATCH) break;
    afterSeq = batch.at(-1)!.seq;
  }
  await finish();
  return { cases, log };
}

interface ChainRow {
  seq: string;
  prev_hash: string;
  hash: string;
  created_at: unknown;
  is_case: boolean;
  expired: boolean;
}
