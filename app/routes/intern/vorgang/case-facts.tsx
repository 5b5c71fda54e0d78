import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import type { Route } from "../+types/vorgang";
import { useLang, useMessages } from "#app/i18n";
import { assignIntentSchema } from "#app/server/cases/assign-intent";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { SelectField } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { kindList } from "#app/ui/form/kind-list";
import { useCaseErrorText } from "./case-error";

type CaseData = Route.ComponentProps["loaderData"];

/** The case at a glance: kinds, status, channel, receipt, the Art. 12 deadline and who works on it. */
export function CaseFacts({ request, assignee }: { request: CaseData["request"]; assignee: string | null }) {
  const m = useMessages();
  const lang = useLang();
  const deadline = request.extendedDeadline ?? request.deadline;
  return (
    <dl className="facts">
      <dt>{m.staff.cases.kind}</dt>
      <dd>{kindList(request.kinds, lang)}</dd>
      <dt>{m.staff.cases.status}</dt>
      <dd>{m.staff.cases.statuses[request.status] ?? request.status}</dd>
      <dt>{m.staff.cases.channel}</dt>
      <dd>{m.staff.cases.channels[request.channel] ?? request.channel}</dd>
      <dt>{m.staff.cases.received}</dt>
      <dd>{request.receivedAt ? m.journey.formatDateTime(request.receivedAt) : "–"}</dd>
      <dt>{m.staff.cases.deadline}</dt>
      <dd>
        {deadline ? m.journey.formatDate(deadline) : "–"}
        {request.extendedDeadline ? ` (${m.staff.cases.extended}: ${request.extensionReason ?? ""})` : null}
      </dd>
      <dt>{m.staff.cases.assignee}</dt>
      <dd>{assignee ?? m.staff.cases.unassigned}</dd>
    </dl>
  );
}

/**
 * The letters of a case that goes by post: each notice and answer is "waiting for dispatch" until
 * the post room records the day it went out — only that day counts as the day the person was told.
 */
export function CaseLetters({ letters }: { letters: CaseData["letters"] }) {
  const m = useMessages();
  const p = m.print;
  if (letters.length === 0) return null;
  return (
    <section aria-labelledby="briefe" data-testid="case-letters">
      <h2 id="briefe">{p.title}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{p.subject}</th>
            <th scope="col">{p.created}</th>
            <th scope="col">{p.dispatchedOn}</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((letter) => (
            <tr key={letter.id}>
              <td>{letter.subject}</td>
              <td>{m.journey.formatDateTime(letter.createdAt)}</td>
              <td>
                {letter.status === "dispatched" && letter.dispatchedOn ? (
                  m.journey.formatDate(`${letter.dispatchedOn}T12:00:00Z`)
                ) : (
                  <strong>{p.waitingHeading}</strong>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Who works on the case (or nobody). A staff member removed since the page was drawn is refused at
 * the field, with the choice kept.
 */
export function AssignForm({ staff, assigneeId }: { staff: CaseData["staff"]; assigneeId: string | null }) {
  const m = useMessages();
  const t = m.staff.case;
  const errorText = useCaseErrorText();
  const [form, fields] = useForm({
    id: "assign",
    lastResult: useSentBack("assign"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(assignIntentSchema),
  });
  return (
    <Form method="post" className="filters" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="assign" />
      <SelectField
        name="assigneeId"
        id="f-assignee"
        label={t.assignTo}
        placeholder={{ label: m.staff.cases.unassigned }}
        defaultValue={fields.assigneeId.initialValue ?? assigneeId ?? ""}
        error={errorText(fields.assigneeId.errors?.[0])}
        options={staff.map((s) => ({ value: s.id, label: s.displayName }))}
      />
      <button className="button button--secondary" type="submit">
        {t.assign}
      </button>
    </Form>
  );
}
