/**
 * The retention rules page (/intern/aufbewahrung): every rule as it applies now, with its legal
 * bounds and when it was last changed, and the findings of open cases their store should already
 * have deleted.
 */
import type { Services } from "../services.server";
import { overdueSummary, retentionEnv } from "./overdue.server";
import { loadEffectiveRules } from "./rules.server";

export async function retentionRulesPage({ db, config }: Pick<Services, "db" | "config">) {
  const { rules, settings } = await loadEffectiveRules(db);
  return {
    overdue: await overdueSummary(await retentionEnv(db, config)),
    rules: Object.values(rules).map((rule) => ({
      id: rule.id,
      dataType: rule.dataType,
      legalReference: rule.legalReference,
      startEvent: rule.startEvent,
      period: rule.period,
      roundToEndOfYear: rule.roundToEndOfYear,
      minimum: rule.minimum ?? null,
      maximum: rule.maximum ?? null,
      archiveOfferRequired: rule.archiveOfferRequired,
      changedAt: settings.get(rule.id)?.updatedAt.toISOString() ?? null,
    })),
  };
}
