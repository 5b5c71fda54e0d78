import { Form } from "react-router";
import { useMessages } from "../../../i18n";

/** Art. 12(3): one or two more months, with reasons the person is told. */
export function ExtendDeadlineForm() {
  const t = useMessages().staff.case;
  return (
    <Form method="post">
      <h2>{t.extend}</h2>
      <input type="hidden" name="intent" value="extend" />
      <fieldset>
        <legend>{t.extendMonths}</legend>
        <div className="choice">
          <input type="radio" name="months" value="1" id="m-1" defaultChecked />
          <label htmlFor="m-1">{t.oneMonth}</label>
        </div>
        <div className="choice">
          <input type="radio" name="months" value="2" id="m-2" />
          <label htmlFor="m-2">{t.twoMonths}</label>
        </div>
      </fieldset>
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
      <fieldset>
        <legend>{t.refuseGround}</legend>
        <div className="choice">
          <input type="radio" name="ground" value="unfounded" id="g-u" defaultChecked />
          <label htmlFor="g-u">{m.staff.notices.unfounded}</label>
        </div>
        <div className="choice">
          <input type="radio" name="ground" value="excessive" id="g-e" />
          <label htmlFor="g-e">{m.staff.notices.excessive}</label>
        </div>
      </fieldset>
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
