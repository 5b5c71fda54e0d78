import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { ChoiceField, TextAreaField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { type CaseIntentOf, useCaseErrorText } from "./case-error";

/** Art. 12(3): one or two more months, with reasons the person is told. */
export function ExtendDeadlineForm() {
  const t = useMessages().staff.case;
  const errorText = useCaseErrorText();
  const [form, fields] = useForm<CaseIntentOf<"extend">>({ id: "extend", lastResult: useSentBack("extend") });
  return (
    <Form method="post" {...getFormProps(form)}>
      <h2>{t.extend}</h2>
      <input type="hidden" name="intent" value="extend" />
      <ChoiceField
        name="months"
        legend={t.extendMonths}
        defaultValue={fields.months.initialValue ?? "1"}
        options={[
          { value: "1", label: t.oneMonth },
          { value: "2", label: t.twoMonths },
        ]}
      />
      <TextAreaField
        name="reasons"
        id="f-ext-reasons"
        label={t.extendReasons}
        required
        maxLength={4000}
        defaultValue={fields.reasons.initialValue}
        error={errorText(fields.reasons.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.extendSubmit}
      </button>
    </Form>
  );
}

/** Art. 12(5)(b): refusing a manifestly unfounded or excessive request, with reasons. */
export function RefuseRequestForm() {
  const m = useMessages();
  const t = m.staff.case;
  const errorText = useCaseErrorText();
  const [form, fields] = useForm<CaseIntentOf<"refuse">>({ id: "refuse", lastResult: useSentBack("refuse") });
  return (
    <Form method="post" {...getFormProps(form)}>
      <h2>{t.refuse}</h2>
      <input type="hidden" name="intent" value="refuse" />
      <ChoiceField
        name="ground"
        id="f-refuse-ground"
        legend={t.refuseGround}
        defaultValue={fields.ground.initialValue ?? "unfounded"}
        options={[
          { value: "unfounded", label: m.staff.notices.unfounded },
          { value: "excessive", label: m.staff.notices.excessive },
        ]}
      />
      <TextAreaField
        name="reasons"
        id="f-ref-reasons"
        label={t.refuseReasons}
        required
        maxLength={4000}
        defaultValue={fields.reasons.initialValue}
        error={errorText(fields.reasons.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.refuseSubmit}
      </button>
    </Form>
  );
}
