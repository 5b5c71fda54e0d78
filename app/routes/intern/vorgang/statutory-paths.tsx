import { berlinDayOf } from "#app/core/berlin-date";
import type { Permission } from "#app/core/permissions";
import { useMessages } from "#app/i18n";
import type { StatutoryPaths as Paths } from "#app/server/cases/statutory-paths.server";
import { IdentityCheck } from "./identity-check-form";
import { OverdueBadge } from "#app/ui/overdue-badge";
import { StoreDecisions } from "./store-decision-form";
import { HandOverForm, RecordDemandForm } from "./tlfdi-task-forms";

/**
 * The statute's paths on the staff case page: § 21(5) demands as tasks, findings past their
 * deletion date, the identity check whose documents are deleted, and § 21(2) per store.
 */
export function StatutoryPaths({
  requestId,
  paths,
  permissions,
}: {
  requestId: string;
  paths: Paths;
  permissions: readonly Permission[];
}) {
  const may = (p: Permission) => permissions.includes(p);
  return (
    <>
      <TlfdiTasks
        requestId={requestId}
        tasks={paths.tlfdiTasks}
        demandOpen={paths.tlfdiDemandOpen}
        mayHandOver={may("tlfdi:record")}
      />
      <OverdueFindings overdue={paths.overdue} />
      <IdentityCheck requestId={requestId} identity={paths.identity} mayCheck={may("finding:propose")} />
      <StoreDecisions stores={paths.stores} mayDecide={may("release:approve")} />
    </>
  );
}

/**
 * § 21(5): the person's demand is a task until the record's hand-over to the TLfDI is recorded. The
 * forms post to the case page's action, which sends a refusal back to the form.
 */
function TlfdiTasks({
  requestId,
  tasks,
  demandOpen,
  mayHandOver,
}: {
  requestId: string;
  tasks: Paths["tlfdiTasks"];
  demandOpen: boolean;
  mayHandOver: boolean;
}) {
  const m = useMessages();
  const t = m.statutory.task;
  if (tasks.length === 0 && !(demandOpen && mayHandOver)) return null;
  const today = berlinDayOf(new Date());
  return (
    <section aria-labelledby="aufgaben" className="tasks">
      <h2 id="aufgaben">{t.title}</h2>
      {demandOpen && mayHandOver ? <RecordDemandForm /> : null}
      <ul className="plain-list">
        {tasks.map((task) => (
          <li key={task.id} className="card" data-testid="tlfdi-task">
            <p>{t.demand(m.journey.formatDateTime(task.demandedAt))}</p>
            {mayHandOver ? (
              <p>
                <a href={`/intern/vorgaenge/${requestId}/tlfdi-nachweis?verlangen=${task.id}`}>
                  {t.download}
                </a>
              </p>
            ) : null}
            {task.handedOver ? (
              <p className="success">
                {t.done(m.journey.formatDate(task.handedOver.at), task.handedOver.by, task.handedOver.note)}
              </p>
            ) : mayHandOver ? (
              <HandOverForm demandId={task.id} today={today} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Findings older than their store's retention period: the store should no longer hold them. */
function OverdueFindings({ overdue }: { overdue: Paths["overdue"] }) {
  const m = useMessages();
  const o = m.statutory.overdue;
  const j = m.journey;
  if (overdue.total === 0) return null;
  return (
    <section aria-labelledby="loeschfrist">
      <h2 id="loeschfrist">{o.caseTitle}</h2>
      <p>{o.caseIntro(overdue.total)}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{o.store}</th>
            <th scope="col">{o.ref}</th>
            <th scope="col">{o.recordedAt}</th>
            <th scope="col">{o.dueSince}</th>
          </tr>
        </thead>
        <tbody>
          {overdue.shown.map((f) => (
            <tr key={f.findingId} data-finding={f.findingId}>
              <td>{f.store}</td>
              <td>
                <code>{f.ref}</code>
              </td>
              <td>{f.recordedAt ? j.formatDate(f.recordedAt) : "–"}</td>
              <td>
                <OverdueBadge dueAt={f.dueAt} held={f.held} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {overdue.total > overdue.shown.length ? <p>{o.more(overdue.total - overdue.shown.length)}</p> : null}
    </section>
  );
}
