import { data, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/vorgang";
import { findingsViewSearch, isFiltered, parseFindingsView } from "#app/core/findings-view";
import type { Permission } from "#app/core/permissions";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import { useLang, useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { staffCasePage } from "#app/server/cases/staff-case-page.server";
import { complaintMailsOfCase } from "#app/server/complaints/delivery.server";
import { isUuid } from "#app/server/http/form.server";
import type { DecisionDifference } from "#app/server/review/decision-checks.server";
import { PageTitle } from "#app/ui/page-title";
import { caseAction } from "./vorgang/actions.server";
import { ReleaseAnswerForm, ReleasedAnswerNote } from "./vorgang/answer-release";
import { AssignForm, CaseFacts, CaseLetters } from "./vorgang/case-facts";
import { ExtendDeadlineForm, RefuseRequestForm } from "./vorgang/deadline-forms";
import { DeclineForm } from "./vorgang/decline-form";
import { useReviewErrorText } from "./vorgang/case-error";
import { DecisionDifferenceNotice } from "./vorgang/decision-confirm";
import { DecisionPanel, type DecisionDraft } from "./vorgang/decision-panel";
import { FindingsTable } from "./vorgang/findings-table";
import {
  FindingsCounts,
  FindingsFilterForm,
  FindingsPager,
  useFilterDescription,
} from "./vorgang/findings-view";
import { ExpectedGathering, GatherForm, GatheringTable, useLiveProgress } from "./vorgang/gathering-table";
import { IdentifiersPanel } from "./vorgang/identifiers-panel";
import { SearchGateNotice } from "./vorgang/search-gate";
import { ApprovalForms, OpenReviewForm, ProposeForm, RoundStatus } from "./vorgang/review-steps";
import { StatutoryPaths } from "./vorgang/statutory-paths";
import { RepresentationCheck } from "./vorgang/representation-check";

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  // The findings shown: a filter and a page from the URL (?store=…&suggestion=…&state=…&page=…).
  const view = parseFindingsView(new URL(request.url).searchParams);
  const found = await staffCasePage(context.services, staff, params.id, view);
  if (!found) throw data(null, { status: 404 });
  const complaintMails = await complaintMailsOfCase(context.services.database.db, params.id);
  const page = { ...found, complaintMails, me: staffPageMember(staff) };
  // A filter the page does not offer: the page says which, with the counts to choose another.
  return found.listing.error ? data(page, { status: 400 }) : page;
}

export function action(args: Route.ActionArgs) {
  return caseAction(args);
}

export default function StaffCase() {
  const m = useMessages();
  const lang = useLang();
  const t = m.staff.case;
  const {
    request,
    assignee,
    letters,
    identifiers,
    gathering,
    comparison,
    round,
    listing,
    findings,
    answers,
    staff,
    me,
    deadlineDecisions,
    declinable,
    declined,
    approval,
    statutory,
    representation,
    complaintMails,
    groupStamp,
    decisionsStamp,
    searchGate,
    ownDecisions,
    expectedGathering,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const describe = useFilterDescription();
  const errorText = useReviewErrorText();
  const error = result && "error" in result ? result.error : listing.error;
  const refusal =
    result && "difference" in result
      ? (result as unknown as { difference: DecisionDifference | null; draft: DecisionDraft | null })
      : null;
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
          <p>{errorText(error)}</p>
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
        {/* A complaint taken in from a letter is forwarded by staff; the web's is forwarded on proof. */}
        {(request.kinds.includes("beschwerde") && request.createdByStaffId) || complaintMails.mailed ? (
          <li>
            <a href={`/intern/vorgaenge/${request.id}/beschwerde`}>{m.complaints.takenIn.link}</a>
          </li>
        ) : null}
        {may("tlfdi:record") ? (
          <li>
            <a href={`/intern/vorgaenge/${request.id}/tlfdi-nachweis`} download>
              {m.complaints.record.download}
            </a>
          </li>
        ) : null}
      </ul>
      {request.status === "forwarded" ? (
        <p role="status">{m.complaints.takenIn.forwarded(supervisoryAuthority.name[lang])}</p>
      ) : complaintMails.failedForGood ? (
        <p className="error-summary" role="alert">
          {m.complaints.takenIn.failedForGood(supervisoryAuthority.name[lang])}{" "}
          <a href={`/intern/vorgaenge/${request.id}/beschwerde`}>{m.complaints.takenIn.resend}</a>
        </p>
      ) : null}
      <h2>{t.facts}</h2>
      <CaseFacts request={request} assignee={assignee} />
      <CaseLetters letters={letters} />
      {may("case:assign") ? <AssignForm staff={staff} assigneeId={request.assigneeId} /> : null}

      <h2>{t.identifiers}</h2>
      <IdentifiersPanel identifiers={identifiers} mayConfirm={may("finding:propose")} />

      {representation ? (
        <RepresentationCheck requestId={request.id} view={representation} mayCheck={may("finding:propose")} />
      ) : null}

      <h2>{t.gathering}</h2>
      {gathering ? (
        <GatheringTable
          requestId={request.id}
          gathering={gathering}
          comparison={comparison}
          running={running}
          mayRetry={may("case:gather")}
          expected={expectedGathering}
        />
      ) : (
        <ExpectedGathering expected={expectedGathering} />
      )}
      {may("case:gather") && !running ? <GatherForm again={gathering !== null} /> : null}
      {searchGate ? <SearchGateNotice gate={searchGate} mayAccept={may("release:approve")} /> : null}

      <h2>{t.findings}</h2>
      {round ? <RoundStatus round={round} /> : null}
      {gathering &&
      !running &&
      !searchGate?.blocking.length &&
      (!round || round.status === "returned") &&
      may("finding:propose") ? (
        <OpenReviewForm />
      ) : null}
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
              group={
                listing.matching > 0 && groupStamp
                  ? {
                      size: listing.matching,
                      stamp: groupStamp,
                      filter: isFiltered(listing.filter) ? describe(listing.filter) : null,
                    }
                  : null
              }
              preview={result && "preview" in result ? result.preview : null}
            />
          ) : null}
        </FindingsTable>
      ) : null}
      {round && editable && may("finding:propose") ? <ProposeForm roundId={round.id} /> : null}
      {difference && error ? (
        <DecisionDifferenceNotice
          reason={error}
          difference={difference}
          draft={refusal?.draft ?? null}
          reload={here}
        />
      ) : null}
      {round?.status === "proposed" && may("release:approve") ? (
        <ApprovalForms roundId={round.id} approval={approval} ownDecisions={ownDecisions} />
      ) : null}

      {/* Released once: a case answered in part (an erasure still to confirm) keeps its status but offers no second release. */}
      {round?.status === "approved" && answers.length === 0 && may("finding:propose") ? (
        <ReleaseAnswerForm />
      ) : null}
      {answers.length > 0 ? <ReleasedAnswerNote requestId={request.id} /> : null}

      {may("deadline:extend") && deadlineDecisions.extend === null ? <ExtendDeadlineForm /> : null}
      {may("request:refuse") && deadlineDecisions.refuse === null ? <RefuseRequestForm /> : null}
      {declined.map((d) => (
        <p key={d.kind}>
          {t.declined(
            requestKindBySlug[d.kind as RequestKindSlug]?.label[lang] ?? d.kind,
            m.journey.formatDate(new Date(d.decidedAt)),
          )}
        </p>
      ))}
      {may("request:refuse") && declinable.length > 0 ? <DeclineForm kinds={declinable} /> : null}
      <StatutoryPaths requestId={request.id} paths={statutory} permissions={me.permissions} />
    </article>
  );
}
