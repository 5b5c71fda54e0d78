import { useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/aufbewahrung";
import {
  type PeriodUnit,
  type RetentionPeriod,
  type RetentionRuleId,
  type RetentionSpan,
  periodUnits,
  retentionRules,
} from "#app/core/retention";
import { describePeriod } from "#app/core/retention-text";
import { legalReferenceIn } from "#app/core/retention-legal-reference";
import { useLang, useLocalized, useMessages, messagesFor } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { retentionRulesPage } from "#app/server/retention/rules-page.server";
import { retentionAction } from "./aufbewahrung/actions.server";
import { RuleForm } from "./aufbewahrung/rule-form-view";
import { OverdueByStore } from "./aufbewahrung/overdue-by-store";
import { PageTitle } from "#app/ui/page-title";
import { IntentButton } from "#app/ui/form/intent-button";

/** The form shows a rule's period in its first unit: every rule of the register is written in one. */
function mainUnit(period: RetentionPeriod): { amount: number; unit: PeriodUnit } {
  const unit = periodUnits.find((u) => (period[u] ?? 0) > 0) ?? "days";
  return { amount: period[unit] ?? 0, unit };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "retention:manage");
  return { me: staffPageMember(staff), ...(await retentionRulesPage(context.services)) };
}

export function action(args: Route.ActionArgs) {
  return retentionAction(args);
}

export default function RetentionRules() {
  const m = useMessages().retention.rules;
  const lang = useLang();
  const localized = useLocalized();
  const { rules, overdue } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const span = (s: RetentionSpan) =>
    `${describePeriod(s.period, lang)}${s.roundToEndOfYear ? `, ${m.yearEnd}` : ""}`;
  // The bound's legal basis in the page's language (the action sends the rule, not the citation).
  const errorText = (error: string, ruleId: RetentionRuleId | null) => {
    const known = (key: string): key is keyof typeof m.errors => Object.hasOwn(m.errors, key);
    const text = known(error) ? m.errors[error] : m.errors["invalid-period"];
    return typeof text === "function"
      ? text(ruleId ? legalReferenceIn(retentionRules[ruleId], lang) : "")
      : text;
  };
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {result?.ok && result.ruleId ? (
        <p className="success" role="status">
          {m.saved(localized(retentionRules[result.ruleId].dataType))}
        </p>
      ) : null}
      {result && !result.ok && !result.ruleId ? (
        <p className="field-error" role="alert">
          {errorText(result.error, null)}
        </p>
      ) : null}
      <div className="retention-scroll" tabIndex={0} role="region" aria-label={m.title}>
        <table className="retention-rules">
          <thead>
            <tr>
              <th scope="col">{m.dataType}</th>
              <th scope="col">{m.startEvent}</th>
              <th scope="col">{m.period}</th>
              <th scope="col">{m.bounds}</th>
              <th scope="col">{m.legalReference}</th>
              <th scope="col">{m.change}</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const name = localized(rule.dataType);
              const current = mainUnit(rule.period);
              return (
                <tr key={rule.id} id={`regel-${rule.id}`}>
                  <th scope="row">{name}</th>
                  <td>{m.startEvents[rule.startEvent]}</td>
                  <td>
                    {span(rule)}
                    <br />
                    <span className="note">
                      {rule.changedAt
                        ? m.changedAt(messagesFor(lang).journey.formatDateTime(rule.changedAt))
                        : m.standard}
                    </span>
                  </td>
                  <td>
                    {rule.minimum || rule.maximum ? (
                      <>
                        {rule.minimum ? <div>{m.minimum(span(rule.minimum))}</div> : null}
                        {rule.maximum ? <div>{m.maximum(span(rule.maximum))}</div> : null}
                      </>
                    ) : (
                      m.noBounds
                    )}
                    {rule.archiveOfferRequired ? <div className="note">{m.archive}</div> : null}
                  </td>
                  <td>{legalReferenceIn(rule, lang)}</td>
                  <td>
                    <RuleForm
                      ruleId={rule.id}
                      name={name}
                      amount={current.amount}
                      unit={current.unit}
                      roundToEndOfYear={rule.roundToEndOfYear}
                      errorText={(key) => errorText(key, rule.id)}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <OverdueByStore overdue={overdue} />
      <h2>{m.dryRunTitle}</h2>
      <p>{m.dryRunIntro}</p>
      <IntentButton intent="dry-run" label={m.dryRunButton} />
      {result && "dryRun" in result && result.dryRun ? (
        <p className="success" role="status">
          {m.dryRunDone(result.dryRun.wouldDelete, result.dryRun.failed)}{" "}
          <a href="/intern/loeschprotokoll">{m.evidenceLink}</a>
        </p>
      ) : null}
    </article>
  );
}
