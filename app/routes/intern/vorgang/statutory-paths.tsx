import { Form, useActionData, useSearchParams } from "react-router";
import { berlinDayOf } from "#app/core/berlin-date";
import type { Permission } from "#app/core/permissions";
import { useMessages } from "#app/i18n";
import { staffChannels } from "#app/core/channels";
import { identityDocumentKinds } from "#app/server/cases/statutory-intents";
import type { StatutoryPaths as Paths, StatutoryRefusal } from "#app/server/cases/statutory-paths.server";
import { SelectField } from "#app/ui/form/fields";
import { OverdueBadge } from "#app/ui/overdue-badge";
import { StoreDecisions } from "./store-decision-form";

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
  const result = useActionData() as Partial<StatutoryRefusal> | undefined;
  const error = result?.statutoryError ?? null;
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
      <IdentityCheck
        identity={paths.identity}
        mayCheck={may("finding:propose")}
        error={error?.section === "identity" ? error.reason : null}
      />
      <StoreDecisions stores={paths.stores} mayDecide={may("release:approve")} />
    </>
  );
}

/** § 21(5): the person's demand is a task until the record's hand-over to the TLfDI is recorded. */
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
  const [search] = useSearchParams();
  const refused = search.get("tlfdi");
  if (tasks.length === 0 && !(demandOpen && mayHandOver)) return null;
  const today = berlinDayOf(new Date());
  return (
    <section aria-labelledby="aufgaben" className="tasks">
      <h2 id="aufgaben">{t.title}</h2>
      {refused && refused !== "ok" ? (
        <p className="field-error" role="alert">
          {t.errors[refused] ?? t.errors["unknown-demand"]}
        </p>
      ) : null}
      {demandOpen && mayHandOver ? (
        <Form method="post" action={`/intern/vorgaenge/${requestId}/tlfdi-nachweis`}>
          <h3>{t.recordTitle}</h3>
          <p>{t.recordIntro}</p>
          <input type="hidden" name="intent" value="record-demand" />
          <SelectField
            name="channel"
            id="f-demand-channel"
            label={t.channel}
            required
            options={staffChannels.map((channel) => ({ value: channel, label: t.channels[channel] }))}
          />
          <button className="button button--secondary" type="submit">
            {t.recordSubmit}
          </button>
        </Form>
      ) : null}
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
              <Form method="post" action={`/intern/vorgaenge/${requestId}/tlfdi-nachweis`}>
                <input type="hidden" name="intent" value="handed-over" />
                <input type="hidden" name="demandId" value={task.id} />
                <div className="field">
                  <label htmlFor={`f-ho-day-${task.id}`}>{t.handedOverOn}</label>
                  <input type="date" id={`f-ho-day-${task.id}`} name="day" required defaultValue={today} />
                </div>
                <div className="field">
                  <label htmlFor={`f-ho-note-${task.id}`}>{t.note}</label>
                  <textarea id={`f-ho-note-${task.id}`} name="note" required minLength={5} maxLength={1000} />
                </div>
                <button className="button button--secondary" type="submit">
                  {t.submit}
                </button>
              </Form>
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

/** Art. 12(6): the identity documents seen are deleted when the check is recorded; who checked what, when stays. */
function IdentityCheck({
  identity,
  mayCheck,
  error,
}: {
  identity: Paths["identity"];
  mayCheck: boolean;
  error: string | null;
}) {
  const m = useMessages();
  const t = m.statutory.identity;
  const j = m.journey;
  if (identity.documents.length === 0 && identity.history.length === 0) return null;
  return (
    <section aria-labelledby="identitaet">
      <h2 id="identitaet">{t.title}</h2>
      <p>{t.intro}</p>
      {identity.history.length > 0 ? (
        <ul className="plain-list" data-testid="identity-history">
          {identity.history.map((h) => (
            <li key={h.at}>
              {t.history(h.by, j.formatDateTime(h.at), t.kinds[h.documentKind] ?? h.documentKind, h.deleted)}
            </li>
          ))}
        </ul>
      ) : null}
      {mayCheck && identity.documents.length > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="identity-check" />
          {error ? (
            <p className="field-error" role="alert">
              {t.errors[error] ?? t.errors["unknown-document"]}
            </p>
          ) : null}
          <fieldset>
            <legend>{t.documents}</legend>
            {identity.documents.map((d) => (
              <div className="choice" key={d.id}>
                <input type="checkbox" name="documentIds" value={d.id} id={`f-id-doc-${d.id}`} />
                <label htmlFor={`f-id-doc-${d.id}`}>
                  {d.fileName} ({t.uploadedAt(j.formatDateTime(d.uploadedAt), d.byPerson)})
                </label>
              </div>
            ))}
          </fieldset>
          <SelectField
            name="documentKind"
            id="f-id-kind"
            label={t.documentKind}
            required
            options={identityDocumentKinds.map((kind) => ({ value: kind, label: t.kinds[kind] }))}
          />
          <div className="field">
            <label htmlFor="f-id-note">{t.note}</label>
            <input id="f-id-note" name="note" maxLength={500} />
          </div>
          <button className="button button--secondary" type="submit">
            {t.submit}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
