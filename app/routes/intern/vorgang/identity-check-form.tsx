import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { identityCheckHows, identityCheckResults, identityDocumentKinds } from "#app/core/identity-checks";
import { useMessages } from "#app/i18n";
import type { IdentityCheckView } from "#app/server/requests/identity-check.server";
import { ChoiceField, SelectField, TextAreaField, TextField, FieldError } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import type { CaseIntentOf } from "./case-error";

/**
 * Art. 12(6) DS-GVO on the staff case page: the checks recorded (what, how, who, when, result) and,
 * for those who may check, the form. A document shown in person needs no copy; the copies named are
 * deleted with the record, and each can be opened first (identitaetsdokument.tsx). A refusal is
 * announced above the form and shown at its field, with what was typed.
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
  const [form, fields] = useForm<CaseIntentOf<"identity-check">>({
    id: "identity-check",
    lastResult: useSentBack("identity-check"),
  });
  const errorText = (key: string | undefined) =>
    key === undefined ? undefined : (t.errors[key] ?? t.errors.invalid);
  const problem = errorText(Object.values(form.allErrors).flat()[0]);
  const chosen = new Set([fields.documentIds.initialValue ?? []].flat());
  const documentsError = errorText(fields.documentIds.errors?.[0]);
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
          />
          {identity.documents.length > 0 ? (
            <fieldset
              className={documentsError ? "field field--invalid" : "field"}
              id="f-id-docs"
              tabIndex={-1}
              aria-describedby={documentsError ? "f-id-docs-error" : undefined}
            >
              <legend>{t.documents}</legend>
              <FieldError id="f-id-docs-error" message={documentsError} />
              {identity.documents.map((d) => (
                <div className="choice" key={d.id}>
                  <input
                    type="checkbox"
                    name="documentIds"
                    value={d.id}
                    id={`f-id-doc-${d.id}`}
                    defaultChecked={chosen.has(d.id)}
                  />
                  <label htmlFor={`f-id-doc-${d.id}`}>
                    {d.fileName} ({t.uploadedAt(j.formatDateTime(d.uploadedAt), d.byPerson)})
                  </label>{" "}
                  <a href={`/intern/vorgaenge/${requestId}/identitaetsdokument/${d.id}`}>
                    {t.open(d.fileName)}
                  </a>
                </div>
              ))}
            </fieldset>
          ) : null}
          <SelectField
            name="documentKind"
            id="f-id-kind"
            label={t.documentKind}
            required
            options={identityDocumentKinds.map((kind) => ({ value: kind, label: t.kinds[kind] }))}
            defaultValue={fields.documentKind.initialValue}
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
            error={errorText(fields.numberTail.errors?.[0])}
          />
          <ChoiceField
            name="result"
            id="f-id-result"
            legend={t.result}
            browserRequired
            required
            options={identityCheckResults.map((result) => ({ value: result, label: t.results[result] }))}
            defaultValue={fields.result.initialValue}
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
