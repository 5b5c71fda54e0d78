import { getFormProps, useForm } from "@conform-to/react";
import { Form, useLoaderData } from "react-router";
import type { Route } from "../+types/vorgang";
import type { loader } from "../vorgang";
import { type RestrictionGroundId, restrictionGrounds } from "#app/core/restriction-grounds";
import { processingActivityById } from "#app/core/processing-activities";
import { useLocalized, useMessages } from "#app/i18n";
import type { ApprovalView, DecisionChanges, DecisionSummary } from "#app/server/review/approval-view.server";
import { TextField, FieldError } from "#app/ui/form/fields";
import { IntentButton } from "#app/ui/form/intent-button";
import { useSentBack } from "#app/ui/form/sent-back";
import { type CaseIntentOf, useReviewErrorText } from "./case-error";

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

/**
 * The second pair of eyes: approve the proposed round, or send it back with a comment. The member
 * who proposed, or who decided findings of the round, is not offered the approval (the server
 * refuses it anyway): they are told who must approve instead, and may send the proposal back. `approval`, where the page loads
 * it, shows what the approver signs off and what changed since a proposal.
 */
export function ApprovalForms({
  roundId,
  approval = null,
  ownDecisions = false,
}: {
  roundId: string;
  approval?: ApprovalView | null;
  ownDecisions?: boolean;
}) {
  const m = useMessages();
  const t = m.staff.case;
  const { round, me } = useLoaderData<typeof loader>();
  const ownProposal = round?.proposedBy != null && round.proposedBy === me.id;
  // Whoever decided findings of the round is not the second pair of eyes either (the server refuses it too).
  const offered = !ownProposal && !ownDecisions;
  return (
    <section aria-labelledby="approval-heading" className="approval">
      <h3 id="approval-heading">{t.approve}</h3>
      {round?.proposedByName && round.proposedAt ? (
        <p>
          {m.staffNav.approval.proposedBy(round.proposedByName, m.journey.formatDateTime(round.proposedAt))}
        </p>
      ) : null}
      {ownProposal ? (
        <p className="warning" data-testid="own-proposal">
          {m.staffNav.approval.ownProposal}
        </p>
      ) : null}
      {ownDecisions && !ownProposal ? (
        <p className="warning" data-testid="own-decisions">
          {m.review.approval.ownDecisions}
        </p>
      ) : null}
      {approval ? <ApprovalChanges view={approval} /> : null}
      <div className="filters">
        {offered ? <IntentButton intent="approve" label={t.approve} values={{ roundId }} /> : null}
        <SendBackForm roundId={roundId} />
      </div>
    </section>
  );
}

/** The approval's other answer: back to the handler with a comment, which a refusal keeps. */
function SendBackForm({ roundId }: { roundId: string }) {
  const t = useMessages().staff.case;
  const errorText = useReviewErrorText();
  const [form, fields] = useForm<CaseIntentOf<"send-back">>({
    id: "send-back",
    lastResult: useSentBack("send-back"),
  });
  const problem = errorText(form.errors?.[0]);
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="send-back" />
      <input type="hidden" name="roundId" value={roundId} />
      <FieldError id="send-back-error" message={problem} />
      <TextField
        name="comment"
        id="f-comment"
        label={t.sendBackComment}
        required
        maxLength={2000}
        defaultValue={fields.comment.initialValue}
        error={errorText(fields.comment.errors?.[0])}
      />
      <button className="button button--secondary" type="submit">
        {t.sendBack}
      </button>
    </Form>
  );
}

/** What the approver signs off: the decisions in numbers, and every change since a proposal. */
function ApprovalChanges({ view }: { view: ApprovalView }) {
  const t = useMessages().staffNav.approval;
  return (
    <>
      <p>{t.counts(view.counts.release, view.counts.withhold, view.counts.redact)}</p>
      {view.changedAfterProposal.total > 0 ? (
        <div className="warning" role="alert">
          <h4>{t.afterProposalTitle}</h4>
          <p>{t.afterProposal(view.changedAfterProposal.total)}</p>
          <ChangesTable changes={view.changedAfterProposal} />
        </div>
      ) : null}
      {view.sinceReturned ? (
        <>
          <h4>{t.sinceReturnedTitle}</h4>
          {view.sinceReturned.comment ? (
            <p>{t.returnedWith(view.sinceReturned.returnedByName ?? "–", view.sinceReturned.comment)}</p>
          ) : null}
          {view.sinceReturned.changes.total === 0 ? (
            <p>{t.noChanges}</p>
          ) : (
            <ChangesTable changes={view.sinceReturned.changes} />
          )}
        </>
      ) : null}
    </>
  );
}

function ChangesTable({ changes }: { changes: DecisionChanges }) {
  const t = useMessages().staffNav.approval;
  const localized = useLocalized();
  const describe = useDecisionText();
  return (
    <div className="table-scroll">
      <table>
        <caption>{t.changed(changes.total, changes.listed.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.record}</th>
            <th scope="col">{t.before}</th>
            <th scope="col">{t.after}</th>
            <th scope="col">{t.decidedBy}</th>
          </tr>
        </thead>
        <tbody>
          {changes.listed.map((c) => {
            const activity = processingActivityById[c.processingActivityId];
            return (
              <tr key={c.findingId}>
                <th scope="row">
                  {activity ? localized(activity.name) : null} <span className="note">{c.ref}</span>
                </th>
                <td>{c.before ? describe(c.before) : t.none}</td>
                <td>{describe(c.after)}</td>
                <td>{c.decidedByName}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A decision in words: what, on which ground, and how many fields a redaction blanks out. */
function useDecisionText(): (d: DecisionSummary) => string {
  const m = useMessages();
  const localized = useLocalized();
  return (d) => {
    const ground =
      d.groundId && d.groundId in restrictionGrounds
        ? restrictionGrounds[d.groundId as RestrictionGroundId]
        : null;
    return [
      m.staff.case.decisions[d.decision] ?? d.decision,
      ground ? `${localized(ground.label)} (${ground.reference})` : null,
      d.decision === "redact" ? m.staffNav.approval.fields(d.redactedFields.length) : null,
    ]
      .filter(Boolean)
      .join(" – ");
  };
}
