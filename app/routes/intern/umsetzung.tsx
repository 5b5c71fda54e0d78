import { data, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/umsetzung";
import { useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { recordExecutionPageRead } from "#app/server/cases/staff-reads.server";
import { loadExecutionPage } from "#app/server/execution/view.server";
import { isUuid } from "#app/server/http/form.server";
import { PageTitle } from "#app/ui/page-title";
import { envOf, executionAction } from "./umsetzung/actions.server";
import { ActivityDecisions } from "./umsetzung/activity-decisions";
import { ArchiveOffers } from "./umsetzung/archive-offers";
import { refusedFieldId, useErrorText } from "./umsetzung/execution-texts";
import { FailedActions } from "./umsetzung/failed-actions";
import { NotificationsTable } from "./umsetzung/notifications-table";
import { ProposalApproval } from "./umsetzung/proposal-approval";
import { ProposeTable } from "./umsetzung/propose-table";
import { RectifyForm } from "./umsetzung/rectify-form";
import { ReturnedProposals } from "./umsetzung/returned-proposals";

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const page = await loadExecutionPage(await envOf(context), params.id);
  if (!page) throw data(null, { status: 404 });
  await recordExecutionPageRead(context.services.database.db, staff.id, page);
  return { ...page, me: staffPageMember(staff) };
}

export function action(args: Route.ActionArgs) {
  return executionAction(args);
}

export default function Execution() {
  const m = useMessages();
  const t = m.execution;
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorText = useErrorText();
  const may = (permission: string) => page.me.permissions.includes(permission as never);
  const proposals = page.findings.flatMap((f) =>
    f.actions.filter((a) => a.status === "proposed").map((a) => ({ ...a, finding: f })),
  );
  const reference = page.request.reference ?? page.request.id;
  // A refusal is announced here, linked to the field of its form that shows it.
  const refusal = result && "error" in result ? result : null;
  const sentBack = refusal && "sentBack" in refusal ? refusal.sentBack : undefined;
  const errorField = refusedFieldId(sentBack);
  const storeDetail =
    refusal && "detail" in refusal && typeof refusal.detail === "string" ? refusal.detail : null;
  return (
    <article className="execution">
      <PageTitle title={`${t.title} – ${reference}`} />
      <p>
        <a href={`/intern/vorgaenge/${page.request.id}`}>{t.back}</a>
      </p>
      <h1>
        {t.title}: {reference}
      </h1>
      {refusal ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>
            {errorField ? (
              <a href={`#${errorField}`}>{errorText(refusal.error)}</a>
            ) : (
              errorText(refusal.error)
            )}
          </p>
        </div>
      ) : null}
      <p>{t.intro}</p>
      {page.failed.length > 0 ? (
        <FailedActions failed={page.failed} may={may("finding:propose")} detail={storeDetail} />
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

      {page.returned.length > 0 ? <ReturnedProposals returned={page.returned} /> : null}

      <h2>{t.findings}</h2>
      {!page.hasGathering ? (
        <p>{t.noGathering}</p>
      ) : (
        <ProposeTable
          findings={page.findings}
          mayPropose={may("finding:propose")}
          erasureCase={page.request.kinds.includes("loeschung")}
        />
      )}

      {may("finding:propose") && page.findings.length > 0 ? <RectifyForm findings={page.findings} /> : null}

      <h2>{t.approveHeading}</h2>
      {proposals.length === 0 ? (
        <p>{t.noProposals}</p>
      ) : (
        <ProposalApproval proposals={proposals} meId={page.me.id} mayApprove={may("release:approve")} />
      )}

      {page.archiveOffers.length > 0 ? (
        <ArchiveOffers offers={page.archiveOffers} today={page.today} mayPropose={may("finding:propose")} />
      ) : null}

      {page.activities.length > 0 &&
      (page.request.kinds.includes("widerspruch") || page.request.kinds.includes("widerruf")) ? (
        <ActivityDecisions
          activities={page.activities}
          kinds={page.request.kinds}
          decisions={page.decisions}
          mayDecide={may("objection:decide")}
        />
      ) : null}

      <h2>{t.notificationsHeading}</h2>
      {page.notifications.length === 0 ? (
        <p>{t.noNotifications}</p>
      ) : (
        <NotificationsTable notifications={page.notifications} />
      )}
    </article>
  );
}
