/**
 * Writes a realistic sample of every source store into one directory, plus the answer key.
 * Deterministic: the same options give the same bytes (all randomness from the seeded Rng, all
 * dates from `endDay`).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { nameKey } from "../../core/identifiers";
import { AnswerKeyBuilder, type AnswerKey } from "./answer-key";
import { writeCallRecords } from "./calls.server";
import { type SampleContext, dayStart, shiftDay } from "./context";
import { writeRecords } from "./dms.server";
import { ANSWER_KEY_FILE, DATABASE_FILES } from "./layout";
import { castNames } from "./messy/cast";
import { writeMessySample } from "./messy/index.server";
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
}

export interface GenerateSampleResult {
  out: string;
  answerKeyPath: string;
  answerKey: AnswerKey;
  /** End of the last day: a fixed "now" for sweeps of this sample. */
  end: Date;
}

export const DEFAULT_END_DAY = "2025-11-14";

async function writeJsonLines(path: string, rows: readonly object[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, rows.map((row) => JSON.stringify(row)).join("\n") + (rows.length ? "\n" : ""));
}

export async function generateSample(options: GenerateSampleOptions): Promise<GenerateSampleResult> {
  if (!Number.isInteger(options.people) || options.people < 3) throw new RangeError("people must be an integer of at least 3");
  if (!Number.isInteger(options.days) || options.days < 2) throw new RangeError("days must be an integer of at least 2");
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
  };

  const logins = await writeWebLogs(ctx);
  await writeLoginLogs(ctx, logins);
  const retrievals = generateRetrievals(ctx);
  const desk = generateServiceDesk(ctx);
  await writeMailboxes(ctx);
  await writeCallRecords(ctx);
  await writeRecords(ctx);
  const cast = options.messy ? await writeMessySample(ctx, { retrievals, tickets: desk.tickets, articles: desk.articles }) : [];
  await writeJsonLines(join(out, DATABASE_FILES.abrufprotokoll), retrievals);
  await writeJsonLines(join(out, DATABASE_FILES.ticket), desk.tickets);
  await writeJsonLines(join(out, DATABASE_FILES.article), desk.articles);

  const answerKey = ctx.key.build({ seed: String(options.seed), days: options.days, endDay }, people, cast);
  const answerKeyPath = join(out, ANSWER_KEY_FILE);
  await writeFile(answerKeyPath, `${JSON.stringify(answerKey, null, 2)}\n`);
  return { out, answerKeyPath, answerKey, end: ctx.end };
}
