/**
 * Findings older than their store's retention period: the store should have deleted them, so a
 * letter that states the period would contradict the data it delivers. Flagged to staff on the case
 * page, counted per store on /intern/aufbewahrung and on the dashboard. Only the latest gathering of
 * open cases counts: an earlier gathering or a closed case shows the store as it was then, not now.
 * A record under legal hold in its store is shown as held, not as overdue (Art. 18).
 */
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { findings, gatherRuns, requests } from "../../../db/schema";
import { finalCaseStatuses } from "../../core/case-status";
import { deletionDue, type RetentionRuleId } from "../../core/retention";
import type { StoreConfig } from "../../sources/config";
import type { Config } from "../config.server";
import { retentionStart } from "../execution/erasure-assessment";
import { ruleOf, ticketClosures } from "../execution/env.server";
import { type EffectiveRules, effectiveRules } from "./rules.server";

export interface RetentionEnv {
  db: Db;
  stores: ReadonlyMap<string, StoreConfig>;
  rules: EffectiveRules;
}

/**
 * The stores come from the configuration loaded at start; the rules are read now, because an
 * administrator may have changed a period since (one small table).
 */
export async function retentionEnv(db: Db, config: Pick<Config, "sources">): Promise<RetentionEnv> {
  return { db, stores: new Map(config.sources.stores.map((s) => [s.id, s])), rules: await effectiveRules(db) };
}

export interface OverdueFinding {
  findingId: string;
  requestId: string;
  reference: string | null;
  store: string;
  ref: string;
  recordedAt: string | null;
  ruleId: RetentionRuleId;
  dueAt: string;
  /** Under legal hold in the store: kept lawfully beyond the period (Art. 18). */
  held: boolean;
}

/** Only these kinds count from a date inside the record (a ticket's or file's closure); the rest from `recordedAt`. */
const KINDS_DATED_BY_CONTENT = ["servicedesk-db", "records-management"];

/** The latest gathering of each case, restricted to the given cases or to all open ones. */
function latestRunsOf(requestIds: string[] | null) {
  const latest = sql`${gatherRuns.version} = (select max(r2.version) from gather_runs r2 where r2.request_id = ${gatherRuns.requestId})`;
  return requestIds ? and(latest, inArray(gatherRuns.requestId, requestIds)) : and(latest, notInArray(requests.status, [...finalCaseStatuses, "unproven"]));
}

async function overdueIn(env: RetentionEnv, requestIds: string[] | null, now: Date): Promise<OverdueFinding[]> {
  const rows = await env.db
    .select({
      id: findings.id,
      runId: findings.runId,
      requestId: gatherRuns.requestId,
      reference: requests.reference,
      store: findings.store,
      storeKind: findings.storeKind,
      activity: findings.processingActivityId,
      ref: findings.ref,
      flags: findings.flags,
      recordedAt: findings.recordedAt,
      // The content only where the start date is read from it: a mailbox's bodies stay in the database.
      content: sql<Record<string, unknown> | null>`case when ${inArray(findings.storeKind, KINDS_DATED_BY_CONTENT)} then ${findings.content} end`,
    })
    .from(findings)
    .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
    .innerJoin(requests, eq(requests.id, gatherRuns.requestId))
    .where(latestRunsOf(requestIds));
  const closures = await ticketClosures(env.db, [...new Set(rows.filter((r) => r.storeKind === "servicedesk-db").map((r) => r.runId))]);
  const overdue: OverdueFinding[] = [];
  for (const row of rows) {
    const rule = ruleOf(env, row.store, row.activity);
    if (!rule) continue;
    const start = retentionStart({ storeKind: row.storeKind, ref: row.ref, content: row.content ?? {}, recordedAt: row.recordedAt }, closures);
    if (!start) continue;
    const dueAt = deletionDue(rule, start);
    if (now < dueAt) continue;
    overdue.push({
      findingId: row.id,
      requestId: row.requestId,
      reference: row.reference,
      store: row.store,
      ref: row.ref,
      recordedAt: row.recordedAt?.toISOString() ?? null,
      ruleId: rule.id,
      dueAt: dueAt.toISOString(),
      held: row.flags.includes("legal-hold"),
    });
  }
  return overdue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.store.localeCompare(b.store) || a.ref.localeCompare(b.ref));
}

/** The overdue findings of one case's latest gathering, oldest due first. */
export function overdueFindingsOfCase(env: RetentionEnv, requestId: string, now = new Date()): Promise<OverdueFinding[]> {
  return overdueIn(env, [requestId], now);
}

export interface OverdueByStore {
  store: string;
  ruleId: RetentionRuleId;
  count: number;
  held: number;
  oldestDueAt: string;
  cases: { id: string; reference: string | null }[];
}

/** Across open cases, per store and rule: how many findings are overdue, the oldest, which cases. */
export async function overdueSummary(env: RetentionEnv, now = new Date()): Promise<{ total: number; cases: number; stores: OverdueByStore[] }> {
  const all = await overdueIn(env, null, now);
  const byStore = new Map<string, OverdueByStore>();
  for (const f of all) {
    const key = `${f.store}\u0000${f.ruleId}`;
    const entry = byStore.get(key) ?? { store: f.store, ruleId: f.ruleId, count: 0, held: 0, oldestDueAt: f.dueAt, cases: [] };
    entry.count++;
    if (f.held) entry.held++;
    if (!entry.cases.some((c) => c.id === f.requestId)) entry.cases.push({ id: f.requestId, reference: f.reference });
    byStore.set(key, entry);
  }
  const unheld = all.filter((f) => !f.held);
  return { total: unheld.length, cases: new Set(unheld.map((f) => f.requestId)).size, stores: [...byStore.values()].sort((a, b) => a.store.localeCompare(b.store)) };
}
