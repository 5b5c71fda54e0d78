/**
 * The charts of the dashboard and the annual report, as data: one definition of what each chart
 * shows, drawn as SVG on the page and as vector graphics in the PDF, each with the table that
 * carries the same numbers for those who cannot see the chart.
 */
import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import { isRestrictionGroundId, restrictionGrounds } from "#app/core/restriction-grounds";
import { type Lang, messagesFor } from "#app/i18n";
import type { Count, Figures } from "./figures";

interface Bar {
  label: string;
  value: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  /** The data table: header cells, then one row per bar (first cell names it). */
  table: { head: string[]; rows: (string | number)[][] };
}

function countChart(
  id: string,
  title: string,
  description: string,
  counts: readonly Count[],
  label: (key: string) => string,
  lang: Lang,
): ChartSpec {
  const c = messagesFor(lang).dashboard.charts;
  const bars = counts.map(({ key, count }) => ({ label: label(key), value: count }));
  return {
    id,
    title,
    description,
    bars,
    table: { head: [c.category, c.count], rows: bars.map((b) => [b.label, b.value]) },
  };
}

export function figureCharts(figures: Figures, lang: Lang): ChartSpec[] {
  const m = messagesFor(lang);
  const c = m.dashboard.charts;
  const kind = (key: string) => requestKindBySlug[key as RequestKindSlug]?.label[lang] ?? key;
  const channel = (key: string) => m.staff.cases.channels[key] ?? key;
  const bucket = (key: string) => m.dashboard.buckets[key] ?? key;
  const count = (key: string) => figures.open.byDeadline.find((b) => b.key === key)?.count ?? 0;
  const r = m.dashboard.restrictions;
  const grounds = figures.restrictions.byGround;
  const groundLabel = (id: string) =>
    isRestrictionGroundId(id) ? restrictionGrounds[id].reference : r.noGround;
  const groundName = (id: string) =>
    isRestrictionGroundId(id)
      ? `${restrictionGrounds[id].label[lang]} (${restrictionGrounds[id].reference})`
      : r.noGround;
  return [
    countChart(
      "open-by-deadline",
      c.openByDeadline.title,
      c.openByDeadline.description(count("overdue"), count("due-this-week")),
      figures.open.byDeadline,
      bucket,
      lang,
    ),
    countChart(
      "received-by-kind",
      c.receivedByKind.title,
      c.receivedByKind.description(figures.received.total),
      figures.received.byKind,
      kind,
      lang,
    ),
    countChart(
      "received-by-channel",
      c.receivedByChannel.title,
      c.receivedByChannel.description(figures.received.total),
      figures.received.byChannel,
      channel,
      lang,
    ),
    countChart(
      "open-by-kind",
      c.openByKind.title,
      c.openByKind.description(figures.open.total),
      figures.open.byKind,
      kind,
      lang,
    ),
    countChart(
      "open-by-channel",
      c.openByChannel.title,
      c.openByChannel.description(figures.open.total),
      figures.open.byChannel,
      channel,
      lang,
    ),
    countChart(
      "closed-by-status",
      c.closedByStatus.title,
      c.closedByStatus.description(figures.closed.total),
      figures.closed.byStatus,
      (key) => m.staff.cases.statuses[key] ?? key,
      lang,
    ),
    {
      id: "restrictions-by-ground",
      title: c.restrictionsByGround.title,
      description: c.restrictionsByGround.description(figures.restrictions.decisions),
      bars: grounds.map((g) => ({ label: groundLabel(g.groundId), value: g.total })),
      table: {
        head: [r.ground, r.withhold, r.redact, r.total],
        rows: grounds.map((g) => [groundName(g.groundId), g.withhold, g.redact, g.total]),
      },
    },
  ];
}

/** The key figures as label and formatted value, in the order the dashboard and report list them. */
export function keyFigureRows(figures: Figures, lang: Lang): [string, string][] {
  const k = messagesFor(lang).dashboard.keyFigures;
  const days = (value: number | null) => (value === null ? k.none : k.days(value));
  const overdue = figures.open.byDeadline.find((b) => b.key === "overdue")?.count ?? 0;
  const t = figures.timeToAnswer;
  return [
    [k.received, String(figures.received.total)],
    [k.open, String(figures.open.total)],
    [k.overdue, String(overdue)],
    [k.closed, String(figures.closed.total)],
    [k.answered, String(t.answered)],
    [k.inTime, String(t.inTime)],
    [k.late, String(t.late)],
    [k.median, days(t.medianDays)],
    [k.p90, days(t.p90Days)],
    [k.extended, k.ofReceived(figures.extensions.extended, figures.extensions.received)],
    [k.refused, String(figures.refused)],
    [k.restrictions, String(figures.restrictions.decisions)],
    [k.restrictedCases, String(figures.restrictions.cases)],
    [k.complaints, String(figures.complaintsForwarded)],
  ];
}
