import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { ChoiceField } from "#app/ui/form/fields";

/** Art. 12(3): one or two more months, with reasons the person is told. */
export function ExtendDeadlineForm() {
  const t = useMessages().staff.case;
  return (
    <Form method="post">
      <h2>{t.extend}</h2>
      <input type="hidden" name="intent" value="extend" />
      <ChoiceField
        name="months"
        legend={t.extendMonths}
        defaultValue="1"
        options={[
          { value: "1", label: t.oneMonth },
          { value: "2", label: t.twoMonths },
        ]}
      />
      <div className="field">
        <label htmlFor="f-ext-reasons">{t.extendReasons}</label>
        <textarea id="f-ext-reasons" name="reasons" required minLength={20} maxLength={4000} />
      </div>
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
  return (
    <Form method="post">
      <h2>{t.refuse}</h2>
      <input type="hidden" name="intent" value="refuse" />
      <ChoiceField
        name="ground"
        id="f-refuse-ground"
        legend={t.refuseGround}
        defaultValue="unfounded"
        options={[
          { value: "unfounded", label: m.staff.notices.unfounded },
          { value: "excessive", label: m.staff.notices.excessive },
        ]}
      />
      <div className="field">
        <label htmlFor="f-ref-reasons">{t.refuseReasons}</label>
        <textarea id="f-ref-reasons" name="reasons" required minLength={20} maxLength={4000} />
      </div>
      <button className="button button--secondary" type="submit">
        {t.refuseSubmit}
      </button>
    </Form>
  );
}
