import { restrictionGroundIds, restrictionGrounds } from "../../../core/restriction-grounds";
import { useLocalized, useMessages } from "../../../i18n";

/**
 * One review decision for the findings selected in the table: release, withhold or redact, with the
 * ground from the catalogue of §§ 21–23 ThürDSG. Sits inside the findings table's form. The decision
 * goes to the ticked findings, or to the whole group the page's filter matches (`group`: its size
 * as shown, and the filter in words, null for all findings): the server resolves the group from the
 * filter in the page's URL and refuses it if its size changed meanwhile.
 */
export function DecisionPanel({ group }: { group: { size: number; filter: string | null } | null }) {
  const m = useMessages();
  const t = m.staff.case;
  const localized = useLocalized();
  const size = group ? m.dashboard.formatNumber(group.size) : "";
  return (
    <fieldset className="decision-panel">
      <legend>{t.decision}</legend>
      {group ? (
        <fieldset>
          <legend>{t.scope}</legend>
          <input type="hidden" name="groupSize" value={group.size} />
          <div className="choices-inline">
            <div className="choice">
              <input type="radio" name="scope" value="checked" id="s-checked" defaultChecked />
              <label htmlFor="s-checked">{t.scopeChecked}</label>
            </div>
            <div className="choice">
              <input type="radio" name="scope" value="filter" id="s-filter" />
              <label htmlFor="s-filter">{group.filter ? t.scopeFilter(size, group.filter) : t.scopeAll(size)}</label>
            </div>
          </div>
        </fieldset>
      ) : null}
      {/* In a row: the panel stays at the bottom of the window and must leave the table room. */}
      <div className="choices-inline">
        {(["release", "withhold", "redact"] as const).map((d) => (
          <div className="choice" key={d}>
            <input type="radio" name="decision" value={d} id={`d-${d}`} defaultChecked={d === "release"} />
            <label htmlFor={`d-${d}`}>{t.decisions[d]}</label>
          </div>
        ))}
      </div>
      <div className="field">
        <label htmlFor="f-ground">{t.ground}</label>
        <select id="f-ground" name="groundId" defaultValue="">
          <option value="">–</option>
          {restrictionGroundIds.map((id) => (
            <option key={id} value={id}>
              {restrictionGrounds[id].reference}: {localized(restrictionGrounds[id].label)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-reasoning">{t.reasoning}</label>
        <textarea id="f-reasoning" name="reasoning" maxLength={4000} />
      </div>
      <div className="field">
        <label htmlFor="f-reviewOn">{t.reviewOn}</label>
        <input type="date" id="f-reviewOn" name="reviewOn" />
      </div>
      <div className="choice">
        <input type="checkbox" id="f-omit" name="omitReasons" />
        <label htmlFor="f-omit">{t.omitReasons}</label>
      </div>
      <div className="field">
        <label htmlFor="f-fields">{t.fields}</label>
        <input type="text" id="f-fields" name="fields" maxLength={500} />
      </div>
      <button className="button" type="submit">
        {t.applyDecision}
      </button>
    </fieldset>
  );
}
