/**
 * retrieval-sweep: the retrieval-protocol connector's sweep over a table of 1 million XMeld-shaped
 * protocols of which a fifth are past § 40(5) BMG, against one plain `DELETE ... WHERE` on a copy
 * of the same table, on the PostgreSQL server (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; a database of its own, rp_bench_sweep_<key>, kept
 * for the next run as retrieval-index's tables are, the key naming the settings). Three
 * rounds of both in turns (harness.ts); only the deletes are timed (nothing after them), each on
 * one connection of its own, with the server's CPU for the benchmark's database beside ours. After
 * each round the deleted rows are put back from a template and both tables vacuumed, so every
 * round deletes the same rows from the same state.
 *
 * Besides the time it measures what other writers feel: a probe connection updates a random expired
 * row every 50 ms during both deletes and records its longest wait, and every batch statement of
 * our sweep (one transaction each, so the longest batch is the longest row-lock hold) is timed.
 * BENCH_ROWS changes the table size (5 000 000 was the first measurement's).
 */
import postgres from "postgres";
import { type Sql, sqlFromPostgresJs } from "#db/sql";
import { retentionRules } from "#app/core/retention";
import { RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import { holdTableDdl } from "#app/sources/database.server";
import { sweepRule } from "#app/sources/retention";
import type { Benchmark } from "./index";
import { BenchRun, DatabaseCpu, fixture, measure } from "./harness";
import { keptDatabaseUrl, settingsKey } from "./kept-stores";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EXPIRED = Math.floor(ROWS / 5);
// Swept on 15 June 2026: everything logged in 2024 is past "the end of the following year".
const NOW = new Date("2026-06-15T08:00:00Z");
const CUTOFF_SQL = "2025-01-01 00:00:00 Europe/Berlin";
const CHUNK = 250_000;

/** XMeld-shaped request and response as the sample generator writes them, varied per row. */
const requestXml = `'<?xml version="1.0" encoding="UTF-8"?>
<xmeld:datenabruf.einfacheMeldeauskunft.anfrage.1350 xmlns:xmeld="http://www.osci.de/xmeld2511a" version="2.5.1" produkt="Thüringer Beauskunftungssystem" produkthersteller="TLRZ">
<nachrichtenkopf.g2g><identifikation.nachricht><nachrichtenUUID>' || md5(i::text)::uuid || '</nachrichtenUUID><nachrichtentyp>1350</nachrichtentyp><erstellungszeitpunkt>' || at || '</erstellungszeitpunkt></identifikation.nachricht>
<leser><verzeichnisdienst>DVDV</verzeichnisdienst><kennung>dvdv:meldb:16000000</kennung><name>Zentrales Melderegister Thüringen</name></leser>
<autor><verzeichnisdienst>DVDV</verzeichnisdienst><kennung>dvdv:meldb:160' || (i % 97) || '</kennung><name>Stadtverwaltung ' || (ARRAY['Erfurt','Jena','Gera','Weimar','Gotha','Suhl'])[1 + i % 6] || ', Bürgeramt</name></autor></nachrichtenkopf.g2g>
<anfragendeStelle><behoerde>Stadtverwaltung ' || (ARRAY['Erfurt','Jena','Gera','Weimar','Gotha','Suhl'])[1 + i % 6] || '</behoerde><dvdvKennung>dvdv:meldb:160' || (i % 97) || '</dvdvKennung><sicherheitsbehoerde>' || (i % 50 = 0) || '</sicherheitsbehoerde></anfragendeStelle>
<sachbearbeiter><nutzerkennung>U-' || (200000 + i % 400) || '</nutzerkennung><benutzername>user' || (i % 400) || '</benutzername><vorname>' || (ARRAY['Anne','Jens','Maria','Uwe','Petra','Kai'])[1 + i % 6] || '</vorname><familienname>' || (ARRAY['Mayer','Schulz','Becker','Wagner','Hoffmann'])[1 + (i / 7) % 5] || '</familienname><telefon>(0361) 65 ' || (5000 + i % 400) || '</telefon><telefax>0361-655' || (i % 400) || '</telefax><email>user' || (i % 400) || '@kommune.example</email>
<anschrift><strasse>Rathausplatz ' || (1 + i % 40) || '</strasse><postleitzahl>99' || (100 + i % 800) || '</postleitzahl><wohnort>Erfurt</wohnort></anschrift></sachbearbeiter>
<aktenzeichen>31-' || (i % 9999) || '/2024</aktenzeichen><anlass>Zustellung eines Bescheids</anlass>
<suchkriterien><familienname>' || substr(md5('f' || i), 1, 9) || '</familienname><vorname>' || substr(md5('v' || i), 1, 7) || '</vorname><geburtsdatum>19' || (40 + i % 60) || '-0' || (1 + i % 9) || '-1' || (i % 9) || '</geburtsdatum></suchkriterien>
</xmeld:datenabruf.einfacheMeldeauskunft.anfrage.1350>'`;
const responseXml = `'<?xml version="1.0" encoding="UTF-8"?>
<xmeld:datenabruf.einfacheMeldeauskunft.antwort.1351 xmlns:xmeld="http://www.osci.de/xmeld2511a" version="2.5.1">
<nachrichtenkopf.g2g><identifikation.nachricht><nachrichtenUUID>' || md5('a' || i)::uuid || '</nachrichtenUUID><nachrichtentyp>1351</nachrichtentyp><erstellungszeitpunkt>' || at || '</erstellungszeitpunkt></identifikation.nachricht><bezug>' || md5(i::text)::uuid || '</bezug></nachrichtenkopf.g2g>
<ergebnis><trefferanzahl>1</trefferanzahl><person><familienname>' || substr(md5('f' || i), 1, 9) || '</familienname><vornamen>' || substr(md5('v' || i), 1, 7) || '</vornamen><geburtsdatum>19' || (40 + i % 60) || '-0' || (1 + i % 9) || '-1' || (i % 9) || '</geburtsdatum>
<anschrift><strasse>' || substr(md5('s' || i), 1, 12) || 'straße ' || (1 + i % 120) || '</strasse><postleitzahl>0' || (7000 + i % 2000) || '</postleitzahl><wohnort>' || substr(md5('o' || i), 1, 8) || '</wohnort></anschrift></person></ergebnis>
</xmeld:datenabruf.einfacheMeldeauskunft.antwort.1351>'`;

async function fill(admin: postgres.Sql, log: (line: string) => void): Promise<void> {
  await admin.unsafe(`CREATE SCHEMA ours; CREATE TABLE ours.abrufprotokoll (
    id bigint NOT NULL, protokolliert_am timestamptz NOT NULL, nachricht_id text NOT NULL, behoerde_dvdv text NOT NULL,
    sicherheitsbehoerde boolean NOT NULL, auskunftssperre boolean NOT NULL, anfrage_xml text NOT NULL, antwort_xml text NOT NULL)`);
  for (let from = 1; from <= ROWS; from += CHUNK) {
    const to = Math.min(ROWS, from + CHUNK - 1);
    // The first fifth spreads over 2024, the rest over 2025 up to the sweep day.
    await admin.unsafe(`INSERT INTO ours.abrufprotokoll
      SELECT i, ts, md5(i::text)::uuid::text, 'dvdv:meldb:160' || (i % 97), i % 50 = 0, i % 200 = 0, ${requestXml}, ${responseXml}
      FROM (SELECT i, ts, to_char(ts AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD"T"HH24:MI:SS') AS at FROM (
        SELECT i, CASE WHEN i <= ${EXPIRED}
          THEN timestamptz '2024-01-01 00:00:00 Europe/Berlin' + (i - 1) * (interval '365 days' - interval '1 hour') / ${EXPIRED}
          ELSE timestamptz '2025-01-01 00:00:00 Europe/Berlin' + (i - ${EXPIRED} - 1) * interval '529 days' / ${ROWS - EXPIRED} END AS ts
        FROM generate_series(${from}, ${to}) AS i) AS g) AS r`);
    log(`filled ${to} of ${ROWS} rows`);
  }
  await admin.unsafe(
    `ALTER TABLE ours.abrufprotokoll ADD PRIMARY KEY (id); CREATE INDEX ON ours.abrufprotokoll (protokolliert_am); ${holdTableDdl("ours")}`,
  );
  await admin.unsafe(`CREATE SCHEMA ref; CREATE TABLE ref.abrufprotokoll AS SELECT * FROM ours.abrufprotokoll;
    ALTER TABLE ref.abrufprotokoll ADD PRIMARY KEY (id); CREATE INDEX ON ref.abrufprotokoll (protokolliert_am);
    CREATE TABLE expired_rows AS SELECT * FROM ours.abrufprotokoll WHERE id <= ${EXPIRED};`);
  await admin.unsafe(`VACUUM ANALYZE ours.abrufprotokoll`);
  await admin.unsafe(`VACUUM ANALYZE ref.abrufprotokoll`);
  const [size] = await admin.unsafe<{ size: string }[]>(
    `SELECT pg_size_pretty(pg_total_relation_size('ours.abrufprotokoll')) AS size`,
  );
  log(`table: ${ROWS} rows, ${EXPIRED} expired, ${size!.size} (and the same again for the copy)`);
}

/** Updates a random expired row every 50 ms on its own connection; returns the longest wait. */
function probeWriter(url: string, schema: string): { stop(): Promise<number> } {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  let running = true;
  let longest = 0;
  const loop = (async () => {
    while (running) {
      const id = 1 + Math.floor(Math.random() * EXPIRED);
      const started = performance.now();
      await client.unsafe(`UPDATE ${schema}.abrufprotokoll SET behoerde_dvdv = behoerde_dvdv WHERE id = $1`, [
        id,
      ]);
      longest = Math.max(longest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  let stopped: Promise<number> | null = null;
  return {
    stop() {
      running = false;
      stopped ??= loop.then(() => client.end()).then(() => longest / 1000);
      return stopped;
    },
  };
}

/** Times every batch statement of the sweep: each is one transaction, i.e. one row-lock hold. */
function timedSql(sql: Sql, batches: number[]): Sql {
  return {
    async query(text, params) {
      const started = performance.now();
      const rows = await sql.query(text, params);
      if (text.includes("DELETE")) batches.push((performance.now() - started) / 1000);
      return rows;
    },
    exec: (text) => sql.exec(text),
    transaction: (fn) => sql.transaction(fn),
  } as Sql;
}

/**
 * Puts deleted rows back and vacuums, so that every round starts from the same state: all rows in
 * place, no dead row versions (the probe writer leaves some too), nothing unwritten, the table
 * read into the cache. A table just written (or left whole) needs no putting back.
 */
async function restore(admin: postgres.Sql, schema: string): Promise<void> {
  const [present] = await admin.unsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${schema}.abrufprotokoll WHERE protokolliert_am < timestamptz '${CUTOFF_SQL}'`,
  );
  if (present!.n !== EXPIRED) {
    await admin.unsafe(
      `INSERT INTO ${schema}.abrufprotokoll SELECT * FROM expired_rows ON CONFLICT (id) DO NOTHING`,
    );
    await admin.unsafe(`VACUUM ANALYZE ${schema}.abrufprotokoll`);
  }
  await admin.unsafe(`CHECKPOINT`);
  await admin.unsafe(`SELECT count(*) FROM ${schema}.abrufprotokoll WHERE behoerde_dvdv <> ''`);
}

export const benchmark: Benchmark = {
  name: "retrieval-sweep",
  description: `retrieval-protocol sweep of ${ROWS} rows (a fifth expired): our connector vs one DELETE ... WHERE`,
  async run() {
    // Kept between runs, named by what it holds (as retrieval-index's tables); one of other settings is dropped.
    const name = `rp_bench_sweep_${settingsKey({ ROWS, EXPIRED, version: 1 })}`;
    const { serverUrl, url } = await keptDatabaseUrl("rp_bench_sweep_", name);
    const admin = postgres(url, { max: 1, onnotice: () => undefined });
    const client = postgres(url, { max: 1, onnotice: () => undefined });
    const serverCpu = new DatabaseCpu(serverUrl, name);
    try {
      const [ready] = await admin<
        { ok: boolean }[]
      >`SELECT to_regclass('public.sweep_ready') IS NOT NULL AS ok`;
      if (ready!.ok) console.log(`reusing the tables written by an earlier run (${name})`);
      else
        await fixture(
          `retrieval-sweep tables of ${ROWS} rows`,
          async () => {
            // What an interrupted fill left behind.
            await admin.unsafe(`DROP SCHEMA IF EXISTS ours, ref CASCADE; DROP TABLE IF EXISTS expired_rows`);
            await fill(admin, (line) => console.log(line));
            await admin.unsafe(`CREATE TABLE sweep_ready ()`);
          },
          { database: serverCpu },
        );
      const bench = new BenchRun("retrieval-sweep", {
        ours: "connector sweep in batches",
        ref: "one DELETE ... WHERE",
      });
      let longestBatch = 0;
      for (let round = 1; round <= bench.rounds; round++) {
        await fixture(`retrieval-sweep restore ref`, () => restore(admin, "ref"), { database: serverCpu });
        const refProbe = probeWriter(url.toString(), "ref");
        const ref = await measure(
          () =>
            client.unsafe(
              `DELETE FROM ref.abrufprotokoll WHERE protokolliert_am < timestamptz '${CUTOFF_SQL}'`,
            ),
          { database: serverCpu },
        );
        const refWait = await refProbe.stop();
        if (ref.value.count !== EXPIRED)
          throw new Error(`the DELETE deleted ${ref.value.count}, not ${EXPIRED}`);

        await fixture(`retrieval-sweep restore ours`, () => restore(admin, "ours"), { database: serverCpu });
        const batches: number[] = [];
        const connector = new RetrievalProtocolConnector(
          "bench",
          timedSql(sqlFromPostgresJs(client), batches),
          "ours",
        );
        const ourProbe = probeWriter(url.toString(), "ours");
        const ours = await measure(
          () =>
            connector
              .sweep(NOW, sweepRule(retentionRules["retrieval-protocol"]))
              .finally(() => ourProbe.stop()),
          { database: serverCpu },
        );
        const ourWait = await ourProbe.stop();
        if (ours.value.deleted !== EXPIRED)
          throw new Error(`expected ${EXPIRED} deleted, got ${ours.value.deleted}`);
        longestBatch = Math.max(longestBatch, ...batches);
        bench.round(
          ours.usage,
          ref.usage,
          `ours ${ours.value.deleted} deleted in ${batches.length} batch statements, longest batch (= longest row-lock hold) ${Math.max(...batches).toFixed(3)} s, longest wait of a probe writer ${ourWait.toFixed(2)} s; ` +
            `the DELETE holds its row locks for all of it, longest wait of a probe writer ${refWait.toFixed(2)} s`,
        );
      }
      bench.finish({ extra: { rows: ROWS, longest_batch_s: longestBatch.toFixed(3) } });
    } finally {
      await serverCpu.close();
      await admin.end();
      await client.end();
    }
  },
};

// Run directly (`npx tsx scripts/bench/retrieval-sweep.ts`) as well as through the bench index.
if (import.meta.url === `file://${process.argv[1]}`) await benchmark.run();
