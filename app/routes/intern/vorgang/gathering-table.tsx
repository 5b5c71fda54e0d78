import { useEffect } from "react";
import { Form, useRevalidator } from "react-router";
import type { Route } from "../+types/vorgang";
import { useMessages } from "#app/i18n";
import { type GatheringEstimate, gigabytes } from "#app/sources/gathering-estimate";

type CaseData = Route.ComponentProps["loaderData"];

/**
 * The latest gathering: its version, what changed against the one before, and per store its state,
 * whether it was searched only in part, whether a database store was searched through its index
 * (ADR 0020), and where it found what it could not read (file, line or record id, reason — never
 * content); above it and per store, how long a search takes at the configured store sizes (ADR 0023).
 * Below, the actions the stores did not confirm.
 */
export function GatheringTable({
  requestId,
  gathering,
  comparison,
  running,
  mayRetry,
  expected,
}: {
  requestId: string;
  gathering: NonNullable<CaseData["gathering"]>;
  comparison: CaseData["comparison"];
  running: boolean;
  /** A failed store can be searched again until the findings are frozen for the review. */
  mayRetry: boolean;
  expected: GatheringEstimate;
}) {
  const t = useMessages().staff.case;
  const expectedOf = new Map(expected.stores.map((s) => [s.id, s]));
  return (
    <>
      <p>
        {t.version(gathering.run.version)}
        {gathering.run.frozenAt ? ` – ${t.frozen}` : null}
      </p>
      {comparison ? (
        <p>
          {t.compared(comparison.previousVersion, comparison.added, comparison.removed, comparison.changed)}
        </p>
      ) : null}
      <ExpectedGathering expected={expected} />
      <table>
        <caption className="visually-hidden">{t.gathering}</caption>
        <thead>
          <tr>
            <th scope="col">{t.store}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.progress}</th>
            <th scope="col">{t.found}</th>
            <th scope="col">{t.expected}</th>
          </tr>
        </thead>
        <tbody>
          {gathering.stores.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.store}</th>
              <td>
                {t.storeStates[s.status] ?? s.status}
                {s.partial ? <p className="field-error">{t.partial}</p> : null}
                {s.searchIndex ? (
                  <p>
                    {s.searchIndex.via === "index"
                      ? t.indexCovers(s.searchIndex)
                      : t.searchedWithoutIndex[s.searchIndex.reason]}
                  </p>
                ) : null}
                {s.givenUp !== null ? (
                  <p className="field-error">{t.givenUp[s.givenUp.how](s.givenUp.tries)}</p>
                ) : s.error ? (
                  <p className="field-error">{s.error}</p>
                ) : null}
                <StoreProblems
                  store={s.store}
                  malformed={s.malformed}
                  problems={s.problems}
                  omitted={s.problemsOmitted}
                />
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
                  <progress
                    max={s.progressTotal}
                    value={s.progressScanned}
                    aria-label={`${t.progress} ${s.store}`}
                  >
                    {Math.round((100 * s.progressScanned) / s.progressTotal)} %
                  </progress>
                ) : (
                  s.progressScanned || "–"
                )}
              </td>
              <td>{s.findings}</td>
              <td>{expectedOf.has(s.store) ? expectedCell(t, expectedOf.get(s.store)!) : "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {running ? (
        <p>
          <a href={`/intern/vorgaenge/${requestId}`}>{t.refresh}</a>
        </p>
      ) : null}
      {gathering.failedActions.length > 0 ? (
        <FailedActionsNote requestId={requestId} failed={gathering.failedActions} />
      ) : null}
    </>
  );
}

/** A store's expected duration; for one searched through its index, with and without it. */
function expectedCell(
  t: ReturnType<typeof useMessages>["staff"]["case"],
  store: GatheringEstimate["stores"][number],
): string {
  return store.withoutIndex
    ? t.expectedWithIndex(t.duration(store.seconds), t.duration(store.withoutIndex.seconds))
    : t.duration(store.seconds);
}

/** The whole request's expected duration and cost, and the stores left out for want of a size. */
export function ExpectedGathering({ expected }: { expected: GatheringEstimate }) {
  const t = useMessages().staff.case;
  if (expected.stores.length === 0) return null;
  return (
    <>
      <p>
        {t.expectedTotal(t.duration(expected.seconds), expected.cpuSeconds, gigabytes(expected.readBytes))}
      </p>
      {expected.withoutIndex ? (
        <p>
          {t.expectedAssumesIndex(
            expected.stores
              .filter((s) => s.withoutIndex)
              .map((s) => s.id)
              .join(", "),
            t.duration(expected.withoutIndex.seconds),
          )}
        </p>
      ) : null}
      {expected.unsized.length > 0 ? <p>{t.expectedUnsized(expected.unsized.join(", "))}</p> : null}
    </>
  );
}

type Store = NonNullable<CaseData["gathering"]>["stores"][number];

/** What one store's scan could not read, located; the rest counted. */
function StoreProblems({
  store,
  malformed,
  problems,
  omitted,
}: {
  store: string;
  malformed: number;
  problems: Store["problems"];
  omitted: number;
}) {
  const t = useMessages().staff.case;
  if (malformed === 0 && problems.length === 0 && omitted === 0) return null;
  return (
    <details className="store-problems" open={problems.some((p) => p.unsearched) || undefined}>
      <summary>
        {t.problemsHeading} ({problems.length + omitted})
      </summary>
      {malformed > 0 ? <p>{t.malformed(malformed)}</p> : null}
      {problems.length > 0 ? (
        <ul aria-label={t.problemsOf(store)}>
          {problems.map((p, i) => (
            <li key={i}>
              {p.where ? <code>{t.problemAt(p.where, p.line)}</code> : null}
              {p.where ? ": " : null}
              {p.reason}
              {p.unsearched ? ` (${t.notSearched})` : null}
            </li>
          ))}
        </ul>
      ) : null}
      {omitted > 0 ? <p>{t.furtherProblems(omitted)}</p> : null}
    </details>
  );
}

/** Actions the stores did not confirm, with the store's reason; they are settled on the execution page. */
function FailedActionsNote({
  requestId,
  failed,
}: {
  requestId: string;
  failed: NonNullable<CaseData["gathering"]>["failedActions"];
}) {
  const m = useMessages();
  const t = m.staff.case;
  const actions = m.execution.actions;
  return (
    <section aria-labelledby="failed-actions-heading" className="failed-actions">
      <h3 id="failed-actions-heading">{t.failedActionsHeading}</h3>
      <p>{t.failedActionsIntro(failed.length)}</p>
      <ul>
        {failed.map((a) => (
          <li key={a.id}>
            {actions[a.action] ?? a.action}: {a.store} · {a.ref}
            <p className="field-error">{a.error}</p>
          </li>
        ))}
      </ul>
      <p>
        <a href={`/intern/vorgaenge/${requestId}/umsetzung#failed-heading`}>{t.failedActionsLink}</a>
      </p>
    </section>
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
