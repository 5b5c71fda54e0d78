/**
 * servicedesk-index: one person's search in the service desk (tickets and articles) through the
 * search index (ADR 0020) on a large store — 1 250 000 rows on PostgreSQL (625 000 tickets, as
 * many articles: issue 17's figure), 250 000 on PGlite (BENCH_SD_ROWS, BENCH_SD_PGLITE_ROWS) —
 * against the same search on a store 20 times smaller, three rounds each, in one run. `ratio` is
 * the large store's median over the small one's: the search must not grow with the store (goal
 * ≤ 1.5, and under 1 s on PostgreSQL). Also reported: the index's size, and the indexing run's
 * time, measured on 10 000 rows of their own (`ServiceDeskConnector.buildIndex`, every row's
 * address fields parsed, as `npm run sources:index` does).
 *
 * Both stores were changed after their indexing as a service desk changes them, and every search
 * reads these rows: 100 tickets whose customer phone an agent corrected in place (one of them
 * now the person's: found only through the trigger's note), 50 articles written on old tickets
 * above the mark. The search is checked to find exactly the person's records (counted once by a
 * plain SQL scan when the store was written).
 *
 * The rows are generated inside the database (INSERT … SELECT over generate_series, in chunks)
 * from 20 000 customers whose keys are made once by the connector's own extraction
 * (`ticketSearchKeys`, `articleSearchKeys`); the indexing run on the third store checks that they
 * are the keys the connector files. The stores are written once and kept — on PostgreSQL in the
 * database rp_bench_sdindex_<key> (not rp_bench_index_*: retrieval-index drops those of other
 * settings), on PGlite in tmp/bench/servicedesk-index-pglite-<key>, the key naming the settings —
 * unlogged, the indexes built after the rows; the run prints what writing them cost.
 */
import type { Sql } from "#db/sql";
import type { Subject } from "#app/sources/connector";
import {
  articleSearchKeys,
  ServiceDeskConnector,
  ticketSearchKeys,
} from "#app/sources/connectors/servicedesk.server";
import {
  changeTrackingDdl,
  installTracker,
  SEARCH_INDEX_VERSION,
  searchIndexDdl,
  uniqueKeys,
} from "#app/sources/connectors/search-index.server";
import type { Benchmark } from "./index";
import { measure, showUsage } from "./harness";
import { type KeptStore, runOnKeptStores, searchRounds, settingsKey } from "./kept-stores";

const FACTOR = 20;
const INDEXING_RUN_ROWS = Number(process.env.BENCH_SD_INDEX_ROWS ?? 10_000);
const CUSTOMERS = 20_000;
const CHUNK = { postgres: 100_000, pglite: 25_000 };
const CHANGED_TICKETS = 100;
const NEW_ARTICLES = 50;

