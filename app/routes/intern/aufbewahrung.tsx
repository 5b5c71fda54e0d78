import { Form, useActionData, useLoaderData } from "react-router";
import { FieldError } from "#app/ui/form/fields";
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
  const errorText = (
    error: NonNullable<NonNullable<typeof result>["error"]>,
    ruleId: RetentionRuleId | null,
  ) => {
    const text = m.errors[error];
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
              const error =
                result && !result.ok && result.ruleId === rule.id ? errorText(result.error, rule.id) : null;
              const errorId = `error-${rule.id}`;
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
                    <Form method="post" className="retention-rules__form">
                      <input type="hidden" name="intent" value="change" />
                      <input type="hidden" name="ruleId" value={rule.id} />
                      <label className="visually-hidden" htmlFor={`amount-${rule.id}`}>
                        {m.amount(name)}
                      </label>
                      <input
                        id={`amount-${rule.id}`}
                        name="amount"
                        type="number"
                        min={1}
                        max={1000}
                        required
                        defaultValue={current.amount}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? errorId : undefined}
                      />
                      <label className="visually-hidden" htmlFor={`unit-${rule.id}`}>
                        {m.unit(name)}
                      </label>
                      <select id={`unit-${rule.id}`} name="unit" defaultValue={current.unit}>
                        {periodUnits.map((unit) => (
                          <option key={unit} value={unit}>
                            {m.units[unit]}
                          </option>
                        ))}
                      </select>
                      <label className="retention-rules__round">
                        <input
                          type="checkbox"
                          name="roundToEndOfYear"
                          defaultChecked={rule.roundToEndOfYear}
                        />
                        <span aria-hidden="true">{m.rounding}</span>
                        <span className="visually-hidden">{m.roundToEndOfYear(name)}</span>
                      </label>
                      <button className="button button--secondary" type="submit" aria-label={m.save(name)}>
                        {m.saveShort}
                      </button>
                      <FieldError id={errorId} message={error} alert />
                    </Form>
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
