import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { archiveDecisions } from "#app/core/finding-actions";
import { ChoiceField, TextField, FieldError } from "#app/ui/form/fields";
import {
  type ExecutionIntentOf,
  type ExecutionPage,
  executionFieldId,
  useActivityName,
  useErrorText,
  useRowRefusal,
} from "./execution-texts";

/** Erasures waiting for the state archive's answer: per offer, the archive's decision and the day it answered. */
export function ArchiveOffers({
  offers,
  today,
  mayPropose,
}: {
  offers: ExecutionPage["archiveOffers"];
  today: string;
  mayPropose: boolean;
}) {
  const m = useMessages();
  const t = m.execution;
  const activityName = useActivityName();
  return (
    <section aria-labelledby="archive-heading">
      <h2 id="archive-heading">{t.archive.heading}</h2>
      <p>{t.archive.intro}</p>
      {mayPropose ? null : <p className="note">{t.archive.onlyWithPermission}</p>}
      {offers.map((offer) => {
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
        return (
          <ArchiveOfferForm key={offer.id} offer={offer} record={record} approved={approved} today={today} />
        );
      })}
    </section>
  );
}

/** The archive's answer to one offer; a refusal comes back to its field with what was chosen and typed. */
function ArchiveOfferForm({
  offer,
  record,
  approved,
  today,
}: {
  offer: ExecutionPage["archiveOffers"][number];
  record: string;
  approved: string | null;
  today: string;
}) {
  const m = useMessages();
  const t = m.execution;
  const errorText = useErrorText();
  const [form, fields] = useForm<ExecutionIntentOf<"archive">>({
    id: `archive-${offer.id}`,
    lastResult: useRowRefusal("archive", offer.id),
  });
  const error = (key: string | undefined) => (key === undefined ? undefined : errorText(key));
  const problem = error(form.errors?.[0]);
  const id = (field: string) => executionFieldId("archive", field, offer.id);
  return (
    <Form method="post" className="execution-archive" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="archive" />
      <input type="hidden" name="actionId" value={offer.id} />
      <fieldset>
        <legend>
          {t.actions.erase}: {record}
        </legend>
        {approved ? <p className="note">{approved}</p> : null}
        <FieldError id={`archive-${offer.id}-error`} message={problem} />
        <ChoiceField
          name="decision"
          id={id("decision")}
          legend={t.archive.decision}
          idsByValue
          browserRequired
          defaultValue={fields.decision.initialValue}
          error={error(fields.decision.errors?.[0])}
          options={archiveDecisions.map((decision) => ({
            value: decision,
            label: t.archive.decisions[decision],
          }))}
        />
        <TextField
          name="answeredOn"
          id={id("answeredOn")}
          type="date"
          label={t.archive.answeredOn}
          hint={t.archive.answeredOnHint(
            m.journey.formatDate(offer.earliestAnswer),
            m.journey.formatDate(today),
          )}
          required
          min={offer.earliestAnswer}
          max={today}
          defaultValue={fields.answeredOn.initialValue}
          error={error(fields.answeredOn.errors?.[0])}
        />
        <TextField
          name="note"
          id={id("note")}
          label={t.archive.note}
          maxLength={500}
          defaultValue={fields.note.initialValue}
          error={error(fields.note.errors?.[0])}
        />
        <button className="button" type="submit">
          {t.archive.submit}
        </button>
      </fieldset>
    </Form>
  );
}
