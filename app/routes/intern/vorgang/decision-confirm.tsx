import { getFormProps, useForm } from "@conform-to/react";
import { useEffect, useRef } from "react";
import { Form } from "react-router";
import { type RestrictionGroundId, restrictionGrounds } from "#app/core/restriction-grounds";
import { useMessages } from "#app/i18n";
import type { DecisionDifference, DifferenceRow } from "#app/server/review/decision-checks.server";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { CheckboxField } from "#app/ui/form/fields";
import { confirmUnprovenSchema } from "./decision-confirm-form";
import type { DecisionDraft } from "./decision-panel";

/**
 * The server refused a decision because of a difference: what the decision would change (it asks
 * to confirm exactly that), or what changed since the page was drawn (nothing was saved; the page
 * must be looked at again). Focused, so a keyboard or screen-reader user lands on it.
 */
export function DecisionDifferenceNotice({
  reason,
  difference,
  draft,
  reload,
}: {
  reason: string;
  difference: DecisionDifference;
  draft: DecisionDraft | null;
  reload: string;
}) {
  const m = useMessages();
  const r = m.review;
  const n = m.dashboard.formatNumber;
  const ref = useRef<HTMLElement>(null);
  // The answer to the save button: focus moves to it, wherever on the page the button was.
  useEffect(() => ref.current?.focus(), [difference]);
  if (reason === "confirmation-needed" && draft && difference.fingerprint) {
    return (
      <section
        ref={ref}
        className="warning decision-confirm"
        role="alert"
        aria-labelledby="confirm-heading"
        tabIndex={-1}
        data-testid="decision-confirm"
      >
        <h3 id="confirm-heading">{r.confirm.title}</h3>
        <p>{r.confirm.newDecision(m.staff.case.decisions[draft.decision] ?? draft.decision)}</p>
        {difference.total > 0 ? (
          <>
            <p>{r.confirm.changes(n(difference.total))}</p>
            <DifferenceTable rows={difference.listed.filter((row) => row.current)} total={difference.total} />
          </>
        ) : null}
        {difference.unproven > 0 ? <p>{r.confirm.unproven(n(difference.unproven))}</p> : null}
        <ConfirmForm
          draft={draft}
          fingerprint={difference.fingerprint}
          unproven={difference.unproven}
          reload={reload}
        />
      </section>
    );
  }
  const text =
    reason === "not-shown"
      ? r.difference.notShown(n(difference.total))
      : reason === "selection-changed" && difference.shownSize !== undefined
        ? r.difference.groupChanged(n(difference.shownSize), n(difference.size ?? 0), n(difference.total))
        : r.difference.changedSinceShown(n(difference.total));
  return (
    <section ref={ref} className="error-summary" role="alert" tabIndex={-1} data-testid="decision-difference">
      <p>{text}</p>
      {difference.listed.length > 0 ? (
        <DifferenceTable rows={difference.listed} total={difference.total} />
      ) : null}
      <p>
        <a href={reload}>{r.difference.reload}</a>
      </p>
    </section>
  );
}

/**
 * The decision as posted, again, with the difference's fingerprint and (for unproven matches) the
 * tick that confirms their number. The tick is checked in the browser too; nothing of this form is
 * ever sent back: a refusal asks afresh with the new difference (ADR 0016).
 */
function ConfirmForm({
  draft,
  fingerprint,
  unproven,
  reload,
}: {
  draft: DecisionDraft;
  fingerprint: string;
  unproven: number;
  reload: string;
}) {
  const m = useMessages();
  const r = m.review;
  const [form, fields] = useForm({
    id: "decision-confirm",
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(confirmUnprovenSchema(unproven)),
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <DraftFields draft={draft} />
      <input type="hidden" name="confirmChanges" value={fingerprint} />
      {unproven > 0 ? (
        <CheckboxField
          name="confirmUnproven"
          id="f-confirm-unproven"
          value={String(unproven)}
          required
          label={r.confirm.unprovenCheck(m.dashboard.formatNumber(unproven))}
          error={fields.confirmUnproven.errors ? r.confirm.unprovenRequired : undefined}
          alertError
        />
      ) : null}
      <div className="actions">
        <button className="button" type="submit">
          {r.confirm.submit}
        </button>
        <a href={reload}>{r.confirm.cancel}</a>
      </div>
    </Form>
  );
}

/** The decision exactly as it was posted, to post it again with the confirmation. */
function DraftFields({ draft }: { draft: DecisionDraft }) {
  const hidden: [string, string][] = [
    ["intent", "decide"],
    ["roundId", draft.roundId],
    ["scope", draft.scope],
    ["decision", draft.decision],
    ["groundId", draft.groundId],
    ["reasoning", draft.reasoning],
    ["personReasons", draft.personReasons],
    ["reviewOn", draft.reviewOn],
    ...(draft.omitReasons ? ([["omitReasons", "on"]] as [string, string][]) : []),
    ...draft.fields.map((path): [string, string] => ["fields", path]),
    ...(draft.scope === "checked"
      ? [
          ...draft.findingIds.map((id): [string, string] => ["findingIds", id]),
          ...draft.shown.map((entry): [string, string] => ["shown", entry]),
        ]
      : ([
          ["groupSize", String(draft.groupSize ?? "")],
          ["groupStamp", draft.groupStamp ?? ""],
        ] as [string, string][])),
  ];
  return (
    <>
      {hidden.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function DifferenceTable({ rows, total }: { rows: DifferenceRow[]; total: number }) {
  const m = useMessages();
  const d = m.review.difference;
  const n = m.dashboard.formatNumber;
  const word = (decision: string | null) =>
    decision ? (m.staff.case.decisions[decision] ?? decision) : d.undecided;
  // A region that scrolls must be reachable by keyboard: focusable and named by the table's caption.
  return (
    <div
      className="table-scroll"
      tabIndex={0}
      role="region"
      aria-label={m.review.confirm.listed(n(total), n(rows.length))}
    >
      <table>
        <caption>{m.review.confirm.listed(n(total), n(rows.length))}</caption>
        <thead>
          <tr>
            <th scope="col">{d.record}</th>
            <th scope="col">{d.shown}</th>
            <th scope="col">{d.now}</th>
            <th scope="col">{d.decidedBy}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const ground =
              row.current?.groundId && row.current.groundId in restrictionGrounds
                ? restrictionGrounds[row.current.groundId as RestrictionGroundId]
                : null;
            return (
              <tr key={row.findingId}>
                <th scope="row">
                  {row.store} <span className="note">{row.ref}</span>
                  {row.unproven ? <span className="note"> · {d.unprovenMark}</span> : null}
                </th>
                <td>{row.shown === null ? "–" : word(row.shown === "undecided" ? null : row.shown)}</td>
                <td>
                  {word(row.current?.decision ?? null)}
                  {ground ? ` – ${ground.reference}` : null}
                </td>
                <td>{row.current?.decidedByName ?? "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
