import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import type { SearchGate } from "#app/server/review/search-complete.server";

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
      {gate.running ? null : mayAccept ? (
        <Form method="post">
          <input type="hidden" name="intent" value="accept-unsearched" />
          <div className="field">
            <label htmlFor="f-unsearched-reason">{t.reasonLabel}</label>
            <span className="hint" id="f-unsearched-reason-hint">
              {t.reasonHint}
            </span>
            <textarea
              id="f-unsearched-reason"
              name="reason"
              required
              minLength={10}
              maxLength={4000}
              aria-describedby="f-unsearched-reason-hint"
            />
          </div>
          <button className="button button--secondary" type="submit">
            {t.reasonSubmit}
          </button>
        </Form>
      ) : (
        <p>{t.onlyDpo}</p>
      )}
    </section>
  );
}
