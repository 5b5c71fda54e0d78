import { Form } from "react-router";
import { authorityCheckResults, authorityDocumentKinds } from "#app/core/representation";
import { useMessages } from "#app/i18n";
import type { RepresentationCheckView } from "#app/server/requests/representation.server";
import { ChoiceField } from "#app/ui/form/fields";

/**
 * A request filed for someone else (ADR 0011): who filed, in what role, the latest check of their
 * authority, and the form to record a check. The answer cannot be released before a confirmed one.
 */
export function RepresentationCheck({
  requestId,
  view,
  mayCheck,
}: {
  requestId: string;
  view: RepresentationCheckView;
  mayCheck: boolean;
}) {
  const m = useMessages();
  const r = m.representation;
  const { representation: rep } = view;
  const when = m.journey.formatDate;
  const contact = [view.contactEmail, rep.postalAddress?.replace(/\s*\r?\n\s*/g, ", "), rep.phone]
    .filter(Boolean)
    .join(" · ");
  return (
    <section aria-labelledby="representation-heading">
      <h2 id="representation-heading">{r.check.heading}</h2>
      <p>{r.check.filedBy(rep.name, r.roles[rep.role])}</p>
      {contact ? (
        <p>
          {r.check.contact}: {contact}
        </p>
      ) : null}
      <p>{r.check.represented}</p>
      <p role="status">
        {rep.lastCheck
          ? r.check.last(
              rep.lastCheck.staffName,
              when(rep.lastCheck.at),
              r.documents[rep.lastCheck.documentKind],
              r.check.results[rep.lastCheck.result],
            )
          : r.check.none}
      </p>
      {view.childOwnRights ? <p className="note">{r.check.childOwnRights}</p> : null}
      {mayCheck ? (
        <Form method="post" action={`/intern/vorgaenge/${requestId}/vertretung`}>
          <ChoiceField
            name="documentKind"
            legend={r.check.documentLegend}
            required
            defaultValue={view.accepted[0]}
            options={authorityDocumentKinds.map((kind) => ({ value: kind, label: r.documents[kind] }))}
          />
          <ChoiceField
            name="result"
            legend={r.check.resultLegend}
            required
            options={authorityCheckResults.map((result) => ({
              value: result,
              label: r.check.results[result],
            }))}
          />
          {view.copies.length > 0 ? (
            <fieldset>
              <legend>{r.check.copies}</legend>
              {view.copies.map((copy) => (
                <div className="choice" key={copy.id}>
                  <input type="checkbox" id={`copy-${copy.id}`} name="deleteCopy" value={copy.id} />
                  <label htmlFor={`copy-${copy.id}`}>
                    {copy.fileName} ({when(copy.createdAt)})
                  </label>
                </div>
              ))}
            </fieldset>
          ) : null}
          <p className="hint">{r.check.copiesHint}</p>
          <button type="submit" className="button">
            {r.check.submit}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
