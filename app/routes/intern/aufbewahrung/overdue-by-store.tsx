import { retentionRules } from "#app/core/retention";
import { useLocalized, useMessages } from "#app/i18n";
import type { overdueSummary } from "#app/server/retention/overdue.server";

type Summary = Awaited<ReturnType<typeof overdueSummary>>;

/** Per store and rule: findings of open cases past their deletion date, the oldest, and the cases. */
export function OverdueByStore({ overdue }: { overdue: Summary }) {
  const m = useMessages();
  const o = m.statutory.overdue;
  const localized = useLocalized();
  return (
    <section aria-labelledby="ueberfaellig">
      <h2 id="ueberfaellig">{o.retentionTitle}</h2>
      <p>{o.retentionIntro}</p>
      {overdue.stores.length === 0 ? (
        <p>{o.noneOverdue}</p>
      ) : (
        <div className="retention-scroll" tabIndex={0} role="region" aria-labelledby="ueberfaellig">
          <table>
            <thead>
              <tr>
                <th scope="col">{o.store}</th>
                <th scope="col">{o.rule}</th>
                <th scope="col">{o.count}</th>
                <th scope="col">{o.oldest}</th>
                <th scope="col">{o.cases}</th>
              </tr>
            </thead>
            <tbody>
              {overdue.stores.map((s) => (
                <tr key={`${s.store}-${s.ruleId}`} data-store={s.store}>
                  <th scope="row">{s.store}</th>
                  <td>{localized(retentionRules[s.ruleId].dataType)}</td>
                  <td>
                    {s.count}
                    {s.held > 0 ? ` (${s.held} ${o.held})` : null}
                  </td>
                  <td>{m.journey.formatDate(s.oldestDueAt)}</td>
                  <td>
                    {s.cases.map((c, i) => (
                      <span key={c.id}>
                        {i > 0 ? ", " : null}
                        <a href={`/intern/vorgaenge/${c.id}#loeschfrist`}>{c.reference ?? c.id}</a>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
