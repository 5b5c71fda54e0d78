/**
 * Writes a realistic sample of every source store into one directory, plus the answer key.
 * Deterministic: the same options give the same bytes (all randomness from the seeded Rng, all
 * dates from `endDay`).
 */
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { nameKey } from "#app/core/identifiers";
import { type AnswerKey, type AnswerKeyMeta, keyIdentity } from "./answer-key";
import { AnswerKeyWriter, readAnswerKey } from "./answer-key.server";
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
  /**
   * The web logs' anonymous traffic (visitors, bots, scanners) relative to `noise`; default 1. A
   * data centre's web server logs gigabytes a day whatever its number of known people: this grows
   * the web logs alone, where a larger `noise` also grows the mailboxes, records and tables.
   */
  webTraffic?: number;
  /**
   * Share of people who bear the name of someone before them (born on another day, with their own
   * addresses), as people of a data centre do; default 0.02. 0: every name is unique.
   */
  namesakes?: number;
  /**
   * The retrieval protocol's rows: besides the people's own look-ups, the officials look up people
   * not in the sample until it holds this many (a Land's register is asked millions of times a
   * year). Default: the people's look-ups alone.
   */
  protocolRows?: number;
  /**
   * The service desk's tickets: besides the people's own, people who are not in the sample write
   * tickets (mails with colleagues in CC, calls, the contact form, free text naming yet others)
   * until it holds this many, their articles with them. Default: the people's tickets alone.
   */
  ticketRows?: number;
  /**
   * Only the database stores (retrieval protocol, service desk) and their answer key: no web logs,
   * login logs, mailboxes, call records or records management (for the index benchmarks).
   */
  databaseOnly?: boolean;
  /** Adds the "as found in the wild" variations and their cast (./messy). */
  messy?: boolean;
  /** Told how far each store's writer got (see `SampleContext.progress`). */
  onProgress?: (store: string, done: number, total: number, unit: string) => void;
}

export interface GenerateSampleResult {
  out: string;
  /** `key.json` of the answer key (see layout.ts): its summary, written last. */
  answerKeyPath: string;
  answerKeyMeta: AnswerKeyMeta;
  /** The whole key, read from disk when first asked for (`readAnswerKey`). */
  readonly answerKey: AnswerKey;
  /** End of the last day: a fixed "now" for sweeps of this sample. */
  end: Date;
}

const DEFAULT_END_DAY = "2025-11-14";

export const DEFAULT_NAMESAKES = 0.02;

export async function generateSample(options: GenerateSampleOptions): Promise<GenerateSampleResult> {
  if (!Number.isInteger(options.people) || options.people < 3)
    throw new RangeError("people must be an integer of at least 3");
  if (!Number.isInteger(options.days) || options.days < 2)
    throw new RangeError("days must be an integer of at least 2");
  const endDay = options.endDay ?? DEFAULT_END_DAY;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDay)) throw new RangeError("endDay must be YYYY-MM-DD");
  const namesakes = options.namesakes ?? DEFAULT_NAMESAKES;
  if (!(namesakes >= 0 && namesakes <= 0.5)) throw new RangeError("namesakes must be a share from 0 to 0.5");
  const webTraffic = options.webTraffic ?? 1;
  if (!(webTraffic >= 0)) throw new RangeError("webTraffic must be 0 or more");
  if (
    options.protocolRows !== undefined &&
    !(Number.isInteger(options.protocolRows) && options.protocolRows >= 0)
  )
    throw new RangeError("protocolRows must be an integer of at least 0");
  if (options.ticketRows !== undefined && !(Number.isInteger(options.ticketRows) && options.ticketRows >= 0))
    throw new RangeError("ticketRows must be an integer of at least 0");
  // The messy sample's variations are in the file stores too.
  if (options.databaseOnly && options.messy) throw new RangeError("databaseOnly cannot be messy");
  const out = resolve(options.out);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  const rng = new Rng(options.seed);
  const registry = newRegistry();
  // The cast's names are taken before anyone else is named: no ordinary person shares them.
  if (options.messy) for (const name of castNames()) registry.nameKeys.add(nameKey(name));
  // Namesakes draw from their own stream: the rest of the sample stays what the seed always gave.
  const people = createPeople(rng.fork("people"), options.people, registry, {
    share: namesakes,
    rng: new Rng(`${options.seed}:namesakes`),
  });
  const days = Array.from({ length: options.days }, (_, i) => shiftDay(endDay, i - options.days + 1));
  const ctx: SampleContext = {
    rng,
    out,
    people,
    registry,
    key: new AnswerKeyWriter(out),
    days,
    endDay,
    end: new Date(dayStart(shiftDay(endDay, 1)).getTime() - 1),
    noise: options.noise ?? 1,
    webTraffic,
    progress: options.onProgress ?? (() => {}),
  };

  if (!options.databaseOnly) await writeLoginLogs(ctx, await writeWebLogs(ctx));
  // The database stores' rows go to their JSON-lines files as they are made; the messy sample gets
  // each store's last ordinary row to continue the ids from, and what it appends follows them.
  const files = {
    retrievals: new LineFile(join(out, DATABASE_FILES.abrufprotokoll)),
    tickets: new LineFile(join(out, DATABASE_FILES.ticket)),
    articles: new LineFile(join(out, DATABASE_FILES.article)),
  };
  const last: DatabaseRows = { retrievals: [], tickets: [], articles: [] };
  generateRetrievals(
    ctx,
    (row) => {
      files.retrievals.write(JSON.stringify(row));
      last.retrievals[0] = row;
    },
    options.protocolRows,
  );
  generateServiceDesk(
    ctx,
    {
      ticket: (row) => {
        files.tickets.write(JSON.stringify(row));
        last.tickets[0] = row;
      },
      article: (row) => {
        files.articles.write(JSON.stringify(row));
        last.articles[0] = row;
      },
    },
    options.ticketRows,
  );
  if (!options.databaseOnly) {
    await writeMailboxes(ctx);
    await writeCallRecords(ctx);
    await writeRecords(ctx);
  }
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
  const answerKeyMeta = ctx.key.finish(meta, [...people.map(keyIdentity), ...cast]);
  ctx.progress("answer-key", people.length, people.length, "people");
  let answerKey: AnswerKey | undefined;
  return {
    out,
    answerKeyPath: join(out, ANSWER_KEY_FILE),
    answerKeyMeta,
    get answerKey() {
      return (answerKey ??= readAnswerKey(out));
    },
    end: ctx.end,
  };
}
