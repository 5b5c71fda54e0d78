import { berlinWallClockAsUtc } from "#app/core/berlin-date";

const HOUR = 3_600_000;
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A date-time formatter in Berlin time for the many timestamps of an archive: the locale's medium
 * date (Intl) and HH:MM:SS. Everything up to the hour is cached per UTC hour (Berlin's offset
 * changes only on the full hour), so formatting a record's time is two string joins.
 */
export function berlinDateTimeFormatter(
  locale: string,
  pattern: (date: string, time: string) => string,
): (instant: Date) => string {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const marker = "\u0000";
  const prefixes = new Map<number, [string, string]>();
  return (instant) => {
    const hourKey = Math.floor(instant.getTime() / HOUR);
    let parts = prefixes.get(hourKey);
    if (!parts) {
      const wall = berlinWallClockAsUtc(instant);
      const day = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()));
      const text = pattern(dateFormat.format(day), `${pad(wall.getUTCHours())}:${marker}`);
      const at = text.indexOf(marker);
      parts = [text.slice(0, at), text.slice(at + 1)];
      if (prefixes.size > 50_000) prefixes.clear();
      prefixes.set(hourKey, parts);
    }
    return `${parts[0]}${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}${parts[1]}`;
  };
}
