/**
 * The search indexes under concurrency (issue 17, point 1; ADR 0020, "Indexing runs and commits out
 * of order"). PostgreSQL only: PGlite has one connection, so nothing there commits out of order and
 * no two runs overlap; on PGlite these tests are skipped.
 *
 * 1. A retrieval protocol whose transaction commits after an indexing run read past its id (ids
 *    rising, append-only, only the commit order differs) is still found through the index, which
 *    says that it covers every record: the trigger noted the row when it committed.
 * 2. Two indexing runs of the service desk at once (ADR 0020: "two runs at once index each row
 *    once"): a run that finds another under way leaves the notes to it, so the slower run's stale
 *    read of a noted ticket cannot remove the note of a newer change.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sql, sqlFromPostgresJs } from "#db/sql";
import type { Finding, SourceConnector, Subject } from "#app/sources/connector";
import { RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import { ServiceDeskConnector } from "#app/sources/connectors/servicedesk.server";
import { quoteSchema } from "#app/sources/database.server";
import type { AnswerKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { expectedRefs, findWithReport, type SampleFixture, sampleFixture, subjectFromKey } from "./fixture";

const url = process.env.DATABASE_URL;

let fx: SampleFixture;
let key: AnswerKey;
let extra: postgres.Sql;

beforeAll(async () => {
  if (!url) return;
  fx = await sampleFixture({ people: 40, days: 20, seed: "retrieval-index", messy: true });
  key = fx.key;
  extra = postgres(url, { max: 2, onnotice: () => undefined });
}, 180_000);

afterAll(async () => {
  await extra?.end();
  await fx?.cleanup();
});

const refsOf = (findings: Finding[]) => findings.map((f) => f.ref).sort();
const search = async (connector: SourceConnector, subject: Subject) => {
  const { findings, report } = await findWithReport(connector, subject);
  return { refs: refsOf(findings), index: report.index! };
};

describe.skipIf(!url)("search indexes under concurrency", () => {
  it("a protocol committed after the indexing run read past its id is still found", async () => {
    const retrieval = new RetrievalProtocolConnector(
      SAMPLE_STORES.retrieval.id,
      fx.db.sql,
      fx.db.schemas.melderegister,
    );
    const m = quoteSchema(fx.db.schemas.melderegister);
    const person = key.persons.find((p) => expectedRefs(p, SAMPLE_STORES.retrieval.id).length > 0)!;
    const subject = subjectFromKey(person);
    const before = await search(retrieval, subject);
    expect(before.index.via).toBe("index");
    const own = before.refs[0]!.split("/")[1]!;
    const [{ top }] = (await fx.db.sql.query<{ top: string }>(
      `SELECT max(id)::text AS top FROM ${m}.abrufprotokoll`,
    )) as [{ top: string }];
    const late = (BigInt(top) + 1n).toString();
    const early = (BigInt(top) + 2n).toString();
    const copy = (id: string, from: string) =>
      `INSERT INTO ${m}.abrufprotokoll (id, protokolliert_am, nachricht_id, behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml)
       SELECT ${id}, now(), nachricht_id || '-copy', behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml
       FROM ${m}.abrufprotokoll WHERE id = ${from}`;
    // The register writes a look-up of the person (id top+1) in a transaction still open…
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const writer = extra.begin(async (tx) => {
      await tx.unsafe(copy(late, own));
      inserted();
      await released;
    });
    await insertedYet;
    // …while another look-up (id top+2, any row) commits, and the indexing run goes past both.
    const [{ stranger }] = (await fx.db.sql.query<{ stranger: string }>(
      `SELECT id::text AS stranger FROM ${m}.abrufprotokoll WHERE id <> ALL($1::bigint[]) ORDER BY id LIMIT 1`,
      [before.refs.map((r) => r.split("/")[1]!)],
    )) as [{ stranger: string }];
    await fx.db.sql.exec(copy(early, stranger));
    const run = await retrieval.buildIndex();
    expect(run.highWater).toBe(early);
    release();
    await writer;

    const after = await search(retrieval, subject);
    // What the gathering table is told: the index covers the records up to the later id, and the
    // late one (noted by the trigger when it committed) was read without it.
    expect(after.index).toMatchObject({ via: "index", coveredUpTo: early, newerRows: 0, changedRows: 1 });
    expect(after.refs).toContain(`abrufprotokoll/${late}`);
    // The next run files it and removes its note: found through its keys.
    await retrieval.buildIndex();
    const filed = await search(retrieval, subject);
    expect(filed.index).toMatchObject({ via: "index", coveredUpTo: early, newerRows: 0, changedRows: 0 });
    expect(filed.refs).toContain(`abrufprotokoll/${late}`);
  }, 120_000);

  it("two indexing runs at once do not lose a change to a ticket", async () => {
    const schema = fx.db.schemas.servicedesk;
    const s = quoteSchema(schema);
    const desk = new ServiceDeskConnector(SAMPLE_STORES.servicedesk.id, fx.db.sql, schema);
    const person = key.persons.find(
      (p) => p.identifiers.emails?.length && expectedRefs(p, SAMPLE_STORES.servicedesk.id).length > 0,
    )!;
    const subject = subjectFromKey(person);
    const email = subject.emails[0]!.value;
    const mine = expectedRefs(person, SAMPLE_STORES.servicedesk.id);
    const [{ id: ticket }] = (await fx.db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM ${s}.ticket WHERE NOT (('ticket/' || id::text) = ANY($1::text[])) ORDER BY id LIMIT 1`,
      [mine],
    )) as [{ id: string }];
    // An agent corrects a stranger's ticket once (noted)…
    await fx.db.sql.query(`UPDATE ${s}.ticket SET customer_email = $2 WHERE id = $1::bigint`, [
      ticket,
      "someone.else@example.org",
    ]);

    // Run B reads the note and the ticket, then is slow (a busy machine) before it writes the keys.
    let pause!: () => void;
    const paused = new Promise<void>((resolve) => (pause = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    let held = false;
    const hooked = (inner: Sql): Sql => ({
      query: async (text, params) => {
        if (
          !held &&
          /^DELETE FROM .*portal_search_key WHERE source = \$1 AND row_id = ANY/.test(text) &&
          params?.[0] === "ticket"
        ) {
          held = true;
          pause();
          await resumed;
        }
        return inner.query(text, params);
      },
      exec: (text) => inner.exec(text),
      transaction: (fn) => inner.transaction((tx) => fn(hooked(tx))),
    });
    const slow = new ServiceDeskConnector(
      SAMPLE_STORES.servicedesk.id,
      hooked(sqlFromPostgresJs(extra)),
      schema,
    );
    const runB = slow.buildIndex();
    await paused;
    // Meanwhile the agent corrects it again, to the person's address (noted), and run A files it.
    await fx.db.sql.query(`UPDATE ${s}.ticket SET customer_email = $2 WHERE id = $1::bigint`, [
      ticket,
      email,
    ]);
    // Run A finds run B under way and leaves the notes to it.
    expect((await desk.buildIndex()).busy).toBe(true);
    expect((await search(desk, subject)).refs).toContain(`ticket/${ticket}`);
    resume();
    await runB;

    // Run B filed the ticket as it read it and removed only the note it read: the newer change's
    // note is still read by every search…
    const after = await search(desk, subject);
    expect(after.index.via).toBe("index");
    expect(after.refs).toContain(`ticket/${ticket}`);
    // …until the next run files the ticket's new keys.
    expect((await desk.buildIndex()).busy).toBeUndefined();
    const filed = await search(desk, subject);
    expect(filed.index).toMatchObject({ via: "index", changedRows: 0 });
    expect(filed.refs).toContain(`ticket/${ticket}`);
  }, 120_000);
});
