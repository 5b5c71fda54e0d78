/**
 * One sweep over every configured store and the portal's own data, with evidence (DIN 66398): per
 * store and rule how many records went, how many were held, the oldest and newest affected date,
 * start, end and outcome. A store that fails is recorded and the others are still swept; since
 * every part deletes only what is expired, a sweep stopped half way is finished by running it again.
 */
import { and, eq, lt, sql as drizzleSql } from "drizzle-orm";
import { sweepEvidence, sweepRuns } from "#db/schema";
import type { RetentionRuleId, SweepPartOutcome, SweepRunStatus, SweepTrigger } from "#app/core/retention";
import type { StoreActivityId } from "#app/core/processing-activities";
import type { StoreConfig } from "#app/sources/config";
import {
  emptySweepResult,
  type SweepRule,
  type SourceConnector,
  type SweepResult,
  type SweepRules,
} from "#app/sources/connector";
import { RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import { sweepRule } from "#app/sources/retention";
import { appendAuditEvent } from "../audit.server";
import type { JobContext, JobDefinition } from "../jobs/job";
import {
  AUDIT_STORE,
  type PartResult,
  PORTAL_STORE,
  sweepAuditTrail,
  sweepClosedCases,
  sweepUnprovenRequests,
  sweepVerificationCodes,
} from "./portal-sweep.server";
import { type EffectiveRules, effectiveRules } from "./rules.server";

export interface SweepOptions {
  trigger: SweepTrigger;
  /** Count what would go, change nothing (the run and its counts are still recorded). */
  dryRun?: boolean;
  /** Only this store: a configured store id, "portal" or "portal-audit". */
  store?: string;
  /** The instant the rules are applied at; the present by default (tests fix it). */
  now?: Date;
  /** The configured stores; read from the sources config by default. */
  stores?: StoreConfig[];
}

export interface SweepPart extends SweepResult {
  store: string;
  ruleId: RetentionRuleId;
  startedAt: Date;
  finishedAt: Date;
  outcome: SweepPartOutcome;
  error: string | null;
}

export interface SweepReport {
  runId: string;
  dryRun: boolean;
  status: Exclude<SweepRunStatus, "running">;
  parts: SweepPart[];
}

interface SweepTask {
  store: string;
  ruleIds: RetentionRuleId[];
  run(): Promise<Partial<Record<RetentionRuleId, PartResult>>>;
}

// A run still "running" after this long was killed (a sweep takes minutes, not hours).
const STALE_AFTER_MS = 6 * 3_600_000;

class UnknownStoreError extends Error {}

export async function runSweep(context: JobContext, options: SweepOptions): Promise<SweepReport> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const stores = options.stores ?? context.config.sources.stores;
  const rules = await effectiveRules(context.db);
  const tasks = [
    ...storeTasks(context, stores, rules, now, dryRun),
    ...portalTasks(context, rules, now, dryRun),
  ];
  const selected = options.store ? tasks.filter((t) => t.store === options.store) : tasks;
  if (selected.length === 0) {
    const known = [...new Set(tasks.map((t) => t.store))].join(", ");
    throw new UnknownStoreError(`no store "${options.store}" with a retention rule; known: ${known}`);
  }
  await markInterruptedRuns(context);
  const [run] = await context.db
    .insert(sweepRuns)
    .values({ trigger: options.trigger, dryRun })
    .returning({ id: sweepRuns.id });
  const runId = run!.id;
  const parts: SweepPart[] = [];
  for (const task of selected) parts.push(...(await runTask(context, runId, task, dryRun)));
  const status = parts.some((p) => p.outcome === "failed") ? "failed" : "done";
  await context.db.transaction(async (tx) => {
    await tx.update(sweepRuns).set({ status, finishedAt: new Date() }).where(eq(sweepRuns.id, runId));
    if (!dryRun) {
      const deleted = parts.reduce((sum, p) => sum + p.deleted, 0);
      await appendAuditEvent(tx, {
        actorType: "system",
        action: "retention.sweep",
        data: { runId, trigger: options.trigger, status, deleted },
      });
    }
  });
  return { runId, dryRun, status, parts };
}

