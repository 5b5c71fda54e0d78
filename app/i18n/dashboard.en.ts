import type { Messages } from "./de";
import { textsOf } from "./texts";

const numberFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });
const shortDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "Europe/Berlin" });
const asDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);
const formatDay = (day: string) => shortDate.format(new Date(`${day}T12:00:00Z`));

export const dashboardEn: Messages["dashboard"] = {
  title: "Overview for the data protection officer",
  description:
    "Deadlines, figures and restrictions of the requests at a glance; register of requests and annual report to download.",
  formatNumber: (value: number) => numberFormat.format(value),
  formatDay,

  period: {
    legend: "Period",
    from: "From",
    to: "To",
    apply: "Show figures",
    shown: (from: string, to: string) => `Figures for ${formatDay(from)} to ${formatDay(to)}`,
    fellBack:
      "The period given could not be read or was longer than ten years. Shown is the period since the start of the year.",
    errors: {
      day: "Please enter a day.",
      order: "The end may not be before the start.",
      length: "The period may be ten years at most.",
    },
    asOf: (instant: Date | string) => `Open cases: as of ${shortDate.format(asDate(instant))}`,
  },

  keyFigures: {
    title: "Key figures",
    figure: "Figure",
    value: "Value",
    received: "Cases received",
    open: "Open cases",
    closed: "Closed cases",
    overdue: "of which overdue",
    answered: "Cases answered",
    median: "Time to answer (median)",
    p90: "Time to answer (90 % of cases at most)",
    inTime: "answered in time",
    late: "answered after the deadline",
    extended: "Deadline extensions",
    refused: "Refusals (Art. 12(5) GDPR)",
    restrictions: "Restrictions of access",
    restrictedCases: "Cases with restrictions",
    complaints: "Complaints forwarded to the supervisory authority",
    days: (value: number) => `${numberFormat.format(value)} ${value === 1 ? "day" : "days"}`,
    none: "–",
    ofReceived: (part: number, total: number) => `${part} of ${total}`,
  },

  charts: {
    category: "Category",
    count: "Number",
    dataTable: (title: string) => `Data for: ${title}`,
    openByDeadline: {
      title: "Open cases by deadline",
      description: (overdue: number, dueThisWeek: number) =>
        `Bar chart: ${overdue} overdue, ${dueThisWeek} due within the next seven days; the table holds all values.`,
    },
    receivedByKind: {
      title: "Requests received by kind",
      description: (total: number) =>
        `Bar chart of the kinds requested in ${total} cases received; a case with several kinds counts for each.`,
    },
    receivedByChannel: {
      title: "Cases received by channel",
      description: (total: number) => `Bar chart: ${total} cases, by the way they arrived.`,
    },
    openByKind: {
      title: "Open cases by kind of request",
      description: (total: number) => `Bar chart of the kinds requested in ${total} open cases.`,
    },
    closedByStatus: {
      title: "Closed cases by how they ended",
      description: (total) => `Bar chart: ${total} cases closed in the period by how they ended.`,
    },
    openByChannel: {
      title: "Open cases by channel",
      description: (total: number) => `Bar chart: ${total} open cases by channel.`,
    },
    restrictionsByGround: {
      title: "Restrictions by legal ground",
      description: (total: number) =>
        `Bar chart: ${total} decisions (withhold or redact) of approved reviews, by legal ground.`,
    },
  },

  buckets: textsOf({
    overdue: "overdue",
    "due-this-week": "due within 7 days",
    later: "due later",
    "no-deadline": "no deadline",
  }),

  restrictions: {
    ground: "Legal ground",
    withhold: "withheld",
    redact: "redacted",
    total: "total",
    noGround: "no ground given",
  },

  notes: {
    title: "How the figures are counted",
    items: [
      "Received, extensions, refusals: cases received in the period.",
      "Time to answer: cases answered in the period; calendar days from receipt to answer. The 90 % value is computed like PERCENTILE.INC in spreadsheet programs.",
      "Open cases: as of the end of the period, or today while the period runs. Where a deadline was extended, the extended one counts.",
      "Restrictions: decisions to withhold or redact from reviews approved in the period under the four-eyes principle.",
      "Complaints: forwardings to the supervisory authority in the period.",
    ],
  },

  downloads: {
    title: "Downloads",
    register: "Register of requests for this period (CSV)",
    registerHint:
      "One row per case. UTF-8 with semicolons as separators: Excel opens the file directly; in LibreOffice Calc choose “Semicolon” when importing.",
    reportLegend: "Annual report (PDF)",
    year: "Year",
    report: "Download annual report",
  },

  register: {
    columns: {
      reference: "Reference",
      received: "Received",
      channel: "Channel",
      kinds: "Requests",
      proven: "Confirmed on",
      status: "Status",
      deadline: "Deadline",
      extended: "Extended to",
      answered: "Answered on",
      daysToAnswer: "Days to answer",
      restrictions: "Restrictions",
      grounds: "Legal grounds of the restrictions",
      reviewer: "Review proposed by",
      approver: "Approved by",
    },
  },

  report: {
    title: (year: number) => `Annual report ${year}`,
    subtitle: "Requests of data subjects under the GDPR",
    period: (from: string, to: string) => `Reporting period: ${formatDay(from)} to ${formatDay(to)}`,
    asOf: (instant: Date) => `Open cases: as of ${shortDate.format(instant)}`,
    created: (instant: Date) => `Created on ${shortDate.format(instant)}`,
    keyFigures: "Key figures",
    chartAlt: (title: string, values: string) => `${title}: ${values}`,
    fileName: (year: number) => `annual-report_${year}.pdf`,
  },

  reminders: {
    dueSoonSubject: (reference: string, deadline: string) => `Deadline ends on ${deadline}: ${reference}`,
    overdueSubject: (reference: string) => `Deadline passed: ${reference}`,
    dueSoonText: (reference: string, deadline: string, link: string) =>
      `The deadline for case ${reference} ends on ${deadline}.\n\nPlease answer the request in time or consider whether an extension with reasons under Art. 12(3) GDPR is needed. An extension is possible only until the first month has ended.\n\nOpen the case: ${link}`,
    overdueText: (reference: string, deadline: string, link: string) =>
      `The deadline for case ${reference} ended on ${deadline}.\n\nPlease answer the request as soon as possible. The person may complain about the delay to the supervisory authority.\n\nOpen the case: ${link}`,
    footer:
      "This message is sent once per case and deadline; you receive it as the person in charge or as data protection officer.",
  },
};
