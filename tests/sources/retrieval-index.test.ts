/**
 * The retrieval protocols' search index (ADR 0020): on the sample "as found in the wild" a search
 * through the index returns exactly what a scan of every row returns, for every person of the
 * answer key and for spellings of the cast's names; an index that is missing, of another key
 * format, stopped half way or older than the newest rows never loses a record, and the search says
 * how it was made. Erasure takes a row's keys with it; an indexing run resumes where it stopped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, Subject } from "#app/sources/connector";
import { RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import {
  buildSearchIndex,
  installedVersion,
  SEARCH_INDEX_FORMAT,
  SEARCH_INDEX_VERSION,
  searchIndexFormat,
} from "#app/sources/connectors/search-index.server";
import { quoteSchema } from "#app/sources/database.server";
import type { AnswerKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import {
  expectedRefs,
  findWithReport,
  type SampleFixture,
  sampleFixture,
  castSpellingSubjects,
  subjectFromKey,
  type TestDatabase,
} from "./fixture";

let fx: SampleFixture;
let db: TestDatabase;
let key: AnswerKey;
let retrieval: RetrievalProtocolConnector;
let s: string;

beforeAll(async () => {
  fx = await sampleFixture({ people: 40, days: 20, seed: "retrieval-index", messy: true });
  ({ db, key } = fx);
  retrieval = new RetrievalProtocolConnector(SAMPLE_STORES.retrieval.id, db.sql, db.schemas.melderegister);
  s = quoteSchema(db.schemas.melderegister);
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
});

const search = (subject: Subject) => findWithReport(retrieval, subject);

const refsOf = (findings: Finding[]) => findings.map((f) => f.ref);
const rowCount = async () =>
  (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.abrufprotokoll`))[0]!.n;
const idOf = (ref: string) => Number(ref.split("/")[1]);

describe("the retrieval protocols' search index", () => {
  it("finds through the index exactly what a scan of every row finds, on the sample as found in the wild", async () => {
    const total = await rowCount();
    const viaIndex = new Map<string, Finding[]>();
    let parsed = 0;
    for (const { label, subject } of castSpellingSubjects(key)) {
      const { findings, report } = await search(subject);
      expect(report.index, label).toMatchObject({ via: "index", newerRows: 0 });
      parsed += report.scanned;
      viaIndex.set(label, findings);
    }
    // The index is used, not a scan in disguise: far fewer rows are parsed than the table holds.
    expect(parsed / viaIndex.size).toBeLessThan(total / 4);

    await db.sql.exec(`DROP TABLE ${s}.portal_search_index; DROP TABLE ${s}.portal_search_key;`);
    for (const { label, subject } of castSpellingSubjects(key)) {
      const { findings, report } = await search(subject);
      expect(report.index, label).toEqual({ via: "scan", reason: "missing" });
      expect(report.scanned, label).toBe(total);
      expect(viaIndex.get(label), label).toEqual(findings);
    }
    // The cast's records are all there (the answer key's own test holds the rest).
    for (const member of Object.values(MESSY_CAST)) {
      const person = key.persons.find((p) => p.id === member.id)!;
      expect(refsOf(viaIndex.get(member.id)!).sort(), member.id).toEqual(
        expectedRefs(person, SAMPLE_STORES.retrieval.id),
      );
    }
    await retrieval.buildIndex();
  });

  it("finds a record above the mark of an index that stopped half way, and of one older than the newest rows", async () => {
    const person = key.persons.find((p) => p.id === MESSY_CAST.joerg.id)!;
    const subject = subjectFromKey(person);
    const expected = expectedRefs(person, SAMPLE_STORES.retrieval.id);
    const newest = Math.max(...expected.map(idOf));
    const mark = newest - 1;
    // A run that stopped at `mark`: the rows above it have no keys yet.
    await db.sql.query(`DELETE FROM ${s}.portal_search_key WHERE row_id > $1`, [mark]);
    await db.sql.query(`UPDATE ${s}.portal_search_index SET high_water = $1`, [mark]);
    const above = (
      await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.abrufprotokoll WHERE id > $1`, [
        mark,
      ])
    )[0]!.n;
    let { findings, report } = await search(subject);
    expect(refsOf(findings).sort()).toEqual(expected);
    expect(findings.map((f) => f.ref)).toContain(`abrufprotokoll/${newest}`);
    expect(report.index).toEqual({
      via: "index",
      coveredUpTo: String(mark),
      newerRows: above,
      changedRows: 0,
    });

    // A protocol written after the run (a copy of his newest one under a new id).
    const [{ id: added }] = (await db.sql.query<{ id: string }>(
      `INSERT INTO ${s}.abrufprotokoll SELECT (SELECT max(id) + 1 FROM ${s}.abrufprotokoll), protokolliert_am, nachricht_id, behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml FROM ${s}.abrufprotokoll WHERE id = $1 RETURNING id::text AS id`,
      [newest],
    )) as [{ id: string }];
    ({ findings, report } = await search(subject));
    expect(refsOf(findings).sort()).toEqual([...expected, `abrufprotokoll/${added}`].sort());
    expect(report.index).toEqual({
      via: "index",
      coveredUpTo: String(mark),
      newerRows: above + 1,
      changedRows: 0,
    });

    // The next run indexes what is above the mark, and the search reads no row one by one.
    const run = await retrieval.buildIndex();
    expect(run).toMatchObject({ indexed: above + 1, highWater: added });
    ({ findings, report } = await search(subject));
    expect(refsOf(findings).sort()).toEqual([...expected, `abrufprotokoll/${added}`].sort());
    expect(report.index).toEqual({ via: "index", coveredUpTo: added, newerRows: 0, changedRows: 0 });

    // Erasure takes the row's keys with it.
    expect((await retrieval.erase([`abrufprotokoll/${added}`])).changed).toBe(1);
    const keys = await db.sql.query(`SELECT 1 FROM ${s}.portal_search_key WHERE row_id = $1::bigint`, [
      added,
    ]);
    expect(keys).toHaveLength(0);
  });

  it("finds a protocol written below the mark (committed after a run read past its id, or an import), and the next run files it", async () => {
    const person = key.persons.find((p) => p.id === MESSY_CAST.joerg.id)!;
    const subject = subjectFromKey(person);
    const expected = expectedRefs(person, SAMPLE_STORES.retrieval.id);
    await retrieval.buildIndex();
    const [{ mark }] = (await db.sql.query<{ mark: string }>(
      `SELECT high_water::text AS mark FROM ${s}.portal_search_index`,
    )) as [{ mark: string }];
    // A stranger's protocol below the mark gives its id to a look-up of Jörg (a copy of his newest one)
    // that appears only now, as a transaction that took the id before the run and committed after it.
    const [{ id: below }] = (await db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM ${s}.abrufprotokoll WHERE ('abrufprotokoll/' || id) <> ALL($1::text[]) AND id < $2::bigint ORDER BY id LIMIT 1`,
      [expected, mark],
    )) as [{ id: string }];
    await db.sql.query(`DELETE FROM ${s}.abrufprotokoll WHERE id = $1::bigint`, [below]);
    await db.sql.query(
      `INSERT INTO ${s}.abrufprotokoll SELECT $1::bigint, protokolliert_am, nachricht_id, behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml FROM ${s}.abrufprotokoll WHERE id = $2::bigint`,
      [below, Math.max(...expected.map(idOf))],
    );
    const withLate = [...expected, `abrufprotokoll/${below}`].sort();
    let { findings, report } = await search(subject);
    expect(refsOf(findings).sort()).toEqual(withLate);
    expect(report.index).toEqual({ via: "index", coveredUpTo: mark, newerRows: 0, changedRows: 1 });
    expect((await retrieval.buildIndex()).indexed).toBe(1);
    ({ findings, report } = await search(subject));
    expect(refsOf(findings).sort()).toEqual(withLate);
    expect(report.index).toEqual({ via: "index", coveredUpTo: mark, newerRows: 0, changedRows: 0 });
    expect(await retrieval.erase([`abrufprotokoll/${below}`])).toMatchObject({ changed: 1 });
  });

  it("scans every row when the index was built with another key format, and the next run rebuilds it", async () => {
    const person = key.persons.find((p) => p.id === MESSY_CAST.anna.id)!;
    const subject = subjectFromKey(person);
    await db.sql.query(`UPDATE ${s}.portal_search_index SET version = $1`, [SEARCH_INDEX_VERSION - 1]);
    let { findings, report } = await search(subject);
    expect(report.index).toEqual({ via: "scan", reason: "outdated" });
    expect(refsOf(findings).sort()).toEqual(expectedRefs(person, SAMPLE_STORES.retrieval.id));
    await retrieval.buildIndex();
    ({ findings, report } = await search(subject));
    expect(report.index).toMatchObject({ via: "index", newerRows: 0 });
    expect(refsOf(findings).sort()).toEqual(expectedRefs(person, SAMPLE_STORES.retrieval.id));
  });

  it("scans every row when the index was built under another version of a package the keys depend on, and the next run rebuilds it", async () => {
    // The format names the installed versions, read from their package.json.
    const phones = JSON.parse(
      readFileSync(join(process.cwd(), "node_modules/libphonenumber-js/package.json"), "utf8"),
    ) as { version: string };
    expect(SEARCH_INDEX_FORMAT).toContain(`libphonenumber-js@${phones.version}`);
    expect(SEARCH_INDEX_FORMAT).toContain(`unicode@${process.versions.unicode}`);
    const updated = searchIndexFormat((name) =>
      name === "libphonenumber-js" ? "0.0.1" : installedVersion(name),
    );
    expect(updated).not.toBe(SEARCH_INDEX_FORMAT);
    // An index built before libphonenumber-js's metadata was updated, under the same SEARCH_INDEX_VERSION.
    await db.sql.query(`UPDATE ${s}.portal_search_index SET format = $1`, [updated]);
    const person = key.persons.find((p) => p.id === MESSY_CAST.anna.id)!;
    const subject = subjectFromKey(person);
    let { findings, report } = await search(subject);
    expect(report.index).toEqual({ via: "scan", reason: "outdated" });
    expect(refsOf(findings).sort()).toEqual(expectedRefs(person, SAMPLE_STORES.retrieval.id));
    const run = await retrieval.buildIndex();
    expect(run.indexed).toBeGreaterThan(0);
    const [state] = await db.sql.query<{ format: string }>(`SELECT format FROM ${s}.portal_search_index`);
    expect(state!.format).toBe(SEARCH_INDEX_FORMAT);
    ({ findings, report } = await search(subject));
    expect(report.index).toMatchObject({ via: "index", newerRows: 0 });
    expect(refsOf(findings).sort()).toEqual(expectedRefs(person, SAMPLE_STORES.retrieval.id));
  });

  it("resumes an indexing run where it stopped, with the keys a run without a stop files", async () => {
    const keyRows = async () =>
      (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.portal_search_key`))[0]!.n;
    const complete = await keyRows();
    await db.sql.exec(`DROP TABLE ${s}.portal_search_index; DROP TABLE ${s}.portal_search_key;`);
    const stop = new AbortController();
    const seen: number[] = [];
    await expect(
      buildSearchIndex(db.sql, db.schemas.melderegister, retrieval.indexed, {
        batchSize: 20,
        signal: stop.signal,
        onProgress: (p) => {
          seen.push(p.indexed);
          if (p.indexed >= 40) stop.abort();
        },
      }),
    ).rejects.toThrow();
    expect(seen).toEqual([20, 40]);
    const [state] = await db.sql.query<{ mark: string }>(
      `SELECT high_water::text AS mark FROM ${s}.portal_search_index`,
    );
    const [hundredth] = await db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM ${s}.abrufprotokoll t ORDER BY t.id OFFSET 39 LIMIT 1`,
    );
    expect(state!.mark).toBe(hundredth!.id);
    const rest = await buildSearchIndex(db.sql, db.schemas.melderegister, retrieval.indexed, {
      batchSize: 20,
    });
    expect(rest.indexed).toBe((await rowCount()) - 40);
    expect(await keyRows()).toBe(complete);
  });
});
