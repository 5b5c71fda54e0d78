import type { Lang } from "./languages";
import type { RetentionPeriod, RetentionRule, StartEvent } from "./retention";

/** Retention rules in words, for the privacy page and for answers ("kept for 60 days after …"). */
const units: Record<Lang, Record<keyof RetentionPeriod, [string, string]>> = {
  de: {
    years: ["Jahr", "Jahre"],
    months: ["Monat", "Monate"],
    weeks: ["Woche", "Wochen"],
    days: ["Tag", "Tage"],
    hours: ["Stunde", "Stunden"],
    minutes: ["Minute", "Minuten"],
  },
  en: {
    years: ["year", "years"],
    months: ["month", "months"],
    weeks: ["week", "weeks"],
    days: ["day", "days"],
    hours: ["hour", "hours"],
    minutes: ["minute", "minutes"],
  },
};

const afterEvent: Record<Lang, Record<StartEvent, string>> = {
  de: {
    creation: "nach der Entstehung",
    "end-of-session": "nach dem Ende der Sitzung",
    "ticket-closed": "nach dem Schließen des Tickets",
    "matter-closed": "nach dem Abschluss des Anliegens",
    "records-closed": "nach dem Schließen der Akte",
    "case-closed": "nach dem Abschluss des Vorgangs",
    "end-of-relationship": "nach dem Ende der Geschäftsbeziehung",
  },
  en: {
    creation: "after they were created",
    "end-of-session": "after the end of the session",
    "ticket-closed": "after the ticket was closed",
    "matter-closed": "after the matter was closed",
    "records-closed": "after the file was closed",
    "case-closed": "after the case was closed",
    "end-of-relationship": "after the end of the relationship",
  },
};

export function describePeriod(period: RetentionPeriod, lang: Lang): string {
  const parts = (Object.keys(units[lang]) as (keyof RetentionPeriod)[])
    .filter((unit) => (period[unit] ?? 0) > 0)
    .map((unit) => {
      const n = period[unit] ?? 0;
      return `${n} ${units[lang][unit][n === 1 ? 0 : 1]}`;
    });
  return parts.join(lang === "de" ? " und " : " and ");
}

export function describeRetention(rule: RetentionRule, lang: Lang): string {
  const base = `${describePeriod(rule.period, lang)} ${afterEvent[lang][rule.startEvent]}`;
  const rounded = rule.roundToEndOfYear
    ? lang === "de"
      ? ", gelöscht zum Ende dieses Kalenderjahres"
      : ", deleted at the end of that calendar year"
    : "";
  const minimum = rule.minimum
    ? lang === "de"
      ? `; mindestens ${describePeriod(rule.minimum.period, lang)}`
      : `; at least ${describePeriod(rule.minimum.period, lang)}`
    : "";
  const archive = rule.archiveOfferRequired
    ? lang === "de"
      ? "; vor der Löschung wird das Schriftgut dem zuständigen Archiv angeboten (§ 23 ThürDSG)"
      : "; before erasure the records are offered to the competent public archive (§ 23 ThürDSG)"
    : "";
  return `${base}${rounded}${minimum}${archive}`;
}
