/**
 * The DPO's overview (/intern/uebersicht): the figures of a period as key figures and charts in the
 * reader's language, the links to the register and the annual report, and the findings overdue for
 * deletion.
 */
import type { Lang } from "#app/i18n";
import { reportYears } from "../annual-report.server";
import { overdueSummary, retentionEnv } from "../retention/overdue.server";
import type { Services } from "../services.server";
import { figureCharts, keyFigureRows } from "./charts";
import { type Period, periodQuery } from "./period";
import { loadFigures } from "./statistics.server";

export async function dashboardPage(
  { db, config }: Pick<Services, "db" | "config">,
  period: Period,
  lang: Lang,
  now: Date,
) {
  const [figures, overdue] = await Promise.all([
    loadFigures(db, period, now),
    retentionEnv(db, config).then((env) => overdueSummary(env, now)),
  ]);
  return {
    asOf: figures.asOf.toISOString(),
    keyFigures: keyFigureRows(figures, lang),
    charts: figureCharts(figures, lang),
    registerHref: `/intern/antragsverzeichnis.csv?${periodQuery(period)}`,
    years: reportYears(now),
    reportYear: Number(period.to.slice(0, 4)),
    // Findings of open cases that their store should already have deleted (issue 14, point 10).
    overdue: { total: overdue.total, cases: overdue.cases },
  };
}
