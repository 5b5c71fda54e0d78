import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form } from "react-router";
import { staffChannels } from "#app/core/channels";
import { useMessages } from "#app/i18n";
import {
  MAX_HAND_OVER_NOTE,
  MIN_HAND_OVER_NOTE,
  handOverSchema,
  recordDemandSchema,
} from "#app/server/complaints/tlfdi-forms";
import { SelectField, TextAreaField, TextField } from "#app/ui/form/fields";

/** A refusal key of the task forms in the page's language. */
function useTaskErrorText(): (key: string | undefined) => string | undefined {
  const errors = useMessages().statutory.task.errors;
  return (key) => (key === undefined ? undefined : (errors[key] ?? errors["unknown-demand"]));
}

/**
 * § 21(5): a demand the person made by letter or phone, recorded by staff. The choice is checked in
 * the browser too; the server's answer comes back above the tasks (`?tlfdi=`).
 */
export function RecordDemandForm({ requestId }: { requestId: string }) {
  const t = useMessages().statutory.task;
  const errorText = useTaskErrorText();
  const [form, fields] = useForm({
    id: "record-demand",
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(recordDemandSchema),
  });
  return (
    <Form method="post" action={`/intern/vorgaenge/${requestId}/tlfdi-nachweis`} {...getFormProps(form)}>
      <h3>{t.recordTitle}</h3>
      <p>{t.recordIntro}</p>
      <input type="hidden" name="intent" value="record-demand" />
      <SelectField
        name="channel"
        id="f-demand-channel"
        label={t.channel}
        required
        error={errorText(fields.channel.errors?.[0])}
        options={staffChannels.map((channel) => ({ value: channel, label: t.channels[channel] }))}
      />
      <button className="button button--secondary" type="submit">
        {t.recordSubmit}
      </button>
    </Form>
  );
}

/** The kept record went to the TLfDI: on which day, and how. Day and note are checked in the browser too. */
export function HandOverForm({
  requestId,
  demandId,
  today,
}: {
  requestId: string;
  demandId: string;
  today: string;
}) {
  const t = useMessages().statutory.task;
  const errorText = useTaskErrorText();
  const schema = handOverSchema(today);
  const [form, fields] = useForm({
    id: `handed-over-${demandId}`,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(schema),
  });
  return (
    <Form method="post" action={`/intern/vorgaenge/${requestId}/tlfdi-nachweis`} {...getFormProps(form)}>
      <input type="hidden" name="intent" value="handed-over" />
      <input type="hidden" name="demandId" value={demandId} />
      <TextField
        name="day"
        id={`f-ho-day-${demandId}`}
        type="date"
        label={t.handedOverOn}
        required
        max={today}
        defaultValue={today}
        error={errorText(fields.day.errors?.[0])}
      />
      <TextAreaField
        name="note"
        id={`f-ho-note-${demandId}`}
        label={t.note}
        required
        minLength={MIN_HAND_OVER_NOTE}
        maxLength={MAX_HAND_OVER_NOTE}
        error={errorText(fields.note.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.submit}
      </button>
    </Form>
  );
}
