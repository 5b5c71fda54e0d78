import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import type { Route } from "../+types/vorgang";
import { differingFromProvider } from "#app/core/identity-proof";
import { useMessages } from "#app/i18n";
import { evidenceKinds } from "#app/server/review/identifier-evidence";
import { SelectField, TextAreaField, FieldError } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { type CaseIntentOf, useReviewErrorText } from "./case-error";

type Identifier = Route.ComponentProps["loaderData"]["identifiers"][number];

/**
 * The identifiers the case is searched by, in words, whether each is proven and by what (e-mail
 * code, identity provider with its level, staff check), and which typed one differs from what the
 * identity provider proved — never overwritten, for staff to clarify. Staff may confirm
 * one the person could not prove by code, naming the evidence they saw: its findings then count as
 * proven ones (the audit trail keeps who confirmed it on what).
 */
export function IdentifiersPanel({
  identifiers,
  mayConfirm,
}: {
  identifiers: Identifier[];
  mayConfirm: boolean;
}) {
  const m = useMessages();
  const t = m.review.identifiers;
  const proof = m.identity.staff;
  const unproven = identifiers.filter((i) => !i.provenAt);
  const differing = differingFromProvider(identifiers);
  return (
    <>
      <ul className="plain-list">
        {identifiers.map((i) => (
          <li key={i.id}>
            {t.kinds[i.kind] ?? i.kind}: {i.value} ({i.provenAt ? t.proven : t.unproven}
            {i.proofSource ? (
              <>
                {" – "}
                {proof.proofBehind}: {proof.proofSources[i.proofSource]}
                {i.proofLevel ? `, ${proof.levelOf(m.identity.levelNames[i.proofLevel])}` : null}
              </>
            ) : null}
            ){differing.has(i.id) ? <strong data-testid="identifier-differs"> {proof.differs}</strong> : null}
            {!i.provenAt && mayConfirm ? <ConfirmIdentifierForm identifier={i} /> : null}
          </li>
        ))}
      </ul>
      {unproven.length > 0 ? <p className="note">{t.unprovenNote}</p> : null}
    </>
  );
}

/** One unproven identifier's confirmation; a refusal opens it again with the error at its field. */
function ConfirmIdentifierForm({ identifier }: { identifier: Identifier }) {
  const t = useMessages().review.identifiers;
  const errorText = useReviewErrorText();
  const id = identifier.id;
  const sentBack = useSentBack("confirm-identifier");
  const [form, fields] = useForm<CaseIntentOf<"confirm-identifier">>({
    id: `confirm-identifier-${id}`,
    lastResult: sentBack?.initialValue?.identifierId === id ? sentBack : undefined,
  });
  const problem = errorText(form.errors?.[0]);
  const refused = Object.keys(form.allErrors).length > 0;
  return (
    <details className="identifier-confirm" open={refused || undefined}>
      <summary>{t.confirm}</summary>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="confirm-identifier" />
        <input type="hidden" name="identifierId" value={id} />
        <FieldError id={`confirm-identifier-${id}-error`} message={problem} />
        <SelectField
          name="evidenceKind"
          id={`f-evidence-kind-${id}`}
          label={t.evidenceKind}
          required
          placeholder={{ label: "–", disabled: true }}
          options={evidenceKinds.map((kind) => ({ value: kind, label: t.evidenceKinds[kind] }))}
          defaultValue={fields.evidenceKind.initialValue}
          error={errorText(fields.evidenceKind.errors?.[0])}
        />
        <TextAreaField
          name="evidence"
          id={`f-evidence-${id}`}
          label={t.evidence}
          hint={t.evidenceHint}
          required
          maxLength={2000}
          defaultValue={fields.evidence.initialValue}
          error={errorText(fields.evidence.errors?.[0])}
        />
        <button className="button button--secondary" type="submit">
          {t.submit}
        </button>
      </Form>
    </details>
  );
}
