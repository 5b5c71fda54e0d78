/**
 * servicedesk-index: one person's search in the service desk (tickets and articles) through the
 * search index (ADR 0020) on a large store — 20 copies of the generator's store on PostgreSQL
 * (≈ 1 250 000 rows, issue 17's figure), 4 on PGlite (BENCH_SD_COPIES, BENCH_SD_PGLITE_COPIES) —
 * against the same search on the generator's store itself (≈ 62 500 rows), three rounds each, in
 * one run. `ratio` is the large store's median over the small one's: the search must not grow
 * with the store (goal ≤ 1.5, and under 1 s on PostgreSQL). Also reported: the index's size, and
 * the indexing run's time, measured on the store's first ≈ 10 000 rows (its first tickets and
 * their articles, BENCH_SD_INDEX_ROWS) of their own (`ServiceDeskConnector.buildIndex`, every
 * row's address fields parsed, as `npm run sources:index` does).
 *
 * The rows are the generator's (issue 17, point 4): `generateSample` with `ticketRows` (the
 * database stores only; 4 000 people, people not in the sample writing tickets up to that count:
 * mails with colleagues in CC, calls, the contact form, free text naming yet others), each row's
 * keys made once by the connector's own extraction (`ticketSearchKeys`, `articleSearchKeys`). The
 * large store holds each ticket, then copies of it under the next ids, and each article with its
 * copies, each copy on the copy of its ticket; made inside the database (INSERT … SELECT over
 * generate_series) with the rows' keys. A row the searched person is a candidate of (any of her
 * search keys, or a broken row's) is not copied — its copies are copies of the row before — so
 * both stores hold the same candidates: the person is the demo person Erika Mustermann, searched
 * with every identifier the answer key gives her.
 *
 * Both searched stores were changed after their indexing as a service desk changes them, and
 * every search reads these rows: 99 tickets whose customer phone an agent corrected in place and
 * one stranger's ticket corrected to the person's address and name (found only through the
 * trigger's note), 50 mails written on old tickets above the articles' mark. Every search must
 * find exactly her records: those the answer key gives her in the service desk (under their ids
 * in the large store) and the corrected ticket with its articles — no stranger's record, none of
 * hers missed (checked when the stores are written and in every round).
 *
 * The stores are written once and kept — on PostgreSQL in the database rp_bench_sdindex_<key>, on
 * PGlite in tmp/bench/servicedesk-index-pglite-<key>, the key naming the generator's version and
 * the settings — unlogged, the indexes built after the rows; the run prints what writing them cost.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { Sql } from "#db/sql";
import type { Subject } from "#app/sources/connector";
import {
  articleSearchKeys,
  ServiceDeskConnector,
  ticketSearchKeys,
} from "#app/sources/connectors/servicedesk.server";
import {
  ALWAYS_CANDIDATE,
  changeTrackingDdl,
  installTracker,
  SEARCH_INDEX_FORMAT,
  SEARCH_INDEX_VERSION,
  searchIndexDdl,
} from "#app/sources/connectors/search-index.server";
import { compileSubject } from "#app/sources/subject";
import { subjectFromKey } from "#app/sources/sample/answer-key";
import { generateSample } from "#app/sources/sample/generate.server";
import { DATABASE_FILES, SAMPLE_STORES } from "#app/sources/sample/layout";
import type { ArticleRow, TicketRow } from "#app/sources/sample/servicedesk";
import { TLRZ } from "#app/sources/sample/pools";
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

const INDEXING_RUN_ROWS = Number(process.env.BENCH_SD_INDEX_ROWS ?? 10_000);
/** The generator's landscape whose service desk the stores are made of (≈ 62 500 rows). */
const SAMPLE = {
  people: 4_000,
  days: 2,
  seed: "bench-servicedesk-index",
  ticketRows: 15_600,
  databaseOnly: true,
};
/** Templates (tickets, or articles) per statement; rows written = this × the copies. */
const CHUNK = { postgres: 5_000, pglite: 5_000 };
const CHANGED_TICKETS = 100;
const NEW_ARTICLES = 50;
const ROWS_FOLDER = path.join("tmp", "bench", "servicedesk-index-rows");
const AGENT = TLRZ.agents[0];

