import { Form, useLoaderData } from "react-router";
import type { Route } from "./+types/vorgaenge";
import { caseStatuses } from "#app/core/case-status";
import { channels } from "#app/core/channels";
import { requestKinds } from "#app/core/request-kinds";
import { useLang, useLocalized, useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { assignableStaff, listStaffCases, parseCaseFilter } from "#app/server/cases/case-list.server";
import { FilterSelect } from "#app/ui/form/filter-select";
import { PageTitle } from "#app/ui/page-title";

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  const filter = parseCaseFilter(new URL(request.url));
  const { db } = context.services.database;
  const cases = await listStaffCases(db, filter, staff.id);
  return {
    // The staff navigation shows what these permissions open.
    me: staffPageMember(staff),
    filter,
    staff: await assignableStaff(db),
    cases: cases.map((c) => ({
      ...c,
      receivedAt: c.receivedAt?.toISOString() ?? null,
      deadline: c.deadline?.toISOString() ?? null,
      closedAt: null,
    })),
  };
}

export default function CaseList() {
  const m = useMessages();
  const t = m.staff.cases;
  const lang = useLang();
  const localized = useLocalized();
  const { filter, staff, cases } = useLoaderData<typeof loader>();
  return (
    <article>
      <PageTitle title={t.title} />
      <h1>{t.title}</h1>
      <Form method="get" className="filters" aria-label={t.filter}>
        <FilterSelect
          name="status"
          label={t.status}
          all={t.all}
          value={filter.status}
          options={caseStatuses.map((status) => [status, t.statuses[status]])}
        />
        <FilterSelect
          name="kind"
          label={t.kind}
          all={t.all}
          value={filter.kind}
          options={requestKinds.map((k) => [k.slug, localized(k.label)])}
        />
        <FilterSelect
          name="channel"
          label={t.channel}
          all={t.all}
          value={filter.channel}
          options={channels.map((channel) => [channel, t.channels[channel]])}
        />
        <FilterSelect
          name="assignee"
          label={t.assignee}
          all={t.all}
          value={filter.assignee}
          options={[
            ["me", t.mine],
            ["none", t.unassigned],
            ...staff.map((s): [string, string] => [s.id, s.displayName]),
          ]}
        />
        <button className="button button--secondary" type="submit">
          {t.apply}
        </button>
      </Form>
      <p role="status">{t.count(cases.length)}</p>
      {cases.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.reference}</th>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.channel}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.received}</th>
              <th scope="col">{t.deadline}</th>
              <th scope="col">{t.assignee}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} className={`urgency-${c.urgency}`}>
                <th scope="row">
                  <a href={`/intern/vorgaenge/${c.id}`}>{c.reference}</a>
                </th>
                <td>
                  {c.kinds
                    .map((k) => localized(requestKinds.find((r) => r.slug === k)?.label ?? { de: k, en: k }))
                    .join(", ")}
                </td>
                <td>{t.channels[c.channel] ?? c.channel}</td>
                <td>{t.statuses[c.status] ?? c.status}</td>
                <td>{c.receivedAt ? m.journey.formatDate(c.receivedAt) : "–"}</td>
                <td>
                  {c.deadline ? m.journey.formatDate(c.deadline) : "–"}
                  {c.urgency === "overdue" ? (
                    <strong className="badge badge--overdue"> {t.overdue}</strong>
                  ) : null}
                  {c.urgency === "due-soon" ? (
                    <strong className="badge badge--due-soon"> {t.dueSoon}</strong>
                  ) : null}
                  {c.extended ? <span className="badge"> ({t.extended})</span> : null}
                </td>
                <td>{c.assignee ?? t.unassigned}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="note" lang={lang}>
        <a href="/intern">{m.staff.home.title}</a>
      </p>
    </article>
  );
}
