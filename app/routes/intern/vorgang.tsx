import { data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/vorgang";
import { findingsViewSearch, isFiltered, parseFindingsView } from "../../core/findings-view";
import type { Permission } from "../../core/permissions";
import { useMessages } from "../../i18n";
import { requireFreshTotp, requirePermission, requireStaff, staffPageMember } from "../../server/auth/staff.server";
import { decisionDraftOf, decisionOf, freshCodeIntents, guardOf, intentPermission, parseCaseIntent } from "../../server/cases/case-actions.server";
import { recordStaffRefusal } from "../../server/audit.server";
import { recordCasePageRead } from "../../server/cases/staff-reads.server";
import { assignCase, caseExists, caseLanguage, loadStaffCase } from "../../server/cases/case-detail.server";
import { assignableStaff } from "../../server/cases/case-list.server";
import { type DeadlineDecisionResult, deadlineDecisionsOpen, extendDeadline, refuseRequest } from "../../server/cases/deadline-decisions.server";
import { answersOf, releaseAnswer } from "../../server/delivery/delivery.server";
import { gatherDepsOf, retryStore, startGather } from "../../server/gather/gather.server";
import { isUuid, readForm } from "../../server/http/form.server";
import { sendQueuedMail } from "../../server/http/context.server";
import { approvalView } from "../../server/review/approval-view.server";
import type { DecisionDifference } from "../../server/review/decision-checks.server";
import { confirmIdentifier } from "../../server/review/identifier-confirm.server";
import { reviewPageFacts, withShownState } from "../../server/review/review-page.server";
import { ReviewRefused, approve, assertReleasable, decide, decideByFilter, openReview, previewDecision, propose, sendBack } from "../../server/review/review.server";
import { recordUnsearchedReason } from "../../server/review/search-complete.server";
import { PageTitle } from "../../ui/page-title";
import { ReleaseAnswerForm, ReleasedAnswerNote } from "./vorgang/answer-release";
import { AssignForm, CaseFacts, CaseLetters } from "./vorgang/case-facts";
import { ExtendDeadlineForm, RefuseRequestForm } from "./vorgang/deadline-forms";
import { DecisionDifferenceNotice } from "./vorgang/decision-confirm";
import { DecisionPanel, type DecisionDraft, type DecisionPreview } from "./vorgang/decision-panel";
import { FindingsTable } from "./vorgang/findings-table";
import { FindingsCounts, FindingsFilterForm, FindingsPager, useFilterDescription } from "./vorgang/findings-view";
import { GatherForm, GatheringTable, useLiveProgress } from "./vorgang/gathering-table";
import { IdentifiersPanel } from "./vorgang/identifiers-panel";
import { SearchGateNotice } from "./vorgang/search-gate";
import { ApprovalForms, OpenReviewForm, ProposeForm, RoundStatus } from "./vorgang/review-steps";
import { runStatutoryIntent, statutoryPathsOf } from "../../server/cases/statutory-paths.server";
import { StatutoryPaths } from "./vorgang/statutory-paths";
import { representationCheckView } from "../../server/requests/representation.server";
import { RepresentationCheck } from "./vorgang/representation-check";

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  const { db } = context.services.database;
  // The findings shown: a filter and a page from the URL (?store=…&suggestion=…&state=…&page=…).
  const view = parseFindingsView(new URL(request.url).searchParams);
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  // What does not depend on the findings shown is read beside them: the overdue check alone reads
  // every finding of the case (npm run bench -- review-20k).
  const [found, answers, staffList, statutory, representation] = await Promise.all([
    loadStaffCase(db, params.id, view),
    answersOf(db, params.id),
    assignableStaff(db),
    statutoryPathsOf(db, context.services.config, params.id),
    representationCheckView(db, params.id),
  ]);
  if (!found) throw data(null, { status: 404 });
  await recordCasePageRead(db, staff.id, found);
  const page = {
    ...found,
    // Each finding with its decision state as shown: a decision posts it back and is refused if it changed.
    findings: withShownState(found.findings),
    ...(await reviewPageFacts(db, staff.id, found.gathering?.run.id ?? null, found.round, found.listing.filter, found.listing.matching)),
    answers,
    staff: staffList,
    me: staffPageMember(staff),
    // The second pair of eyes sees who proposed and what changed since the proposal.
    approval: found.round?.status === "proposed" ? await approvalView(db, found.request.id, found.round.id) : null,
    // Extension and refusal are offered only where the action would accept them.
    deadlineDecisions: deadlineDecisionsOpen(found.request),
    // §§ 21(2), 21(5) ThürDSG, the identity check, findings past their deletion date.
    statutory,
    // Filed for someone else: the representative and the check of their authority (ADR 0011).
    representation,
  };
  // A filter the page does not offer: the page says which, with the counts to choose another.
  return found.listing.error ? data(page, { status: 400 }) : page;
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const requestId = params.id;
  const { services } = context;
  const { db } = services.database;
  const form = await readForm(request);
  const intent = form ? parseCaseIntent(form) : null;
  // The page's view (filter and page) is in the URL the form posts to: a group decision applies to
  // its filter, and the answer leads back to it.
  const view = parseFindingsView(new URL(request.url).searchParams);
  if (!intent) {
    await recordStaffRefusal(db, staff.id, requestId, "invalid-form");
    return data({ error: "invalid" }, { status: 400 });
  }
  await requirePermission(context, staff, intentPermission[intent.intent], request);
  if (freshCodeIntents.has(intent.intent)) requireFreshTotp(staff, request);
  if (!(await caseExists(db, requestId))) throw data(null, { status: 404 });
  const gatherDeps = gatherDepsOf(services);
  // Extending, refusing and releasing write to the person: each queues one mail, or says why it cannot.
  let written: DeadlineDecisionResult | Awaited<ReturnType<typeof releaseAnswer>> | null = null;
  try {
    switch (intent.intent) {
      case "assign":
        if (!(await assignCase(db, staff, requestId, intent.assigneeId || null))) return data({ error: "invalid" }, { status: 400 });
        break;
      case "gather":
        await startGather(gatherDeps, requestId, staff.id);
        break;
      case "retry":
        if (!(await retryStore(gatherDeps, requestId, intent.storeJobId, staff.id))) return data({ error: "invalid" }, { status: 409 });
        break;
      case "open-review":
        await openReview(db, staff, requestId);
        break;
      case "decide":
        if (intent.preview) {
          if (intent.scope === "filter" && !view) return data({ error: "invalid-filter" }, { status: 400 });
          const selection = intent.scope === "checked" ? { findingIds: intent.findingIds } : { filter: view!.filter };
          const lang = await caseLanguage(db, requestId);
          const blocks = await previewDecision(db, requestId, intent.roundId, selection, decisionOf(intent), lang);
          const preview: DecisionPreview = { draft: decisionDraftOf(intent), blocks };
          return { preview };
        }
        // Only what the page showed, in the state it showed it; changes and unproven matches confirmed.
        if (intent.scope === "checked") await decide(db, staff, requestId, intent.roundId, intent.findingIds, decisionOf(intent), guardOf(intent));
        else if (!view) {
          await recordStaffRefusal(db, staff.id, requestId, "invalid-filter");
          return data({ error: "invalid-filter" }, { status: 400 });
        } else await decideByFilter(db, staff, requestId, intent.roundId, view.filter, intent.groupSize ?? 0, decisionOf(intent), guardOf(intent));
        break;
      case "propose":
        await propose(db, staff, requestId, intent.roundId);
        break;
      case "approve":
        await approve(db, staff, requestId, intent.roundId);
        break;
      case "send-back":
        await sendBack(db, staff, requestId, intent.roundId, intent.comment);
        break;
      case "extend":
        written = await extendDeadline(db, staff, { requestId, months: intent.months === "2" ? 2 : 1, reasons: intent.reasons, publicUrl: services.config.publicUrl });
        break;
      case "refuse":
        written = await refuseRequest(db, staff, { requestId, ground: intent.ground, reasons: intent.reasons, publicUrl: services.config.publicUrl });
        break;
      case "store-decision":
      case "identity-check": {
        const refused = await runStatutoryIntent(db, staff, requestId, intent);
        if (refused) return data(refused.body, { status: refused.status });
        break;
      }
      case "release-answer":
        await assertReleasable(db, requestId);
        written = await releaseAnswer(db, staff, requestId, services.config);
        break;
      case "accept-unsearched":
        await recordUnsearchedReason(db, staff, requestId, intent.reason);
        break;
      case "confirm-identifier":
        await confirmIdentifier(db, staff, requestId, intent.identifierId, { kind: intent.evidenceKind, text: intent.evidence });
        break;
    }
  } catch (error) {
    if (!(error instanceof ReviewRefused)) throw error;
    await recordStaffRefusal(db, staff.id, requestId, error.reason);
    const status = error.reason === "not-permitted" ? 403 : ["unknown-store", "unknown-field", "unknown-identifier"].includes(error.reason) ? 400 : 409;
    // A difference is shown: what changed since the page was drawn, or what the decision would change (then asked again).
    const refusal: { error: string; difference: DecisionDifference | null; draft: DecisionDraft | null } = {
      error: error.reason,
      difference: error.difference,
      draft: error.difference && intent.intent === "decide" ? decisionDraftOf(intent) : null,
    };
    return data(refusal, { status });
  }
  if (written && !written.ok) {
    // The first month limits a refusal as it limits an extension (Art. 12(4)); the page says which.
    const error = intent.intent === "refuse" && written.reason === "too-late" ? "refusal-too-late" : written.reason;
    return data({ error }, { status: 409 });
  }
  if (written) await sendQueuedMail(context, [written.outboxId]);
  // Post/redirect/get: a reload does not repeat the action.
  return redirect(`/intern/vorgaenge/${requestId}${view ? findingsViewSearch(view.filter, view.page) : ""}`);
}