const TICKET_COLUMNS = `number text NOT NULL, title text NOT NULL, channel text NOT NULL,
  contact_form boolean NOT NULL, consent_opt_in boolean, consent_at timestamptz, consent_text text,
  customer_name text, customer_email text, customer_phone text, state text NOT NULL,
  created_at timestamptz NOT NULL, closed_at timestamptz`;
const ARTICLE_COLUMNS = `created_at timestamptz NOT NULL, sender_type text NOT NULL, from_addr text, to_addr text,
  cc_addr text, subject text, body text, internal boolean NOT NULL`;

interface Prepared {
  tickets: string;
  articles: string;
  subject: Subject;
  /** Her records in the service desk by the answer key ("ticket/7", "article/21"). */
  records: string[];
  /** The store's rows, and the last ticket and article of the indexing run's store. */
  counts: { tickets: number; articles: number; buildTickets: number; buildArticles: number };
}

/** The generator's service desk as templates, made once for both backends. */
let prepared: Promise<Prepared> | undefined;
function prepare(log: (line: string) => void) {
  return (prepared ??= (async () => {
    rmSync(ROWS_FOLDER, { recursive: true, force: true });
    const started = performance.now();
    const sample = await generateSample({ ...SAMPLE, out: path.join(ROWS_FOLDER, "sample") });
    log(`generated ${JSON.stringify(SAMPLE)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const person = sample.answerKey.persons.find((p) => p.demo === "erika");
    if (!person) throw new Error("the sample has no demo person erika");
    const subject = subjectFromKey(person);
    const records = [
      ...new Set(person.records.filter((r) => r.store === SAMPLE_STORES.servicedesk.id).map((r) => r.ref)),
    ];
    const subjectKeys = new Set([...compileSubject(subject).searchKeys(), ALWAYS_CANDIDATE]);
    const counts = { tickets: 0, articles: 0, buildTickets: 0, buildArticles: 0 };
    const ticketFile = path.join(ROWS_FOLDER, "tickets.jsonl");
    const articleFile = path.join(ROWS_FOLDER, "articles.jsonl");
    await writeTemplates<TicketRow>(
      path.join(sample.out, DATABASE_FILES.ticket),
      ticketFile,
      (row) => ticketSearchKeys({ ...row, id: String(row.id) }),
      subjectKeys,
      () => counts.tickets++,
    );
    // The indexing run's store: the first tickets and their articles, ≈ INDEXING_RUN_ROWS rows.
    await writeTemplates<ArticleRow>(
      path.join(sample.out, DATABASE_FILES.article),
      articleFile,
      (row) => articleSearchKeys({ ...row, id: String(row.id) }),
      subjectKeys,
      (row) => {
        counts.articles++;
        if (counts.buildTickets === 0 && row.ticket_id + row.id > INDEXING_RUN_ROWS)
          counts.buildTickets = row.ticket_id - 1;
        if (counts.buildTickets === 0 || row.ticket_id <= counts.buildTickets) counts.buildArticles = row.id;
      },
    );
    if (counts.buildTickets === 0) throw new Error("the service desk is smaller than the indexing run");
    rmSync(path.join(ROWS_FOLDER, "sample"), { recursive: true, force: true });
    log(
      `${counts.tickets} tickets and ${counts.articles} articles, their keys made in ${((performance.now() - started) / 1000).toFixed(1)} s in all; the person has ${records.length} records`,
    );
    return { tickets: ticketFile, articles: articleFile, subject, records, counts };
  })());
}

async function insertTemplates(sql: Sql, { tickets, articles }: Prepared) {
  await sql.exec(`CREATE UNLOGGED TABLE bench_ticket_tpl (n int PRIMARY KEY, source int NOT NULL, candidate boolean NOT NULL, ${TICKET_COLUMNS});
    CREATE UNLOGGED TABLE bench_article_tpl (n int PRIMARY KEY, source int NOT NULL, candidate boolean NOT NULL, ticket_id int NOT NULL, ${ARTICLE_COLUMNS});
    CREATE UNLOGGED TABLE bench_ticket_key (n int, key text, birth text);
    CREATE UNLOGGED TABLE bench_article_key (n int, key text, birth text);`);
  // Every value as text: both drivers send text arrays alike; NULL stays NULL.
  const insert = async <Row extends { id: number }>(
    file: string,
    table: string,
    columns: readonly (keyof Row & string)[],
    types: string[],
  ) => {
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const casts = ["$1::int[]", "$2::int[]", "$3::text[]::boolean[]"].concat(
      types.map((type, i) => `$${i + 4}::text[]::${type}[]`),
    );
    await loadTemplates<Row>(sql, file, `${table}_key`, async (batch) => {
      await sql.query(`INSERT INTO ${table}_tpl SELECT * FROM unnest(${casts.join(", ")})`, [
        batch.map((t) => t.row.id),
        batch.map((t) => t.source),
        batch.map((t) => String(t.candidate)),
        ...columns.map((c) => batch.map((t) => text(t.row[c]))),
      ]);
    });
  };
  await insert<TicketRow>(
    tickets,
    "bench_ticket",
    [
      "number",
      "title",
      "channel",
      "contact_form",
      "consent_opt_in",
      "consent_at",
      "consent_text",
      "customer_name",
      "customer_email",
      "customer_phone",
      "state",
      "created_at",
      "closed_at",
    ],
    [
      "text",
      "text",
      "text",
      "boolean",
      "boolean",
      "timestamptz",
      "text",
      "text",
      "text",
      "text",
      "text",
      "timestamptz",
      "timestamptz",
    ],
  );
  await insert<ArticleRow>(
    articles,
    "bench_article",
    [
      "ticket_id",
      "created_at",
      "sender_type",
      "from_addr",
      "to_addr",
      "cc_addr",
      "subject",
      "body",
      "internal",
    ],
    ["int", "timestamptz", "text", "text", "text", "text", "text", "text", "boolean"],
  );
  await sql.exec(`CREATE INDEX ON bench_ticket_key (n); CREATE INDEX ON bench_article_key (n);
    ANALYZE bench_ticket_tpl; ANALYZE bench_article_tpl; ANALYZE bench_ticket_key; ANALYZE bench_article_key;`);
}

/** Copy `c` of the template row `n` in a store of `copies` copies. */
const slot = (n: number, c: number, copies: number) => (n - 1) * copies + c + 1;

/**
 * A store of the generator's first `tickets` tickets and `articles` articles, each followed by
 * `copies` − 1 copies, with their keys, an index state and the trigger; a searched store is then
 * changed and its expected records kept in `bench_expected`.
 */
async function fill(
  sql: Sql,
  schema: string,
  { tickets, articles, copies }: { tickets: number; articles: number; copies: number },
  log: (line: string) => void,
  backend: KeptStore["backend"],
  prep: Prepared,
  searched: boolean,
): Promise<void> {
  await sql.exec(`CREATE SCHEMA ${schema};
    CREATE UNLOGGED TABLE ${schema}.ticket (id bigint NOT NULL, ${TICKET_COLUMNS});
    CREATE UNLOGGED TABLE ${schema}.article (id bigint NOT NULL, ticket_id bigint NOT NULL, ${ARTICLE_COLUMNS});
    CREATE UNLOGGED TABLE ${schema}.portal_search_key (source text NOT NULL, row_id bigint NOT NULL, key text NOT NULL, birth text);`);
  // Copy c of template t (c = 0 the row itself) holds the row of its source when c > 0.
  const from = (table: string, a: number, b: number, joined: string) =>
    `FROM ${table}_tpl t CROSS JOIN generate_series(0, ${copies - 1}) AS c
      JOIN ${joined} s ON s.n = CASE WHEN c = 0 THEN t.n ELSE t.source END WHERE t.n BETWEEN ${a} AND ${b}`;
  const id = `(t.n - 1) * ${copies} + c + 1`;
  for (let a = 1; a <= tickets; a += CHUNK[backend]) {
    const b = Math.min(tickets, a + CHUNK[backend] - 1);
    await sql.exec(`INSERT INTO ${schema}.ticket
      SELECT ${id}, s.number || CASE WHEN c = 0 THEN '' ELSE '-' || c END, s.title, s.channel, s.contact_form,
        s.consent_opt_in, s.consent_at, s.consent_text, s.customer_name, s.customer_email, s.customer_phone, s.state,
        s.created_at + c * interval '1 second', s.closed_at
      ${from("bench_ticket", a, b, "bench_ticket_tpl")};
      INSERT INTO ${schema}.portal_search_key SELECT 'ticket', ${id}, s.key, s.birth ${from("bench_ticket", a, b, "bench_ticket_key")};`);
  }
  for (let a = 1; a <= articles; a += CHUNK[backend]) {
    const b = Math.min(articles, a + CHUNK[backend] - 1);
    // Each copy on the same copy of the original's ticket: the person's ticket (never copied)
    // holds its own articles alone.
    await sql.exec(`INSERT INTO ${schema}.article
      SELECT ${id}, (t.ticket_id - 1) * ${copies} + c + 1, s.created_at + c * interval '1 second', s.sender_type,
        s.from_addr, s.to_addr, s.cc_addr, s.subject, s.body, s.internal
      ${from("bench_article", a, b, "bench_article_tpl")};
      INSERT INTO ${schema}.portal_search_key SELECT 'article', ${id}, s.key, s.birth ${from("bench_article", a, b, "bench_article_key")};`);
  }
  const ticketRows = tickets * copies;
  const articleRows = articles * copies;
  log(`${schema}: ${ticketRows} tickets and ${articleRows} articles written`);
  const indexing = performance.now();
  await sql.exec(`SET maintenance_work_mem = '${backend === "postgres" ? "256MB" : "64MB"}';
    ALTER TABLE ${schema}.ticket ADD PRIMARY KEY (id); ALTER TABLE ${schema}.article ADD PRIMARY KEY (id);
    CREATE INDEX ON ${schema}.article (ticket_id);
    ${searchIndexDdl(schema)} ${changeTrackingDdl(schema)}
    ANALYZE ${schema}.ticket; ANALYZE ${schema}.article; ANALYZE ${schema}.portal_search_key;`);
  const desk = new ServiceDeskConnector("bench", sql, schema);
  for (const [table, mark] of [
    [desk.indexedTickets, ticketRows],
    [desk.indexedArticles, articleRows],
  ] as const) {
    await sql.transaction(async (tx) => {
      const tracker = await installTracker(tx, schema, table);
      await tx.query(
        `INSERT INTO ${schema}.portal_search_index (source, version, format, high_water, tracker) VALUES ($1, $2, $3, $4, $5::oid)`,
        [table.table, SEARCH_INDEX_VERSION, SEARCH_INDEX_FORMAT, mark, tracker],
      );
    });
  }
  log(`${schema}: keys indexed in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
  if (!searched) return;

  // Her records by the answer key, under their ids in this store (the originals, copy 0).
  const expected = new Set(
    prep.records.map((ref) => {
      const [table, n] = ref.split("/") as [string, string];
      return `${table}/${slot(Number(n), 0, copies)}`;
    }),
  );
  // Rows the changes below may touch: no candidate of hers (a copy never is one).
  const [candidates] = await sql.query<{ tickets: number[]; articles: number[] }>(
    `SELECT (SELECT coalesce(array_agg(n), '{}') FROM bench_ticket_tpl WHERE candidate) AS tickets,
      (SELECT coalesce(array_agg(n), '{}') FROM bench_article_tpl WHERE candidate) AS articles`,
  );
  const notHers = (set: number[], rows: number, spread: number) => {
    const taken = new Set(set.map(Number));
    const ids: number[] = [];
    for (let i = 0; i < spread; i++) {
      let row = 1 + Math.floor(((i + 0.5) * rows) / spread);
      while ((row - 1) % copies === 0 && taken.has((row - 1) / copies + 1)) row++;
      ids.push(row);
    }
    return ids;
  };
  // After the indexing, as the service desk goes on: phones corrected in place, one stranger's
  // ticket corrected to her address and name, mails on old tickets. The trigger notes them.
  const changed = notHers(candidates!.tickets, ticketRows, CHANGED_TICKETS);
  const hers = changed.at(-1)!;
  await sql.query(
    `UPDATE ${schema}.ticket SET customer_phone = customer_phone || '9' WHERE id = ANY($1::bigint[])`,
    [changed.slice(0, -1)],
  );
  await sql.query(`UPDATE ${schema}.ticket SET customer_email = $2, customer_name = $3 WHERE id = $1`, [
    hers,
    prep.subject.emails[0]!.value,
    prep.subject.names[0]!.value,
  ]);
  const onTickets = notHers(candidates!.tickets, ticketRows, NEW_ARTICLES + 1).filter((t) => t !== hers);
  const fromArticles = notHers(candidates!.articles, articleRows, NEW_ARTICLES);
  await sql.query(
    `INSERT INTO ${schema}.article (id, ticket_id, created_at, sender_type, from_addr, to_addr, cc_addr, subject, body, internal)
     SELECT ${articleRows} + i, x.ticket_id, now(), 'agent', $3, a.from_addr, a.cc_addr, 'AW: ' || a.subject, 'Nachtrag.', false
     FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS x(ticket_id, source, i) JOIN ${schema}.article a ON a.id = x.source`,
    [onTickets.slice(0, NEW_ARTICLES), fromArticles, AGENT],
  );
  expected.add(`ticket/${hers}`);
  for (const { id } of await sql.query<{ id: string }>(
    `SELECT id::text AS id FROM ${schema}.article WHERE ticket_id = $1`,
    [hers],
  ))
    expected.add(`article/${id}`);
  await sql.exec(`CREATE TABLE ${schema}.bench_expected (ref text PRIMARY KEY)`);
  await sql.query(`INSERT INTO ${schema}.bench_expected SELECT unnest($1::text[])`, [[...expected]]);
}

function cacheKey(copies: number): string {
  return settingsKey({
    copies,
    INDEXING_RUN_ROWS,
    SAMPLE,
    generator: generatorVersion(),
    SEARCH_INDEX_FORMAT,
    version: 2,
  });
}

/** The subject as kept with the store (the answer key's identifiers of Erika Mustermann). */
async function keptSubject(sql: Sql): Promise<Subject> {
  const [row] = await sql.query<{ subject: string }>(`SELECT subject FROM bench_subject`);
  return JSON.parse(row!.subject) as Subject;
}

/** Her search: exactly the expected records, or it throws (naming how many, not whose). */
async function search(
  sql: Sql,
  schema: string,
  subject: Subject,
): Promise<{ found: number; read: number; unindexed: number }> {
  const connector = new ServiceDeskConnector("bench", sql, schema);
  const found = new Set<string>();
  let findings = 0;
  let read = 0;
  let unindexed = 0;
  let via = "";
  for await (const finding of connector.find(subject, {
    onReport: (r) => {
      via = r.index?.via ?? "";
      read = r.scanned;
      if (r.index?.via === "index") unindexed = r.index.newerRows + (r.index.changedRows ?? 0);
    },
  }))
    if (finding.ref) {
      findings++;
      found.add(finding.ref);
    }
  if (via !== "index") throw new Error(`${schema}: searched without the index`);
  const expected = new Set(
    (await sql.query<{ ref: string }>(`SELECT ref FROM ${schema}.bench_expected`)).map((r) => r.ref),
  );
  const strangers = [...found].filter((ref) => !expected.has(ref)).length;
  const missed = [...expected].filter((ref) => !found.has(ref)).length;
  if (strangers || missed || findings !== found.size)
    throw new Error(
      `${schema}: ${found.size} records found (${findings} findings) where ${expected.size} are hers: ${strangers} of strangers, ${missed} of hers missed`,
    );
  return { found: found.size, read, unindexed };
}

async function generate(
  sql: Sql,
  copies: number,
  log: (line: string) => void,
  backend: KeptStore["backend"],
  serverCpu?: DatabaseCpu,
) {
  const prep = await prepare(log);
  // What an interrupted generation left behind, or a crash emptied (unlogged tables), its mark too.
  await sql.exec(`DROP SCHEMA IF EXISTS small, big, build CASCADE;
    DROP TABLE IF EXISTS bench_ticket_tpl, bench_article_tpl, bench_ticket_key, bench_article_key, bench_subject, bench_ready;`);
  await insertTemplates(sql, prep);
  const { counts } = prep;
  for (const [schema, tickets, articles, n] of [
    ["small", counts.tickets, counts.articles, 1],
    ["big", counts.tickets, counts.articles, copies],
    ["build", counts.buildTickets, counts.buildArticles, 1],
  ] as const) {
    const { usage } = await measure(
      () => fill(sql, schema, { tickets, articles, copies: n }, log, backend, prep, schema !== "build"),
      { database: serverCpu },
    );
    log(
      `${schema}: ${(tickets + articles) * n} rows with their keys written in ${usage.wall.toFixed(1)} s wall` +
        (usage.dbCpu === null ? "" : `, database server ${usage.dbCpu.toFixed(1)} s CPU`),
    );
  }
  await sql.exec(`DROP TABLE bench_ticket_tpl, bench_article_tpl, bench_ticket_key, bench_article_key`);
  await sql.query(`CREATE TABLE bench_subject AS SELECT $1::text AS subject`, [JSON.stringify(prep.subject)]);
  // Her records, found exactly in the small store (the large one is searched in the rounds).
  await search(sql, "small", prep.subject);
  const rows = (counts.tickets + counts.articles) * copies + NEW_ARTICLES;
  await sql.exec(`CREATE TABLE bench_ready AS SELECT ${rows}::bigint AS big_rows`);
}

const storeRows = async (sql: Sql, schema: string) => {
  const [row] = await sql.query<{ n: string }>(
    `SELECT ((SELECT count(*) FROM ${schema}.ticket) + (SELECT count(*) FROM ${schema}.article))::text AS n`,
  );
  return Number(row!.n);
};

/** A kept store still holds its rows (a crash empties an unlogged table). */
async function complete({ sql }: KeptStore): Promise<boolean> {
  const [ready] = await sql.query<{ n: string }>(`SELECT big_rows::text AS n FROM bench_ready`);
  return ready !== undefined && Number(ready.n) === (await storeRows(sql, "big"));
}

async function runOn(store: KeptStore, log: (line: string) => void) {
  const { sql, serverCpu } = store;
  // The indexing run, as `npm run sources:index` makes it: every row's fields parsed.
  const buildRows = await storeRows(sql, "build");
  const [written] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM build.portal_search_key`);
  await sql.exec(`DROP TRIGGER IF EXISTS portal_search_change ON build.ticket; DROP TRIGGER IF EXISTS portal_search_change ON build.article;
    DROP TABLE build.portal_search_key; DROP TABLE build.portal_search_index; DROP TABLE IF EXISTS build.portal_search_change;`);
  const connector = new ServiceDeskConnector("bench", sql, "build");
  const indexing = await measure(() => connector.buildIndex(), { database: serverCpu });
  const [built] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM build.portal_search_key`);
  if (indexing.value.indexed !== buildRows || built!.n !== written!.n)
    throw new Error(
      `the indexing run filed ${built!.n} keys for ${indexing.value.indexed} of ${buildRows} rows, the benchmark ${written!.n}`,
    );
  const perRow = (1e6 * indexing.usage.wall) / indexing.value.indexed;
  log(
    `indexing run over ${indexing.value.indexed} rows: ${showUsage(indexing.usage, 1)} (${perRow.toFixed(0)} µs wall per row; ${built!.n} keys, as the benchmark wrote)`,
  );
  const subject = await keptSubject(sql);
  const big = await storeRows(sql, "big");
  await searchRounds({ ...store, big }, log, {
    name: "servicedesk-index",
    small: await storeRows(sql, "small"),
    perRow,
    search: (schema) => search(sql, schema, subject),
    note: (l, s) =>
      `${l.found} records each, exactly hers; rows read ${l.read} / ${s.read}, of them without the index (newer or changed since the run) ${l.unindexed} / ${s.unindexed}`,
  });
}

export const benchmark: Benchmark = {
  name: "servicedesk-index",
  description:
    "one person's search in the service desk through the search index: the generator's store (≈ 62 500 rows) and 20 copies on PostgreSQL, 4 on PGlite",
  async run() {
    // Both backends' stores are written side by side (the server's processes and this one).
    await runOnKeptStores({
      fixture: "servicedesk-index stores",
      database: "rp_bench_sdindex_",
      folder: "servicedesk-index-pglite-",
      // The large store's copies of each row (KeptStore.big here).
      rows: {
        postgres: Number(process.env.BENCH_SD_COPIES ?? 20),
        pglite: Number(process.env.BENCH_SD_PGLITE_COPIES ?? 4),
      },
      key: cacheKey,
      complete,
      reusing: ({ big }) =>
        `reusing the stores written by an earlier run (the generator's and ${big} copies)`,
      generate: ({ sql, big, backend, serverCpu }, log) => generate(sql, big, log, backend, serverCpu),
      run: runOn,
    });
    if (prepared) rmSync(ROWS_FOLDER, { recursive: true, force: true });
  },
};

if (import.meta.url === `file://${process.argv[1]}`) await benchmark.run();
