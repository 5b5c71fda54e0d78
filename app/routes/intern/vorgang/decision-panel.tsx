import { useFormMetadata } from "@conform-to/react";
import { useEffect, useRef, useState } from "react";
import { restrictionGroundIds, restrictionGrounds } from "#app/core/restriction-grounds";
import { useLocalized, useMessages } from "#app/i18n";
import type { Block } from "#app/server/answers/letter-content";
import {
  CheckboxField,
  ChoiceField,
  SelectField,
  TextAreaField,
  TextField,
  FieldError,
} from "#app/ui/form/fields";
import { type CaseIntentOf, useReviewErrorText } from "./case-error";

/** The findings table's form, which the decision panel's fields belong to. */
export const decideFormId = "decide-form";

/** What the reviewer entered when asking for a preview: the form shows it again beside the preview. */
export interface DecisionDraft {
  roundId: string;
  scope: "checked" | "filter";
  findingIds: string[];
  decision: "release" | "withhold" | "redact";
  groundId: string;
  reasoning: string;
  personReasons: string;
  reviewOn: string;
  omitReasons: boolean;
  /** The record paths ticked for redaction (see RecordFields). */
  fields: string[];
  /** The state of each ticked finding as the page showed it ("<id>@<token>"). */
  shown: string[];
  /** A group: its size and stamp as the page showed them. */
  groupSize?: number;
  groupStamp?: string;
}

/** The letter's paragraph for the draft: blocks, none (the letter is silent) or null (no text of the reviewer). */
export interface DecisionPreview {
  draft: DecisionDraft;
  blocks: Block[] | null;
}

/**
 * One review decision for the findings selected in the table: release, withhold or redact, with the
 * ground from the catalogue of §§ 21–23 ThürDSG. Sits inside the findings table's form (conform's
 * "decide-form", see FindingsTable). The decision goes to the ticked findings, or to the whole group
 * the page's filter matches (`group`: its size and stamp as shown, and the filter in words, null for
 * all findings): the server resolves the group from the filter in the page's URL and refuses it if
 * it changed meanwhile. The panel says, as the reviewer ticks, how many findings the decision is
 * about to decide. A refusal is shown at its field with what was typed; the ticks are never sent back
 * (what is ticked is decided, ADR 0016): after a refusal without JavaScript the reviewer ticks again.
 */
