import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import type { CaseView } from "#app/server/requests/case-view.server";
import { TextField } from "#app/ui/form/fields";
import type { Outcome } from "./actions.server";

/**
 * The identifiers the person gave, each proven or not and by what; an unproven e-mail address is
 * proven here by a code sent to it. One that differs from what the identity provider proved says so.
 */
export function IdentifierProofs({
  identifiers,
  filedFor,
  changeable,
  outcome,
  errorFor,
}: {
  identifiers: CaseView["identifiers"];
  /** A representative proves the represented person's identifiers, not their own (ADR 0019). */
  filedFor: CaseView["filedFor"];
  changeable: boolean;
  outcome: Outcome | undefined;
  errorFor: (field: string) => string | undefined;
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
                <Form method="post">
                  <input type="hidden" name="identifier" value={identifier.id} />
                  <TextField
                    name={`code-${identifier.id}`}
                    label={j.confirm.code}
                    hint={j.confirm.codeHint}
                    required
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={12}
                    error={errorFor(`code-${identifier.id}`)}
                  />
                  <button type="submit" className="button" name="intent" value="identifier-prove">
                    {j.confirm.submit}
                  </button>
                </Form>
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
