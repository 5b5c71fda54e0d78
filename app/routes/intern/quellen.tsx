import { useLoaderData } from "react-router";
import type { Route } from "./+types/quellen";
import { useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { STORE_CHECK_TIMEOUT_MS, checkStores } from "#app/server/store-checks.server";
import { PageTitle } from "#app/ui/page-title";

/** The source stores as configured, each checked now: reachable and readable, or why not. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "sources:manage");
  const checks = await checkStores(context.services.sources);
  return {
    ...checks,
    me: staffPageMember(staff),
    checkedAt: new Date(),
    timeoutSeconds: Math.round(STORE_CHECK_TIMEOUT_MS / 1000),
  };
}

export default function StoreChecks() {
  const m = useMessages();
  const t = m.staff.storeChecks;
  const { checked, misconfigured, checkedAt, timeoutSeconds } = useLoaderData<typeof loader>();
  return (
    <article>
      <PageTitle title={t.title} />
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <p>
        {t.checkedAt(m.journey.formatDateTime(checkedAt))} · <a href="/intern/quellen">{t.again}</a>
      </p>
      <table>
        <caption className="visually-hidden">{t.title}</caption>
        <thead>
          <tr>
            <th scope="col">{t.store}</th>
            <th scope="col">{t.kind}</th>
            <th scope="col">{t.result}</th>
          </tr>
        </thead>
        <tbody>
          {checked.map((c) => (
            <tr key={c.store}>
              <th scope="row">{c.store}</th>
              <td>{c.kind}</td>
              <td>
                {c.check.ok ? (
                  <>
                    {t.ok}
                    {c.check.detail ? <span className="note"> – {c.check.detail}</span> : null}
                  </>
                ) : (
                  <span className="field-error">
                    {t.notReachable}: {c.timedOut ? t.timedOut(timeoutSeconds) : c.check.reason}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t.misconfigured}</h2>
      {misconfigured.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <>
          <p>{t.misconfiguredIntro}</p>
          <ul>
            {misconfigured.map((f) => (
              <li key={f.store}>
                <strong>{f.store}</strong>
                {f.kind ? ` (${f.kind})` : null}: <span className="field-error">{f.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
