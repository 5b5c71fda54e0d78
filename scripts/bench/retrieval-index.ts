/**
 * retrieval-index: one person's search in the retrieval protocols through the search index
 * (ADR 0020) on a large table — 2 000 000 rows on PostgreSQL, 500 000 on PGlite (BENCH_ROWS) —
 * against the same search on 100 000 rows, three rounds each, in one run. `ratio` is the large
 * table's median over the small one's: the search must not grow with the store (goal ≤ 1.5, and
 * under 1 s on PostgreSQL). Also reported: the index's size, and the indexing run's time, measured
 * on 10 000 rows of their own (BENCH_INDEX_ROWS; every row parsed, as `npm run sources:index` does:
 * its time per row is what a larger table costs, and 100 000 rows took 7 minutes under load).
 * Rounds, CPU seconds (ours and, on PostgreSQL, the server's for the benchmark's database) and
 * the load are measured by harness.ts; "ours" is the large table's search, "reference" the small one's.
 *
 * The rows are generated inside the database (INSERT … SELECT over generate_series, in chunks):
 * 20 000 distinct XMeld-shaped protocols — officials from a pool of 400, looked-up people with
 * made-up names — are written once with their keys (`protocolSearchKeys`, the connector's own
 * extraction), then repeated under new ids and times, each with its template's keys: the
 * generator writes a row's keys as it writes the row. The person searched for is looked up 20
 * times, spread over the table; a namesake born on another day 5 times (never found).
 * BENCH_BACKENDS=postgres,pglite picks the backends (default both). The tables are written once
 * and kept — on PostgreSQL in the database rp_bench_index_<key>, on PGlite in
 * tmp/bench/retrieval-index-pglite-<key>, the key naming the settings they were made with — as the
 * 1 GiB web-log store is: writing 2 000 000 rows took 11 minutes under load. On a fresh machine
 * the two backends' tables are written side by side (PostgreSQL's in the server, PGlite's in this
 * process: a core each), unlogged, with the indexes built after the rows; the run prints what
 * writing them cost (harness.ts fixture()).
 */