export function DecisionPanel({
  group,
  preview,
}: {
  group: { size: number; stamp: string; filter: string | null } | null;
  preview: DecisionPreview | null;
}) {
  const m = useMessages();
  const t = m.staff.case;
  const r = m.review.panel;
  const f = m.delivery.decisionForm;
  const draft = preview?.draft;
  const localized = useLocalized();
  const errorText = useReviewErrorText();
  const form = useFormMetadata<CaseIntentOf<"decide">>(decideFormId);
  const fields = form.getFieldset();
  const n = m.dashboard.formatNumber;
  const size = group ? n(group.size) : "";
  const scope = fields.scope.initialValue ?? draft?.scope;
  const { ref, selection } = useSelection(scope === "filter" ? "filter" : "checked");
  // Without the page's script the browser cannot count: the button names the ticked findings.
  const apply = !selection
    ? t.applyDecision
    : selection.scope === "filter" && group
      ? r.applyGroup(size)
      : r.applyCount(n(selection.ticked));
  const about = !selection
    ? null
    : selection.scope === "filter" && group
      ? r.aboutGroup(size, group.filter)
      : selection.ticked === 0
        ? r.noneTicked
        : r.aboutTicked(n(selection.ticked));
  const problem = errorText(form.errors?.[0]);
  return (
    <fieldset className="decision-panel" ref={ref}>
      <legend>{t.decision}</legend>
      <FieldError id="decide-form-error" message={problem} />
      {group ? (
        <>
          <input type="hidden" name="groupSize" value={group.size} />
          <input type="hidden" name="groupStamp" value={group.stamp} />
          <ChoiceField
            name="scope"
            id="s"
            legend={t.scope}
            inline
            idsByValue
            defaultValue={scope === "filter" ? "filter" : "checked"}
            options={[
              { value: "checked", label: t.scopeChecked },
              {
                value: "filter",
                label: group.filter ? t.scopeFilter(size, group.filter) : t.scopeAll(size),
              },
            ]}
          />
        </>
      ) : null}
      {/* In a row: the panel must leave the table room. */}
      <ChoiceField
        name="decision"
        id="d"
        legend={r.choice}
        inline
        idsByValue
        defaultValue={fields.decision.initialValue ?? draft?.decision ?? "release"}
        error={errorText(fields.decision.errors?.[0])}
        options={(["release", "withhold", "redact"] as const).map((d) => ({
          value: d,
          label: t.decisions[d],
        }))}
      />
      <SelectField
        name="groundId"
        id="f-ground"
        label={t.ground}
        placeholder={{ label: "–" }}
        defaultValue={fields.groundId.initialValue ?? draft?.groundId}
        error={errorText(fields.groundId.errors?.[0])}
        options={restrictionGroundIds.map((id) => ({
          value: id,
          label: `${restrictionGrounds[id].reference}: ${localized(restrictionGrounds[id].label)}`,
        }))}
      />
      {/* Two texts, two fields: the internal reasoning never reaches the person. */}
      <TextAreaField
        name="reasoning"
        id="f-reasoning"
        label={f.reasoning}
        maxLength={4000}
        rows={2}
        defaultValue={fields.reasoning.initialValue ?? draft?.reasoning}
        error={errorText(fields.reasoning.errors?.[0])}
      />
      <TextAreaField
        name="personReasons"
        id="f-personReasons"
        label={f.personReasons}
        maxLength={4000}
        rows={2}
        defaultValue={fields.personReasons.initialValue ?? draft?.personReasons}
        error={errorText(fields.personReasons.errors?.[0])}
      />
      <TextField
        name="reviewOn"
        id="f-reviewOn"
        type="date"
        label={t.reviewOn}
        defaultValue={fields.reviewOn.initialValue ?? draft?.reviewOn}
        error={errorText(fields.reviewOn.errors?.[0])}
      />
      <CheckboxField
        name="omitReasons"
        id="f-omit"
        label={f.omitReasons}
        defaultChecked={fields.omitReasons.initialValue === "on" || draft?.omitReasons}
        error={errorText(fields.omitReasons.errors?.[0])}
      />
      <p className="note">{t.fields}</p>
      {/* The ticks of the table are gone after a preview without JavaScript: the previewed selection
          and fields stay chosen. With it the ticks stay, and only they count: nothing unticked is posted. */}
      {draft && !selection ? (
        <>
          {draft.fields.map((path) => (
            <input key={path} type="hidden" name="fields" value={path} />
          ))}
          {draft.scope === "checked"
            ? draft.findingIds.map((id) => <input key={id} type="hidden" name="findingIds" value={id} />)
            : null}
          {draft.scope === "checked"
            ? draft.shown.map((entry) => <input key={entry} type="hidden" name="shown" value={entry} />)
            : null}
        </>
      ) : null}
      <p className="decision-panel__about" aria-live="polite" data-testid="decision-about">
        {about}
      </p>
      <div className="actions">
        <button className="button button--secondary" type="submit" name="preview" value="1">
          {f.preview}
        </button>
        <button className="button" type="submit" data-testid="apply-decision">
          {apply}
        </button>
      </div>
      {preview ? <LetterPreview preview={preview} /> : null}
    </fieldset>
  );
}

/**
 * What the form is about to decide, followed as the reviewer ticks and chooses the scope: null
 * until the page's script runs (then the server's count is all there is).
 */
function useSelection(initialScope: "checked" | "filter") {
  const ref = useRef<HTMLFieldSetElement>(null);
  const [selection, setSelection] = useState<{ scope: "checked" | "filter"; ticked: number } | null>(null);
  useEffect(() => {
    const form = ref.current?.form;
    if (!form) return;
    const read = () => {
      const scope = (form.querySelector<HTMLInputElement>("input[name=scope]:checked")?.value ??
        initialScope) as "checked" | "filter";
      setSelection({
        scope,
        ticked: form.querySelectorAll("input[type=checkbox][name=findingIds]:checked").length,
      });
    };
    read();
    form.addEventListener("change", read);
    return () => form.removeEventListener("change", read);
  }, [initialScope]);
  return { ref, selection };
}

/** The letter's paragraph for the draft, as the person will read it. */
function LetterPreview({ preview }: { preview: DecisionPreview }) {
  const f = useMessages().delivery.decisionForm;
  const { blocks } = preview;
  return (
    <section className="letter-preview" aria-labelledby="letter-preview-heading" role="status">
      <h3 id="letter-preview-heading">{f.previewHeading}</h3>
      <p className="note">{f.previewSaved}</p>
      {blocks === null ? (
        <p>{f.previewNone}</p>
      ) : blocks.length === 0 ? (
        <p>{f.previewSilent}</p>
      ) : (
        <blockquote>
          {blocks.map((b, i) =>
            b.kind === "list" ? (
              <ul key={i}>
                {b.items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            ) : b.kind === "heading" || b.kind === "subheading" ? (
              <h4 key={i}>{b.text}</h4>
            ) : (
              <p key={i}>{b.text}</p>
            ),
          )}
        </blockquote>
      )}
    </section>
  );
}
