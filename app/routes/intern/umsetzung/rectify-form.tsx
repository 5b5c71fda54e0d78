import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useLang, useMessages } from "#app/i18n";
import { fieldLabel, memberText } from "#app/server/answers/record-fields";
import type { JsonObject } from "#app/sources/connector";
import { SelectField, TextAreaField, TextField, FieldError } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { type ExecutionFinding, executionFieldId, useErrorText } from "./execution-texts";

/**
 * A rectification: record and field picked from one list (per record the fields its system can
 * change, with the value it holds now), the correct value typed. Where the system allows no change,
 * the choice is a supplementary statement (Art. 16 sentence 2 GDPR). A refusal comes back to its
 * field with what was typed.
 */
export function RectifyForm({ findings }: { findings: ExecutionFinding[] }) {
  const m = useMessages();
  const t = m.execution;
  const lang = useLang();
  const errorText = useErrorText();
  // The form posts the record and field as one "target"; the action splits it (parseExecutionIntent).
  const [form, fields] = useForm<{ target: string; value: string; statement: string }>({
    id: "rectify",
    lastResult: useSentBack("rectify"),
  });
  const error = (key: string | undefined) => (key === undefined ? undefined : errorText(key));
  const problem = error(form.errors?.[0]);
  return (
    <Form method="post" className="execution-rectify" {...getFormProps(form)}>
      <h2>{t.rectifyHeading}</h2>
      <input type="hidden" name="intent" value="rectify" />
      <FieldError id="rectify-error" message={problem} />
      <SelectField
        name="target"
        id={executionFieldId("rectify", "target")}
        defaultValue={fields.target.initialValue}
        error={error(fields.target.errors?.[0])}
        label={t.rectifyTarget}
        hint={t.rectifyTargetHint}
        required
        groups={findings.map((f) => ({
          label: `${f.storeTitle} · ${f.ref}`,
          options: [
            ...f.rectifyFields.map((field) => {
              const label = fieldLabel(f.storeKind, field, lang);
              const now = memberText(
                f.content as unknown as JsonObject,
                field,
                lang,
                m.journey.formatDateTime,
              );
              return {
                value: `${f.id}:${field}`,
                label: now === null ? label : t.rectifyCurrent(label, now),
              };
            }),
            { value: `${f.id}:`, label: t.rectifyStatementOnly },
          ],
        }))}
      />
      <TextField
        name="value"
        id={executionFieldId("rectify", "value")}
        label={t.rectifyValue}
        maxLength={2000}
        defaultValue={fields.value.initialValue}
        error={error(fields.value.errors?.[0])}
      />
      <TextAreaField
        name="statement"
        id={executionFieldId("rectify", "statement")}
        label={t.statement}
        maxLength={4000}
        defaultValue={fields.statement.initialValue}
        error={error(fields.statement.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.propose}
      </button>
    </Form>
  );
}
