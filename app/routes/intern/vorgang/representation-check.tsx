import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form } from "react-router";
import { authorityCheckResults, authorityDocumentKinds } from "#app/core/representation";
import { useMessages } from "#app/i18n";
import type { RepresentationCheckView } from "#app/server/requests/representation.server";
import { CheckboxesField, ChoiceField } from "#app/ui/form/fields";
import { authorityCheckFormSchema } from "./representation-check-form";

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
      {mayCheck ? <AuthorityCheckForm requestId={requestId} view={view} /> : null}
    </section>
  );
}

/**
 * The check itself: the document seen, the result, the copies to delete now. The choices are checked
 * in the browser as they are left; the document's fitness for the role only by the action, which
 * answers a refusal on its own page with the way back (intern/vertretung.tsx).
 */
function AuthorityCheckForm({ requestId, view }: { requestId: string; view: RepresentationCheckView }) {
  const m = useMessages();
  const r = m.representation;
  const when = m.journey.formatDate;
  const [form, fields] = useForm({
    id: "authority-check",
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(authorityCheckFormSchema),
  });
  const errorText = (key: string | undefined) =>
    key === undefined ? undefined : (r.errors[key] ?? m.staff.case.errors.invalid);
  return (
    <Form method="post" action={`/intern/vorgaenge/${requestId}/vertretung`} {...getFormProps(form)}>
      <ChoiceField
        name="documentKind"
        legend={r.check.documentLegend}
        required
        browserRequired
        error={errorText(fields.documentKind.errors?.[0])}
        defaultValue={view.accepted[0]}
        options={authorityDocumentKinds.map((kind) => ({ value: kind, label: r.documents[kind] }))}
      />
      <ChoiceField
        name="result"
        legend={r.check.resultLegend}
        required
        browserRequired
        error={errorText(fields.result.errors?.[0])}
        options={authorityCheckResults.map((result) => ({
          value: result,
          label: r.check.results[result],
        }))}
      />
      {view.copies.length > 0 ? (
        <CheckboxesField
          name="deleteCopy"
          id="copy"
          legend={r.check.copies}
          error={errorText(fields.deleteCopy.errors?.[0])}
          options={view.copies.map((copy) => ({
            value: copy.id,
            label: `${copy.fileName} (${when(copy.createdAt)})`,
          }))}
        />
      ) : null}
      <p className="hint">{r.check.copiesHint}</p>
      <button type="submit" className="button">
        {r.check.submit}
      </button>
    </Form>
  );
}
