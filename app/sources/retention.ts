/**
 * Connects the core's retention rules (app/core/retention) to the connectors' sweep: a store's
 * config names its rule(s) by id; the sweep gets `{ isExpired(start, now) }` objects.
 */
import type { StoreActivityId } from "../core/processing-activities";
import { isExpired, type RetentionRule, retentionRules, type RetentionRuleId } from "../core/retention";
import type { StoreConfig } from "./config";
import type { SweepRule, SweepRules } from "./connector";

export function sweepRule(rule: RetentionRule): SweepRule {
  return { isExpired: (start, now) => isExpired(rule, start, now) };
}

/** The sweep rules of a configured store; null when the config names none. */
export function sweepRulesFor(
  store: StoreConfig,
  rules: Readonly<Record<RetentionRuleId, RetentionRule>> = retentionRules,
): SweepRules | null {
  if (!store.retention) return null;
  if (typeof store.retention === "string") return sweepRule(rules[store.retention]);
  const byActivity: Partial<Record<StoreActivityId, SweepRule>> = {};
  for (const [activity, id] of Object.entries(store.retention) as [StoreActivityId, RetentionRuleId][])
    byActivity[activity] = sweepRule(rules[id]);
  return byActivity;
}
