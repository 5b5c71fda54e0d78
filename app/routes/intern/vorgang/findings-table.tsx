import { FormProvider, getFormProps, useForm } from "@conform-to/react";
import type { ReactNode } from "react";
import { Form } from "react-router";
import type { Route } from "../+types/vorgang";
import { processingActivityById } from "#app/core/processing-activities";
import { restrictionGrounds } from "#app/core/restriction-grounds";
import { useLocalized, useMessages } from "#app/i18n";
import { useSentBack } from "#app/ui/form/sent-back";
import type { CaseIntentOf } from "./case-error";
import { decideFormId } from "./decision-panel";
import { FieldLabels, RecordFields } from "./record-fields";

type Finding = Route.ComponentProps["loaderData"]["findings"][number];

/**
 * The findings of the latest gathering with the suggested restrictions and the decision taken so far.
 * The table is one form: the reviewer selects findings and decides for all of them at once in the
 * decision panel (children), which only an open round shows. conform reads the refusal of a decision
 * back into the panel's fields; it posts the form as the browser has it, so exactly what is ticked.
 */
export function FindingsTable({
  findings,
  roundId,
  editable,
  children,
}: {
  findings: Finding[];
  roundId: string | undefined;
  editable: boolean;
  children: ReactNode;
}) {
  const t = useMessages().staff.case;
  const [form] = useForm<CaseIntentOf<"decide">>({ id: decideFormId, lastResult: useSentBack("decide") });
  return (
    <FormProvider context={form.context}>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="decide" />
        {roundId ? <input type="hidden" name="roundId" value={roundId} /> : null}
        <table>
          <caption className="visually-hidden">{t.findings}</caption>
          <thead>
            <tr>
              <th scope="col">{t.select}</th>
              <th scope="col">{t.store}</th>
              <th scope="col">{t.suggestion}</th>
              <th scope="col">{t.decision}</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <FindingRow key={f.id} finding={f} editable={editable} />
            ))}
          </tbody>
        </table>
        {children}
      </Form>
    </FormProvider>
  );
}

function FindingRow({ finding: f, editable }: { finding: Finding; editable: boolean }) {
  const m = useMessages();
  const t = m.staff.case;
  const proof = m.identity.staff;
  const localized = useLocalized();
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          name="findingIds"
          value={f.id}
          id={`sel-${f.id}`}
          disabled={!editable}
          aria-label={`${t.select}: ${f.store} ${f.ref}`}
        />
        {/* The decision state this page shows: a decision for the finding is refused if it changed since. */}
        {editable ? <input type="hidden" name="shown" value={`${f.id}@${f.shown}`} /> : null}
      </td>
      <td>
        <label htmlFor={`sel-${f.id}`}>
          <strong>{f.store}</strong> –{" "}
          {localized(
            processingActivityById[f.processingActivityId]?.name ?? {
              de: f.processingActivityId,
              en: f.processingActivityId,
            },
          )}
        </label>
        <div className="note">
          {f.ref}
          {f.recordedAt ? ` · ${m.journey.formatDateTime(f.recordedAt)}` : null}
          {f.unproven ? ` · ${t.unprovenId}` : null}
          {f.proof ? (
            <span data-testid="match-proof">
              {" · "}
              {proof.proofBehind}: {proof.proofSources[f.proof.source]}
              {f.proof.level ? ` (${proof.levelOf(m.identity.levelNames[f.proof.level])})` : null}
            </span>
          ) : null}
        </div>
        <RecordFields finding={f} redactable={editable} />
      </td>
      <td>
        <ul className="plain-list">
          {f.suggestions.map((s) => (
            <li key={`${s.ground}-${s.action}`}>
              {t.decisions[s.action] ?? s.action}: {localized(restrictionGrounds[s.ground].label)} (
              {restrictionGrounds[s.ground].reference})
              {s.fields ? (
                <FieldLabels storeKind={f.storeKind} fields={s.fields} around={[" – ", ""]} />
              ) : null}
            </li>
          ))}
        </ul>
      </td>
      <td>
        {f.decision ? (
          <>
            {t.decisions[f.decision.decision]}
            {f.decision.groundId
              ? ` – ${restrictionGrounds[f.decision.groundId]?.reference ?? f.decision.groundId}`
              : null}
            {f.decision.redactedFields.length ? (
              <FieldLabels storeKind={f.storeKind} fields={f.decision.redactedFields} around={[" (", ")"]} />
            ) : null}
          </>
        ) : (
          t.undecided
        )}
      </td>
    </tr>
  );
}