async function runTask(
  context: JobContext,
  runId: string,
  task: SweepTask,
  dryRun: boolean,
): Promise<SweepPart[]> {
  const startedAt = new Date();
  const ids = new Map<RetentionRuleId, string>();
  for (const ruleId of task.ruleIds) {
    const [row] = await context.db
      .insert(sweepEvidence)
      .values({ sweepRunId: runId, store: task.store, ruleId, startedAt, outcome: "running" })
      .returning({ id: sweepEvidence.id });
    ids.set(ruleId, row!.id);
  }
  let results: Partial<Record<RetentionRuleId, PartResult>> = {};
  let error: string | null = null;
  try {
    results = await task.run();
  } catch (failure) {
    // Store errors name the store and the problem, never a record's content.
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const finishedAt = new Date();
  const parts: SweepPart[] = [];
  for (const ruleId of task.ruleIds) {
    const { note, ...result } = results[ruleId] ?? { ...emptySweepResult(), note: undefined };
    // A dry run's note only qualifies its counts; a real sweep's note means it kept expired records.
    const outcome = error ? "failed" : note && !dryRun ? "partial" : "done";
    const part: SweepPart = {
      store: task.store,
      ruleId,
      ...result,
      startedAt,
      finishedAt,
      outcome,
      error: error ?? note ?? null,
    };
    await context.db
      .update(sweepEvidence)
      .set({
        deleted: part.deleted,
        skippedOnHold: part.skippedOnHold,
        skippedPendingArchive: part.skippedPendingArchive,
        malformed: part.malformed,
        oldestAffected: part.oldestAffected,
        newestAffected: part.newestAffected,
        finishedAt,
        outcome,
        error: part.error,
      })
      .where(eq(sweepEvidence.id, ids.get(ruleId)!));
    parts.push(part);
  }
  return parts;
}

/** Runs (and their parts) left "running" by a killed process are marked, so the evidence is honest. */
async function markInterruptedRuns({ db }: JobContext): Promise<void> {
  const staleBefore = new Date(Date.now() - STALE_AFTER_MS);
  const stale = await db
    .update(sweepRuns)
    .set({ status: "failed", finishedAt: drizzleSql`now()` })
    .where(and(eq(sweepRuns.status, "running"), lt(sweepRuns.startedAt, staleBefore)))
    .returning({ id: sweepRuns.id });
  for (const { id } of stale) {
    await db
      .update(sweepEvidence)
      .set({ outcome: "failed", error: "interrupted: the process stopped during the sweep" })
      .where(and(eq(sweepEvidence.sweepRunId, id), eq(sweepEvidence.outcome, "running")));
  }
}

function rulePairs(store: StoreConfig): [StoreActivityId | null, RetentionRuleId][] {
  if (!store.retention) return [];
  if (typeof store.retention === "string") return [[null, store.retention]];
  return Object.entries(store.retention) as [StoreActivityId, RetentionRuleId][];
}

function storeTasks(
  context: JobContext,
  stores: StoreConfig[],
  rules: EffectiveRules,
  now: Date,
  dryRun: boolean,
): SweepTask[] {
  return stores.flatMap((store) =>
    rulePairs(store).map(([activity, ruleId]): SweepTask => ({
      store: store.id,
      ruleIds: [ruleId],
      async run() {
        const connector = context.sources.connectors.get(store.id);
        if (!connector)
          throw new Error(
            context.sources.failures.get(store.id)?.message ?? `store "${store.id}" is not available`,
          );
        const rule = sweepRule(rules[ruleId]);
        const scoped = (r: SweepRule): SweepRules => (activity ? { [activity]: r } : r);
        const result = dryRun
          ? await countExpired(connector, now, rule, scoped)
          : await connector.sweep(now, scoped(rule));
        return { [ruleId]: result };
      },
    })),
  );
}

/**
 * What a sweep would delete, without deleting: the retrieval connector counts in SQL; every other
 * connector is run with a rule that notes each expired record and answers "not expired", so the
 * connector's own reading of dates decides and nothing is changed. Those connectors check holds
 * and the archive offer only after the rule, so their count includes held and unoffered records.
 */
async function countExpired(
  connector: SourceConnector,
  now: Date,
  rule: SweepRule,
  scoped: (r: SweepRule) => SweepRules,
): Promise<PartResult> {
  if (connector instanceof RetrievalProtocolConnector)
    return connector.sweep(now, scoped(rule), { dryRun: true });
  const counted = emptySweepResult();
  const counting: SweepRule = {
    isExpired(start, at) {
      if (!rule.isExpired(start, at)) return false;
      counted.deleted++;
      if (!counted.oldestAffected || start < counted.oldestAffected) counted.oldestAffected = start;
      if (!counted.newestAffected || start > counted.newestAffected) counted.newestAffected = start;
      return false;
    },
  };
  const { malformed } = await connector.sweep(now, scoped(counting));
  return {
    ...counted,
    malformed,
    note:
      counted.deleted > 0
        ? "count includes records under legal hold or awaiting the archive offer"
        : undefined,
  };
}

function portalTasks(context: JobContext, rules: EffectiveRules, now: Date, dryRun: boolean): SweepTask[] {
  return [
    {
      store: PORTAL_STORE,
      ruleIds: ["portal-verification-code"],
      run: async () => ({ "portal-verification-code": await sweepVerificationCodes(context, dryRun) }),
    },
    {
      store: PORTAL_STORE,
      ruleIds: ["portal-unverified-request"],
      run: async () => ({ "portal-unverified-request": await sweepUnprovenRequests(context, now, dryRun) }),
    },
    {
      // Before the cases: an event still finds its case and is counted under the case's rule.
      store: AUDIT_STORE,
      ruleIds: ["portal-case", "portal-processing-log"],
      async run() {
        const { cases, log } = await sweepAuditTrail(context.sql, rules, now, dryRun);
        return { "portal-case": cases, "portal-processing-log": log };
      },
    },
    {
      store: PORTAL_STORE,
      ruleIds: ["portal-case"],
      run: async () => ({ "portal-case": await sweepClosedCases(context, rules, now, dryRun) }),
    },
  ];
}

/** Once a day at night, Berlin time: every store and the portal's own data. */
export const retentionSweepJob: JobDefinition = {
  queue: "retention-sweep",
  schedule: "30 2 * * *",
  retryLimit: 1,
  async run(context) {
    await runSweep(context, { trigger: "schedule" });
  },
};
