import { Form } from "react-router";
import type { Route } from "../+types/vorgang";
import { useLang, useMessages } from "../../../i18n";
import { kindList } from "../../../ui/form/kind-list";

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

export function AssignForm({ staff, assigneeId }: { staff: CaseData["staff"]; assigneeId: string | null }) {
  const m = useMessages();
  const t = m.staff.case;
  return (
    <Form method="post" className="filters">
      <input type="hidden" name="intent" value="assign" />
      <div className="field">
        <label htmlFor="f-assignee">{t.assignTo}</label>
        <select id="f-assignee" name="assigneeId" defaultValue={assigneeId ?? ""}>
          <option value="">{m.staff.cases.unassigned}</option>
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName}
            </option>
          ))}
        </select>
      </div>
      <button className="button button--secondary" type="submit">
        {t.assign}
      </button>
    </Form>
  );
}
