import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { archiveDecisions } from "#app/server/execution/erasure-assessment";
import { type ExecutionPage, useActivityName, useErrorText } from "./execution-texts";

/**
 * Erasures waiting for the state archive's answer: per offer, the archive's decision and the day it
 * answered. `archiveError` is a refused answer of one offer, `archiveField` the field it concerns.
 */
export function ArchiveOffers({
  offers,
  today,
  mayPropose,
  archiveError,
  archiveField,
}: {
  offers: ExecutionPage["archiveOffers"];
  today: string;
  mayPropose: boolean;
  archiveError: { actionId: string; error: string } | null;
  archiveField: "decision" | "date" | null;
}) {
  const m = useMessages();
  const t = m.execution;
  const activityName = useActivityName();
  const errorText = useErrorText();
  return (
    <section aria-labelledby="archive-heading">
      <h2 id="archive-heading">{t.archive.heading}</h2>
      <p>{t.archive.intro}</p>
      {mayPropose ? null : <p className="note">{t.archive.onlyWithPermission}</p>}
      {offers.map((offer) => {
        const id = `ar-${offer.id}`;
        const record = `${offer.storeTitle} · ${offer.ref} (${activityName(offer.processingActivityId)})`;
        const approved = offer.approvedAt
          ? t.archive.approvedOn(m.journey.formatDate(offer.approvedAt))
          : null;
        if (!mayPropose) {
          return (
            <p key={offer.id}>
              {t.actions.erase}: {record}
              {approved ? ` – ${approved}` : null}
            </p>
          );
        }
        const error = archiveError?.actionId === offer.id ? archiveField : null;
        return (
          <Form method="post" key={offer.id} className="execution-archive">
            <input type="hidden" name="intent" value="archive" />
            <input type="hidden" name="actionId" value={offer.id} />
            <fieldset>
              <legend>
                {t.actions.erase}: {record}
              </legend>
              {approved ? <p className="note">{approved}</p> : null}
              <fieldset
                className={error === "decision" ? "field field--invalid" : "field"}
                id={`${id}-decision`}
                tabIndex={-1}
                aria-describedby={error === "decision" ? `${id}-decision-error` : undefined}
              >
                <legend>{t.archive.decision}</legend>
                {error === "decision" ? (
                  <p className="field-error" id={`${id}-decision-error`}>
                    {errorText(archiveError!.error)}
                  </p>
                ) : null}
                {archiveDecisions.map((decision) => (
                  <div className="choice" key={decision}>
                    <input
                      type="radio"
                      name="decision"
                      value={decision}
                      id={`${id}-${decision}`}
                      required
                      aria-invalid={error === "decision" ? true : undefined}
                    />
                    <label htmlFor={`${id}-${decision}`}>{t.archive.decisions[decision]}</label>
                  </div>
                ))}
              </fieldset>
              <div className={error === "date" ? "field field--invalid" : "field"}>
                <label htmlFor={`${id}-date`}>{t.archive.answeredOn}</label>
                <span className="hint" id={`${id}-date-hint`}>
                  {t.archive.answeredOnHint(
                    m.journey.formatDate(offer.earliestAnswer),
                    m.journey.formatDate(today),
                  )}
                </span>
                {error === "date" ? (
                  <p className="field-error" id={`${id}-date-error`}>
                    {errorText(archiveError!.error)}
                  </p>
                ) : null}
                <input
                  type="date"
                  id={`${id}-date`}
                  name="answeredOn"
                  required
                  min={offer.earliestAnswer}
                  max={today}
                  aria-describedby={error === "date" ? `${id}-date-hint ${id}-date-error` : `${id}-date-hint`}
                  aria-invalid={error === "date" ? true : undefined}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-note`}>{t.archive.note}</label>
                <input type="text" id={`${id}-note`} name="note" maxLength={500} />
              </div>
              <button className="button" type="submit">
                {t.archive.submit}
              </button>
            </fieldset>
          </Form>
        );
      })}
    </section>
  );
}
