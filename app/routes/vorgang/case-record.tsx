import type { Route } from "../+types/vorgang-detail";
import { useLang, useMessages } from "#app/i18n";
import { kindList } from "#app/ui/form/kind-list";

type CaseView = Route.ComponentProps["loaderData"]["view"];

/** The case's facts as the person reads them: reference, kinds, status, receipt and deadlines. */
export function CaseFacts({ view }: { view: CaseView }) {
  const j = useMessages().journey;
  const lang = useLang();
  return (
    <>
      <h2>{j.case.facts}</h2>
      <dl className="facts">
        <dt>{j.cases.reference}</dt>
        <dd>{view.reference}</dd>
        <dt>{j.cases.kinds}</dt>
        <dd>{kindList(view.kinds, lang)}</dd>
        <dt>{j.cases.status}</dt>
        <dd>{j.status[view.status] ?? j.status.other}</dd>
        <dt>{j.cases.receivedAt}</dt>
        <dd>{view.receivedAt ? j.formatDate(view.receivedAt) : "–"}</dd>
        <dt>{j.cases.deadline}</dt>
        <dd data-testid="deadline">{view.deadline ? j.formatDate(view.deadline) : "–"}</dd>
        {view.extendedDeadline ? (
          <>
            <dt>{j.case.extendedDeadline}</dt>
            <dd>{j.formatDate(view.extendedDeadline)}</dd>
            <dt>{j.case.extensionReason}</dt>
            <dd>{view.extensionReason ?? "–"}</dd>
          </>
        ) : null}
      </dl>
      <p className="note">{j.case.deadlineNote}</p>
    </>
  );
}

/** What happened in the case so far, oldest first. */
export function CaseTimeline({ timeline }: { timeline: CaseView["timeline"] }) {
  const messages = useMessages();
  const j = messages.journey;
  return (
    <>
      <h2>{j.case.timeline}</h2>
      <ol className="timeline">
        {timeline.map((event, index) => (
          <li key={`${event.action}-${index}`}>
            <time dateTime={event.at}>{j.formatDateTime(event.at)}</time>:{" "}
            {j.events[event.action] ?? messages.complaints.events[event.action] ?? event.action}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The messages between the person and the data centre in this case, with the names of their attachments. */
export function CaseMessages({ messages }: { messages: CaseView["messages"] }) {
  const j = useMessages().journey;
  return (
    <>
      <h2>{j.case.messages}</h2>
      {messages.length === 0 ? (
        <p>{j.case.noMessages}</p>
      ) : (
        <ul className="messages">
          {messages.map((msg, index) => (
            <li key={index} className="card">
              <p className="note">
                {msg.direction === "from-person" ? j.case.fromYou : j.case.fromUs},{" "}
                <time dateTime={msg.at}>{j.formatDateTime(msg.at)}</time>
              </p>
              {msg.body ? <p className="message-body">{msg.body}</p> : null}
              {msg.attachments.length > 0 ? <p>📎 {msg.attachments.join(", ")}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
