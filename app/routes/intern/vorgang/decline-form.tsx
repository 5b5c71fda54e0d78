import { Form } from "react-router";
import { requestKindBySlug } from "#app/core/request-kinds";
import { useLang, useMessages } from "#app/i18n";
import type { DeclinableKind } from "#app/server/cases/decline.server";

/**
 * Art. 12(4): declining a rectification or restriction found unfounded, with the reasons the person
 * reads and, apart from them, the internal reasoning (as the review's § 21 fields). Offered for the
 * kinds the action would accept (`declineOptions`).
 */
export function DeclineForm({ kinds }: { kinds: readonly DeclinableKind[] }) {
  const t = useMessages().staff.case;
  const lang = useLang();
  return (
    <Form method="post">
      <h2>{t.decline}</h2>
      <p>{t.declineIntro}</p>
      <input type="hidden" name="intent" value="decline" />
      <fieldset>
        <legend>{t.declineKinds}</legend>
        {kinds.map((kind) => (
          <div className="choice" key={kind}>
            <input type="checkbox" name="kinds" value={kind} id={`decline-${kind}`} defaultChecked />
            <label htmlFor={`decline-${kind}`}>{requestKindBySlug[kind].label[lang]}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="f-decline-person">{t.declinePersonReasons}</label>
        <textarea id="f-decline-person" name="personReasons" required minLength={20} maxLength={4000} />
      </div>
      <div className="field">
        <label htmlFor="f-decline-internal">{t.declineReasoning}</label>
        <textarea id="f-decline-internal" name="reasoning" required minLength={20} maxLength={4000} />
      </div>
      <button className="button button--secondary" type="submit">
        {t.declineSubmit}
      </button>
    </Form>
  );
}
