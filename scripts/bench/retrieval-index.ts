/**
 * retrieval-index: one person's search in the retrieval protocols through the search index
 * (ADR 0020) on a large table — 2 000 000 rows on PostgreSQL, 500 000 on PGlite (BENCH_ROWS,
 * BENCH_PGLITE_ROWS, multiples of 100 000) — against the same search on 100 000 rows, three
 * rounds each, in one run. `ratio` is the large table's median over the small one's: the search
 * must not grow with the store (goal ≤ 1.5, and under 1 s on PostgreSQL). Also reported: the
 * index's size, and the indexing run's time, measured on 10 000 rows of their own
 * (BENCH_INDEX_ROWS; every row parsed, as `npm run sources:index` does: its time per row is what a
 * larger table costs). Rounds, CPU seconds (ours and, on PostgreSQL, the server's for the
 * benchmark's database) and the load are measured by harness.ts; "ours" is the large table's
 * search, "reference" the small one's.
 *
 * The rows are the generator's (issue 17, point 4): its retrieval protocol of 100 000 rows
 * (`generateSample` with `protocolRows`, the database stores only; 10 000 people, their officials
 * looking up people not in the sample up to that count), each row's keys made once by the
 * connector's own extraction (`protocolSearchKeys`). The small table is that protocol as it is.
 * The large one holds each of its rows, then copies of it under the next ids and a second later
 * (20 in all on PostgreSQL, 5 on PGlite), made inside the database (INSERT … SELECT over
 * generate_series) with the row's keys: parsing 2 000 000 generated rows for their keys would
 * cost ≈ 10 minutes of CPU (274 µs a row). A row the person searched for is a candidate of (any
 * of the subject's search keys, or a broken row's) is not copied — its copies are copies of the
 * row before it — so both searches read the same candidates and find the same records: those the
 * generator's answer key gives the demo person Erika Mustermann in the protocol (checked when the
 * tables are written, and every search finds as many).
 * BENCH_BACKENDS=postgres,pglite picks the backends (default both). The tables are written once
 * and kept — on PostgreSQL in the database rp_bench_index_<key>, on PGlite in
 * tmp/bench/retrieval-index-pglite-<key>, the key naming the generator's version (as the tests'
 * sample cache computes it) and the settings — unlogged, with the indexes built after the rows;
 * the two backends' tables are written side by side (PostgreSQL's in the server, PGlite's in this
 * process), and the run prints what writing them cost (harness.ts fixture()).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { Sql } from "#db/sql";
import type { Subject } from "#app/sources/connector";
import { protocolSearchKeys, RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import {
  ALWAYS_CANDIDATE,
  buildSearchIndex,
  changeTrackingDdl,
  installTracker,
  SEARCH_INDEX_FORMAT,
  SEARCH_INDEX_VERSION,
  searchIndexDdl,
} from "#app/sources/connectors/search-index.server";
import { compileSubject } from "#app/sources/subject";
import { DEMO_PERSONS } from "#app/sources/sample/people";
import { generateSample } from "#app/sources/sample/generate.server";
import { DATABASE_FILES, SAMPLE_STORES } from "#app/sources/sample/layout";
import type { RetrievalRow } from "#app/sources/sample/retrieval";
import { generatorVersion } from "#tests/support/sample-cache";
import type { Benchmark } from "./index";
import { type DatabaseCpu, measure, showUsage } from "./harness";
import {
  type KeptStore,
  runOnKeptStores,
  searchRounds,
  settingsKey,
  loadTemplates,
  writeTemplates,
} from "./kept-stores";

const SMALL = Number(process.env.BENCH_SMALL_ROWS ?? 100_000);
const INDEXING_RUN_ROWS = Number(process.env.BENCH_INDEX_ROWS ?? 10_000);
/** The generator's landscape whose retrieval protocol the tables are made of. */
const SAMPLE = {
  people: 10_000,
  days: 2,
  seed: "bench-retrieval-index",
  protocolRows: SMALL,
  databaseOnly: true,
};
/**
 * Protocol rows per statement: PGlite runs each statement in this process's thread, so its
 * statements are kept short, and PostgreSQL's, written at the same time, wait little for their
 * turn to be sent (rows written = this × the copies).
 */
const CHUNK = { postgres: 5_000, pglite: 4_000 };
const ROWS_FOLDER = path.join("tmp", "bench", "retrieval-index-rows");

