/**
 * The kept stores of the index benchmarks (retrieval-index, servicedesk-index): tables too large
 * to write for every `npm run bench`, so written once and kept — on PostgreSQL in a database
 * `<prefix><key>`, on PGlite in the folder tmp/bench/<prefix><key>, the key naming the settings
 * they were made with (`settingsKey`). A store of other settings (same prefix, another key) is
 * dropped when its benchmark runs. A table `bench_ready` marks a store whose writing finished.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { type Sql, sqlFromPglite, sqlFromPostgresJs } from "#db/sql";
import { uniqueKeys } from "#app/sources/connectors/search-index.server";
import { BenchRun, DatabaseCpu, fixture, measure } from "./harness";

/** Twelve hex digits naming everything a store is made of, so that changed settings make new stores. */
export function settingsKey(made: object): string {
  return createHash("sha256").update(JSON.stringify(made)).digest("hex").slice(0, 12);
}

/** One backend's kept store. */
export interface KeptStore {
  backend: "postgres" | "pglite";
  sql: Sql;
  /** The large store's rows (the setting `rows` gave for this backend). */
  big: number;
  /** The server's CPU for the benchmark's database (PostgreSQL only). */
  serverCpu?: DatabaseCpu;
  close(): Promise<void>;
}

export interface KeptStoresBenchmark {
  /** The fixture's label, printed with what writing (or checking) the stores cost. */
  fixture: string;
  /** Database names' prefix on PostgreSQL ("rp_bench_index_"). */
  database: string;
  /** Folder names' prefix under tmp/bench on PGlite ("retrieval-index-pglite-"). */
  folder: string;
  /** The large store's rows per backend. */
  rows: { postgres: number; pglite: number };
  /** The settings' key of a store of `big` rows (`settingsKey`). */
  key(big: number): string;
  /** Whether a store marked ready still holds its rows (a crash empties unlogged tables). */
  complete(store: KeptStore): Promise<boolean>;
  /** The line printed when the kept store is used. */
  reusing(store: KeptStore): string;
  /** Writes the store, `bench_ready` last. */
  generate(store: KeptStore, log: (line: string) => void): Promise<void>;
  /** The benchmark's rounds on one backend. */
  run(store: KeptStore, log: (line: string) => void): Promise<void>;
}

/**
 * The address of the kept PostgreSQL database `name`, created if missing; the others of `prefix`
 * (other settings) are dropped. Also used by retrieval-sweep, which keeps its table the same way.
 */
