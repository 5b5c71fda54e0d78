import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { minReturnComment } from "#app/server/execution/intents";
import {
  type ExecutionAction,
  type ExecutionFinding,
  useErrorText,
  useProposalText,
} from "./execution-texts";

/** The open proposals: the ticked ones are approved, or sent back with a note (never one's own). */
export function ProposalApproval({
  proposals,
  meId,
  mayApprove,
  commentError,
}: {
  proposals: (ExecutionAction & { finding: ExecutionFinding })[];
  meId: string;
  mayApprove: boolean;
  commentError: boolean;
}) {
  const t = useMessages().execution;
  const proposalText = useProposalText();
  const errorText = useErrorText();
  return (
    // One selection, two answers: the ticked proposals are approved, or sent back with the note.
    <Form method="post">
      <fieldset>
        <legend>{t.openProposals}</legend>
        <ul className="plain-list">
          {proposals.map((p) => (
            <li key={p.id} className="choice">
              <input
                type="checkbox"
                name="actionIds"
                value={p.id}
                id={`ap-${p.id}`}
                defaultChecked={p.proposedBy !== meId}
                disabled={!mayApprove || p.proposedBy === meId}
              />
              <label htmlFor={`ap-${p.id}`}>{proposalText(p, p.finding)}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      {mayApprove ? (
        <>
          {/* The note is for sending back only: approving does not wait for it. */}
          <button className="button" type="submit" name="intent" value="approve" formNoValidate>
            {t.approve}
          </button>
          <fieldset className="decision-panel">
            <legend>{t.sendBack.legend}</legend>
            <div className={commentError ? "field field--invalid" : "field"}>
              <label htmlFor="sb-comment">{t.sendBack.comment}</label>
              <span className="hint" id="sb-comment-hint">
                {t.sendBack.commentHint}
              </span>
              {commentError ? (
                <p className="field-error" id="sb-comment-error">
                  {errorText("comment-required")}
                </p>
              ) : null}
              <textarea
                id="sb-comment"
                name="comment"
                required
                minLength={minReturnComment}
                maxLength={2000}
                aria-describedby={commentError ? "sb-comment-hint sb-comment-error" : "sb-comment-hint"}
                aria-invalid={commentError ? true : undefined}
              />
            </div>
            <button className="button button--secondary" type="submit" name="intent" value="send-back">
              {t.sendBack.submit}
            </button>
          </fieldset>
        </>
      ) : null}
    </Form>
  );
}
