/** What the execution use cases work with: the services they use and the retention rules in force now. */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { findings, gatherRuns } from "#db/schema";
import type { ExecutionRefusal } from "#app/core/finding-actions";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import type { RetentionRule, RetentionRuleId } from "#app/core/retention";
import type { Services } from "../services.server";
import { type RetentionEnv, retentionEnv } from "../retention/overdue.server";
import { type AssessedFinding, assessErasure, type ErasureAssessment } from "./erasure-assessment";

/**
 * The parts of the services the execution use cases take (ADR 0018), with the retention view beside
 * them: the configured stores by id and the rules an administrator may have changed, read now. The
 * recipients and the public URL are read from `config` where they are used.
 */
export type ExecutionEnv = Pick<Services, "db" | "config" | "sources"> & RetentionEnv;

export async function executionEnv({
  db,
  config,
  sources,
}: Pick<Services, "db" | "config" | "sources">): Promise<ExecutionEnv> {
  return { ...(await retentionEnv(db, config)), config, sources };
}

/** The rule the store's config applies to this activity's records (the one the sweep uses). */
export function ruleOf(
  env: Pick<ExecutionEnv, "stores" | "rules">,
  store: string,
  activity: ProcessingActivityId,
): RetentionRule | null {
  const retention = env.stores.get(store)?.retention;
  if (!retention) return null;
  // The map names only the activities of the store's records; any other (the portal's own) has no rule there.
  const byActivity: Partial<Record<ProcessingActivityId, RetentionRuleId>> | RetentionRuleId = retention;
  const id = typeof byActivity === "string" ? byActivity : byActivity[activity];
  return id ? env.rules[id] : null;
}

export type FindingRow = typeof findings.$inferSelect;

export class ExecutionRefused extends Error {
  constructor(readonly reason: ExecutionRefusal) {
    super(reason);
  }
}

/** The latest gathering of a case: execution works on what the case found last. */
export async function latestRunId(tx: DbOrTx, requestId: string): Promise<string | null> {
  const [run] = await tx
    .select({ id: gatherRuns.id })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  return run?.id ?? null;
}

/** The findings, if every id belongs to the case's latest gathering; a foreign id is a forged form. */
export async function caseFindings(
  tx: DbOrTx,
  requestId: string,
  findingIds: readonly string[],
): Promise<FindingRow[]> {
  const runId = await latestRunId(tx, requestId);
  if (!runId) throw new ExecutionRefused("no-gathering");
  const unique = [...new Set(findingIds)];
  if (unique.length === 0) throw new ExecutionRefused("foreign-finding");
  const rows = await tx
    .select()
    .from(findings)
    .where(and(eq(findings.runId, runId), inArray(findings.id, unique)));
  if (rows.length !== unique.length) throw new ExecutionRefused("foreign-finding");
  return rows;
}

/** Ticket closures of a gathering: an article's retention runs from its ticket's closure. */
export async function ticketClosures(
  tx: DbOrTx,
  runIds: readonly string[],
): Promise<Map<string, Date | null>> {
  const closures = new Map<string, Date | null>();
  if (runIds.length === 0) return closures;
  const rows = await tx
    .select({ ref: findings.ref, content: findings.content })
    .from(findings)
    .where(and(inArray(findings.runId, [...new Set(runIds)]), eq(findings.storeKind, "servicedesk-db")));
  for (const row of rows) {
    if (row.content.table !== "ticket") continue;
    const closed = typeof row.content.closed_at === "string" ? new Date(row.content.closed_at) : null;
    closures.set(row.ref, closed && !Number.isNaN(closed.getTime()) ? closed : null);
  }
  return closures;
}

export function assessFinding(
  env: Pick<ExecutionEnv, "stores" | "rules">,
  finding: FindingRow,
  now: Date,
  closures: ReadonlyMap<string, Date | null>,
): ErasureAssessment {
  const assessed: AssessedFinding = {
    storeKind: finding.storeKind,
    ref: finding.ref,
    content: finding.content,
    recordedAt: finding.recordedAt,
  };
  return assessErasure(assessed, ruleOf(env, finding.store, finding.processingActivityId), now, closures);
}
