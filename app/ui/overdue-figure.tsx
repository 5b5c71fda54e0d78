import { useMessages } from "../i18n";

/** The dashboard's key figure of findings in open cases past their store's deletion date. */
export function OverdueFigure({ total, cases }: { total: number; cases: number }) {
  const m = useMessages();
  return (
    <div data-testid="overdue-figure">
      <dt>{m.statutory.overdue.figure}</dt>
      <dd>
        {total}
        {total > 0 ? ` (${m.statutory.overdue.cases}: ${cases})` : null}
      </dd>
    </div>
  );
}
