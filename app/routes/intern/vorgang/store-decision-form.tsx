import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import type { StoreDecisionRow } from "#app/server/review/store-decisions.server";
import { ChoiceField, SelectField } from "#app/ui/form/fields";

/**
 * § 21(2) ThürDSG per store of the case: each store with the DPO's decision and reasons, and (for
 * those who approve releases) the form to record or change one.
 */
export function StoreDecisions({
  stores,
  mayDecide,
  error,
}: {
  stores: StoreDecisionRow[];
  mayDecide: boolean;
  error: string | null;
}) {
  const m = useMessages();
  const s = m.statutory.stores;
  const j = m.journey;
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
        <Form method="post">
          <h3>{s.formTitle}</h3>
          <input type="hidden" name="intent" value="store-decision" />
          {error ? (
            <p className="field-error" role="alert" id="store-decision-error">
              {s.errors[error] ?? s.errors["unknown-store"]}
            </p>
          ) : null}
          <SelectField
            name="store"
            id="f-sd-store"
            label={s.store}
            required
            options={stores.map((row) => ({ value: row.store, label: row.store }))}
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
          />
          <div className="field">
            <label htmlFor="f-sd-reasoning">{s.reasoning}</label>
            <span className="hint" id="f-sd-reasoning-hint">
              {s.reasoningHint}
            </span>
            <textarea
              id="f-sd-reasoning"
              name="reasoning"
              required
              minLength={20}
              maxLength={4000}
              aria-describedby={error ? "f-sd-reasoning-hint store-decision-error" : "f-sd-reasoning-hint"}
            />
          </div>
          <button className="button button--secondary" type="submit">
            {s.submit}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
