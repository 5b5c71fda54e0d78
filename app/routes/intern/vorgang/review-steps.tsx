import { Form } from "react-router";
import type { Route } from "../+types/vorgang";
import { useMessages } from "../../../i18n";
import { IntentButton } from "../../../ui/form/intent-button";

type Round = NonNullable<Route.ComponentProps["loaderData"]["round"]>;

/** Where the review round stands, who proposed and who decided, and the comment of a send-back. */
export function RoundStatus({ round }: { round: Round }) {
  const t = useMessages().staff.case;
  return (
    <p role="status">
      {t.roundStates[round.status] ?? round.status}
      {round.proposedByName ? ` – ${round.proposedByName}` : null}
      {round.decidedByName ? ` / ${round.decidedByName}` : null}
      {round.comment ? `: ${round.comment}` : null}
    </p>
  );
}

/** Opening the review freezes the findings of the latest gathering. */
export function OpenReviewForm() {
  const t = useMessages().staff.case;
  return <IntentButton intent="open-review" label={t.startReview} />;
}

/** Hands the decided round to a second person for approval. */
export function ProposeForm({ roundId }: { roundId: string }) {
  const t = useMessages().staff.case;
  return <IntentButton intent="propose" label={t.propose} values={{ roundId }} />;
}

/** The second pair of eyes: approve the proposed round, or send it back with a comment. */
export function ApprovalForms({ roundId }: { roundId: string }) {
  const t = useMessages().staff.case;
  return (
    <div className="filters">
      <IntentButton intent="approve" label={t.approve} values={{ roundId }} />
      <Form method="post">
        <input type="hidden" name="intent" value="send-back" />
        <input type="hidden" name="roundId" value={roundId} />
        <div className="field">
          <label htmlFor="f-comment">{t.sendBackComment}</label>
          <input type="text" id="f-comment" name="comment" maxLength={2000} required />
        </div>
        <button className="button button--secondary" type="submit">
          {t.sendBack}
        </button>
      </Form>
    </div>
  );
}
