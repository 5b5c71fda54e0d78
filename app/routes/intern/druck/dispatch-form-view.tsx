import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { TextField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { dispatchFormId, dispatchFormSchema } from "./dispatch-form";

/**
 * One waiting letter's dispatch: the day is checked in the browser as it is left, a refusal of the
 * server comes back to it with the day typed.
 */
export function DispatchForm({ printJobId, today }: { printJobId: string; today: string }) {
  const m = useMessages().print;
  const id = dispatchFormId(printJobId);
  const schema = dispatchFormSchema(today);
  const [form, fields] = useForm({
    id,
    lastResult: useSentBack(id),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(schema),
  });
  const key = fields.dispatchedOn.errors?.[0];
  const error = key === undefined ? undefined : key === "already-dispatched" ? m.alreadyDispatched : m.badDay;
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="dispatch" />
      <input type="hidden" name="printJobId" value={printJobId} />
      <TextField
        name="dispatchedOn"
        id={`day-${printJobId}`}
        type="date"
        label={m.dispatchedOn}
        required
        max={today}
        defaultValue={fields.dispatchedOn.initialValue ?? today}
        error={error}
      />
      <button className="button button--secondary" type="submit">
        {m.markDispatched}
      </button>
    </Form>
  );
}
