import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { requestKindBySlug } from "#app/core/request-kinds";
import { useLang, useMessages } from "#app/i18n";
import type { DeclinableKind } from "#app/core/request-kinds";
import { CheckboxesField, TextAreaField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { type CaseIntentOf, useCaseErrorText } from "./case-error";

/**
 * Art. 12(4): declining a rectification or restriction found unfounded, with the reasons the person
 * reads and, apart from them, the internal reasoning (as the review's § 21 fields). Offered for the
 * kinds the action would accept (`declineOptions`). A refusal comes back to its field, with what was typed.
 */
export function DeclineForm({ kinds }: { kinds: readonly DeclinableKind[] }) {
  const t = useMessages().staff.case;
  const lang = useLang();
  const errorText = useCaseErrorText();
  const [form, fields] = useForm<CaseIntentOf<"decline">>({
    id: "decline",
    lastResult: useSentBack("decline"),
  });
  const ticked = fields.kinds.initialValue;
  return (
    <Form method="post" {...getFormProps(form)}>
      <h2>{t.decline}</h2>
      <p>{t.declineIntro}</p>
      <input type="hidden" name="intent" value="decline" />
      <CheckboxesField
        name="kinds"
        id="f-decline-kinds"
        legend={t.declineKinds}
        required
        options={kinds.map((kind) => ({ value: kind, label: requestKindBySlug[kind].label[lang] }))}
        // All ticked at first; after a refusal, what was ticked.
        defaultValues={ticked === undefined ? kinds : [ticked].flat().filter((kind) => kind !== undefined)}
        error={errorText(fields.kinds.errors?.[0])}
      />
      <TextAreaField
        name="personReasons"
        id="f-decline-person"
        label={t.declinePersonReasons}
        required
        maxLength={4000}
        defaultValue={fields.personReasons.initialValue}
        error={errorText(fields.personReasons.errors?.[0])}
      />
      <TextAreaField
        name="reasoning"
        id="f-decline-internal"
        label={t.declineReasoning}
        required
        maxLength={4000}
        defaultValue={fields.reasoning.initialValue}
        error={errorText(fields.reasoning.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.declineSubmit}
      </button>
    </Form>
  );
}
