import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import type { StoreDecisionRow } from "#app/server/review/store-decisions.server";
import { ChoiceField, SelectField, TextAreaField, FieldError } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import type { CaseIntentOf } from "./case-error";

/**
 * § 21(2) ThürDSG per store of the case: each store with the DPO's decision and reasons, and (for
 * those who approve releases) the form to record or change one. A refusal is announced above the
 * form and shown at its field, with what was typed.
 */
export function StoreDecisions({ stores, mayDecide }: { stores: StoreDecisionRow[]; mayDecide: boolean }) {
  const m = useMessages();
  const s = m.statutory.stores;
  const j = m.journey;
  const [form, fields] = useForm<CaseIntentOf<"store-decision">>({
    id: "store-decision",
    lastResult: useSentBack("store-decision"),
  });
  const errorText = (key: string | undefined) =>
    key === undefined ? undefined : (s.errors[key] ?? s.errors["unknown-store"]);
  const error = form.allErrors;
  const problem = errorText(Object.values(error).flat()[0]);
  if (stores.length === 0) return null;
  return (
    <section aria-labelledby="speicher-21-2">
      <h2 id="speicher-21-2">{s.title}</h2>
      <p>{s.intro}</p>
      <table className="store-decisions">
        <thead>
          <tr>
            <th scope="col">{s.store}</th>
            <th scope="col">{s.decision}</th>
            <th scope="col">{s.reasoning}</th>
            <th scope="col">{s.decidedBy}</th>
          </tr>
        </thead>
        <tbody>
          {stores.map((row) => (
            <tr key={row.store} data-store={row.store}>
              <th scope="row">{row.store}</th>
              <td>{row.decision ? (row.decision.applies ? s.applies : s.notApplies) : s.undecided}</td>
              <td>{row.decision?.reasoning ?? "–"}</td>
              <td>
                {row.decision
                  ? `${row.decision.decidedBy}, ${j.formatDateTime(row.decision.decidedAt)}`
                  : "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {mayDecide ? (
        <Form method="post" {...getFormProps(form)}>
          <h3>{s.formTitle}</h3>
          <input type="hidden" name="intent" value="store-decision" />
          <FieldError id="store-decision-error" message={problem} alert />
          <SelectField
            name="store"
            id="f-sd-store"
            label={s.store}
            required
            options={stores.map((row) => ({ value: row.store, label: row.store }))}
            defaultValue={fields.store.initialValue}
            error={errorText(fields.store.errors?.[0])}
          />
          <ChoiceField
            name="applies"
            id="f-sd-applies"
            legend={s.choice}
            browserRequired
            options={[
              { value: "yes", label: s.yes },
              { value: "no", label: s.no },
            ]}
            defaultValue={fields.applies.initialValue}
          />
          <TextAreaField
            name="reasoning"
            id="f-sd-reasoning"
            label={s.reasoning}
            hint={s.reasoningHint}
            required
            maxLength={4000}
            defaultValue={fields.reasoning.initialValue}
            error={errorText(fields.reasoning.errors?.[0])}
          />
          <button className="button button--secondary" type="submit">
            {s.submit}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