const erika = DEMO_PERSONS.erika;
const SUBJECT: Subject = {
  emails: [{ value: erika.email, proven: true }],
  names: [{ value: `${erika.firstName} ${erika.lastName}`, proven: true }],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
  birthDate: erika.birthDate,
};

/**
 * The generator's protocol as templates, read once for both backends: the sample is generated into
 * tmp/bench, each row's keys made, and the rows the subject is a candidate of given the row before
 * as their copies' source. `findings`: the subject's records in the protocol by the answer key.
 */
let prepared: Promise<{ file: string; findings: number }> | undefined;
function prepare(log: (line: string) => void) {
  return (prepared ??= (async () => {
    rmSync(ROWS_FOLDER, { recursive: true, force: true });
    const started = performance.now();
    const sample = await generateSample({ ...SAMPLE, out: path.join(ROWS_FOLDER, "sample") });
    log(`generated ${JSON.stringify(SAMPLE)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const person = sample.answerKey.persons.find((p) => p.demo === "erika");
    if (!person) throw new Error("the sample has no demo person erika");
    const findings = person.records.filter((r) => r.store === SAMPLE_STORES.retrieval.id).length;
    const subjectKeys = new Set([...compileSubject(SUBJECT).searchKeys(), ALWAYS_CANDIDATE]);
    const file = path.join(ROWS_FOLDER, "templates.jsonl");
    let rows = 0;
    await writeTemplates<RetrievalRow>(
      path.join(sample.out, DATABASE_FILES.abrufprotokoll),
      file,
      protocolSearchKeys,
      subjectKeys,
      () => rows++,
    );
    if (rows !== SMALL) throw new Error(`the protocol has ${rows} rows, not ${SMALL}`);
    rmSync(path.join(ROWS_FOLDER, "sample"), { recursive: true, force: true });
    log(`${rows} rows' keys made in ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
    return { file, findings };
  })());
}

async function insertTemplates(sql: Sql, file: string) {
  await sql.exec(`CREATE UNLOGGED TABLE bench_tpl (n int PRIMARY KEY, source int NOT NULL, protokolliert_am timestamptz,
      nachricht_id text, behoerde_dvdv text, sicherheitsbehoerde boolean, auskunftssperre boolean, anfrage_xml text, antwort_xml text);
    CREATE UNLOGGED TABLE bench_tpl_key (n int, key text, birth text);`);
  await loadTemplates<RetrievalRow>(sql, file, "bench_tpl_key", async (batch) => {
    await sql.query(
      // Times and flags as text: both drivers send text arrays alike.
      `INSERT INTO bench_tpl SELECT * FROM unnest($1::int[], $2::int[], $3::text[]::timestamptz[], $4::text[], $5::text[],
        $6::text[]::boolean[], $7::text[]::boolean[], $8::text[], $9::text[])`,
      [
        batch.map((t) => t.row.id),
        batch.map((t) => t.source),
        batch.map((t) => t.row.protokolliert_am),
        batch.map((t) => t.row.nachricht_id),
        batch.map((t) => t.row.behoerde_dvdv),
        batch.map((t) => String(t.row.sicherheitsbehoerde)),
        batch.map((t) => String(t.row.auskunftssperre)),
        batch.map((t) => t.row.anfrage_xml),
        batch.map((t) => t.row.antwort_xml),
      ],
    );
  });
  await sql.exec(`CREATE INDEX ON bench_tpl_key (n); ANALYZE bench_tpl; ANALYZE bench_tpl_key;`);
}

/**
 * A schema with the generator's first `templates` rows, each followed by `copies` − 1 copies, and
 * their keys, as the generator's rows are written with theirs.
 */
async function fill(
  sql: Sql,
  schema: string,
  templates: number,
  copies: number,
  log: (line: string) => void,
  backend: KeptStore["backend"],
): Promise<void> {
  // UNLOGGED: the rows are written without write-ahead log, half the writing; the search reads
  // them as it reads a logged table. The indexes are built once the rows are in.
  await sql.exec(`CREATE SCHEMA ${schema};
    CREATE UNLOGGED TABLE ${schema}.abrufprotokoll (id bigint NOT NULL, protokolliert_am timestamptz NOT NULL, nachricht_id text NOT NULL,
      behoerde_dvdv text NOT NULL, sicherheitsbehoerde boolean NOT NULL, auskunftssperre boolean NOT NULL, anfrage_xml text NOT NULL, antwort_xml text NOT NULL);
    CREATE UNLOGGED TABLE ${schema}.portal_search_key (source text NOT NULL, row_id bigint NOT NULL, key text NOT NULL, birth text);`);
  const rows = templates * copies;
  // Copy c of template t: id (t − 1) × copies + c + 1, its source's row a second later per copy.
  const from = (a: number, b: number) => `FROM bench_tpl t CROSS JOIN generate_series(0, ${copies - 1}) AS c
      JOIN %s ON s.n = CASE WHEN c = 0 THEN t.n ELSE t.source END WHERE t.n BETWEEN ${a} AND ${b}`;
  for (let a = 1; a <= templates; a += CHUNK[backend]) {
    const b = Math.min(templates, a + CHUNK[backend] - 1);
    await sql.exec(`INSERT INTO ${schema}.abrufprotokoll
      SELECT (t.n - 1) * ${copies} + c + 1, s.protokolliert_am + c * interval '1 second',
        CASE WHEN c = 0 THEN s.nachricht_id ELSE md5(s.nachricht_id || c) END, s.behoerde_dvdv,
        s.sicherheitsbehoerde, s.auskunftssperre, s.anfrage_xml, s.antwort_xml
      ${from(a, b).replace("%s", "bench_tpl s")};
      INSERT INTO ${schema}.portal_search_key
      SELECT 'abrufprotokoll', (t.n - 1) * ${copies} + c + 1, s.key, s.birth ${from(a, b).replace("%s", "bench_tpl_key s")};`);
    const written = b * copies;
    if (
      Math.floor(written / 500_000) > Math.floor((written - CHUNK[backend] * copies) / 500_000) ||
      b === templates
    )
      log(`${schema}: ${written} of ${rows} rows written`);
  }
  const indexing = performance.now();
  await sql.exec(`SET maintenance_work_mem = '${backend === "postgres" ? "256MB" : "64MB"}'; ALTER TABLE ${schema}.abrufprotokoll ADD PRIMARY KEY (id); ${searchIndexDdl(schema)} ${changeTrackingDdl(schema)}
    ANALYZE ${schema}.abrufprotokoll; ANALYZE ${schema}.portal_search_key;`);
  const table = new RetrievalProtocolConnector("bench", sql, schema).indexed;
  await sql.transaction(async (tx) => {
    const tracker = await installTracker(tx, schema, table);
    await tx.query(
      `INSERT INTO ${schema}.portal_search_index (source, version, format, high_water, tracker) VALUES ($1, $2, $3, $4, $5::oid)`,
      [table.table, SEARCH_INDEX_VERSION, SEARCH_INDEX_FORMAT, rows, tracker],
    );
  });
  log(`${schema}: keys indexed in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
}

/**
 * Names the kept tables by everything they are made of — the generator's version (its modules'
 * content, the packages, Node) among them — so that a changed generator or settings make new ones.
 */
function cacheKey(big: number): string {
  return settingsKey({
    big,
    SMALL,
    INDEXING_RUN_ROWS,
    SAMPLE,
    generator: generatorVersion(),
    SEARCH_INDEX_FORMAT,
    version: 3,
  });
}

async function search(sql: Sql, schema: string, findings: number): Promise<number> {
  const connector = new RetrievalProtocolConnector("bench", sql, schema);
  let found = 0;
  let via = "";
  for await (const finding of connector.find(SUBJECT, { onReport: (r) => (via = r.index?.via ?? "") }))
    if (finding.ref) found++;
  if (via !== "index") throw new Error(`${schema}: searched without the index`);
  if (found !== findings) throw new Error(`${schema}: expected ${findings} findings, got ${found}`);
  return found;
}

/**
 * The tables of the benchmark, written once and kept (as gather-latency's landscape is): 2 000 000
 * rows with their keys took 11 minutes under load, too long for every `npm run bench`. The table
 * `bench_subject` keeps the answer key's count of the person's records; `bench_ready` marks the
 * tables complete.
 */
async function generate(
  sql: Sql,
  big: number,
  log: (line: string) => void,
  backend: KeptStore["backend"],
  serverCpu?: DatabaseCpu,
): Promise<void> {
  if (big % SMALL !== 0) throw new Error(`the large table's rows (${big}) must be a multiple of ${SMALL}`);
  const { file, findings } = await prepare(log);
  // What an interrupted generation left behind, or a crash emptied (unlogged tables), its mark too.
  await sql.exec(
    `DROP SCHEMA IF EXISTS small, big, build CASCADE; DROP TABLE IF EXISTS bench_tpl, bench_tpl_key, bench_subject, bench_ready;`,
  );
  await insertTemplates(sql, file);
  for (const [schema, templates, copies] of [
    ["small", SMALL, 1],
    ["big", SMALL, big / SMALL],
    ["build", INDEXING_RUN_ROWS, 1],
  ] as const) {
    // This process's CPU is left out: it writes PGlite's tables at the same time.
    const { usage } = await measure(() => fill(sql, schema, templates, copies, log, backend), {
      database: serverCpu,
    });
    log(
      `${schema}: ${templates * copies} rows with their keys written in ${usage.wall.toFixed(1)} s wall` +
        (usage.dbCpu === null ? "" : `, database server ${usage.dbCpu.toFixed(1)} s CPU`),
    );
  }
  await sql.exec(
    `DROP TABLE bench_tpl, bench_tpl_key; CREATE TABLE bench_subject AS SELECT ${findings} AS findings;`,
  );
  // The answer key's records, found in the small table (the large one is searched in the rounds).
  await search(sql, "small", findings);
  await sql.exec(`CREATE TABLE bench_ready ()`);
}

/** A kept store still holds its rows (an unlogged table is emptied by a crash). */
async function complete({ sql, big }: KeptStore): Promise<boolean> {
  const [last] = await sql.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM big.abrufprotokoll`);
  return last!.id === String(big);
}

async function runOn(store: KeptStore, log: (line: string) => void) {
  const { sql, serverCpu } = store;
  // The indexing run, as `npm run sources:index` makes it: every row parsed.
  const [written] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM build.portal_search_key`);
  await sql.exec(`DROP TABLE build.portal_search_key; DROP TABLE build.portal_search_index;`);
  const connector = new RetrievalProtocolConnector("bench", sql, "build");
  const indexing = await measure(
    () =>
      buildSearchIndex(sql, "build", connector.indexed, {
        onProgress: (p) => {
          if (p.indexed % 5_000 === 0) log(`indexing run: ${p.indexed} of ${p.total} rows`);
        },
      }),
    { database: serverCpu },
  );
  const [built] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM build.portal_search_key`);
  if (built!.n !== written!.n || indexing.value.indexed !== INDEXING_RUN_ROWS)
    throw new Error(`the indexing run filed ${built!.n} keys, the generator ${written!.n}`);
  const perRow = (1e6 * indexing.usage.wall) / INDEXING_RUN_ROWS;
  log(
    `indexing run over ${INDEXING_RUN_ROWS} rows: ${showUsage(indexing.usage, 1)} (${perRow.toFixed(0)} µs wall per row; the same keys as the generator wrote, ${built!.n})`,
  );
  const [subject] = await sql.query<{ findings: number }>(`SELECT findings FROM bench_subject`);
  await searchRounds(store, log, {
    name: "retrieval-index",
    small: SMALL,
    perRow,
    search: (schema) => search(sql, schema, subject!.findings),
    note: (large) => `${large} findings each`,
  });
}

export const benchmark: Benchmark = {
  name: "retrieval-index",
  description:
    "one person's search in the retrieval protocols through the search index: 2 000 000 rows on PostgreSQL, 500 000 on PGlite, over 100 000 rows",
  async run() {
    // Kept between runs, named by what they hold; those of other settings are dropped.
    await runOnKeptStores({
      fixture: "retrieval-index tables",
      database: "rp_bench_index_",
      folder: "retrieval-index-pglite-",
      rows: {
        postgres: Number(process.env.BENCH_ROWS ?? 2_000_000),
        pglite: Number(process.env.BENCH_PGLITE_ROWS ?? 500_000),
      },
      key: cacheKey,
      complete,
      reusing: ({ big }) =>
        `reusing the tables generated by an earlier run (${big} + ${SMALL} + ${INDEXING_RUN_ROWS} rows)`,
      generate: ({ sql, big, backend, serverCpu }, log) => generate(sql, big, log, backend, serverCpu),
      run: runOn,
    });
    if (prepared) rmSync(ROWS_FOLDER, { recursive: true, force: true });
  },
};

// Run directly (`npx tsx scripts/bench/retrieval-index.ts`) as well as through the bench index.
if (import.meta.url === `file://${process.argv[1]}`) await benchmark.run();
