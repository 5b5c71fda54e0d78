import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { minResolutionNote } from "#app/server/execution/intents";
import type { ExecutionPage } from "./execution-texts";

type FailedAction = ExecutionPage["failed"][number];

/**
 * What the stores did not confirm, with the store's reason: run again, or recorded as carried out
 * by hand with a note (the store is read again before anything is marked done).
 */
export function FailedActions({
  failed,
  may,
  error,
}: {
  failed: FailedAction[];
  may: boolean;
  error: { actionId: string; error: string; detail: string | null } | null;
}) {
  const m = useMessages();
  const t = m.execution;
  const f = t.failed;
  const record = (a: FailedAction) =>
    `${t.actions[a.action as keyof typeof t.actions] ?? a.action}: ${a.storeTitle} · ${a.ref}`;
  return (
    <section aria-labelledby="failed-heading" className="execution-failed">
      <h2 id="failed-heading">{f.heading}</h2>
      <p>{f.intro}</p>
      {may ? null : <p className="note">{f.onlyWithPermission}</p>}
      <Form method="post">
        <input type="hidden" name="intent" value="retry-failed" />
        <fieldset>
          <legend>{f.retryLegend}</legend>
          <ul className="plain-list">
            {failed.map((a) => (
              <li key={a.id} className="choice">
                {may ? (
                  <input type="checkbox" name="actionIds" value={a.id} id={`rt-${a.id}`} defaultChecked />
                ) : null}
                <label htmlFor={may ? `rt-${a.id}` : undefined}>{record(a)}</label>
                <p className="field-error" id={`rt-${a.id}-reason`}>
                  {f.reason}: {a.error}
                </p>
                {a.attemptedAt ? (
                  <p className="note">{f.attempted(m.journey.formatDateTime(a.attemptedAt))}</p>
                ) : null}
              </li>
            ))}
          </ul>
          {may ? (
            <button className="button" type="submit">
              {f.retry}
            </button>
          ) : null}
        </fieldset>
      </Form>
      {may
        ? failed.map((a) => {
            const id = `rf-${a.id}`;
            const invalid = error?.actionId === a.id ? error : null;
            return (
              <Form method="post" key={a.id} className="execution-resolve">
                <input type="hidden" name="intent" value="resolve-failed" />
                <input type="hidden" name="actionId" value={a.id} />
                <fieldset>
                  <legend>{f.resolveLegend(record(a))}</legend>
                  <div className={invalid ? "field field--invalid" : "field"}>
                    <label htmlFor={`${id}-note`}>{f.note}</label>
                    <span className="hint" id={`${id}-hint`}>
                      {f.noteHint}
                    </span>
                    {invalid ? (
                      <div className="field-error" id={`${id}-error`}>
                        <p>{t.errors[invalid.error as keyof typeof t.errors] ?? t.errors.invalid}</p>
                        {invalid.detail ? <p>{`${f.storeSays} ${invalid.detail}`}</p> : null}
                      </div>
                    ) : null}
                    <textarea
                      id={`${id}-note`}
                      name="note"
                      required
                      minLength={minResolutionNote}
                      maxLength={2000}
                      aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}
                      aria-invalid={invalid ? true : undefined}
                    />
                  </div>
                  <button className="button button--secondary" type="submit">
                    {f.resolve}
                  </button>
                </fieldset>
              </Form>
            );
          })
        : null}
    </section>
  );
}