const EMAIL = "erika.mustermann@example.org";
const SUBJECT: Subject = {
  emails: [{ value: EMAIL, proven: true }],
  names: [{ value: "Erika Mustermann", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
};

const FIRST = ["Anne", "Jens", "Maria", "Uwe", "Petra", "Kai", "Sabine", "Thomas", "Heike", "Frank"];

function hex(n: number, salt: string): string {
  let h = 2166136261 ^ n;
  for (const c of salt) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Customer `n`: a ticket's customer fields and the From of an article that customer wrote. */
function customer(n: number) {
  const first = FIRST[n % FIRST.length]!;
  const last = `F${hex(n, "f")}`;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.net`;
  return {
    n,
    customer_name: `${first} ${last}`,
    customer_email: email,
    customer_phone: `+49 361 ${String(1_000_000 + n)}`,
    from_addr: `"${first} ${last}" <${email}>`,
  };
}
const SUPPORT = "Servicedesk TLRZ <servicedesk@tlrz.example>";
const PERSON = {
  customer_name: "Erika Mustermann",
  customer_email: EMAIL,
  customer_phone: "+49 361 5550123",
  from_addr: `"Erika Mustermann" <${EMAIL}>`,
};

const TICKET_TABLE = `id bigint NOT NULL, number text NOT NULL, title text NOT NULL, channel text NOT NULL,
  contact_form boolean NOT NULL, consent_opt_in boolean, consent_at timestamptz, consent_text text,
  customer_name text, customer_email text, customer_phone text, state text NOT NULL,
  created_at timestamptz NOT NULL, closed_at timestamptz`;
const ARTICLE_TABLE = `id bigint NOT NULL, ticket_id bigint NOT NULL, created_at timestamptz NOT NULL,
  sender_type text NOT NULL, from_addr text, to_addr text, cc_addr text, subject text, body text, internal boolean NOT NULL`;

/** A store of `rows` rows (half tickets, half articles) with their keys, an index state and the trigger. */
async function fill(
  sql: Sql,
  schema: string,
  rows: number,
  log: (line: string) => void,
  backend: KeptStore["backend"],
  /** A store searched in the rounds (changed after its indexing); else the indexing run's. */
  searched = true,
): Promise<void> {
  const tickets = Math.floor(rows / 2);
  const articles = rows - tickets;
  await sql.exec(`CREATE SCHEMA ${schema};
    CREATE UNLOGGED TABLE ${schema}.ticket (${TICKET_TABLE});
    CREATE UNLOGGED TABLE ${schema}.article (${ARTICLE_TABLE});
    CREATE UNLOGGED TABLE ${schema}.portal_search_key (source text NOT NULL, row_id bigint NOT NULL, key text NOT NULL, birth text);`);
  const chunk = CHUNK[backend];
  for (let from = 1; from <= tickets; from += chunk) {
    const to = Math.min(tickets, from + chunk - 1);
    await sql.exec(`INSERT INTO ${schema}.ticket
      SELECT i, 'T' || i, 'Anfrage ' || i, CASE WHEN i % 3 = 0 THEN 'phone' ELSE 'email' END, i % 10 = 0,
        CASE WHEN i % 10 = 0 THEN true END, CASE WHEN i % 10 = 0 THEN timestamptz '2025-01-01' + i * interval '20 seconds' END,
        CASE WHEN i % 10 = 0 THEN 'Ich willige ein.' END, c.customer_name, c.customer_email, c.customer_phone,
        CASE WHEN i % 4 = 0 THEN 'open' ELSE 'closed' END, timestamptz '2025-01-01' + i * interval '20 seconds',
        CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2025-01-02' + i * interval '20 seconds' END
      FROM generate_series(${from}, ${to}) AS i JOIN bench_customer c ON c.n = i % ${CUSTOMERS};
      INSERT INTO ${schema}.portal_search_key
      SELECT 'ticket', i, k.key, k.birth FROM generate_series(${from}, ${to}) AS i JOIN bench_ticket_key k ON k.n = i % ${CUSTOMERS};`);
  }
  for (let from = 1; from <= articles; from += chunk) {
    const to = Math.min(articles, from + chunk - 1);
    await sql.exec(`INSERT INTO ${schema}.article
      SELECT i, 1 + (i::bigint * 7919) % ${tickets}, timestamptz '2025-01-01' + i * interval '20 seconds', 'customer',
        c.from_addr, '${SUPPORT}', NULL, 'Anfrage', 'Guten Tag, ich habe eine Frage zu meinem Zugang.', false
      FROM generate_series(${from}, ${to}) AS i JOIN bench_customer c ON c.n = (i * 7) % ${CUSTOMERS};
      INSERT INTO ${schema}.portal_search_key
      SELECT 'article', i, k.key, k.birth FROM generate_series(${from}, ${to}) AS i JOIN bench_article_key k ON k.n = (i * 7) % ${CUSTOMERS};`);
  }
  log(`${schema}: ${tickets} tickets and ${articles} articles written`);
  // The person: two tickets and three mails on others' tickets, spread over the store, with their keys.
  const personTickets = [Math.floor(tickets / 3), Math.floor((2 * tickets) / 3)];
  for (const id of personTickets) {
    await sql.query(
      `UPDATE ${schema}.ticket SET customer_name = $2, customer_email = $3, customer_phone = $4 WHERE id = $1`,
      [id, PERSON.customer_name, PERSON.customer_email, PERSON.customer_phone],
    );
    await replaceKeys(sql, schema, "ticket", id, ticketSearchKeys({ id: String(id), ...PERSON }));
  }
  for (const part of [1, 2, 3]) {
    const id = Math.floor((part * articles) / 4);
    await sql.query(`UPDATE ${schema}.article SET from_addr = $2 WHERE id = $1`, [id, PERSON.from_addr]);
    await replaceKeys(
      sql,
      schema,
      "article",
      id,
      articleSearchKeys({ id: String(id), from_addr: PERSON.from_addr, to_addr: SUPPORT }),
    );
  }
  const indexing = performance.now();
  await sql.exec(`SET maintenance_work_mem = '${backend === "postgres" ? "256MB" : "64MB"}';
    ALTER TABLE ${schema}.ticket ADD PRIMARY KEY (id); ALTER TABLE ${schema}.article ADD PRIMARY KEY (id);
    CREATE INDEX ON ${schema}.article (ticket_id);
    ${searchIndexDdl(schema)} ${changeTrackingDdl(schema)}
    ANALYZE ${schema}.ticket; ANALYZE ${schema}.article; ANALYZE ${schema}.portal_search_key;`);
  const desk = new ServiceDeskConnector("bench", sql, schema);
  for (const [table, mark] of [
    [desk.indexedTickets, tickets],
    [desk.indexedArticles, articles],
  ] as const) {
    await sql.transaction(async (tx) => {
      const tracker = await installTracker(tx, schema, table);
      await tx.query(
        `INSERT INTO ${schema}.portal_search_index (source, version, high_water, tracker) VALUES ($1, $2, $3, $4::oid)`,
        [table.table, SEARCH_INDEX_VERSION, mark, tracker],
      );
    });
  }
  log(`${schema}: keys indexed in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
  if (!searched) return;
  // After the indexing, as the service desk goes on: corrections in place (the last one makes a
  // stranger's ticket the person's) and mails on old tickets. The trigger notes them.
  const changed = Array.from(
    { length: CHANGED_TICKETS },
    (_, i) => 1 + Math.floor(((i + 0.5) * tickets) / CHANGED_TICKETS),
  );
  await sql.query(
    `UPDATE ${schema}.ticket SET customer_phone = customer_phone || '9' WHERE id = ANY($1::bigint[])`,
    [changed.slice(0, -1)],
  );
  await sql.query(`UPDATE ${schema}.ticket SET customer_email = $2, customer_name = $3 WHERE id = $1`, [
    changed.at(-1),
    PERSON.customer_email,
    PERSON.customer_name,
  ]);
  await sql.query(
    `INSERT INTO ${schema}.article (id, ticket_id, created_at, sender_type, from_addr, to_addr, internal)
     SELECT ${articles} + i, 1 + (i * 997) % ${tickets}, now(), 'agent', '${SUPPORT}', c.from_addr, false
     FROM generate_series(1, ${NEW_ARTICLES}) AS i JOIN bench_customer c ON c.n = i`,
  );
  // What a plain scan finds, once: the person's tickets with all their articles, and their mails elsewhere.
  await sql.exec(`CREATE TABLE ${schema}.bench_expected AS
    WITH mine AS (SELECT id FROM ${schema}.ticket WHERE customer_email = '${EMAIL}')
    SELECT (SELECT count(*) FROM mine)
      + (SELECT count(*) FROM ${schema}.article WHERE ticket_id IN (SELECT id FROM mine))
      + (SELECT count(*) FROM ${schema}.article WHERE from_addr LIKE '%${EMAIL}%' AND ticket_id NOT IN (SELECT id FROM mine))
      AS findings`);
}

async function replaceKeys(
  sql: Sql,
  schema: string,
  source: string,
  id: number,
  keys: { key: string; birth: string | null }[],
) {
  await sql.query(`DELETE FROM ${schema}.portal_search_key WHERE source = $1 AND row_id = $2`, [source, id]);
  for (const { key, birth } of uniqueKeys(keys))
    await sql.query(`INSERT INTO ${schema}.portal_search_key VALUES ($1, $2, $3, $4)`, [
      source,
      id,
      key,
      birth,
    ]);
}

function cacheKey(big: number): string {
  return settingsKey({ big, FACTOR, INDEXING_RUN_ROWS, CUSTOMERS, SEARCH_INDEX_VERSION, version: 1 });
}

async function search(sql: Sql, schema: string): Promise<{ found: number; read: number; unindexed: number }> {
  const connector = new ServiceDeskConnector("bench", sql, schema);
  let found = 0;
  let read = 0;
  let unindexed = 0;
  let via = "";
  for await (const finding of connector.find(SUBJECT, {
    onReport: (r) => {
      via = r.index?.via ?? "";
      read = r.scanned;
      if (r.index?.via === "index") unindexed = r.index.newerRows + (r.index.changedRows ?? 0);
    },
  }))
    if (finding.ref) found++;
  if (via !== "index") throw new Error(`${schema}: searched without the index`);
  const [{ findings }] = (await sql.query<{ findings: number }>(
    `SELECT findings::int AS findings FROM ${schema}.bench_expected`,
  )) as [{ findings: number }];
  if (found !== findings) throw new Error(`${schema}: expected ${findings} findings, got ${found}`);
  return { found, read, unindexed };
}

async function generate(sql: Sql, big: number, log: (line: string) => void, backend: KeptStore["backend"]) {
  await sql.exec(
    `DROP SCHEMA IF EXISTS small, big, build CASCADE; DROP TABLE IF EXISTS bench_customer, bench_ticket_key, bench_article_key, bench_ready;`,
  );
  await sql.exec(`CREATE UNLOGGED TABLE bench_customer (n int PRIMARY KEY, customer_name text, customer_email text, customer_phone text, from_addr text);
    CREATE UNLOGGED TABLE bench_ticket_key (n int, key text, birth text); CREATE INDEX ON bench_ticket_key (n);
    CREATE UNLOGGED TABLE bench_article_key (n int, key text, birth text); CREATE INDEX ON bench_article_key (n);`);
  const customers = Array.from({ length: CUSTOMERS }, (_, n) => customer(n));
  for (let i = 0; i < customers.length; i += 2000) {
    const part = customers.slice(i, i + 2000);
    await sql.query(
      `INSERT INTO bench_customer SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        part.map((c) => c.n),
        part.map((c) => c.customer_name),
        part.map((c) => c.customer_email),
        part.map((c) => c.customer_phone),
        part.map((c) => c.from_addr),
      ],
    );
    for (const [table, keysOf] of [
      ["bench_ticket_key", (c: (typeof part)[number]) => ticketSearchKeys({ id: "0", ...c })],
      [
        "bench_article_key",
        (c: (typeof part)[number]) => articleSearchKeys({ id: "0", ...c, to_addr: SUPPORT }),
      ],
    ] as const) {
      const keys = part.flatMap((c) => uniqueKeys(keysOf(c)).map((k) => ({ n: c.n, ...k })));
      await sql.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::text[], $3::text[])`, [
        keys.map((k) => k.n),
        keys.map((k) => k.key),
        keys.map((k) => k.birth),
      ]);
    }
  }
  for (const [schema, rows] of [
    ["small", Math.round(big / FACTOR)],
    ["big", big],
    ["build", INDEXING_RUN_ROWS],
  ] as const)
    await fill(sql, schema, rows, log, backend, schema !== "build");
  await sql.exec(`CREATE TABLE bench_ready (rows bigint); INSERT INTO bench_ready VALUES (${big});`);
}

/** A kept store still holds its rows (a crash empties an unlogged table). */
async function complete({ sql, big }: KeptStore): Promise<boolean> {
  const [rows] = await sql.query<{ n: string }>(
    `SELECT ((SELECT count(*) FROM big.ticket) + (SELECT count(*) FROM big.article))::text AS n`,
  );
  return rows!.n === String(big + NEW_ARTICLES);
}

async function runOn(store: KeptStore, log: (line: string) => void) {
  const { sql, big, serverCpu } = store;
  // The indexing run, as `npm run sources:index` makes it: every row's fields parsed.
  const [written] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM build.portal_search_key`);
  await sql.exec(`DROP TRIGGER IF EXISTS portal_search_change ON build.ticket; DROP TRIGGER IF EXISTS portal_search_change ON build.article;
    DROP TABLE build.portal_search_key; DROP TABLE build.portal_search_index; DROP TABLE IF EXISTS build.portal_search_change;`);
  const connector = new ServiceDeskConnector("bench", sql, "build");
  const indexing = await measure(() => connector.buildIndex(), { database: serverCpu });
  const [built] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM build.portal_search_key`);
  if (indexing.value.indexed !== INDEXING_RUN_ROWS || built!.n !== written!.n)
    throw new Error(
      `the indexing run filed ${built!.n} keys for ${indexing.value.indexed} rows, the generator ${written!.n}`,
    );
  const perRow = (1e6 * indexing.usage.wall) / indexing.value.indexed;
  log(
    `indexing run over ${indexing.value.indexed} rows: ${showUsage(indexing.usage, 1)} (${perRow.toFixed(0)} µs wall per row; ${built!.n} keys, the generator wrote ${written!.n})`,
  );
  await searchRounds(store, log, {
    name: "servicedesk-index",
    small: Math.round(big / FACTOR),
    perRow,
    search: (schema) => search(sql, schema),
    note: (l, s) =>
      `${l.found} findings each; rows read ${l.read} / ${s.read}, of them without the index (newer or changed since the run) ${l.unindexed} / ${s.unindexed}`,
  });
}

export const benchmark: Benchmark = {
  name: "servicedesk-index",
  description:
    "one person's search in the service desk through the search index: 1 250 000 rows on PostgreSQL, 250 000 on PGlite, over a store 20 times smaller",
  async run() {
    // Both backends' stores are written side by side (the server's processes and this one).
    await runOnKeptStores({
      fixture: "servicedesk-index stores",
      database: "rp_bench_sdindex_",
      folder: "servicedesk-index-pglite-",
      rows: {
        postgres: Number(process.env.BENCH_SD_ROWS ?? 1_250_000),
        pglite: Number(process.env.BENCH_SD_PGLITE_ROWS ?? 250_000),
      },
      key: cacheKey,
      complete,
      reusing: ({ big }) =>
        `reusing the stores written by an earlier run (${big}, ${big / FACTOR} and ${INDEXING_RUN_ROWS} rows)`,
      generate: ({ sql, big, backend }, log) => generate(sql, big, log, backend),
      run: runOn,
    });
  },
};

if (import.meta.url === `file://${process.argv[1]}`) await benchmark.run();
