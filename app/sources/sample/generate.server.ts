/**
 * Writes a realistic sample of every source store into one directory, plus the answer key.
 * Deterministic: the same options give the same bytes (all randomness from the seeded Rng, all
 * dates from `endDay`).
 */
import { readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { nameKey } from "#app/core/identifiers";
import { AnswerKeyBuilder, type AnswerKey } from "./answer-key";
import { writeCallRecords } from "./calls.server";
import { LineFile, type SampleContext, dayStart, shiftDay } from "./context";
import { writeRecords } from "./dms.server";
import { ANSWER_KEY_FILE, DATABASE_FILES } from "./layout";
import { castNames } from "./messy/cast";
import { type DatabaseRows, writeMessySample } from "./messy/index.server";
import { writeLoginLogs } from "./login.server";
import { writeMailboxes } from "./maildir.server";
import { createPeople, newRegistry } from "./people";
import { Rng } from "./prng";
import { generateRetrievals } from "./retrieval";
import { generateServiceDesk } from "./servicedesk";
import { writeWebLogs } from "./weblog.server";

export interface GenerateSampleOptions {
  /** Number of people in the answer key, demo persons included (at least 3). */
  people: number;
  /** Days of web logs and call records, ending with `endDay`. */
  days: number;
  seed: string | number;
  out: string;
  /** The sample's last day (Berlin), "YYYY-MM-DD"; default 2025-11-14. */
  endDay?: string;
  /** Noise volume relative to the people; default 1. */
  noise?: number;
  /** Adds the "as found in the wild" variations and their cast (./messy). */
  messy?: boolean;
  /** Told how far each store's writer got (see `SampleContext.progress`). */
  onProgress?: (store: string, done: number, total: number, unit: string) => void;
}

export interface GenerateSampleResult {
  out: string;
  answerKeyPath: string;
  answerKey: AnswerKey;
  /** End of the last day: a fixed "now" for sweeps of this sample. */
  end: Date;
}

export const DEFAULT_END_DAY = "2025-11-14";

/**
 * Up to this many people the result carries the answer key as an object; beyond, `answerKey` reads
 * the written file when first asked for (a data centre's key is hundreds of megabytes).
 */
export const ANSWER_KEY_IN_MEMORY_LIMIT = 20_000;

export async function generateSample(options: GenerateSampleOptions): Promise<GenerateSampleResult> {
  if (!Number.isInteger(options.people) || options.people < 3)
    throw new RangeError("people must be an integer of at least 3");
  if (!Number.isInteger(options.days) || options.days < 2)
    throw new RangeError("days must be an integer of at least 2");
  const endDay = options.endDay ?? DEFAULT_END_DAY;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDay)) throw new RangeError("endDay must be YYYY-MM-DD");
  const out = resolve(options.out);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  const rng = new Rng(options.seed);
  const registry = newRegistry();
  // The cast's names are taken before anyone else is named: no ordinary person shares them.
  if (options.messy) for (const name of castNames()) registry.nameKeys.add(nameKey(name));
  const people = createPeople(rng.fork("people"), options.people, registry);
  const days = Array.from({ length: options.days }, (_, i) => shiftDay(endDay, i - options.days + 1));
  const ctx: SampleContext = {
    rng,
    out,
    people,
    registry,
    key: new AnswerKeyBuilder(),
    days,
    endDay,
    end: new Date(dayStart(shiftDay(endDay, 1)).getTime() - 1),
    noise: options.noise ?? 1,
    progress: options.onProgress ?? (() => {}),
  };

  const logins = await writeWebLogs(ctx);
  await writeLoginLogs(ctx, logins);
  // The database stores' rows go to their JSON-lines files as they are made; the messy sample gets
  // each store's last ordinary row to continue the ids from, and what it appends follows them.
  const files = {
    retrievals: new LineFile(join(out, DATABASE_FILES.abrufprotokoll)),
    tickets: new LineFile(join(out, DATABASE_FILES.ticket)),
    articles: new LineFile(join(out, DATABASE_FILES.article)),
  };
  const last: DatabaseRows = { retrievals: [], tickets: [], articles: [] };
  generateRetrievals(ctx, (row) => {
    files.retrievals.write(JSON.stringify(row));
    last.retrievals[0] = row;
  });
  generateServiceDesk(ctx, {
    ticket: (row) => {
      files.tickets.write(JSON.stringify(row));
      last.tickets[0] = row;
    },
    article: (row) => {
      files.articles.write(JSON.stringify(row));
      last.articles[0] = row;
    },
  });
  await writeMailboxes(ctx);
  await writeCallRecords(ctx);
  await writeRecords(ctx);
  const seeded = {
    retrievals: last.retrievals.length,
    tickets: last.tickets.length,
    articles: last.articles.length,
  };
  const cast = options.messy ? await writeMessySample(ctx, last) : [];
  for (const row of last.retrievals.slice(seeded.retrievals)) files.retrievals.write(JSON.stringify(row));
  for (const row of last.tickets.slice(seeded.tickets)) files.tickets.write(JSON.stringify(row));
  for (const row of last.articles.slice(seeded.articles)) files.articles.write(JSON.stringify(row));
  for (const file of Object.values(files)) file.close();

  const meta = { seed: String(options.seed), days: options.days, endDay };
  const answerKeyPath = join(out, ANSWER_KEY_FILE);
  const keyFile = new LineFile(answerKeyPath);
  ctx.key.write(keyFile, meta, people, cast);
  keyFile.close();
  ctx.progress("answer-key", people.length, people.length, "people");
  if (people.length <= ANSWER_KEY_IN_MEMORY_LIMIT) {
    return { out, answerKeyPath, answerKey: ctx.key.build(meta, people, cast), end: ctx.end };
  }
  let answerKey: AnswerKey | undefined;
  return {
    out,
    answerKeyPath,
    get answerKey() {
      return (answerKey ??= JSON.parse(readFileSync(answerKeyPath, "utf8")) as AnswerKey);
    },
    end: ctx.end,
  };
}
