import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import type { CaseView } from "#app/server/requests/case-view.server";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { TextField, useErrorText } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import type { Outcome } from "./actions.server";
import { identifierCodeField, identifierCodeSchema } from "./forms";

/**
 * The identifiers the person gave, each proven or not and by what; an unproven e-mail address is
 * proven here by a code sent to it. One that differs from what the identity provider proved says so.
 */
export function IdentifierProofs({
  identifiers,
  filedFor,
  changeable,
  outcome,
}: {
  identifiers: CaseView["identifiers"];
  /** A representative proves the represented person's identifiers, not their own (ADR 0019). */
  filedFor: CaseView["filedFor"];
  changeable: boolean;
  outcome: Outcome | undefined;
}) {
  const messages = useMessages();
  const j = messages.journey;
  const otherProof = filedFor
    ? messages.review.person.otherProofRepresented(filedFor.name)
    : messages.review.person.otherProof;
  const identity = messages.identity;
  return (
    <ul>
      {identifiers.map((identifier) => (
        <li key={identifier.id}>
          {identifier.value} (
          {identifier.proven
            ? identifier.proofSource
              ? identity.provenBy(identity.proofSources[identifier.proofSource])
              : j.case.provenMark
            : j.case.unproven}
          {identifier.differsFromProvider ? `; ${identity.differsMark}` : null})
          {identifier.kind === "email" && !identifier.proven && changeable ? (
            <div className="identifier-proof">
              <Form method="post">
                <input type="hidden" name="identifier" value={identifier.id} />
                <button
                  type="submit"
                  className="button button--secondary"
                  name="intent"
                  value="identifier-code"
                >
                  {j.confirm.resend}
                </button>
              </Form>
              {outcome?.identifierId === identifier.id ? (
                <IdentifierCodeForm identifierId={identifier.id} />
              ) : null}
            </div>
          ) : null}
          {/* No code reaches a phone number, an IP address or a user name: the person is told how else. */}
          {identifier.kind !== "email" && !identifier.proven && changeable ? (
            <p className="hint">{otherProof}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The code sent to one identifier, checked in the browser as the person leaves the field; whether
 * it matches, only the server knows. A refused code is not typed back.
 */
function IdentifierCodeForm({ identifierId }: { identifierId: string }) {
  const j = useMessages().journey;
  const errorText = useErrorText();
  const name = identifierCodeField(identifierId);
  const [form, fields] = useForm({
    id: `identifier-${identifierId}`,
    lastResult: useSentBack("identifier-prove"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(identifierCodeSchema(identifierId)),
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="identifier" value={identifierId} />
      <TextField
        name={name}
        label={j.confirm.code}
        hint={j.confirm.codeHint}
        required
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={12}
        error={errorText(fields[name]?.errors?.[0])}
      />
      <button type="submit" className="button" name="intent" value="identifier-prove">
        {j.confirm.submit}
      </button>
    </Form>
  );
}
