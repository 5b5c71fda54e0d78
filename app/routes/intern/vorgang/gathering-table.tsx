import { useEffect } from "react";
import { Form, useRevalidator } from "react-router";
import type { Route } from "../+types/vorgang";
import { useMessages } from "../../../i18n";

type CaseData = Route.ComponentProps["loaderData"];

/** The latest gathering: its version, what changed against the one before, and per store its state. */
export function GatheringTable({
  requestId,
  gathering,
  comparison,
  running,
  mayRetry,
}: {
  requestId: string;
  gathering: NonNullable<CaseData["gathering"]>;
  comparison: CaseData["comparison"];
  running: boolean;
  /** A failed store can be searched again until the findings are frozen for the review. */
  mayRetry: boolean;
}) {
  const t = useMessages().staff.case;
  return (
    <>
      <p>
        {t.version(gathering.run.version)}
        {gathering.run.frozenAt ? ` – ${t.frozen}` : null}
      </p>
      {comparison ? <p>{t.compared(comparison.previousVersion, comparison.added, comparison.removed, comparison.changed)}</p> : null}
      <table>
        <caption className="visually-hidden">{t.gathering}</caption>
        <thead>
          <tr>
            <th scope="col">{t.store}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.progress}</th>
            <th scope="col">{t.found}</th>
          </tr>
        </thead>
        <tbody>
          {gathering.stores.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.store}</th>
              <td>
                {t.storeStates[s.status] ?? s.status}
                {s.error ? <p className="field-error">{s.error}</p> : null}
                {s.status === "failed" && mayRetry && !gathering.run.frozenAt ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="storeJobId" value={s.id} />
                    <button className="button button--secondary" type="submit">
                      {t.retry}
                    </button>
                  </Form>
                ) : null}
              </td>
              <td>
                {s.progressTotal ? (
                  <progress max={s.progressTotal} value={s.progressScanned} aria-label={`${t.progress} ${s.store}`}>
                    {Math.round((100 * s.progressScanned) / s.progressTotal)} %
                  </progress>
                ) : (
                  s.progressScanned || "–"
                )}
              </td>
              <td>{s.findings}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {running ? (
        <p>
          <a href={`/intern/vorgaenge/${requestId}`}>{t.refresh}</a>
        </p>
      ) : null}
    </>
  );
}

/** Starts the first gathering, or a new version of it. */
export function GatherForm({ again }: { again: boolean }) {
  const t = useMessages().staff.case;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="gather" />
      <button className="button button--secondary" type="submit">
        {again ? t.regather : t.startGather}
      </button>
    </Form>
  );
}

/** While stores are still being searched, the page refreshes itself every two seconds (with JavaScript). */
export function useLiveProgress(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (state === "idle") void revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [active, revalidate, state]);
}
