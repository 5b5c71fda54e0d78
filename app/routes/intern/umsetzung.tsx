import { Form, data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/umsetzung";
import { processingActivityById, type ProcessingActivityId } from "../../core/processing-activities";
import { useLocalized, useMessages } from "../../i18n";
import { requireFreshTotp, requirePermission, requireStaff } from "../../server/auth/staff.server";
import { approve, propose } from "../../server/execution/actions.server";
import { carryOutJob } from "../../server/execution/carry-out.server";
import { decideActivity } from "../../server/execution/decisions.server";
import { type ExecutionError, ExecutionRefused, executionEnv } from "../../server/execution/env.server";
import { executionIntentPermission, freshCodeExecutionIntents, parseExecutionIntent } from "../../server/execution/intents";
import { loadExecutionPage } from "../../server/execution/view.server";
import { isUuid, readForm, sendQueuedMail } from "../../server/requests/http.server";
import { PageTitle } from "../../ui/page-title";

function envOf(context: Route.LoaderArgs["context"]) {
  const { services } = context;
  return executionEnv({ db: services.database.db, config: services.config, sources: services.sources });
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const page = await loadExecutionPage(await envOf(context), params.id);
  if (!page) throw data(null, { status: 404 });
  return { ...page, me: { id: staff.id, permissions: [...staff.permissions] } };
}

const statusOf: Record<ExecutionError, number> = {
  "not-permitted": 403,
  "foreign-finding": 400,
  "foreign-action": 400,
  "unknown-activity": 400,
  "no-gathering": 409,
  "already-open": 409,
  "kind-not-requested": 409,
  "own-proposal": 409,
  "not-proposed": 409,
  "changes-required": 400,
  "statement-required": 400,
  "not-restricted": 409,
  "reasoning-required": 400,
  "objection-not-applicable": 409,
  "not-consent-based": 409,
  "already-decided": 409,
};

export async function action({ request, context, params }: Route.ActionArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const requestId = params.id;
  const form = await readForm(request);
  const intent = form ? parseExecutionIntent(form) : null;
  if (!intent) return data({ error: "invalid" as const }, { status: 400 });
  await requirePermission(context, staff, executionIntentPermission[intent.intent], request);
  if (freshCodeExecutionIntents.has(intent.intent)) requireFreshTotp(staff, request);
  const { services } = context;
  const env = await envOf(context);
  if (!(await loadExecutionPage(env, requestId))) throw data(null, { status: 404 });
  let execute = false;
  try {
    switch (intent.intent) {
      case "propose":
        await propose(env, staff, requestId, { action: intent.action, findingIds: intent.findingIds });
        break;
      case "rectify": {
        const changes = intent.field && intent.value ? { [intent.field]: intent.value } : {};
        await propose(env, staff, requestId, { action: "rectify", findingId: intent.findingId, changes, statement: intent.statement });
        break;
      }
      case "approve": {
        const result = await approve(env, staff, requestId, intent.actionIds);
        await sendQueuedMail(context, result.outboxIds);
        execute = result.toExecute > 0;
        break;
      }
      case "decide": {
        const result = await decideActivity(env, staff, requestId, intent);
        await sendQueuedMail(context, [result.outboxId]);
        execute = Boolean(result.effect && (result.effect.erase || result.effect.restrict));
        break;
      }
    }
  } catch (error) {
    if (error instanceof ExecutionRefused) return data({ error: error.reason }, { status: statusOf[error.reason] });
    throw error;
  }
  if (execute) {
    // The queue carries the work out; should it be unreachable, the hourly job picks it up.
    await services.jobs.send(carryOutJob.queue, { requestId }).catch(() => console.error(`[execution] could not enqueue case ${requestId}`));
  }
  return redirect(`/intern/vorgaenge/${requestId}/umsetzung`);
}

export default function Execution() {
  const m = useMessages();
  const t = m.execution;
  const localized = useLocalized();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const may = (permission: string) => page.me.permissions.includes(permission as never);
  const activityName = (id: string) => localized(processingActivityById[id as ProcessingActivityId]?.name ?? { de: id, en: id });
  const proposals = page.findings.flatMap((f) => f.actions.filter((a) => a.status === "proposed").map((a) => ({ ...a, finding: f })));
  const assessmentText = (a: (typeof page.findings)[number]["assessment"]) => {
    if (a.outcome === "erase-now") return t.assessment.eraseNow;
    if (a.outcome === "archive-offer") return t.assessment.archiveOffer(a.legalReference);
    return a.dueAt ? t.assessment.retentionDuty(a.legalReference, m.journey.formatDate(a.dueAt)) : t.assessment.periodNotStarted(a.legalReference);
  };
  const reference = page.request.reference ?? page.request.id;
  return (
    <article className="execution">
      <PageTitle title={`${t.title} – ${reference}`} />
      <p>
        <a href={`/intern/vorgaenge/${page.request.id}`}>{t.back}</a>
      </p>
      <h1>
        {t.title}: {reference}
      </h1>
      {result && "error" in result ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{t.errors[result.error as keyof typeof t.errors] ?? t.errors.invalid}</p>
        </div>
      ) : null}
      <p>{t.intro}</p>
      {Object.keys(page.request.details).length > 0 ? (
        <>
          <h2>{t.personAsked}</h2>
          <dl className="facts">
            {Object.entries(page.request.details).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}

      <h2>{t.findings}</h2>
      {!page.hasGathering ? (
        <p>{t.noGathering}</p>
      ) : (
        <Form method="post" id="propose-form">
          <input type="hidden" name="intent" value="propose" />
          <table className="execution-table">
            <caption className="visually-hidden">{t.findings}</caption>
            <thead>
              <tr>
                <th scope="col">{t.select}</th>
                <th scope="col">{t.record}</th>
                <th scope="col">{t.assessmentHeading}</th>
                <th scope="col">{t.actionsHeading}</th>
              </tr>
            </thead>
            <tbody>
              {page.findings.map((f) => (
                <tr key={f.id}>
                  <td>
                    <input type="checkbox" name="findingIds" value={f.id} id={`ex-${f.id}`} aria-label={`${t.select}: ${f.store} ${f.ref}`} />
                  </td>
                  <td>
                    <label htmlFor={`ex-${f.id}`}>
                      <strong>{f.storeTitle}</strong> – {activityName(f.processingActivityId)}
                    </label>
                    <div className="note">
                      {f.ref}
                      {f.recordedAt ? ` · ${m.journey.formatDateTime(f.recordedAt)}` : null}
                    </div>
                  </td>
                  <td>{assessmentText(f.assessment)}</td>
                  <td>
                    {f.actions.length === 0 ? (
                      t.none
                    ) : (
                      <ul className="plain-list">
                        {f.actions.map((a) => (
                          <li key={a.id}>
                            {t.actions[a.action as keyof typeof t.actions] ?? a.action}: {t.statuses[a.status as keyof typeof t.statuses] ?? a.status}
                            {a.dueAt && a.status === "deferred" ? ` (${t.dueOn(m.journey.formatDate(a.dueAt))})` : null}
                            {a.executedAt ? ` (${t.executedOn(m.journey.formatDate(a.executedAt))})` : null}
                            {a.proposedByName ? ` – ${t.by(a.proposedByName)}` : null}
                            {a.error ? <span className="field-error"> {a.error}</span> : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {may("finding:propose") && page.findings.length > 0 ? (
            <fieldset className="decision-panel">
              <legend>{t.proposeHeading}</legend>
              {(["erase", "restrict", "lift-restriction"] as const).map((action) => (
                <div className="choice" key={action}>
                  <input type="radio" name="action" value={action} id={`pa-${action}`} defaultChecked={action === "erase"} />
                  <label htmlFor={`pa-${action}`}>{t.actions[action]}</label>
                </div>
              ))}
              <button className="button" type="submit">
                {t.propose}
              </button>
            </fieldset>
          ) : null}
        </Form>
      )}

      {may("finding:propose") && page.findings.length > 0 ? (
        <Form method="post" className="execution-rectify">
          <h2>{t.rectifyHeading}</h2>
          <input type="hidden" name="intent" value="rectify" />
          <div className="field">
            <label htmlFor="r-finding">{t.rectifyFinding}</label>
            <select id="r-finding" name="findingId" required>
              {page.findings.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.storeTitle} · {f.ref} · {t.rectifyFieldsAllowed(f.rectifyFields.join(", "))}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="r-field">{t.rectifyField}</label>
            <input type="text" id="r-field" name="field" maxLength={100} />
          </div>
          <div className="field">
            <label htmlFor="r-value">{t.rectifyValue}</label>
            <input type="text" id="r-value" name="value" maxLength={2000} />
          </div>
          <div className="field">
            <label htmlFor="r-statement">{t.statement}</label>
            <textarea id="r-statement" name="statement" maxLength={4000} />
          </div>
          <button className="button button--secondary" type="submit">
            {t.propose}
          </button>
        </Form>
      ) : null}

      <h2>{t.approveHeading}</h2>
      {proposals.length === 0 ? (
        <p>{t.noProposals}</p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="approve" />
          <ul className="plain-list">
            {proposals.map((p) => (
              <li key={p.id} className="choice">
                <input
                  type="checkbox"
                  name="actionIds"
                  value={p.id}
                  id={`ap-${p.id}`}
                  defaultChecked={p.proposedBy !== page.me.id}
                  disabled={!may("release:approve") || p.proposedBy === page.me.id}
                />
                <label htmlFor={`ap-${p.id}`}>
                  {t.actions[p.action as keyof typeof t.actions] ?? p.action}: {p.finding.storeTitle} · {p.finding.ref}
                  {p.changes && p.action === "rectify" ? ` (${Object.entries(p.changes).map(([k, v]) => `${k} → ${v}`).join(", ")})` : null}
                  {p.supplementaryStatement ? ` – ${p.supplementaryStatement}` : null} – {t.by(p.proposedByName)}
                </label>
              </li>
            ))}
          </ul>
          {may("release:approve") ? (
            <button className="button" type="submit">
              {t.approve}
            </button>
          ) : null}
        </Form>
      )}

      {page.activities.length > 0 && (page.request.kinds.includes("widerspruch") || page.request.kinds.includes("widerruf")) ? (
        <>
          <h2>{t.decisionsHeading}</h2>
          {page.activities.map((activity) => (
            <section key={activity.id} className="execution-activity" aria-labelledby={`act-${activity.id}`}>
              <h3 id={`act-${activity.id}`}>{localized(activity.name)}</h3>
              <p className="note">{localized(activity.objectionNote)}</p>
              {(["objection", "withdrawal"] as const)
                .filter((kind) => page.request.kinds.includes(kind === "objection" ? "widerspruch" : "widerruf"))
                .map((kind) => {
                  const decided = page.decisions.find((d) => d.kind === kind && d.processingActivityId === activity.id);
                  if (decided) {
                    const effect = decided.effect ? (JSON.parse(decided.effect) as { erase: number; restrict: number; later: number }) : null;
                    return (
                      <p key={kind}>
                        {kind === "objection" ? t.objection : t.withdrawal}: {t.outcomes[decided.outcome as "upheld" | "rejected"]} – {decided.reasoning} ({t.decidedBy(decided.decidedByName, m.journey.formatDate(decided.decidedAt))})
                        {effect ? ` ${t.effect(effect.erase, effect.restrict, effect.later)}` : null}
                      </p>
                    );
                  }
                  if (!may("objection:decide")) return null;
                  const onlyReject = kind === "objection" && !activity.objectionApplies;
                  return (
                    <Form method="post" key={kind}>
                      <input type="hidden" name="intent" value="decide" />
                      <input type="hidden" name="kind" value={kind} />
                      <input type="hidden" name="activityId" value={activity.id} />
                      <fieldset>
                        <legend>{kind === "objection" ? t.objection : t.withdrawal}</legend>
                        {onlyReject ? <p>{t.objectionImpossible}</p> : null}
                        {(["upheld", "rejected"] as const).map((outcome) => (
                          <div className="choice" key={outcome}>
                            <input
                              type="radio"
                              name="outcome"
                              value={outcome}
                              id={`o-${kind}-${activity.id}-${outcome}`}
                              defaultChecked={outcome === (onlyReject ? "rejected" : "upheld")}
                              disabled={onlyReject && outcome === "upheld"}
                            />
                            <label htmlFor={`o-${kind}-${activity.id}-${outcome}`}>{t.outcomes[outcome]}</label>
                          </div>
                        ))}
                        <div className="field">
                          <label htmlFor={`re-${kind}-${activity.id}`}>{t.reasoning}</label>
                          <textarea
                            id={`re-${kind}-${activity.id}`}
                            name="reasoning"
                            required
                            minLength={20}
                            maxLength={4000}
                            defaultValue={onlyReject ? localized(activity.objectionNote) : ""}
                          />
                        </div>
                        <button className="button" type="submit">
                          {t.decide}
                        </button>
                      </fieldset>
                    </Form>
                  );
                })}
            </section>
          ))}
        </>
      ) : null}

      <h2>{t.notificationsHeading}</h2>
      {page.notifications.length === 0 ? (
        <p>{t.noNotifications}</p>
      ) : (
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
            {page.notifications.map((n) => (
              <tr key={n.id}>
                <th scope="row">{n.recipient}</th>
                <td>{activityName(n.processingActivityId)}</td>
                <td>{t.actions[n.action as keyof typeof t.actions] ?? n.action}</td>
                <td>
                  {m.journey.formatDateTime(n.createdAt)}
                  {n.omittedReason ? ` – ${t.omitted(n.omittedReason)}` : n.mailStatus ? ` (${n.mailStatus})` : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
