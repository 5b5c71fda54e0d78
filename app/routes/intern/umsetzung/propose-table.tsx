import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { parseSection22Reason, section22Grounds } from "#app/server/execution/erasure-assessment";
import { ChoiceField, SelectField, FieldError } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import {
  type ExecutionFinding,
  type ExecutionIntentOf,
  executionFieldId,
  useActivityName,
  useErrorText,
} from "./execution-texts";

/**
 * The records of the latest gathering with what the law says of erasing them now and the actions
 * proposed or carried out; one form: tick records and propose erasure, restriction or its lift —
 * and on an erasure request, restriction instead of erasure under § 22 ThürDSG with its ground.
 * A refusal comes back to its field with the action and ground chosen; the ticks are ticked anew.
 */
export function ProposeTable({
  findings,
  mayPropose,
  erasureCase,
}: {
  findings: ExecutionFinding[];
  mayPropose: boolean;
  erasureCase: boolean;
}) {
  const m = useMessages();
  const t = m.execution;
  const activityName = useActivityName();
  const errorText = useErrorText();
  const [form, fields] = useForm<ExecutionIntentOf<"propose">>({
    id: "propose-form",
    lastResult: useSentBack("propose"),
  });
  const error = (key: string | undefined) => (key === undefined ? undefined : errorText(key));
  const problem = error(form.errors?.[0]);
  const assessmentText = (a: ExecutionFinding["assessment"]) => {
    if (a.outcome === "erase-now") return t.assessment.eraseNow;
    if (a.outcome === "archive-offer") return t.assessment.archiveOffer(a.legalReference);
    return a.dueAt
      ? t.assessment.retentionDuty(a.legalReference, m.journey.formatDate(a.dueAt))
      : t.assessment.periodNotStarted(a.legalReference);
  };
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="propose" />
      <table className="execution-table">
        <caption className="visually-hidden">{t.findings}</caption>
        <thead>
          <tr>
            <th scope="col">{t.select}</th>
            <th scope="col">{t.record}</th>
            <th scope="col">{t.assessmentHeading}</th>
            <th scope="col">{t.actionsHeading}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={f.id}>
              <td>
                <input
                  type="checkbox"
                  name="findingIds"
                  value={f.id}
                  id={`ex-${f.id}`}
                  aria-label={`${t.select}: ${f.store} ${f.ref}`}
                />
              </td>
              <td>
                <label htmlFor={`ex-${f.id}`}>
                  <strong>{f.storeTitle}</strong> – {activityName(f.processingActivityId)}
                </label>
                <div className="note">
                  {f.ref}
                  {f.recordedAt ? ` · ${m.journey.formatDateTime(f.recordedAt)}` : null}
                </div>
              </td>
              <td>{assessmentText(f.assessment)}</td>
              <td>
                {f.actions.length === 0 ? (
                  t.none
                ) : (
                  <ul className="plain-list">
                    {f.actions.map((a) => (
                      <li key={a.id}>
                        {t.actions[a.action] ?? a.action}: {t.statuses[a.status] ?? a.status}
                        {a.action === "restrict" && parseSection22Reason(a.refusalReason)
                          ? ` (${t.section22.shown(t.section22.grounds[parseSection22Reason(a.refusalReason)!])})`
                          : null}
                        {a.dueAt && a.status === "deferred"
                          ? ` (${t.dueOn(m.journey.formatDate(a.dueAt))})`
                          : null}
                        {a.executedAt ? ` (${t.executedOn(m.journey.formatDate(a.executedAt))})` : null}
                        {a.archiveDecision && a.archiveAnsweredAt
                          ? ` – ${t.archive.recorded[a.archiveDecision]} (${t.archive.answerOf(m.journey.formatDate(a.archiveAnsweredAt))}${a.archiveNote ? `; ${a.archiveNote}` : ""})`
                          : null}
                        {a.proposedByName ? ` – ${t.by(a.proposedByName)}` : null}
                        {a.status === "returned" && a.returnedAt
                          ? ` – ${t.returned.sentBackBy(a.returnedByName, m.journey.formatDate(a.returnedAt))}`
                          : null}
                        {a.resolvedAt
                          ? ` – ${t.resolvedBy(a.resolvedByName, m.journey.formatDate(a.resolvedAt))}`
                          : null}
                        {a.error ? <span className="field-error"> {a.error}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {mayPropose && findings.length > 0 ? (
        <div className="decision-panel">
          <FieldError id="propose-form-error" message={problem} />
          <ChoiceField
            name="action"
            id={executionFieldId("propose", "action")}
            legend={t.proposeHeading}
            defaultValue={fields.action.initialValue ?? "erase"}
            error={error(fields.action.errors?.[0])}
            options={(
              [
                "erase",
                "restrict",
                "lift-restriction",
                ...(erasureCase ? (["restrict-instead"] as const) : []),
              ] as const
            ).map((action) => ({ value: action, label: t.actions[action] }))}
          />
          {erasureCase ? (
            <SelectField
              name="ground"
              id={executionFieldId("propose", "ground")}
              label={t.section22.groundLabel}
              placeholder={{ label: t.section22.choose }}
              defaultValue={fields.ground.initialValue}
              error={error(fields.ground.errors?.[0])}
              options={section22Grounds.map((ground) => ({
                value: ground,
                label: t.section22.grounds[ground],
              }))}
            />
          ) : null}
          <button className="button" type="submit">
            {t.propose}
          </button>
        </div>
      ) : null}
    </Form>
  );
}
