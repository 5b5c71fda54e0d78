import { data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/umsetzung";
import { useMessages } from "../../i18n";
import { requireFreshTotp, requirePermission, requireStaff, staffPageMember } from "../../server/auth/staff.server";
import { recordStaffRefusal } from "../../server/audit.server";
import { recordExecutionPageRead } from "../../server/cases/staff-reads.server";
import { approve, propose, sendBack } from "../../server/execution/actions.server";
import { recordArchiveDecision } from "../../server/execution/archive-offer.server";
import { carryOutJob } from "../../server/execution/carry-out.server";
import { decideActivity } from "../../server/execution/decisions.server";
import { resolveByHand, retryFailed } from "../../server/execution/failed-actions.server";
import { type ExecutionError, ExecutionRefused, executionEnv } from "../../server/execution/env.server";
import { executionIntentPermission, freshCodeExecutionIntents, parseExecutionIntent } from "../../server/execution/intents";
import { loadExecutionPage } from "../../server/execution/view.server";
import { isUuid, readForm } from "../../server/http/form.server";
import { sendQueuedMail } from "../../server/http/context.server";
import { PageTitle } from "../../ui/page-title";
import { ActivityDecisions } from "./umsetzung/activity-decisions";
import { ArchiveOffers } from "./umsetzung/archive-offers";
import { useErrorText } from "./umsetzung/execution-texts";
import { FailedActions } from "./umsetzung/failed-actions";
import { NotificationsTable } from "./umsetzung/notifications-table";
import { ProposalApproval } from "./umsetzung/proposal-approval";
import { ProposeTable } from "./umsetzung/propose-table";
import { RectifyForm } from "./umsetzung/rectify-form";
import { ReturnedProposals } from "./umsetzung/returned-proposals";

function envOf(context: Route.LoaderArgs["context"]) {
  const { services } = context;
  return executionEnv({ db: services.database.db, config: services.config, sources: services.sources });
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const page = await loadExecutionPage(await envOf(context), params.id);
  if (!page) throw data(null, { status: 404 });
  await recordExecutionPageRead(context.services.database.db, staff.id, page);
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
  "section-22-ground-required": 400,
  "section-22-not-erasure": 409,
  "own-proposal": 409,
  "not-proposed": 409,
  "comment-required": 400,
  "changes-required": 400,
  "unknown-field": 400,
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
        await propose(
          env,
          staff,
          requestId,
          intent.action === "restrict-instead"
            ? { action: "restrict", findingIds: intent.findingIds, section22Ground: intent.ground ?? "" }
            : { action: intent.action, findingIds: intent.findingIds },
        );
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
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorText = useErrorText();
  const may = (permission: string) => page.me.permissions.includes(permission as never);
  const proposals = page.findings.flatMap((f) => f.actions.filter((a) => a.status === "proposed").map((a) => ({ ...a, finding: f })));
  const reference = page.request.reference ?? page.request.id;
  // A refused archive answer belongs to one action's form and one of its fields.
  const actionError = result && "actionId" in result && result.actionId ? { actionId: result.actionId, error: result.error } : null;
  const resolveError = actionError && page.failed.some((f) => f.id === actionError.actionId) ? actionError : null;
  const archiveError = resolveError ? null : actionError;
  const archiveField = archiveError?.error === "unknown-archive-decision" ? "decision" : archiveError?.error.startsWith("archive-date") ? "date" : null;
  const commentError = Boolean(result && "error" in result && result.error === "comment-required");
  const groundError = Boolean(result && "error" in result && result.error === "section-22-ground-required");
  const errorField =
    archiveError && archiveField ? `ar-${archiveError.actionId}-${archiveField}` : commentError ? "sb-comment" : groundError ? "pa-ground" : resolveError ? `rf-${resolveError.actionId}-note` : null;
  const storeDetail = result && "detail" in result && typeof result.detail === "string" ? result.detail : null;
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
      {page.failed.length > 0 ? <FailedActions failed={page.failed} may={may("finding:propose")} error={resolveError ? { ...resolveError, detail: storeDetail } : null} /> : null}
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

      {page.returned.length > 0 ? <ReturnedProposals returned={page.returned} /> : null}

      <h2>{t.findings}</h2>
      {!page.hasGathering ? <p>{t.noGathering}</p> : <ProposeTable findings={page.findings} mayPropose={may("finding:propose")} erasureCase={page.request.kinds.includes("loeschung")} groundError={groundError} />}

      {may("finding:propose") && page.findings.length > 0 ? <RectifyForm findings={page.findings} /> : null}

      <h2>{t.approveHeading}</h2>
      {proposals.length === 0 ? (
        <p>{t.noProposals}</p>
      ) : (
        <ProposalApproval proposals={proposals} meId={page.me.id} mayApprove={may("release:approve")} commentError={commentError} />
      )}

      {page.archiveOffers.length > 0 ? (
        <ArchiveOffers offers={page.archiveOffers} today={page.today} mayPropose={may("finding:propose")} archiveError={archiveError} archiveField={archiveField} />
      ) : null}

      {page.activities.length > 0 && (page.request.kinds.includes("widerspruch") || page.request.kinds.includes("widerruf")) ? (
        <ActivityDecisions activities={page.activities} kinds={page.request.kinds} decisions={page.decisions} mayDecide={may("objection:decide")} />
      ) : null}

      <h2>{t.notificationsHeading}</h2>
      {page.notifications.length === 0 ? <p>{t.noNotifications}</p> : <NotificationsTable notifications={page.notifications} />}
    </article>
  );
}
