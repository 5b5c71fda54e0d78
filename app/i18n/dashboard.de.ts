import type { DeadlineBucket } from "../server/statistics/figures";
import { textsOf } from "./texts";
/** Texts of the DPO's view: dashboard, register of requests, annual report, reminders. */
const numberFormat = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 1 });
const shortDate = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeZone: "Europe/Berlin" });
const asDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);
/** A Berlin calendar day (YYYY-MM-DD) as people read it; noon keeps it on its day in every zone. */
const formatDay = (day: string) => shortDate.format(new Date(`${day}T12:00:00Z`));

export const dashboardDe = {
  title: "Übersicht für die Datenschutzbeauftragte",
  description:
    "Fristen, Zahlen und Einschränkungen der Anträge auf einen Blick; Antragsverzeichnis und Jahresbericht zum Herunterladen.",
  formatNumber: (value: number) => numberFormat.format(value),
  formatDay,

  period: {
    legend: "Zeitraum",
    from: "Von",
    to: "Bis",
    apply: "Zahlen anzeigen",
    shown: (from: string, to: string) => `Zahlen für ${formatDay(from)} bis ${formatDay(to)}`,
    fellBack:
      "Der angegebene Zeitraum war nicht lesbar oder länger als zehn Jahre. Angezeigt wird der Zeitraum seit Jahresbeginn.",
    errors: {
      day: "Bitte geben Sie einen Tag an.",
      order: "Das Ende darf nicht vor dem Anfang liegen.",
      length: "Der Zeitraum darf höchstens zehn Jahre lang sein.",
    },
    asOf: (instant: Date | string) => `Offene Vorgänge: Stand ${shortDate.format(asDate(instant))}`,
  },

  keyFigures: {
    title: "Kennzahlen",
    figure: "Kennzahl",
    value: "Wert",
    received: "Eingegangene Vorgänge",
    open: "Offene Vorgänge",
    closed: "Abgeschlossene Vorgänge",
    overdue: "davon überfällig",
    answered: "Beantwortete Vorgänge",
    median: "Bearbeitungsdauer (Median)",
    p90: "Bearbeitungsdauer (90 % der Vorgänge höchstens)",
    inTime: "fristgerecht beantwortet",
    late: "nach Fristablauf beantwortet",
    extended: "Fristverlängerungen",
    refused: "Ablehnungen (Art. 12 Abs. 5 DS-GVO)",
    restrictions: "Einschränkungen der Auskunft",
    restrictedCases: "Vorgänge mit Einschränkungen",
    complaints: "An die Aufsichtsbehörde weitergeleitete Beschwerden",
    days: (value: number) => `${numberFormat.format(value)} ${value === 1 ? "Tag" : "Tage"}`,
    none: "–",
    ofReceived: (part: number, total: number) => `${part} von ${total}`,
  },

  charts: {
    category: "Kategorie",
    count: "Anzahl",
    dataTable: (title: string) => `Daten zu: ${title}`,
    openByDeadline: {
      title: "Offene Vorgänge nach Frist",
      description: (overdue: number, dueThisWeek: number) =>
        `Balkendiagramm: ${overdue} überfällig, ${dueThisWeek} in den nächsten sieben Tagen fällig; die Tabelle enthält alle Werte.`,
    },
    receivedByKind: {
      title: "Eingegangene Anliegen nach Art",
      description: (total: number) =>
        `Balkendiagramm der Anliegen von ${total} eingegangenen Vorgängen; ein Vorgang mit mehreren Anliegen zählt bei jedem.`,
    },
    receivedByChannel: {
      title: "Eingegangene Vorgänge nach Eingangskanal",
      description: (total: number) =>
        `Balkendiagramm: ${total} Vorgänge, aufgeteilt nach dem Weg, auf dem sie eingingen.`,
    },
    openByKind: {
      title: "Offene Vorgänge nach Art des Anliegens",
      description: (total: number) => `Balkendiagramm der Anliegen von ${total} offenen Vorgängen.`,
    },
    closedByStatus: {
      title: "Abgeschlossene Vorgänge nach Abschluss",
      description: (total: number) =>
        `Balkendiagramm: ${total} im Zeitraum abgeschlossene Vorgänge nach der Art ihres Abschlusses.`,
    },
    openByChannel: {
      title: "Offene Vorgänge nach Eingangskanal",
      description: (total: number) => `Balkendiagramm: ${total} offene Vorgänge nach Eingangskanal.`,
    },
    restrictionsByGround: {
      title: "Einschränkungen nach Rechtsgrund",
      description: (total: number) =>
        `Balkendiagramm: ${total} Entscheidungen (zurückhalten oder schwärzen) aus freigegebenen Prüfungen, nach Rechtsgrund.`,
    },
  },

  buckets: textsOf<DeadlineBucket>({
    overdue: "überfällig",
    "due-this-week": "binnen 7 Tagen fällig",
    later: "später fällig",
    "no-deadline": "ohne Frist",
  }),

  restrictions: {
    ground: "Rechtsgrund",
    withhold: "zurückgehalten",
    redact: "geschwärzt",
    total: "zusammen",
    noGround: "ohne Angabe eines Grundes",
  },

  notes: {
    title: "So wird gezählt",
    items: [
      "Eingegangen, Fristverlängerungen, Ablehnungen: Vorgänge, die im Zeitraum eingegangen sind.",
      "Bearbeitungsdauer: Vorgänge, die im Zeitraum beantwortet wurden; Kalendertage vom Eingang bis zur Antwort. Der 90-%-Wert wird wie QUANTIL.INKL in Tabellenprogrammen berechnet.",
      "Offene Vorgänge: Stand am Ende des Zeitraums oder heute, wenn der Zeitraum noch läuft. Maßgeblich ist die verlängerte Frist, wenn es eine gibt.",
      "Einschränkungen: Entscheidungen zum Zurückhalten oder Schwärzen aus Prüfungen, die im Zeitraum nach dem Vier-Augen-Prinzip freigegeben wurden.",
      "Beschwerden: Weiterleitungen an die Aufsichtsbehörde im Zeitraum.",
    ],
  },

  downloads: {
    title: "Herunterladen",
    register: "Antragsverzeichnis für diesen Zeitraum (CSV)",
    registerHint:
      "Eine Zeile je Vorgang. UTF-8 mit Semikolon als Trennzeichen: Excel öffnet die Datei direkt; in LibreOffice Calc beim Import „Semikolon“ wählen.",
    reportLegend: "Jahresbericht (PDF)",
    year: "Jahr",
    report: "Jahresbericht herunterladen",
  },

  register: {
    columns: {
      reference: "Aktenzeichen",
      received: "Eingang",
      channel: "Eingangskanal",
      kinds: "Anliegen",
      proven: "Bestätigt am",
      status: "Status",
      deadline: "Frist",
      extended: "Verlängert bis",
      answered: "Beantwortet am",
      daysToAnswer: "Tage bis zur Antwort",
      restrictions: "Einschränkungen",
      grounds: "Rechtsgründe der Einschränkungen",
      reviewer: "Prüfung vorgeschlagen von",
      approver: "Freigegeben von",
    },
  },

  report: {
    title: (year: number) => `Jahresbericht ${year}`,
    subtitle: "Anträge betroffener Personen nach der DS-GVO",
    period: (from: string, to: string) => `Berichtszeitraum: ${formatDay(from)} bis ${formatDay(to)}`,
    asOf: (instant: Date) => `Offene Vorgänge: Stand ${shortDate.format(instant)}`,
    created: (instant: Date) => `Erstellt am ${shortDate.format(instant)}`,
    keyFigures: "Kennzahlen",
    chartAlt: (title: string, values: string) => `${title}: ${values}`,
    fileName: (year: number) => `jahresbericht_${year}.pdf`,
  },

  reminders: {
    dueSoonSubject: (reference: string, deadline: string) => `Frist läuft ab am ${deadline}: ${reference}`,
    overdueSubject: (reference: string) => `Frist überschritten: ${reference}`,
    dueSoonText: (reference: string, deadline: string, link: string) =>
      `Die Frist für den Vorgang ${reference} endet am ${deadline}.\n\nBitte beantworten Sie den Antrag rechtzeitig oder prüfen Sie, ob eine begründete Fristverlängerung nach Art. 12 Abs. 3 DS-GVO nötig ist. Eine Verlängerung ist nur bis zum Ablauf des ersten Monats möglich.\n\nZum Vorgang: ${link}`,
    overdueText: (reference: string, deadline: string, link: string) =>
      `Die Frist für den Vorgang ${reference} ist am ${deadline} abgelaufen.\n\nBitte beantworten Sie den Antrag so schnell wie möglich. Die Person kann sich wegen der Verzögerung bei der Aufsichtsbehörde beschweren.\n\nZum Vorgang: ${link}`,
    footer:
      "Diese Nachricht kommt einmal je Vorgang und Frist; Sie erhalten sie als zuständige Person oder als Datenschutzbeauftragte/r.",
  },
};