export default function StaffCase() {
  const m = useMessages();
  const t = m.staff.case;
  const { request, assignee, letters, identifiers, gathering, comparison, round, listing, findings, answers, staff, me, deadlineDecisions, approval, statutory, representation, groupStamp, decisionsStamp, searchGate, ownDecisions } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const describe = useFilterDescription();
  const error = result && "error" in result ? result.error : listing.error;
  const refusal = result && "difference" in result ? (result as unknown as { difference: DecisionDifference | null; draft: DecisionDraft | null }) : null;
  const difference = refusal?.difference ?? null;
  const here = `/intern/vorgaenge/${request.id}${findingsViewSearch(listing.filter, listing.page)}`;
  const may = (permission: Permission) => me.permissions.includes(permission);
  const running = gathering?.stores.some((s) => s.status === "queued" || s.status === "running") ?? false;
  useLiveProgress(running);
  const editable = round?.status === "open";
  return (
    <article>
      <PageTitle title={`${request.reference} – ${m.staff.cases.title}`} />
      <p>
        <a href="/intern/vorgaenge">{t.back}</a>
      </p>
      <h1>{request.reference}</h1>
      {/* A decision to confirm is asked beside the table, not reported as an error. */}
      {error && !difference ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{m.review.errors[error] ?? m.delivery.errors[error] ?? m.representation.errors[error] ?? t.errors[error] ?? t.errors.invalid}</p>
          {error === listing.error ? (
            <p>
              <a href="?">{t.showAll}</a>
            </p>
          ) : null}
        </div>
      ) : null}

      <ul className="plain-list">
        <li>
          <a href={`/intern/vorgaenge/${request.id}/umsetzung`}>{m.execution.title}</a>
        </li>
        {may("tlfdi:record") ? (
          <li>
            <a href={`/intern/vorgaenge/${request.id}/tlfdi-nachweis`} download>
              {m.complaints.record.download}
            </a>
          </li>
        ) : null}
      </ul>
      <h2>{t.facts}</h2>
      <CaseFacts request={request} assignee={assignee} />
      <CaseLetters letters={letters} />
      {may("case:assign") ? <AssignForm staff={staff} assigneeId={request.assigneeId} /> : null}

      <h2>{t.identifiers}</h2>
      <IdentifiersPanel identifiers={identifiers} mayConfirm={may("finding:propose")} />

      {representation ? <RepresentationCheck requestId={request.id} view={representation} mayCheck={may("finding:propose")} /> : null}

      <h2>{t.gathering}</h2>
      {gathering ? <GatheringTable requestId={request.id} gathering={gathering} comparison={comparison} running={running} mayRetry={may("case:gather")} /> : null}
      {may("case:gather") && !running ? <GatherForm again={gathering !== null} /> : null}
      {searchGate ? <SearchGateNotice gate={searchGate} mayAccept={may("release:approve")} /> : null}

      <h2>{t.findings}</h2>
      {round ? <RoundStatus round={round} /> : null}
      {gathering && !running && !searchGate?.blocking.length && (!round || round.status === "returned") && may("finding:propose") ? <OpenReviewForm /> : null}
      {listing.total === 0 ? (
        <p>{t.noFindings}</p>
      ) : (
        <>
          <FindingsCounts listing={listing} />
          <FindingsFilterForm listing={listing} />
          {listing.error ? null : <FindingsPager listing={listing} shown={findings.length} />}
        </>
      )}
      {findings.length > 0 ? (
        // Keyed by the round's decisions: after every saved decision the table starts afresh, nothing ticked.
        <FindingsTable key={decisionsStamp} findings={findings} roundId={round?.id} editable={editable}>
          {editable && may("finding:propose") ? (
            <DecisionPanel
              group={listing.matching > 0 && groupStamp ? { size: listing.matching, stamp: groupStamp, filter: isFiltered(listing.filter) ? describe(listing.filter) : null } : null}
              preview={result && "preview" in result ? result.preview : null}
            />
          ) : null}
        </FindingsTable>
      ) : null}
      {round && editable && may("finding:propose") ? <ProposeForm roundId={round.id} /> : null}
      {difference && error ? <DecisionDifferenceNotice reason={error} difference={difference} draft={refusal?.draft ?? null} reload={here} /> : null}
      {round?.status === "proposed" && may("release:approve") ? <ApprovalForms roundId={round.id} approval={approval} ownDecisions={ownDecisions} /> : null}

      {/* Released once: a case answered in part (an erasure still to confirm) keeps its status but offers no second release. */}
      {round?.status === "approved" && answers.length === 0 && may("finding:propose") ? <ReleaseAnswerForm /> : null}
      {answers.length > 0 ? <ReleasedAnswerNote requestId={request.id} /> : null}

      {may("deadline:extend") && deadlineDecisions.extend === null ? <ExtendDeadlineForm /> : null}
      {may("request:refuse") && deadlineDecisions.refuse === null ? <RefuseRequestForm /> : null}
      <StatutoryPaths requestId={request.id} paths={statutory} permissions={me.permissions} />
    </article>
  );
}
