import { Form, data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/umsetzung";
import { processingActivityById, type ProcessingActivityId } from "../../core/processing-activities";
import { useLocalized, useMessages } from "../../i18n";
import { requireFreshTotp, requirePermission, requireStaff, staffPageMember } from "../../server/auth/staff.server";
import { recordStaffRefusal } from "../../server/audit.server";
import { approve, propose, sendBack } from "../../server/execution/actions.server";
import { recordArchiveDecision } from "../../server/execution/archive-offer.server";
import { carryOutJob } from "../../server/execution/carry-out.server";
import { decideActivity } from "../../server/execution/decisions.server";
import { resolveByHand, retryFailed } from "../../server/execution/failed-actions.server";
import { type ExecutionError, ExecutionRefused, executionEnv } from "../../server/execution/env.server";
import { archiveDecisions } from "../../server/execution/erasure-assessment";
import { executionIntentPermission, freshCodeExecutionIntents, minResolutionNote, minReturnComment, parseExecutionIntent } from "../../server/execution/intents";
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
  return { ...page, me: staffPageMember(staff) };
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
  "comment-required": 400,
  "changes-required": 400,
  "statement-required": 400,
  "not-restricted": 409,
  "reasoning-required": 400,
  "objection-not-applicable": 409,
  "not-consent-based": 409,
  "already-decided": 409,
  "not-awaiting-archive": 409,
  "unknown-archive-decision": 400,
  "archive-date-invalid": 400,
  "archive-date-future": 400,
  "archive-date-before-approval": 400,
  "not-failed": 409,
  "note-required": 400,
};

