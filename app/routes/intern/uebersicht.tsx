import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form, useLoaderData } from "react-router";
import type { Route } from "./+types/uebersicht";
import { useMessages } from "#app/i18n";
import { getLang } from "#app/i18n/lang.server";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import type { ChartSpec } from "#app/server/statistics/charts";
import { dashboardPage } from "#app/server/statistics/dashboard-page.server";
import { parsePeriod, periodFormSchema } from "#app/server/statistics/period";
import { BarChart } from "#app/ui/charts/bar-chart";
import { SelectField, TextField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";
import { OverdueFigure } from "#app/ui/overdue-figure";

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "statistics:read");
  const now = new Date();
  const { period, fellBack } = parsePeriod(new URL(request.url), now);
  const page = await dashboardPage(context.services, period, await getLang(request), now);
  return { me: staffPageMember(staff), period, fellBack, ...page };
}

export default function Dashboard() {
  const m = useMessages().dashboard;
  const data = useLoaderData<typeof loader>();
  return (
    <article className="dashboard">
      <PageTitle title={m.title} description={m.description} />
      <h1>{m.title}</h1>

      <PeriodForm from={data.period.from} to={data.period.to} />
      {data.fellBack ? (
        <p className="notice" role="status">
          {m.period.fellBack}
        </p>
      ) : null}
      <p>
        <strong>{m.period.shown(data.period.from, data.period.to)}</strong>. {m.period.asOf(data.asOf)}.
      </p>

      <section aria-labelledby="key-figures">
        <h2 id="key-figures">{m.keyFigures.title}</h2>
        <dl className="key-figures">
          {data.keyFigures.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          <OverdueFigure total={data.overdue.total} cases={data.overdue.cases} />
        </dl>
      </section>

      {data.charts.map((chart) => (
        <ChartSection key={chart.id} chart={chart} />
      ))}

      <section aria-labelledby="count-notes">
        <h2 id="count-notes">{m.notes.title}</h2>
        <ul>
          {m.notes.items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="downloads">
        <h2 id="downloads">{m.downloads.title}</h2>
        <p>
          <a href={data.registerHref} download>
            {m.downloads.register}
          </a>
        </p>
        <p className="hint">{m.downloads.registerHint}</p>
        {/* A plain form: the PDF is a download, not a page the router could render. */}
        <form method="get" action="/intern/jahresbericht.pdf" className="filters">
          <fieldset className="dashboard-period">
            <legend>{m.downloads.reportLegend}</legend>
            <SelectField
              name="jahr"
              id="report-year"
              label={m.downloads.year}
              defaultValue={String(data.reportYear)}
              options={data.years.map((year) => ({ value: String(year), label: String(year) }))}
            />
            <button className="button button--secondary" type="submit">
              {m.downloads.report}
            </button>
          </fieldset>
        </form>
      </section>
    </article>
  );
}

/**
 * The period of the figures (a GET form: nothing is stored). Checked in the browser as a day is left,
 * so a reversed or too long period is told at its field; the loader reads any link alike and falls
 * back to the year so far, saying so.
 */
function PeriodForm({ from, to }: { from: string; to: string }) {
  const m = useMessages().dashboard;
  const [form, fields] = useForm({
    id: "period",
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(periodFormSchema),
  });
  const errors: Record<string, string> = m.period.errors;
  const error = (key: string | undefined) =>
    key === undefined ? undefined : (errors[key] ?? m.period.errors.day);
  return (
    <Form method="get" className="filters" aria-labelledby="period-legend" {...getFormProps(form)}>
      <fieldset className="dashboard-period">
        <legend id="period-legend">{m.period.legend}</legend>
        <TextField
          name="von"
          id="period-from"
          type="date"
          label={m.period.from}
          required
          defaultValue={from}
          error={error(fields.von.errors?.[0])}
        />
        <TextField
          name="bis"
          id="period-to"
          type="date"
          label={m.period.to}
          required
          defaultValue={to}
          error={error(fields.bis.errors?.[0])}
        />
        <button className="button button--secondary" type="submit">
          {m.period.apply}
        </button>
      </fieldset>
    </Form>
  );
}

/**
 * One chart: the shared BarChart draws the SVG (title, description) with its data table beside it.
 * Where the figures have more columns than the bars show (restrictions: withheld and redacted),
 * a second table gives them.
 */
function ChartSection({ chart }: { chart: ChartSpec }) {
  const m = useMessages().dashboard;
  const titleId = `${chart.id}-title`;
  const [labelHeader = m.charts.category] = chart.table.head;
  return (
    <section aria-labelledby={titleId} className="dashboard-chart">
      <h2 id={titleId}>{chart.title}</h2>
      <BarChart
        title={chart.title}
        description={chart.description}
        series={chart.bars}
        labelHeader={labelHeader}
        valueHeader={chart.table.head.at(-1) ?? m.charts.count}
        formatValue={m.formatNumber}
      />
      {chart.table.head.length > 2 ? (
        <table className="dashboard-detail">
          <caption>{m.charts.dataTable(chart.title)}</caption>
          <thead>
            <tr>
              {chart.table.head.map((cell, i) => (
                <th key={cell} scope="col" className={i > 0 ? "chart__number" : undefined}>
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {chart.table.rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} className="chart__number">
                      {typeof cell === "number" ? m.formatNumber(cell) : cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
