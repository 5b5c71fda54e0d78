import type { ReactNode } from "react";
import { useLang, useMessages } from "#app/i18n";
import {
  type RecordField,
  type RecordFieldItem,
  pathLabel,
  recordFields,
} from "#app/server/answers/record-fields";
import type { JsonObject } from "#app/sources/connector";

/** Lists longer than this fold away (a circular's Cc list runs to thousands). */
const OPEN_ITEMS = 20;

export interface RecordFinding {
  id: string;
  ref: string;
  storeKind: string;
  content: unknown;
  suggestions: readonly { action: string; fields?: string[] }[];
}

/**
 * A found record as labelled fields in the staff's language, the record as stored one click away.
 * In an open review every field, recipient and attachment can be ticked for redaction: the ticked
 * paths go with the decision form (`fields`), and the server checks them against the record.
 * Fields the rules suggest blanking out (other people's data) are marked.
 */
export function RecordFields({ finding, redactable }: { finding: RecordFinding; redactable: boolean }) {
  const m = useMessages();
  const t = m.staff.case.record;
  const lang = useLang();
  const content = (finding.content ?? {}) as JsonObject;
  const fields = recordFields(finding.storeKind, content, lang, m.journey.formatDateTime);
  const suggested = new Set(
    finding.suggestions.flatMap((s) => (s.action === "redact" ? (s.fields ?? []) : [])),
  );
  const tick = (item: RecordFieldItem) =>
    redactable ? (
      <span className="record-field__redact">
        <input type="checkbox" name="fields" value={item.path} id={`rd-${finding.id}-${item.path}`} />
        <label htmlFor={`rd-${finding.id}-${item.path}`}>
          {t.redact}
          <span className="visually-hidden">{`: ${item.label} (${finding.ref})`}</span>
        </label>
      </span>
    ) : null;
  const mark = (path: string) =>
    suggested.has(path) ? <span className="record-field__suggested">{` ${t.suggested}`}</span> : null;
  return (
    <div className="record-fields">
      <dl>
        {fields.map((field) => (
          <div key={field.path}>
            <dt>
              {field.label}
              {mark(field.path)}
            </dt>
            <dd>
              <FieldValue field={field} />
              {tick(field)}
              {field.items.length > 0 ? (
                <Items field={field} tick={tick} mark={mark} entries={t.entries} />
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      {redactable && Object.hasOwn(content, "raw") ? <p className="note">{t.rawLineNote}</p> : null}
      <details>
        <summary>{t.raw}</summary>
        <pre className="finding-content">{JSON.stringify(content, null, 2)}</pre>
      </details>
    </div>
  );
}

function FieldValue({ field }: { field: RecordField }) {
  if (field.members.length > 0) {
    return (
      <ul className="plain-list">
        {field.members.map((member) => (
          <li key={member.label}>
            {member.label}: {member.text}
          </li>
        ))}
      </ul>
    );
  }
  if (field.items.length > 0) return null;
  if (field.block) {
    return (
      <details>
        <summary>{field.text.slice(0, 80)}…</summary>
        <pre className="finding-content">{field.text}</pre>
      </details>
    );
  }
  return <>{field.text} </>;
}

function Items({
  field,
  tick,
  mark,
  entries,
}: {
  field: RecordField;
  tick: (item: RecordFieldItem) => ReactNode;
  mark: (path: string) => ReactNode;
  entries: (n: number) => string;
}) {
  const list = (
    <ul className="plain-list">
      {field.items.map((item) => (
        <li key={item.path}>
          {item.text}
          {mark(item.path)} {tick(item)}
        </li>
      ))}
    </ul>
  );
  if (field.items.length <= OPEN_ITEMS) return list;
  return (
    <details>
      <summary>{entries(field.items.length)}</summary>
      {list}
    </details>
  );
}

/** Record paths by their labels ("Absender, Kopie an (Cc) 2"): what a suggestion or a redaction names. */
export function FieldLabels({
  storeKind,
  fields,
  around = ["", ""],
}: {
  storeKind: string;
  fields: readonly string[];
  around?: [string, string];
}) {
  const lang = useLang();
  const shown = fields.slice(0, OPEN_ITEMS).map((path) => pathLabel(storeKind, path, lang));
  const more = fields.length - shown.length;
  return <>{`${around[0]}${shown.join(", ")}${more > 0 ? ` … (+${more})` : ""}${around[1]}`}</>;
}
