import { useMessages } from "#app/i18n";
import { type ExecutionPage, useActivityName } from "./execution-texts";

/** The recipients told of an erasure, restriction or rectification (Art. 19), with the mail's state. */
export function NotificationsTable({ notifications }: { notifications: ExecutionPage["notifications"] }) {
  const m = useMessages();
  const t = m.execution;
  const activityName = useActivityName();
  return (
    <table>
      <caption className="visually-hidden">{t.notificationsHeading}</caption>
      <thead>
        <tr>
          <th scope="col">{t.recipient}</th>
          <th scope="col">{t.activity}</th>
          <th scope="col">{t.action}</th>
          <th scope="col">{t.sentAt}</th>
        </tr>
      </thead>
      <tbody>
        {notifications.map((n) => (
          <tr key={n.id}>
            <th scope="row">{n.recipient}</th>
            <td>{activityName(n.processingActivityId)}</td>
            <td>{t.actions[n.action] ?? n.action}</td>
            <td>
              {m.journey.formatDateTime(n.createdAt)}
              {n.omittedReason
                ? ` – ${t.omitted(n.omittedReason)}`
                : n.mailStatus
                  ? ` (${n.mailStatus})`
                  : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
