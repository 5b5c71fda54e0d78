import { useLoaderData } from "react-router";
import type { Route } from "./+types/loeschprotokoll";
import { retentionRuleIdSchema, retentionRules } from "#app/core/retention";
import { useLang, useLocalized, useMessages, messagesFor } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { deletionRecordPage } from "#app/server/retention/deletion-record.server";
import { BarChart } from "#app/ui/charts/bar-chart";
import { ColumnChart } from "#app/ui/charts/column-chart";
import { PageTitle } from "#app/ui/page-title";

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "statistics:read");
  return { me: staffPageMember(staff), ...(await deletionRecordPage(context.services)) };
}

export default function DeletionRecord() {
  const m = useMessages().retention.evidence;
  const lang = useLang();
  const localized = useLocalized();
  const { evidence, perDay, perStore, audit } = useLoaderData<typeof loader>();
  const number = new Intl.NumberFormat(lang === "de" ? "de-DE" : "en-GB");
  const date = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeZone: "Europe/Berlin",
  });
  const dateTime = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Berlin",
  });
  const day = (iso: string) =>
    new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
      day: "2-digit",
      month: "2-digit",
      timeZone: "UTC",
    }).format(new Date(`${iso}T00:00:00Z`));
  // Configured stores go by their id; the portal's own two have names.
  const storeName = (store: string) => m.stores[store] ?? store;
  const ruleName = (ruleId: string) => {
    const id = retentionRuleIdSchema.safeParse(ruleId);
    return id.success ? localized(retentionRules[id.data].dataType) : ruleId;
  };
  const total = perDay.reduce((sum, d) => sum + d.deleted, 0);
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {total === 0 ? (
        <p>{m.noDeletions}</p>
      ) : (
        <div className="chart-grid">
          <ColumnChart
            title={m.chartTitle}
            description={m.chartDescription(perDay.length, total)}
            series={perDay.map((d) => ({ label: day(d.day), value: d.deleted }))}
            labelHeader={m.day}
            valueHeader={m.deletedCount}
            formatValue={(v) => number.format(v)}
          />
          <BarChart
            title={m.byStoreTitle}
            description={m.byStoreDescription(perStore.length, total)}
            series={perStore.map((s) => ({ label: storeName(s.store), value: s.deleted }))}
            labelHeader={m.store}
            valueHeader={m.deletedCount}
            formatValue={(v) => number.format(v)}
          />
        </div>
      )}
      <h2>{m.auditTitle}</h2>
      <p>
        {m.auditDeleted(audit.deleted, audit.gaps)}{" "}
        {m.auditCheckpoint(audit.lastCheckpointAt ? dateTime.format(new Date(audit.lastCheckpointAt)) : null)}
      </p>
      <h2>{m.runsTitle}</h2>
      {evidence.length === 0 ? (
        <p>{m.none}</p>
      ) : (
        <div className="retention-scroll" tabIndex={0} role="region" aria-label={m.runsTitle}>
          <table className="evidence">
            <thead>
              <tr>
                <th scope="col">{m.started}</th>
                <th scope="col">{m.run}</th>
                <th scope="col">{m.store}</th>
                <th scope="col">{m.rule}</th>
                <th scope="col">{m.deleted}</th>
                <th scope="col">{m.held}</th>
                <th scope="col">{m.pendingArchive}</th>
                <th scope="col">{m.malformed}</th>
                <th scope="col">{m.affected}</th>
                <th scope="col">{m.finished}</th>
                <th scope="col">{m.outcome}</th>
              </tr>
            </thead>
            <tbody>
              {evidence.map((e) => (
                <tr key={e.id} className={e.dryRun ? "evidence--dry" : undefined}>
                  <td>{messagesFor(lang).journey.formatDateTime(e.startedAt)}</td>
                  <td>
                    {e.dryRun ? `${m.dryRun}, ` : ""}
                    {m.triggers[e.trigger]}
                  </td>
                  <td>{storeName(e.store)}</td>
                  <td>{ruleName(e.ruleId)}</td>
                  <td className="retention-number">
                    {number.format(e.deleted)}
                    {e.dryRun ? <span className="visually-hidden"> ({m.wouldDelete})</span> : null}
                  </td>
                  <td className="retention-number">{number.format(e.skippedOnHold)}</td>
                  <td className="retention-number">{number.format(e.skippedPendingArchive)}</td>
                  <td className="retention-number">{number.format(e.malformed)}</td>
                  <td>
                    {e.oldestAffected && e.newestAffected
                      ? `${date.format(new Date(e.oldestAffected))} – ${date.format(new Date(e.newestAffected))}`
                      : "–"}
                  </td>
                  <td>{e.finishedAt ? messagesFor(lang).journey.formatDateTime(e.finishedAt) : "–"}</td>
                  <td>
                    {m.outcomes[e.outcome]}
                    {e.error ? <div className="note">{e.error}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
