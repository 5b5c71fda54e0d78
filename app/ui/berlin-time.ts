import type { Lang } from "../i18n";

/** Date and time as people in Thuringia read them, whatever the server's time zone. */
export function formatBerlinDateTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(date);
}
