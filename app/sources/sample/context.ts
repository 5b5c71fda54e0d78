/** What every store writer of the sample shares: the people, the time window and the answer key. */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseBerlinLocal } from "../time";
import type { AnswerKeyWriter } from "./answer-key.server";
import type { newRegistry, SamplePerson } from "./people";
import type { Rng } from "./prng";

export interface SampleContext {
  rng: Rng;
  out: string;
  people: SamplePerson[];
  registry: ReturnType<typeof newRegistry>;
  /** Streams every attribution to disk as its record is written. */
  key: AnswerKeyWriter;
  /** Berlin calendar days of the log window, oldest first. */
  days: string[];
  endDay: string;
  /** End of the last day: the sample's "now". */
  end: Date;
  /** Noise volume relative to the number of people. */
  noise: number;
  /** The web logs' anonymous traffic relative to `noise` (GenerateSampleOptions.webTraffic). */
  webTraffic: number;
  /** Reports how far a store's writer got ("people", "days", "rows"); throttled by the caller. */
  progress: (store: string, done: number, total: number, unit: string) => void;
}

// Parsed once per day: a data centre's web logs ask for the same day's start 100 000 times.
const dayStarts = new Map<string, number>();

export function dayStart(day: string): Date {
  let start = dayStarts.get(day);
  if (start === undefined) {
    start = parseBerlinLocal(`${day} 00:00:00`)!.getTime();
    dayStarts.set(day, start);
  }
  return new Date(start);
}

export function shiftDay(day: string, delta: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + delta);
  return date.toISOString().slice(0, 10);
}

/** A random instant on a Berlin day between two hours. */
export function timeOnDay(rng: Rng, day: string, fromHour = 6, toHour = 22): Date {
  return new Date(dayStart(day).getTime() + rng.int(fromHour * 3600, toHour * 3600 - 1) * 1000);
}

/** A random instant up to `maxDaysBack` days before the sample's end, during office hours. */
export function pastTime(ctx: SampleContext, rng: Rng, minDaysBack: number, maxDaysBack: number): Date {
  return timeOnDay(rng, shiftDay(ctx.endDay, -rng.int(minDaysBack, maxDaysBack)), 7, 19);
}

export function xmlEscape(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/**
 * A file written line by line through a small buffer: stores of a data centre's size never sit in
 * memory as a whole. Synchronous, so generators that produce rows inside plain callbacks can write.
 */
export class LineFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private buffered = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "w");
  }

  write(line: string): void {
    this.buffer.push(line, "\n");
    this.buffered += line.length + 1;
    if (this.buffered >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffered === 0) return;
    writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.buffered = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
