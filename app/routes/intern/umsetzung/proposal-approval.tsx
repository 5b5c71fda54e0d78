import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { CheckboxesField, TextAreaField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import {
  type ExecutionAction,
  type ExecutionFinding,
  type ExecutionIntentOf,
  executionFieldId,
  useErrorText,
  useProposalText,
} from "./execution-texts";

/**
 * The open proposals: the ticked ones are approved, or sent back with a note (never one's own). A
 * refusal of either comes back to the form, the note's at its field with what was typed.
 */
export function ProposalApproval({
  proposals,
  meId,
  mayApprove,
}: {
  proposals: (ExecutionAction & { finding: ExecutionFinding })[];
  meId: string;
  mayApprove: boolean;
}) {
  const t = useMessages().execution;
  const proposalText = useProposalText();
  const errorText = useErrorText();
  const sentBack = useSentBack("send-back");
  const approveRefused = useSentBack("approve");
  const [form, fields] = useForm<ExecutionIntentOf<"send-back">>({
    id: "proposal-approval",
    lastResult: sentBack ?? approveRefused,
  });
  const error = (key: string | undefined) => (key === undefined ? undefined : errorText(key));
  const problem = error(form.errors?.[0]);
  return (
    // One selection, two answers: the ticked proposals are approved, or sent back with the note.
    <Form method="post" {...getFormProps(form)}>
      {/* One's own proposals are shown but cannot be ticked (four eyes); a refusal never brings ticks back (ADR 0016). */}
      <CheckboxesField
        name="actionIds"
        id="ap"
        legend={t.openProposals}
        error={problem}
        options={proposals.map((p) => ({
          value: p.id,
          label: proposalText(p, p.finding),
          disabled: !mayApprove || p.proposedBy === meId,
        }))}
        defaultValues={proposals.filter((p) => p.proposedBy !== meId).map((p) => p.id)}
      />
      {mayApprove ? (
        <>
          {/* The note is for sending back only: approving does not wait for it. */}
          <button className="button" type="submit" name="intent" value="approve" formNoValidate>
            {t.approve}
          </button>
          <fieldset className="decision-panel">
            <legend>{t.sendBack.legend}</legend>
            <TextAreaField
              name="comment"
              id={executionFieldId("send-back", "comment")}
              label={t.sendBack.comment}
              hint={t.sendBack.commentHint}
              maxLength={2000}
              defaultValue={fields.comment.initialValue}
              error={error(fields.comment.errors?.[0])}
            />
            <button className="button button--secondary" type="submit" name="intent" value="send-back">
              {t.sendBack.submit}
            </button>
          </fieldset>
        </>
      ) : null}
    </Form>
  );
}
