import { Form } from "react-router";
import { useLang, useMessages } from "#app/i18n";
import { fieldLabel, memberText } from "#app/server/answers/record-fields";
import type { JsonObject } from "#app/sources/connector";
import { SelectField } from "#app/ui/form/fields";
import type { ExecutionFinding } from "./execution-texts";

/**
 * A rectification: record and field picked from one list (per record the fields its system can
 * change, with the value it holds now), the correct value typed. Where the system allows no change,
 * the choice is a supplementary statement (Art. 16 sentence 2 GDPR).
 */
export function RectifyForm({ findings }: { findings: ExecutionFinding[] }) {
  const m = useMessages();
  const t = m.execution;
  const lang = useLang();
  return (
    <Form method="post" className="execution-rectify">
      <h2>{t.rectifyHeading}</h2>
      <input type="hidden" name="intent" value="rectify" />
      <SelectField
        name="target"
        id="r-target"
        label={t.rectifyTarget}
        hint={t.rectifyTargetHint}
        required
        groups={findings.map((f) => ({
          label: `${f.storeTitle} · ${f.ref}`,
          options: [
            ...f.rectifyFields.map((field) => {
              const label = fieldLabel(f.storeKind, field, lang);
              const now = memberText(
                f.content as unknown as JsonObject,
                field,
                lang,
                m.journey.formatDateTime,
              );
              return {
                value: `${f.id}:${field}`,
                label: now === null ? label : t.rectifyCurrent(label, now),
              };
            }),
            { value: `${f.id}:`, label: t.rectifyStatementOnly },
          ],
        }))}
      />
      <div className="field">
        <label htmlFor="r-value">{t.rectifyValue}</label>
        <input type="text" id="r-value" name="value" maxLength={2000} />
      </div>
      <div className="field">
        <label htmlFor="r-statement">{t.statement}</label>
        <textarea id="r-statement" name="statement" maxLength={4000} />
      </div>
      <button className="button button--secondary" type="submit">
        {t.propose}
      </button>
    </Form>
  );
}
