import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { CheckboxesField, TextAreaField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import {
  type ExecutionIntentOf,
  type ExecutionPage,
  executionFieldId,
  useErrorText,
  useRowRefusal,
} from "./execution-texts";

type FailedAction = ExecutionPage["failed"][number];

/**
 * What the stores did not confirm, with the store's reason: run again, or recorded as carried out
 * by hand with a note (the store is read again before anything is marked done).
 */
export function FailedActions({
  failed,
  may,
  detail,
}: {
  failed: FailedAction[];
  may: boolean;
  /** What the store said when a resolution was refused (the action's form shows it with the refusal). */
  detail: string | null;
}) {
  const m = useMessages();
  const t = m.execution;
  const f = t.failed;
  const errorText = useErrorText();
  const [form] = useForm<ExecutionIntentOf<"retry-failed">>({
    id: "retry-failed",
    lastResult: useSentBack("retry-failed"),
  });
  const problem = form.errors?.[0] === undefined ? undefined : errorText(form.errors[0]);
  const record = (a: FailedAction) => `${t.actions[a.action] ?? a.action}: ${a.storeTitle} · ${a.ref}`;
  return (
    <section aria-labelledby="failed-heading" className="execution-failed">
      <h2 id="failed-heading">{f.heading}</h2>
      <p>{f.intro}</p>
      {may ? null : <p className="note">{f.onlyWithPermission}</p>}
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="retry-failed" />
        {/* Every failed action is ticked as the page draws it; a refusal never brings ticks back (ADR 0016). */}
        <CheckboxesField
          name="actionIds"
          id="rt"
          legend={f.retryLegend}
          error={problem}
          options={failed.map((a) => ({
            value: a.id,
            label: record(a),
            disabled: !may,
            description: (
              <>
                <p className="field-error">
                  {f.reason}: {a.error}
                </p>
                {a.attemptedAt ? (
                  <p className="note">{f.attempted(m.journey.formatDateTime(a.attemptedAt))}</p>
                ) : null}
              </>
            ),
          }))}
          defaultValues={may ? failed.map((a) => a.id) : []}
        />
        {may ? (
          <button className="button" type="submit">
            {f.retry}
          </button>
        ) : null}
      </Form>
      {may
        ? failed.map((a) => <ResolveForm key={a.id} action={a} record={record(a)} detail={detail} />)
        : null}
    </section>
  );
}

/**
 * One failed action recorded as carried out by hand, with a note of what was done; the store is read
 * again first. A refusal comes back to the note with what the store said and what was typed.
 */
function ResolveForm({
  action,
  record,
  detail,
}: {
  action: FailedAction;
  record: string;
  detail: string | null;
}) {
  const m = useMessages();
  const f = m.execution.failed;
  const errorText = useErrorText();
  const [form, fields] = useForm<ExecutionIntentOf<"resolve-failed">>({
    id: `resolve-${action.id}`,
    lastResult: useRowRefusal("resolve-failed", action.id),
  });
  const refusal = fields.note.errors?.[0] ?? form.errors?.[0];
  const error =
    refusal === undefined
      ? undefined
      : [errorText(refusal), detail ? `${f.storeSays} ${detail}` : null].filter(Boolean).join(" ");
  return (
    <Form method="post" className="execution-resolve" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="resolve-failed" />
      <input type="hidden" name="actionId" value={action.id} />
      <fieldset>
        <legend>{f.resolveLegend(record)}</legend>
        <TextAreaField
          name="note"
          id={executionFieldId("resolve-failed", "note", action.id)}
          label={f.note}
          hint={f.noteHint}
          required
          maxLength={2000}
          defaultValue={fields.note.initialValue}
          error={error}
        />
        <button className="button button--secondary" type="submit">
          {f.resolve}
        </button>
      </fieldset>
    </Form>
  );
}
