/**
 * Berlin wall-clock time of an instant, for the many timestamps of an archive. Intl (the tz
 * database) decides the offset; it is asked once per UTC hour, because Berlin's offset is a whole
 * number of hours and changes only on the hour, so minutes and seconds carry over unchanged.
 */
const clock = new Intl.DateTimeFormat("en-US", {
  timeZone: "Europe/Berlin",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR = 3_600_000;
const byHour = new Map<number, { year: number; month: number; day: number; hour: number }>();

export function berlinWallClock(instant: Date): WallClock {
  const ms = instant.getTime();
  const hourKey = Math.floor(ms / HOUR);
  let hour = byHour.get(hourKey);
  if (!hour) {
    const p = Object.fromEntries(clock.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
    hour = { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! };
    if (byHour.size > 50_000) byHour.clear();
    byHour.set(hourKey, hour);
  }
  return { ...hour, minute: instant.getUTCMinutes(), second: instant.getUTCSeconds() };
}

/** The wall clock as a Date whose UTC fields read Berlin time (for formats that store no zone). */
export function berlinWallClockAsUtc(instant: Date): Date {
  const c = berlinWallClock(instant);
  return new Date(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second, instant.getUTCMilliseconds()));
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A date-time formatter in Berlin time: the locale's medium date (Intl) and HH:MM:SS. Everything
 * up to the hour is cached per UTC hour, so formatting a record's time is two string joins.
 */
export function berlinDateTimeFormatter(locale: string, pattern: (date: string, time: string) => string): (instant: Date) => string {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const marker = "\u0000";
  const prefixes = new Map<number, [string, string]>();
  return (instant) => {
    const ms = instant.getTime();
    const hourKey = Math.floor(ms / HOUR);
    let parts = prefixes.get(hourKey);
    if (!parts) {
      const c = berlinWallClock(instant);
      const text = pattern(dateFormat.format(new Date(Date.UTC(c.year, c.month - 1, c.day))), `${pad(c.hour)}:${marker}`);
      const at = text.indexOf(marker);
      parts = [text.slice(0, at), text.slice(at + 1)];
      if (prefixes.size > 50_000) prefixes.clear();
      prefixes.set(hourKey, parts);
    }
    return `${parts[0]}${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}${parts[1]}`;
  };
}
