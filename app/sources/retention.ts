/**
 * Connects the core's retention rules (app/core/retention) to the connectors' sweep: a store's
 * config names its rule(s) by id; the sweep gets `{ isExpired(start, now) }` objects.
 */
import { isExpired, type RetentionRule as CoreRule, retentionRules, type RetentionRuleId } from "../core/retention";
import type { ProcessingActivityId } from "./activities";
import type { StoreConfig } from "./config";
import type { RetentionRule, SweepRules } from "./connector";

export function sweepRule(rule: CoreRule): RetentionRule {
  return { isExpired: (start, now) => isExpired(rule, start, now) };
}

/** The sweep rules of a configured store; null when the config names none. */
export function sweepRulesFor(
  store: StoreConfig,
  rules: Readonly<Record<RetentionRuleId, CoreRule>> = retentionRules,
): SweepRules | null {
  if (!store.retention) return null;
  if (typeof store.retention === "string") return sweepRule(rules[store.retention]);
  const byActivity: Partial<Record<ProcessingActivityId, RetentionRule>> = {};
  for (const [activity, id] of Object.entries(store.retention) as [ProcessingActivityId, RetentionRuleId][]) byActivity[activity] = sweepRule(rules[id]);
  return byActivity;
}
