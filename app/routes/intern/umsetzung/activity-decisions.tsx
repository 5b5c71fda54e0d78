import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { activityDecisionKinds, activityDecisionOutcomes } from "#app/core/finding-actions";
import { useLocalized, useMessages } from "#app/i18n";
import { ChoiceField, TextAreaField, FieldError } from "#app/ui/form/fields";
import {
  type ExecutionIntentOf,
  type ExecutionPage,
  executionFieldId,
  useErrorText,
  useRowRefusal,
} from "./execution-texts";

/** Objection and withdrawal of consent, decided per processing activity, or the decision taken. */
export function ActivityDecisions({
  activities,
  kinds,
  decisions,
  mayDecide,
}: {
  activities: ExecutionPage["activities"];
  kinds: string[];
  decisions: ExecutionPage["decisions"];
  mayDecide: boolean;
}) {
  const m = useMessages();
  const t = m.execution;
  const localized = useLocalized();
  return (
    <>
      <h2>{t.decisionsHeading}</h2>
      {activities.map((activity) => (
        <section key={activity.id} className="execution-activity" aria-labelledby={`act-${activity.id}`}>
          <h3 id={`act-${activity.id}`}>{localized(activity.name)}</h3>
          <p className="note">{localized(activity.objectionNote)}</p>
          {activityDecisionKinds
            .filter((kind) => kinds.includes(kind === "objection" ? "widerspruch" : "widerruf"))
            .map((kind) => {
              const decided = decisions.find(
                (d) => d.kind === kind && d.processingActivityId === activity.id,
              );
              if (decided) {
                const effect = decided.effect
                  ? (JSON.parse(decided.effect) as { erase: number; restrict: number; later: number })
                  : null;
                return (
                  <p key={kind}>
                    {kind === "objection" ? t.objection : t.withdrawal}:{" "}
                    {t.outcomes[decided.outcome as "upheld" | "rejected"]} – {decided.reasoning} (
                    {t.decidedBy(decided.decidedByName, m.journey.formatDate(decided.decidedAt))})
                    {effect ? ` ${t.effect(effect.erase, effect.restrict, effect.later)}` : null}
                  </p>
                );
              }
              if (!mayDecide) return null;
              return <ActivityDecisionForm key={kind} activity={activity} kind={kind} />;
            })}
        </section>
      ))}
    </>
  );
}

/**
 * Upholding or rejecting an objection or withdrawal for one processing activity, with reasons. An
 * objection to an activity it cannot stop can only be rejected (the register's note is the reason
 * offered). A refusal comes back to its field with what was typed.
 */
function ActivityDecisionForm({
  activity,
  kind,
}: {
  activity: ExecutionPage["activities"][number];
  kind: "objection" | "withdrawal";
}) {
  const t = useMessages().execution;
  const localized = useLocalized();
  const errorText = useErrorText();
  const row = `${kind}-${activity.id}`;
  const [form, fields] = useForm<ExecutionIntentOf<"decide">>({
    id: `decide-${row}`,
    lastResult: useRowRefusal("decide", row),
  });
  const error = (key: string | undefined) => (key === undefined ? undefined : errorText(key));
  const problem = error(form.errors?.[0]);
  const onlyReject = kind === "objection" && !activity.objectionApplies;
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="activityId" value={activity.id} />
      <fieldset>
        <legend>{kind === "objection" ? t.objection : t.withdrawal}</legend>
        {onlyReject ? <p>{t.objectionImpossible}</p> : null}
        <FieldError id={`decide-${row}-error`} message={problem} />
        <ChoiceField
          name="outcome"
          id={executionFieldId("decide", "outcome", row)}
          legend={t.outcome}
          idsByValue
          defaultValue={fields.outcome.initialValue ?? (onlyReject ? "rejected" : "upheld")}
          error={error(fields.outcome.errors?.[0])}
          options={activityDecisionOutcomes.map((outcome) => ({
            value: outcome,
            label: t.outcomes[outcome],
            disabled: onlyReject && outcome === "upheld",
          }))}
        />
        <TextAreaField
          name="reasoning"
          id={executionFieldId("decide", "reasoning", row)}
          label={t.reasoning}
          required
          maxLength={4000}
          defaultValue={
            fields.reasoning.initialValue ?? (onlyReject ? localized(activity.objectionNote) : "")
          }
          error={error(fields.reasoning.errors?.[0])}
        />
        <button className="button" type="submit">
          {t.decide}
        </button>
      </fieldset>
    </Form>
  );
}