export async function action({ request, context, params }: Route.ActionArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const requestId = params.id;
  const { services } = context;
  const { db } = services.database;
  const form = await readForm(request);
  const intent = form ? parseExecutionIntent(form) : null;
  // Refused input (a forged id, another case's action, a settled proposal …) is kept in the audit
  // trail as on the case page; a missing permission is recorded by requirePermission.
  if (!intent) {
    await recordStaffRefusal(db, staff.id, requestId, "invalid-form");
    return data({ error: "invalid" as const }, { status: 400 });
  }
  await requirePermission(context, staff, executionIntentPermission[intent.intent], request);
  if (freshCodeExecutionIntents.has(intent.intent)) requireFreshTotp(staff, request);
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
      case "send-back": {
        // A withdrawn lift is told to the person at once, like the lift notice it corrects.
        const result = await sendBack(env, staff, requestId, intent.actionIds, intent.comment);
        await sendQueuedMail(context, result.outboxIds);
        break;
      }
      case "decide": {
        const result = await decideActivity(env, staff, requestId, intent);
        await sendQueuedMail(context, [result.outboxId]);
        execute = Boolean(result.effect && (result.effect.erase || result.effect.restrict));
        break;
      }
      case "archive":
        await recordArchiveDecision(env, staff, requestId, { actionId: intent.actionId, decision: intent.decision ?? "", answeredOn: intent.answeredOn ?? "", note: intent.note });
        execute = true;
        break;
      case "retry-failed": {
        // Run here, not queued: the page shows at once what the store now confirms.
        const result = await retryFailed(env, staff, requestId, intent.actionIds);
        await sendQueuedMail(context, result.outboxIds);
        break;
      }
      case "resolve-failed": {
        const result = await resolveByHand(env, staff, requestId, intent.actionId, intent.note);
        // The use case recorded the refusal with the action and the store it concerns.
        if (!result.ok) {
          return data({ error: result.reason, actionId: intent.actionId, detail: result.detail }, { status: 409 });
        }
        await sendQueuedMail(context, result.outboxIds);
        break;
      }
    }
  } catch (error) {
    // The archive form or the resolve form of that action shows the error beside its field.
    const actionId = intent.intent === "archive" || intent.intent === "resolve-failed" ? intent.actionId : null;
    if (!(error instanceof ExecutionRefused)) throw error;
    await recordStaffRefusal(db, staff.id, requestId, error.reason);
    return data({ error: error.reason, actionId }, { status: statusOf[error.reason] });
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
  // A refused archive answer belongs to one action's form and one of its fields.
  const actionError = result && "actionId" in result && result.actionId ? { actionId: result.actionId, error: result.error } : null;
  const resolveError = actionError && page.failed.some((f) => f.id === actionError.actionId) ? actionError : null;
  const archiveError = resolveError ? null : actionError;
  const archiveField = archiveError?.error === "unknown-archive-decision" ? "decision" : archiveError?.error.startsWith("archive-date") ? "date" : null;
  const commentError = result && "error" in result && result.error === "comment-required";
  const errorField = archiveError && archiveField ? `ar-${archiveError.actionId}-${archiveField}` : commentError ? "sb-comment" : resolveError ? `rf-${resolveError.actionId}-note` : null;
  const storeDetail = result && "detail" in result && typeof result.detail === "string" ? result.detail : null;
  const errorText = (error: string) => t.errors[error as keyof typeof t.errors] ?? t.errors.invalid;
  const proposalText = (p: (typeof page.findings)[number]["actions"][number], record: { storeTitle: string; ref: string }) =>
    `${t.actions[p.action as keyof typeof t.actions] ?? p.action}: ${record.storeTitle} · ${record.ref}` +
    (p.changes && p.action === "rectify" ? ` (${Object.entries(p.changes).map(([k, v]) => `${k} → ${v}`).join(", ")})` : "") +
    (p.supplementaryStatement ? ` – ${p.supplementaryStatement}` : "") +
    ` – ${t.by(p.proposedByName)}`;
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
          <p>{errorField ? <a href={`#${errorField}`}>{errorText(result.error)}</a> : errorText(result.error)}</p>
        </div>
      ) : null}
      <p>{t.intro}</p>
      {page.failed.length > 0 ? (
        <FailedActions failed={page.failed} may={may("finding:propose")} error={resolveError ? { ...resolveError, detail: storeDetail } : null} />
      ) : null}
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

      {page.returned.length > 0 ? (
        <section aria-labelledby="returned-heading">
          <h2 id="returned-heading">{t.returned.heading}</h2>
          <p>{t.returned.intro}</p>
          <ul className="plain-list">
            {page.returned.map((r) => (
              <li key={r.id}>
                <p>
                  <strong>{proposalText(r, r)}</strong>
                  <br />
                  {r.returnedAt ? t.returned.sentBackBy(r.returnedByName, m.journey.formatDateTime(r.returnedAt)) : null}
                </p>
                <p>{`${t.returned.comment}: ${r.returnComment ?? ""}`}</p>
                <p className="note">{r.proposedAgain ? t.returned.proposedAgain : t.returned.notYetProposedAgain}</p>
              </li>
            ))}
          </ul>
        </section>
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
                            {a.archiveDecision && a.archiveAnsweredAt
                              ? ` – ${t.archive.recorded[a.archiveDecision as keyof typeof t.archive.recorded] ?? a.archiveDecision} (${t.archive.answerOf(m.journey.formatDate(a.archiveAnsweredAt))}${a.archiveNote ? `; ${a.archiveNote}` : ""})`
                              : null}
                            {a.proposedByName ? ` – ${t.by(a.proposedByName)}` : null}
                            {a.status === "returned" && a.returnedAt ? ` – ${t.returned.sentBackBy(a.returnedByName, m.journey.formatDate(a.returnedAt))}` : null}
                            {a.resolvedAt ? ` – ${t.resolvedBy(a.resolvedByName, m.journey.formatDate(a.resolvedAt))}` : null}
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
        // One selection, two answers: the ticked proposals are approved, or sent back with the note.
        <Form method="post">
          <fieldset>
            <legend>{t.openProposals}</legend>
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
                  <label htmlFor={`ap-${p.id}`}>{proposalText(p, p.finding)}</label>
                </li>
              ))}
            </ul>
          </fieldset>
          {may("release:approve") ? (
            <>
              {/* The note is for sending back only: approving does not wait for it. */}
              <button className="button" type="submit" name="intent" value="approve" formNoValidate>
                {t.approve}
              </button>
              <fieldset className="decision-panel">
                <legend>{t.sendBack.legend}</legend>
                <div className={commentError ? "field field--invalid" : "field"}>
                  <label htmlFor="sb-comment">{t.sendBack.comment}</label>
                  <span className="hint" id="sb-comment-hint">
                    {t.sendBack.commentHint}
                  </span>
                  {commentError ? (
                    <p className="field-error" id="sb-comment-error">
                      {errorText("comment-required")}
                    </p>
                  ) : null}
                  <textarea
                    id="sb-comment"
                    name="comment"
                    required
                    minLength={minReturnComment}
                    maxLength={2000}
                    aria-describedby={commentError ? "sb-comment-hint sb-comment-error" : "sb-comment-hint"}
                    aria-invalid={commentError ? true : undefined}
                  />
                </div>
                <button className="button button--secondary" type="submit" name="intent" value="send-back">
                  {t.sendBack.submit}
                </button>
              </fieldset>
            </>
          ) : null}
        </Form>
      )}

      {page.archiveOffers.length > 0 ? (
        <section aria-labelledby="archive-heading">
          <h2 id="archive-heading">{t.archive.heading}</h2>
          <p>{t.archive.intro}</p>
          {may("finding:propose") ? null : <p className="note">{t.archive.onlyWithPermission}</p>}
          {page.archiveOffers.map((offer) => {
            const id = `ar-${offer.id}`;
            const record = `${offer.storeTitle} · ${offer.ref} (${activityName(offer.processingActivityId)})`;
            const approved = offer.approvedAt ? t.archive.approvedOn(m.journey.formatDate(offer.approvedAt)) : null;
            if (!may("finding:propose")) {
              return (
                <p key={offer.id}>
                  {t.actions.erase}: {record}
                  {approved ? ` – ${approved}` : null}
                </p>
              );
            }
            const error = archiveError?.actionId === offer.id ? archiveField : null;
            return (
              <Form method="post" key={offer.id} className="execution-archive">
                <input type="hidden" name="intent" value="archive" />
                <input type="hidden" name="actionId" value={offer.id} />
                <fieldset>
                  <legend>
                    {t.actions.erase}: {record}
                  </legend>
                  {approved ? <p className="note">{approved}</p> : null}
                  <fieldset
                    className={error === "decision" ? "field field--invalid" : "field"}
                    id={`${id}-decision`}
                    tabIndex={-1}
                    aria-describedby={error === "decision" ? `${id}-decision-error` : undefined}
                  >
                    <legend>{t.archive.decision}</legend>
                    {error === "decision" ? (
                      <p className="field-error" id={`${id}-decision-error`}>
                        {errorText(archiveError!.error)}
                      </p>
                    ) : null}
                    {archiveDecisions.map((decision) => (
                      <div className="choice" key={decision}>
                        <input type="radio" name="decision" value={decision} id={`${id}-${decision}`} required aria-invalid={error === "decision" ? true : undefined} />
                        <label htmlFor={`${id}-${decision}`}>{t.archive.decisions[decision]}</label>
                      </div>
                    ))}
                  </fieldset>
                  <div className={error === "date" ? "field field--invalid" : "field"}>
                    <label htmlFor={`${id}-date`}>{t.archive.answeredOn}</label>
                    <span className="hint" id={`${id}-date-hint`}>
                      {t.archive.answeredOnHint(m.journey.formatDate(offer.earliestAnswer), m.journey.formatDate(page.today))}
                    </span>
                    {error === "date" ? (
                      <p className="field-error" id={`${id}-date-error`}>
                        {errorText(archiveError!.error)}
                      </p>
                    ) : null}
                    <input
                      type="date"
                      id={`${id}-date`}
                      name="answeredOn"
                      required
                      min={offer.earliestAnswer}
                      max={page.today}
                      aria-describedby={error === "date" ? `${id}-date-hint ${id}-date-error` : `${id}-date-hint`}
                      aria-invalid={error === "date" ? true : undefined}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-note`}>{t.archive.note}</label>
                    <input type="text" id={`${id}-note`} name="note" maxLength={500} />
                  </div>
                  <button className="button" type="submit">
                    {t.archive.submit}
                  </button>
                </fieldset>
              </Form>
            );
          })}
        </section>
      ) : null}

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

type FailedAction = ReturnType<typeof useLoaderData<typeof loader>>["failed"][number];

/**
 * What the stores did not confirm, with the store's reason: run again, or recorded as carried out
 * by hand with a note (the store is read again before anything is marked done).
 */
function FailedActions({ failed, may, error }: { failed: FailedAction[]; may: boolean; error: { actionId: string; error: string; detail: string | null } | null }) {
  const m = useMessages();
  const t = m.execution;
  const f = t.failed;
  const record = (a: FailedAction) => `${t.actions[a.action as keyof typeof t.actions] ?? a.action}: ${a.storeTitle} · ${a.ref}`;
  return (
    <section aria-labelledby="failed-heading" className="execution-failed">
      <h2 id="failed-heading">{f.heading}</h2>
      <p>{f.intro}</p>
      {may ? null : <p className="note">{f.onlyWithPermission}</p>}
      <Form method="post">
        <input type="hidden" name="intent" value="retry-failed" />
        <fieldset>
          <legend>{f.retryLegend}</legend>
          <ul className="plain-list">
            {failed.map((a) => (
              <li key={a.id} className="choice">
                {may ? <input type="checkbox" name="actionIds" value={a.id} id={`rt-${a.id}`} defaultChecked /> : null}
                <label htmlFor={may ? `rt-${a.id}` : undefined}>{record(a)}</label>
                <p className="field-error" id={`rt-${a.id}-reason`}>
                  {f.reason}: {a.error}
                </p>
                {a.attemptedAt ? <p className="note">{f.attempted(m.journey.formatDateTime(a.attemptedAt))}</p> : null}
              </li>
            ))}
          </ul>
          {may ? (
            <button className="button" type="submit">
              {f.retry}
            </button>
          ) : null}
        </fieldset>
      </Form>
      {may
        ? failed.map((a) => {
            const id = `rf-${a.id}`;
            const invalid = error?.actionId === a.id ? error : null;
            return (
              <Form method="post" key={a.id} className="execution-resolve">
                <input type="hidden" name="intent" value="resolve-failed" />
                <input type="hidden" name="actionId" value={a.id} />
                <fieldset>
                  <legend>{f.resolveLegend(record(a))}</legend>
                  <div className={invalid ? "field field--invalid" : "field"}>
                    <label htmlFor={`${id}-note`}>{f.note}</label>
                    <span className="hint" id={`${id}-hint`}>
                      {f.noteHint}
                    </span>
                    {invalid ? (
                      <div className="field-error" id={`${id}-error`}>
                        <p>{t.errors[invalid.error as keyof typeof t.errors] ?? t.errors.invalid}</p>
                        {invalid.detail ? <p>{`${f.storeSays} ${invalid.detail}`}</p> : null}
                      </div>
                    ) : null}
                    <textarea
                      id={`${id}-note`}
                      name="note"
                      required
                      minLength={minResolutionNote}
                      maxLength={2000}
                      aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}
                      aria-invalid={invalid ? true : undefined}
                    />
                  </div>
                  <button className="button button--secondary" type="submit">
                    {f.resolve}
                  </button>
                </fieldset>
              </Form>
            );
          })
        : null}
    </section>
  );
}
