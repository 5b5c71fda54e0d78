import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { staffChannels } from "#app/core/channels";
import { useMessages } from "#app/i18n";
import { handOverFormId } from "#app/server/cases/statutory-intents";
import {
  MAX_HAND_OVER_NOTE,
  MIN_HAND_OVER_NOTE,
  handOverSchema,
  recordDemandSchema,
} from "#app/server/complaints/tlfdi-forms";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { FieldError, SelectField, TextAreaField, TextField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";

/** A refusal key of the task forms in the page's language. */
function useTaskErrorText(): (key: string | undefined) => string | undefined {
  const errors = useMessages().statutory.task.errors;
  return (key) => (key === undefined ? undefined : (errors[key] ?? errors["unknown-demand"]));
}

/**
 * § 21(5): a demand the person made by letter or phone, recorded by staff. The choice is checked in
 * the browser too; a refusal of the case page's action comes back to its field, or above the form
 * when it is about the demand (one already made, none to make).
 */
export function RecordDemandForm() {
  const t = useMessages().statutory.task;
  const errorText = useTaskErrorText();
  const [form, fields] = useForm({
    id: "record-demand",
    lastResult: useSentBack("record-demand"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(recordDemandSchema),
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <h3>{t.recordTitle}</h3>
      <p>{t.recordIntro}</p>
      <input type="hidden" name="intent" value="record-demand" />
      <FieldError id={`${form.id}-error`} message={errorText(form.errors?.[0])} alert />
      <SelectField
        name="channel"
        id="f-demand-channel"
        label={t.channel}
        required
        defaultValue={fields.channel.initialValue}
        error={errorText(fields.channel.errors?.[0])}
        options={staffChannels.map((channel) => ({ value: channel, label: t.channels[channel] }))}
      />
      <button className="button button--secondary" type="submit">
        {t.recordSubmit}
      </button>
    </Form>
  );
}

/**
 * The kept record went to the TLfDI: on which day, and how. Day and note are checked in the browser
 * too; a refusal comes back to this demand's form with what was typed.
 */
export function HandOverForm({ demandId, today }: { demandId: string; today: string }) {
  const t = useMessages().statutory.task;
  const errorText = useTaskErrorText();
  const id = handOverFormId(demandId);
  const [form, fields] = useForm({
    id,
    lastResult: useSentBack(id),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(handOverSchema(today)),
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="handed-over" />
      <input type="hidden" name="demandId" value={demandId} />
      <FieldError id={`${id}-error`} message={errorText(form.errors?.[0])} alert />
      <TextField
        name="day"
        id={`f-ho-day-${demandId}`}
        type="date"
        label={t.handedOverOn}
        required
        max={today}
        defaultValue={fields.day.initialValue ?? today}
        error={errorText(fields.day.errors?.[0])}
      />
      <TextAreaField
        name="note"
        id={`f-ho-note-${demandId}`}
        label={t.note}
        required
        minLength={MIN_HAND_OVER_NOTE}
        maxLength={MAX_HAND_OVER_NOTE}
        defaultValue={fields.note.initialValue}
        error={errorText(fields.note.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.submit}
      </button>
    </Form>
  );
}