export async function keptDatabaseUrl(
  prefix: string,
  name: string,
): Promise<{ serverUrl: string; url: string }> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const server = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  try {
    const pattern = `${prefix.replace(/[\\_%]/g, "\\$&")}%`;
    for (const { datname } of await server<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE datname LIKE ${pattern} AND datname <> ${name}`)
      await server.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    const [exists] = await server<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`;
    if (exists!.n === 0) await server.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await server.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { serverUrl, url: url.toString() };
}

/** The kept PostgreSQL database `name` as a benchmark's store. */
async function keptDatabase(prefix: string, name: string, big: number): Promise<KeptStore> {
  const { serverUrl, url } = await keptDatabaseUrl(prefix, name);
  const client = postgres(url, { max: 2, onnotice: () => undefined });
  const serverCpu = new DatabaseCpu(serverUrl, name);
  return {
    backend: "postgres",
    sql: sqlFromPostgresJs(client),
    big,
    serverCpu,
    async close() {
      await serverCpu.close();
      await client.end();
    },
  };
}

/** The kept PGlite folder tmp/bench/`name` (the older ones of `prefix` removed). */
async function keptFolder(prefix: string, name: string, big: number): Promise<KeptStore> {
  const dir = join("tmp", "bench", name);
  for (const old of await readdir(join("tmp", "bench")).catch(() => []))
    if (old.startsWith(prefix) && join("tmp", "bench", old) !== dir)
      await rm(join("tmp", "bench", old), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pg = new PGlite(dir);
  return { backend: "pglite", sql: sqlFromPglite(pg), big, close: () => pg.close() };
}

/** The kept store, or a new one written when there is none (or it was emptied). */
async function ensure(bench: KeptStoresBenchmark, store: KeptStore): Promise<void> {
  const log = (line: string) => console.log(`[${store.backend}] ${line}`);
  const [ready] = await store.sql.query<{ ok: boolean }>(
    `SELECT to_regclass('public.bench_ready') IS NOT NULL AS ok`,
  );
  if (ready!.ok && (await bench.complete(store))) {
    log(bench.reusing(store));
    return;
  }
  await bench.generate(store, log);
}

/**
 * Opens the stores of the backends BENCH_BACKENDS names (default both), writes the missing ones
 * side by side — PostgreSQL's in the server's processes, PGlite's in this one, so that the two
 * cores share them — then runs the rounds one backend at a time, and closes the stores.
 */
export async function runOnKeptStores(bench: KeptStoresBenchmark): Promise<void> {
  const backends = (process.env.BENCH_BACKENDS ?? "postgres,pglite").split(",");
  const stores: KeptStore[] = [];
  try {
    if (backends.includes("postgres")) {
      const big = bench.rows.postgres;
      stores.push(await keptDatabase(bench.database, `${bench.database}${bench.key(big)}`, big));
    }
    if (backends.includes("pglite")) {
      const big = bench.rows.pglite;
      stores.push(await keptFolder(bench.folder, `${bench.folder}${bench.key(big)}`, big));
    }
    await fixture(bench.fixture, () => Promise.all(stores.map((store) => ensure(bench, store))));
    for (const store of stores) await bench.run(store, (line) => console.log(`[${store.backend}] ${line}`));
  } finally {
    for (const store of stores) await store.close();
  }
}

/** The size of a schema's search keys, as PostgreSQL prints it. */
async function indexSize(sql: Sql, schema: string): Promise<string> {
  const [row] = await sql.query<{ size: string }>(
    `SELECT pg_size_pretty(pg_total_relation_size('${schema}.portal_search_key')) AS size`,
  );
  return row!.size;
}

/**
 * The index's size, then three rounds of the search in the small store (the reference) and in the
 * large one (ours), and the benchmark's line with the indexing run's seconds per 100 000 rows.
 */
export async function searchRounds<T>(
  { backend, sql, big, serverCpu }: KeptStore,
  log: (line: string) => void,
  rounds: {
    name: string;
    /** The small store's rows. */
    small: number;
    /** The indexing run's wall µs per row. */
    perRow: number;
    search(schema: "small" | "big"): Promise<T>;
    /** The note of a round, from the two searches' results. */
    note(large: T, small: T): string;
  },
): Promise<void> {
  log(
    `index size: ${await indexSize(sql, "big")} for ${big} rows, ${await indexSize(sql, "small")} for ${rounds.small} rows`,
  );
  const bench = new BenchRun(
    rounds.name,
    { ours: `search in ${big} rows`, ref: `search in ${rounds.small} rows` },
    3,
  );
  for (let round = 1; round <= bench.rounds; round++) {
    const small = await measure(() => rounds.search("small"), { database: serverCpu });
    const large = await measure(() => rounds.search("big"), { database: serverCpu });
    bench.round(large.usage, small.usage, rounds.note(large.value, small.value));
  }
  bench.finish({
    extra: { backend, rows: big, build_s_per_100k: ((rounds.perRow * 100_000) / 1e6).toFixed(1) },
  });
}

/** A generated row with its keys, whether the person is a candidate of it, and the row its copies are copies of. */
export interface Template<Row> {
  row: Row;
  keys: { key: string; birth: string | null }[];
  candidate: boolean;
  source: number;
}

/**
 * Writes the templates of one generated table (JSON lines in `input`) to `file`: each row's keys, and
 * for a row the subject is a candidate of the row before as its copies' source (the next one for
 * candidates among the first rows), so that a large store's copies never copy the subject's rows.
 */
export async function writeTemplates<Row extends { id: number }>(
  input: string,
  file: string,
  keysOf: (row: Row) => { key: string; birth: string | null }[],
  subjectKeys: Set<string>,
  each: (row: Row) => void,
): Promise<void> {
  const out = createWriteStream(file);
  const write = async (t: Template<Row>) => {
    if (!out.write(`${JSON.stringify(t)}\n`)) await once(out, "drain");
  };
  let previous = 0;
  let pending: Template<Row>[] = [];
  for await (const line of createInterface({ input: createReadStream(input) })) {
    if (line === "") continue;
    const row = JSON.parse(line) as Row;
    each(row);
    const keys = uniqueKeys(keysOf(row));
    if (keys.some((k) => subjectKeys.has(k.key))) {
      const template = { row, keys, candidate: true, source: previous };
      if (previous === 0) pending.push(template);
      else await write(template);
      continue;
    }
    previous = row.id;
    for (const waiting of pending) await write({ ...waiting, source: row.id });
    pending = [];
    await write({ row, keys, candidate: false, source: row.id });
  }
  out.end();
  await once(out, "finish");
  if (pending.length) throw new Error(`${input}: every row is the subject's`);
}

/**
 * Reads the templates `writeTemplates` wrote to `file`, 500 at a time: `insertRows` writes a batch's
 * rows, and their keys go into `keyTable` (n, key, birth).
 */
export async function loadTemplates<Row extends { id: number }>(
  sql: Sql,
  file: string,
  keyTable: string,
  insertRows: (batch: Template<Row>[]) => Promise<void>,
): Promise<void> {
  let batch: Template<Row>[] = [];
  const flush = async () => {
    await insertRows(batch);
    const keys = batch.flatMap((t) => t.keys.map((k) => ({ n: t.row.id, ...k })));
    await sql.query(`INSERT INTO ${keyTable} SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [
      keys.map((k) => k.n),
      keys.map((k) => k.key),
      keys.map((k) => k.birth),
    ]);
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (line === "") continue;
    batch.push(JSON.parse(line) as Template<Row>);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
}
