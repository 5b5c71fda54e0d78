/**
 * The rules the sweep applies: the register's rule (app/core/retention) with an administrator's
 * period and rounding where one is stored. A stored setting that no longer passes the legal bounds
 * (the law or the register changed since) is ignored, so the sweep never leaves those bounds.
 */
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { retentionSettings } from "#db/schema";
import {
  type RetentionRule,
  type RetentionRuleId,
  type RuleChangeResult,
  retentionRuleIdSchema,
  retentionRules,
  validateRuleChange,
} from "#app/core/retention";
import { appendAuditEvent } from "../audit.server";

export type EffectiveRules = Readonly<Record<RetentionRuleId, RetentionRule>>;

export interface RuleSetting {
  ruleId: RetentionRuleId;
  updatedBy: string | null;
  updatedAt: Date;
}

export async function loadEffectiveRules(
  db: DbOrTx,
): Promise<{ rules: EffectiveRules; settings: Map<RetentionRuleId, RuleSetting> }> {
  const rules: Record<RetentionRuleId, RetentionRule> = { ...retentionRules };
  const settings = new Map<RetentionRuleId, RuleSetting>();
  for (const row of await db.select().from(retentionSettings)) {
    const id = retentionRuleIdSchema.safeParse(row.ruleId);
    const rule = id.success ? withSetting(id.data, row) : null;
    if (!id.success || !rule) continue;
    rules[id.data] = rule;
    settings.set(id.data, { ruleId: id.data, updatedBy: row.updatedBy, updatedAt: row.updatedAt });
  }
  return { rules, settings };
}

export async function effectiveRules(db: DbOrTx): Promise<EffectiveRules> {
  return (await loadEffectiveRules(db)).rules;
}

/** One rule as it applies now, e.g. for the expiry of a code or an unconfirmed request. */
export async function effectiveRule(db: DbOrTx, id: RetentionRuleId): Promise<RetentionRule> {
  const [row] = await db.select().from(retentionSettings).where(eq(retentionSettings.ruleId, id));
  return (row && withSetting(id, row)) ?? retentionRules[id];
}

/** The register's rule with a stored setting applied, or null where the setting left the legal bounds. */
function withSetting(id: RetentionRuleId, row: typeof retentionSettings.$inferSelect): RetentionRule | null {
  const checked = validateRuleChange(retentionRules[id], {
    period: row.period,
    roundToEndOfYear: row.roundToEndOfYear,
  });
  return checked.ok ? checked.rule : null;
}

/**
 * An administrator's change of period and rounding, checked against the legal bounds and written
 * together with its audit event (old and new value), or rejected with the reason.
 */
export async function changeRetentionRule(
  db: Db,
  ruleId: RetentionRuleId,
  proposed: unknown,
  staffId: string,
): Promise<RuleChangeResult> {
  const checked = validateRuleChange(retentionRules[ruleId], proposed);
  if (!checked.ok) return checked;
  const { period, roundToEndOfYear } = checked.rule;
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(retentionSettings)
      .where(eq(retentionSettings.ruleId, ruleId))
      .for("update");
    const now = new Date();
    await tx
      .insert(retentionSettings)
      .values({ ruleId, period, roundToEndOfYear, updatedBy: staffId, updatedAt: now })
      .onConflictDoUpdate({
        target: retentionSettings.ruleId,
        set: { period, roundToEndOfYear, updatedBy: staffId, updatedAt: now },
      });
    await appendAuditEvent(tx, {
      actorType: "staff",
      actorId: staffId,
      action: "retention.rule-changed",
      data: {
        ruleId,
        before: before
          ? { period: before.period, roundToEndOfYear: before.roundToEndOfYear }
          : {
              period: retentionRules[ruleId].period,
              roundToEndOfYear: retentionRules[ruleId].roundToEndOfYear,
            },
        after: { period, roundToEndOfYear },
      },
    });
  });
  return checked;
}
