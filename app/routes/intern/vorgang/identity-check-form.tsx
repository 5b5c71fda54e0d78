import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { identityCheckHows, identityCheckResults, identityDocumentKinds } from "#app/core/identity-checks";
import { useMessages } from "#app/i18n";
import type { IdentityCheckView } from "#app/server/requests/identity-check.server";
import { identityCheckFormSchema } from "#app/server/requests/identity-check-form";
import { checkInBrowser } from "#app/ui/form/browser-check";
import {
  CheckboxesField,
  ChoiceField,
  FieldError,
  SelectField,
  TextAreaField,
  TextField,
} from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";

/**
 * Art. 12(6) DS-GVO on the staff case page: the checks recorded (what, how, who, when, result) and,
 * for those who may check, the form. A document shown in person needs no copy; the copies named are
 * deleted with the record, and each can be opened first (identitaetsdokument.tsx). The form is
 * checked in the browser (identity-check-form.ts) and again by the server; a refusal is announced
 * above the form and shown at its field, with what was typed.
 */
export function IdentityCheck({
  requestId,
  identity,
  mayCheck,
}: {
  requestId: string;
  identity: IdentityCheckView;
  mayCheck: boolean;
}) {
  const m = useMessages();
  const t = m.statutory.identity;
  const j = m.journey;
  const [form, fields] = useForm({
    id: "identity-check",
    lastResult: useSentBack("identity-check"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(identityCheckFormSchema),
  });
  const errorText = (key: string | undefined) =>
    key === undefined ? undefined : (t.errors[key] ?? t.errors.invalid);
  const problem = errorText(Object.values(form.allErrors).flat()[0]);
  const chosen = [fields.documentIds.initialValue ?? []].flat().filter((id) => id !== undefined);
  const fieldError = (name: keyof typeof fields) => errorText(fields[name].errors?.[0]);
  if (!mayCheck && identity.history.length === 0) return null;
  return (
    <section aria-labelledby="identitaet">
      <h2 id="identitaet">{t.title}</h2>
      <p>{t.intro}</p>
      {identity.history.length > 0 ? (
        <table data-testid="identity-history">
          <caption>{t.historyTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.checkedAt}</th>
              <th scope="col">{t.checkedBy}</th>
              <th scope="col">{t.how}</th>
              <th scope="col">{t.documentKind}</th>
              <th scope="col">{t.tailShort}</th>
              <th scope="col">{t.result}</th>
              <th scope="col">{t.reasonShort}</th>
            </tr>
          </thead>
          <tbody>
            {identity.history.map((h) => (
              <tr key={h.id}>
                <td>{j.formatDateTime(h.at)}</td>
                <td>{h.by}</td>
                <td>{t.hows[h.how]}</td>
                <td>{t.kinds[h.documentKind]}</td>
                <td>
                  <code>…{h.numberTail}</code>
                </td>
                <td>{t.results[h.result]}</td>
                <td>{h.reason ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mayCheck ? (
        <Form method="post" {...getFormProps(form)}>
          <h3>{t.formTitle}</h3>
          <input type="hidden" name="intent" value="identity-check" />
          <FieldError id="identity-check-error" message={problem} alert />
          <ChoiceField
            name="how"
            id="f-id-how"
            legend={t.how}
            browserRequired
            required
            options={identityCheckHows.map((how) => ({ value: how, label: t.hows[how] }))}
            defaultValue={fields.how.initialValue}
            error={fieldError("how")}
          />
          {identity.documents.length > 0 ? (
            <CheckboxesField
              name="documentIds"
              id="f-id-docs"
              legend={t.documents}
              error={fieldError("documentIds")}
              defaultValues={chosen}
              options={identity.documents.map((d) => ({
                value: d.id,
                label: `${d.fileName} (${t.uploadedAt(j.formatDateTime(d.uploadedAt), d.byPerson)})`,
                after: (
                  <a href={`/intern/vorgaenge/${requestId}/identitaetsdokument/${d.id}`}>
                    {t.open(d.fileName)}
                  </a>
                ),
              }))}
            />
          ) : null}
          <SelectField
            name="documentKind"
            id="f-id-kind"
            label={t.documentKind}
            required
            options={identityDocumentKinds.map((kind) => ({ value: kind, label: t.kinds[kind] }))}
            defaultValue={fields.documentKind.initialValue}
            error={fieldError("documentKind")}
          />
          <TextField
            name="numberTail"
            id="f-id-tail"
            label={t.numberTail}
            hint={t.numberTailHint}
            required
            maxLength={4}
            autoComplete="off"
            defaultValue={fields.numberTail.initialValue}
            error={fieldError("numberTail")}
          />
          <ChoiceField
            name="result"
            id="f-id-result"
            legend={t.result}
            browserRequired
            required
            options={identityCheckResults.map((result) => ({ value: result, label: t.results[result] }))}
            defaultValue={fields.result.initialValue}
            error={fieldError("result")}
          />
          <TextAreaField
            name="reason"
            id="f-id-reason"
            label={t.reason}
            maxLength={500}
            rows={2}
            defaultValue={fields.reason.initialValue}
          />
          <button className="button button--secondary" type="submit">
            {t.submit}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