import type { Sql } from "#db/sql";
import type { Subject } from "#app/sources/connector";
import { protocolSearchKeys, RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import {
  buildSearchIndex,
  SEARCH_INDEX_VERSION,
  searchIndexDdl,
  uniqueKeys,
} from "#app/sources/connectors/search-index.server";
import type { Benchmark } from "./index";
import { type DatabaseCpu, measure, showUsage } from "./harness";
import { type KeptStore, runOnKeptStores, searchRounds, settingsKey } from "./kept-stores";

const SMALL = Number(process.env.BENCH_SMALL_ROWS ?? 100_000);
const INDEXING_RUN_ROWS = Number(process.env.BENCH_INDEX_ROWS ?? 10_000);
const TEMPLATES = 20_000;
/**
 * Rows per statement: PGlite runs each statement in this process's thread, so its statements are
 * kept short, and PostgreSQL's, written at the same time, wait little for their turn to be sent.
 */
const CHUNK = { postgres: 100_000, pglite: 20_000 };
const SUBJECT_ROWS = 20;
const NAMESAKE_ROWS = 5;

const SUBJECT: Subject = {
  emails: [{ value: "erika.mustermann@example.org", proven: true }],
  names: [{ value: "Erika Mustermann", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
  birthDate: "1964-08-12",
};

const FIRST = ["Anne", "Jens", "Maria", "Uwe", "Petra", "Kai", "Sabine", "Thomas", "Heike", "Frank"];
const LAST = ["Mayer", "Schulz", "Becker", "Wagner", "Hoffmann", "Krause", "Lehmann", "Vogel"];
const TOWNS = ["Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Suhl"];

function hex(n: number, salt: string): string {
  let h = 2166136261 ^ n;
  for (const c of salt) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0).toString(16).padStart(8, "0");
}

function protocol(n: number, person?: { first: string; last: string; born: string }) {
  const official = n % 400;
  const first = FIRST[official % FIRST.length]!;
  const last = LAST[Math.floor(official / FIRST.length) % LAST.length]!;
  const town = TOWNS[n % TOWNS.length]!;
  const looked = person ?? {
    first: `V${hex(n, "v").slice(0, 6)}`,
    last: `F${hex(n, "f")}`,
    born: `19${40 + (n % 60)}-0${1 + (n % 9)}-1${n % 9}`,
  };
  const request = `<?xml version="1.0" encoding="UTF-8"?>
<xmeld:datenabruf.einfacheMeldeauskunft.anfrage.1350 xmlns:xmeld="http://www.osci.de/xmeld2511a" version="2.5.1">
<nachrichtenkopf.g2g><identifikation.nachricht><nachrichtentyp>1350</nachrichtentyp></identifikation.nachricht>
<autor><verzeichnisdienst>DVDV</verzeichnisdienst><kennung>dvdv:meldb:160${n % 97}</kennung><name>Stadtverwaltung ${town}, Bürgeramt</name></autor></nachrichtenkopf.g2g>
<anfragendeStelle><behoerde>Stadtverwaltung ${town}</behoerde><dvdvKennung>dvdv:meldb:160${n % 97}</dvdvKennung><sicherheitsbehoerde>false</sicherheitsbehoerde></anfragendeStelle>
<sachbearbeiter><nutzerkennung>U-${200000 + official}</nutzerkennung><benutzername>user${official}</benutzername><vorname>${first}</vorname><familienname>${last}</familienname><telefon>(0361) 65 ${5000 + official}</telefon><telefax>0361-655${official}</telefax><email>user${official}@kommune.example</email>
<anschrift><strasse>Rathausplatz ${1 + (official % 40)}</strasse><postleitzahl>99${100 + official}</postleitzahl><wohnort>${town}</wohnort></anschrift></sachbearbeiter>
<aktenzeichen>31-${n % 9999}/2025</aktenzeichen><anlass>Zustellung eines Bescheids</anlass>
<suchkriterien><familienname>${looked.last}</familienname><vorname>${looked.first}</vorname><geburtsdatum>${looked.born}</geburtsdatum></suchkriterien>
</xmeld:datenabruf.einfacheMeldeauskunft.anfrage.1350>`;
  const response = `<?xml version="1.0" encoding="UTF-8"?>
<xmeld:datenabruf.einfacheMeldeauskunft.antwort.1351 xmlns:xmeld="http://www.osci.de/xmeld2511a" version="2.5.1">
<nachrichtenkopf.g2g><identifikation.nachricht><nachrichtentyp>1351</nachrichtentyp></identifikation.nachricht></nachrichtenkopf.g2g>
<ergebnis><trefferanzahl>1</trefferanzahl><person><familienname>${looked.last}</familienname><vornamen>${looked.first}</vornamen><geburtsdatum>${looked.born}</geburtsdatum>
<anschrift><strasse>S${hex(n, "s")}straße ${1 + (n % 120)}</strasse><postleitzahl>0${7000 + (n % 2000)}</postleitzahl><wohnort>${town}</wohnort></anschrift></person></ergebnis>
</xmeld:datenabruf.einfacheMeldeauskunft.antwort.1351>`;
  return { anfrage_xml: request, antwort_xml: response };
}

async function insertKeys(sql: Sql, table: string, rows: { n: number; key: string; birth: string | null }[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    await sql.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [
      part.map((r) => r.n),
      part.map((r) => r.key),
      part.map((r) => r.birth),
    ]);
  }
}

/** A schema with `rows` protocols and their keys, written as the generator writes them. */
async function fill(
  sql: Sql,
  schema: string,
  rows: number,
  log: (line: string) => void,
  backend: KeptStore["backend"],
): Promise<void> {
  // UNLOGGED: the rows are written without write-ahead log, half the writing; the search reads
  // them as it reads a logged table. The indexes are built once the rows are in.
  await sql.exec(`CREATE SCHEMA ${schema};
    CREATE UNLOGGED TABLE ${schema}.abrufprotokoll (id bigint NOT NULL, protokolliert_am timestamptz NOT NULL, nachricht_id text NOT NULL,
      behoerde_dvdv text NOT NULL, sicherheitsbehoerde boolean NOT NULL, auskunftssperre boolean NOT NULL, anfrage_xml text NOT NULL, antwort_xml text NOT NULL);
    CREATE UNLOGGED TABLE ${schema}.portal_search_key (source text NOT NULL, row_id bigint NOT NULL, key text NOT NULL, birth text);`);
  const chunk = CHUNK[backend];
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await sql.exec(`INSERT INTO ${schema}.abrufprotokoll
      SELECT i, timestamptz '2025-01-01 00:00:00+01' + i * interval '7 seconds', md5(i::text), 'dvdv:meldb:160' || (i % 97),
        i % 50 = 0, i % 200 = 0, t.anfrage_xml, t.antwort_xml
      FROM generate_series(${from}, ${to}) AS i JOIN bench_tpl t ON t.n = i % ${TEMPLATES};
      INSERT INTO ${schema}.portal_search_key
      SELECT 'abrufprotokoll', i, k.key, k.birth FROM generate_series(${from}, ${to}) AS i JOIN bench_tpl_key k ON k.n = i % ${TEMPLATES};`);
    if (to % 500_000 === 0 || to === rows) log(`${schema}: ${to} of ${rows} rows written`);
  }
  // The person and the namesake, spread over the table, with their keys.
  const people = [
    ...Array.from({ length: SUBJECT_ROWS }, () => ({
      first: "Erika",
      last: "Mustermann",
      born: "1964-08-12",
    })),
    ...Array.from({ length: NAMESAKE_ROWS }, () => ({
      first: "Erika",
      last: "Mustermann",
      born: "1971-02-03",
    })),
  ];
  for (const [i, person] of people.entries()) {
    const id = Math.floor(((i + 0.5) * rows) / people.length);
    const row = protocol(id, person);
    await sql.query(`UPDATE ${schema}.abrufprotokoll SET anfrage_xml = $2, antwort_xml = $3 WHERE id = $1`, [
      id,
      row.anfrage_xml,
      row.antwort_xml,
    ]);
    await sql.query(`DELETE FROM ${schema}.portal_search_key WHERE row_id = $1`, [id]);
    for (const { key, birth } of uniqueKeys(protocolSearchKeys(row)))
      await sql.query(`INSERT INTO ${schema}.portal_search_key VALUES ('abrufprotokoll', $1, $2, $3)`, [
        id,
        key,
        birth,
      ]);
  }
  const indexing = performance.now();
  await sql.exec(`SET maintenance_work_mem = '${backend === "postgres" ? "256MB" : "64MB"}'; ALTER TABLE ${schema}.abrufprotokoll ADD PRIMARY KEY (id); ${searchIndexDdl(schema)}
    INSERT INTO ${schema}.portal_search_index (source, version, high_water) VALUES ('abrufprotokoll', ${SEARCH_INDEX_VERSION}, ${rows});
    ANALYZE ${schema}.abrufprotokoll; ANALYZE ${schema}.portal_search_key;`);
  log(`${schema}: keys indexed in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
}

/** Names the kept tables by everything they are made of, so that changed settings make new ones. */
function cacheKey(big: number): string {
  return settingsKey({ big, SMALL, INDEXING_RUN_ROWS, TEMPLATES, SEARCH_INDEX_VERSION, version: 2 });
}

async function search(sql: Sql, schema: string): Promise<number> {
  const connector = new RetrievalProtocolConnector("bench", sql, schema);
  let found = 0;
  let via = "";
  for await (const finding of connector.find(SUBJECT, { onReport: (r) => (via = r.index?.via ?? "") }))
    if (finding.ref) found++;
  if (via !== "index") throw new Error(`${schema}: searched without the index`);
  if (found !== SUBJECT_ROWS) throw new Error(`${schema}: expected ${SUBJECT_ROWS} findings, got ${found}`);
  return found;
}

/**
 * The tables of the benchmark, written once and kept (as the 1 GiB web-log store is): 2 000 000
 * rows with their keys took 11 minutes under load, too long for every `npm run bench`. A table
 * `bench_ready` marks them complete.
 */
async function generate(
  sql: Sql,
  big: number,
  log: (line: string) => void,
  backend: KeptStore["backend"],
  serverCpu?: DatabaseCpu,
): Promise<void> {
  const templates = Array.from({ length: TEMPLATES }, (_, n) => ({ n, ...protocol(n) }));
  // What an interrupted generation left behind.
  await sql.exec(
    `DROP SCHEMA IF EXISTS small, big, build CASCADE; DROP TABLE IF EXISTS bench_tpl, bench_tpl_key;`,
  );
  await sql.exec(`CREATE UNLOGGED TABLE bench_tpl (n int PRIMARY KEY, anfrage_xml text, antwort_xml text);
    CREATE UNLOGGED TABLE bench_tpl_key (n int, key text, birth text); CREATE INDEX ON bench_tpl_key (n);`);
  for (let i = 0; i < templates.length; i += 200) {
    const part = templates.slice(i, i + 200);
    await sql.query(`INSERT INTO bench_tpl SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [
      part.map((t) => t.n),
      part.map((t) => t.anfrage_xml),
      part.map((t) => t.antwort_xml),
    ]);
  }
  await insertKeys(
    sql,
    "bench_tpl_key",
    templates.flatMap((t) => uniqueKeys(protocolSearchKeys(t)).map((k) => ({ n: t.n, ...k }))),
  );
  for (const [schema, rows] of [
    ["small", SMALL],
    ["big", big],
    ["build", INDEXING_RUN_ROWS],
  ] as const) {
    // This process's CPU is left out: it writes PGlite's tables at the same time.
    const { usage } = await measure(() => fill(sql, schema, rows, log, backend), { database: serverCpu });
    log(
      `${schema}: ${rows} rows with their keys written in ${usage.wall.toFixed(1)} s wall` +
        (usage.dbCpu === null ? "" : `, database server ${usage.dbCpu.toFixed(1)} s CPU`),
    );
  }
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
  await searchRounds(store, log, {
    name: "retrieval-index",
    small: SMALL,
    perRow,
    search: (schema) => search(sql, schema),
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
  },
};

// Run directly (`npx tsx scripts/bench/retrieval-index.ts`) as well as through the bench index.
if (import.meta.url === `file://${process.argv[1]}`) await benchmark.run();
