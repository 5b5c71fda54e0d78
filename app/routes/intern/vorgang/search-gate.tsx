import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import type { SearchGate } from "#app/server/review/search-complete.server";
import { TextAreaField, FieldError } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { type CaseIntentOf, useReviewErrorText } from "./case-error";

/**
 * No answer without a search: which stores were not searched completely, that nothing goes on
 * while they are not, and the DPO's way to answer without them — a reason, kept and audited, and
 * named in the letter. Once recorded, the reason is shown instead.
 */
export function SearchGateNotice({ gate, mayAccept }: { gate: SearchGate; mayAccept: boolean }) {
  const m = useMessages();
  const t = m.review.search;
  if (gate.incomplete.length === 0) return null;
  const stores = gate.incomplete.map((s) => s.store).join(", ");
  if (gate.blocking.length === 0 && gate.reason) {
    return (
      <p className="note" data-testid="unsearched-reason">
        {t.recorded(
          gate.reason.byName ?? "–",
          m.journey.formatDateTime(gate.reason.at),
          gate.reason.stores.join(", ") || stores,
          gate.reason.text,
        )}
      </p>
    );
  }
  return (
    <section className="warning" aria-labelledby="search-gate-heading" data-testid="search-gate">
      <h3 id="search-gate-heading">{t.title}</h3>
      <p>{t.blocking}</p>
      <ul>
        {gate.blocking.map((s) => (
          <li key={s.store}>
            {s.store}: {t.status[s.status] ?? s.status}
          </li>
        ))}
      </ul>
      {gate.running ? null : mayAccept ? <UnsearchedReasonForm /> : <p>{t.onlyDpo}</p>}
    </section>
  );
}

/** The DPO's reason to answer without the stores named above; a refusal comes back to its field. */
function UnsearchedReasonForm() {
  const t = useMessages().review.search;
  const errorText = useReviewErrorText();
  const [form, fields] = useForm<CaseIntentOf<"accept-unsearched">>({
    id: "accept-unsearched",
    lastResult: useSentBack("accept-unsearched"),
  });
  const problem = errorText(form.errors?.[0]);
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="accept-unsearched" />
      <FieldError id="accept-unsearched-error" message={problem} />
      <TextAreaField
        name="reason"
        id="f-unsearched-reason"
        label={t.reasonLabel}
        hint={t.reasonHint}
        required
        maxLength={4000}
        defaultValue={fields.reason.initialValue}
        error={errorText(fields.reason.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.reasonSubmit}
      </button>
    </Form>
  );
}
