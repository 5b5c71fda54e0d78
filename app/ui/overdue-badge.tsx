import { useMessages } from "../i18n";

/**
 * Marks a finding older than its store's retention period (see app/server/retention/overdue.server.ts):
 * "deletion due since …", or that the store holds it under a legal hold. For any list of findings.
 */
export function OverdueBadge({ dueAt, held }: { dueAt: string; held: boolean }) {
  const m = useMessages();
  const o = m.statutory.overdue;
  return (
    <span className={held ? "badge badge--held" : "badge badge--overdue"} data-testid="overdue-badge">
      {o.badge(m.journey.formatDate(dueAt))}
      {held ? ` – ${o.held}` : null}
    </span>
  );
}
