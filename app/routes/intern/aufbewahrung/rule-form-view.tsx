import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form } from "react-router";
import { type PeriodUnit, periodUnits } from "#app/core/retention";
import { useMessages } from "#app/i18n";
import { CheckboxField, Field, SelectField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { MAX_PERIOD_AMOUNT, periodSchema, ruleFormId } from "./rule-form";

/** What was typed, as conform read it back. */
const typed = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * One rule's period in its row: the amount and unit are checked in the browser as they are left;
 * the rule's legal bounds only on the server, whose refusal comes back to the amount with what was
 * typed (the tick shows the stored rule again).
 */
export function RuleForm({
  ruleId,
  name,
  amount,
  unit,
  roundToEndOfYear,
  errorText,
}: {
  ruleId: string;
  /** The rule's data type, for the labels read out. */
  name: string;
  amount: number;
  unit: PeriodUnit;
  roundToEndOfYear: boolean;
  /** A refusal key in the page's language (some name the rule's legal basis). */
  errorText: (key: string) => string;
}) {
  const m = useMessages().retention.rules;
  const id = ruleFormId(ruleId);
  const [form, fields] = useForm({
    id,
    lastResult: useSentBack(id),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(periodSchema),
  });
  const key = fields.amount.errors?.[0] ?? fields.unit.errors?.[0];
  return (
    <Form method="post" className="retention-rules__form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="change" />
      <input type="hidden" name="ruleId" value={ruleId} />
      <Field
        name="amount"
        id={`amount-${ruleId}`}
        label={m.amount(name)}
        labelHidden
        alert
        error={key === undefined ? undefined : errorText(key)}
      >
        {(control) => (
          <input
            {...control}
            type="number"
            min={1}
            max={MAX_PERIOD_AMOUNT}
            defaultValue={typed(fields.amount.initialValue) ?? amount}
          />
        )}
      </Field>
      <SelectField
        name="unit"
        id={`unit-${ruleId}`}
        label={m.unit(name)}
        labelHidden
        defaultValue={typed(fields.unit.initialValue) ?? unit}
        options={periodUnits.map((u) => ({ value: u, label: m.units[u] }))}
      />
      <CheckboxField
        name="roundToEndOfYear"
        id={`round-${ruleId}`}
        defaultChecked={roundToEndOfYear}
        label={
          <>
            <span aria-hidden="true">{m.rounding}</span>
            <span className="visually-hidden">{m.roundToEndOfYear(name)}</span>
          </>
        }
      />
      <button className="button button--secondary" type="submit" aria-label={m.save(name)}>
        {m.saveShort}
      </button>
    </Form>
  );
}
