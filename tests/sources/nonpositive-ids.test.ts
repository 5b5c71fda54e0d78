/**
 * Rows whose id is 0 or negative (a bigint key allows them; an import or a sequence that starts
 * low writes them) are records like any other: the retrieval protocols and the service desk find a
 * person's record there by a scan without index, through the index after an indexing run, and by
 * the scan an outdated index falls back to (issue 17; ADR 0020). A stranger's row at a negative id
 * is not returned. Erasure, restriction and reading again reach such rows, and the retention
 * sweep keeps a held one. An index left by the version whose mark began at 0 (NOT NULL) is scanned
 * and rebuilt; an index that covers no row yet says so, with no number, in German and English.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffDe } from "#app/i18n/staff.de";
import { staffEn } from "#app/i18n/staff.en";
import type { Finding, IndexUse, SourceConnector, Subject } from "#app/sources/connector";
import { RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import { SEARCH_INDEX_VERSION } from "#app/sources/connectors/search-index.server";
import { ServiceDeskConnector } from "#app/sources/connectors/servicedesk.server";
import { quoteSchema } from "#app/sources/database.server";
import type { AnswerKey, AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import {
  expectedRefs,
  findWithReport,
  type SampleFixture,
  sampleFixture,
  subjectFromKey,
  type TestDatabase,
} from "./fixture";

const BIGINT_MIN = "-9223372036854775808";

let fx: SampleFixture;
let db: TestDatabase;
let key: AnswerKey;
let retrieval: RetrievalProtocolConnector;
let desk: ServiceDeskConnector;
let m: string;
let s: string;
let person: AnswerKeyPerson;
let subject: Subject;

beforeAll(async () => {
  // The retrieval-index test's sample (a copy of the cached one).
  fx = await sampleFixture({ people: 40, days: 20, seed: "retrieval-index", messy: true });
  ({ db, key } = fx);
  retrieval = new RetrievalProtocolConnector(SAMPLE_STORES.retrieval.id, db.sql, db.schemas.melderegister);
  desk = new ServiceDeskConnector(SAMPLE_STORES.servicedesk.id, db.sql, db.schemas.servicedesk);
  m = quoteSchema(db.schemas.melderegister);
  s = quoteSchema(db.schemas.servicedesk);
  // Someone with retrieval protocols and a ticket of their own that has articles.
  person = key.persons.find(
    (p) =>
      expectedRefs(p, SAMPLE_STORES.retrieval.id).length > 0 &&
      expectedRefs(p, SAMPLE_STORES.servicedesk.id).some((r) => r.startsWith("ticket/")) &&
      expectedRefs(p, SAMPLE_STORES.servicedesk.id).some((r) => r.startsWith("article/")),
  )!;
  subject = subjectFromKey(person);
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
});

const refsOf = (findings: Finding[]) => findings.map((f) => f.ref).sort();
const idOf = (ref: string) => ref.split("/")[1]!;
const search = async (connector: SourceConnector) => {
  const { findings, report } = await findWithReport(connector, subject);
  return { refs: refsOf(findings), index: report.index!, scanned: report.scanned };
};
const one = async <T>(query: string, params: unknown[] = []) => (await db.sql.query<T>(query, params))[0]!;

describe("retrieval protocols with ids at or below 0", () => {
  let before: string[];
  let added: string[];
  const stranger = "abrufprotokoll/-7";

  it("are found by a scan without index, and a stranger's is not", async () => {
    before = (await search(retrieval)).refs;
    expect(before.length).toBeGreaterThan(0);
    const own = idOf(before[0]!);
    const { id: other } = await one<{ id: string }>(
      `SELECT id::text AS id FROM ${m}.abrufprotokoll WHERE id <> ALL($1::bigint[]) ORDER BY id LIMIT 1`,
      [before.map(idOf)],
    );
    const copy = `INSERT INTO ${m}.abrufprotokoll SELECT $1::bigint, protokolliert_am, nachricht_id, behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml FROM ${m}.abrufprotokoll WHERE id = $2::bigint`;
    for (const id of ["0", "-5", BIGINT_MIN]) await db.sql.query(copy, [id, own]);
    await db.sql.query(copy, ["-7", other]);
    added = ["abrufprotokoll/0", "abrufprotokoll/-5", `abrufprotokoll/${BIGINT_MIN}`];

    await db.sql.exec(`DROP TABLE ${m}.portal_search_index; DROP TABLE ${m}.portal_search_key;`);
    const { refs, index, scanned } = await search(retrieval);
    expect(index).toEqual({ via: "scan", reason: "missing" });
    expect(refs).toEqual([...before, ...added].sort());
    expect(refs).not.toContain(stranger);
    const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${m}.abrufprotokoll`);
    expect(scanned).toBe(n);
  });

  it("are found through the index after an indexing run, which files them", async () => {
    const run = await retrieval.buildIndex();
    const { max } = await one<{ max: string }>(`SELECT max(id)::text AS max FROM ${m}.abrufprotokoll`);
    expect(run.highWater).toBe(max);
    const filed = await db.sql.query<{ id: string }>(
      `SELECT DISTINCT row_id::text AS id FROM ${m}.portal_search_key WHERE row_id <= 0 ORDER BY 1`,
    );
    expect(filed.map((r) => r.id).sort()).toEqual(["-5", "-7", "0", BIGINT_MIN].sort());
    const { refs, index, scanned } = await search(retrieval);
    expect(index).toEqual({ via: "index", coveredUpTo: max, newerRows: 0, changedRows: 0 });
    expect(refs).toEqual([...before, ...added].sort());
    expect(refs).not.toContain(stranger);
    expect(scanned).toBeLessThan(50);
  });

  it("are found by the scan an outdated index falls back to", async () => {
    await db.sql.query(`UPDATE ${m}.portal_search_index SET version = $1`, [SEARCH_INDEX_VERSION - 1]);
    const { refs, index } = await search(retrieval);
    expect(index).toEqual({ via: "scan", reason: "outdated" });
    expect(refs).toEqual([...before, ...added].sort());
  });

  it("are found when the index was left by the version whose mark began at 0, and its run rebuilds it", async () => {
    // The side table as version 1 made it: the mark NOT NULL, 0 before the first row.
    await db.sql.exec(`DROP TABLE ${m}.portal_search_index; DELETE FROM ${m}.portal_search_key;
      CREATE TABLE ${m}.portal_search_index (source text PRIMARY KEY, version integer NOT NULL,
        high_water bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO ${m}.portal_search_index VALUES ('abrufprotokoll', 1, 0);`);
    let { refs, index } = await search(retrieval);
    expect(index).toEqual({ via: "scan", reason: "outdated" });
    expect(refs).toEqual([...before, ...added].sort());
    await retrieval.buildIndex();
    const { nullable } = await one<{ nullable: boolean }>(
      `SELECT NOT attnotnull AS nullable FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'high_water'`,
      [`${m}.portal_search_index`],
    );
    expect(nullable).toBe(true);
    ({ refs, index } = await search(retrieval));
    expect(index).toMatchObject({ via: "index", newerRows: 0 });
    expect(refs).toEqual([...before, ...added].sort());
  });

  it("are read without the index while it covers no row yet, and the gathering table names no number", async () => {
    await db.sql.exec(
      `DELETE FROM ${m}.portal_search_key; UPDATE ${m}.portal_search_index SET high_water = NULL;`,
    );
    const { refs, index, scanned } = await search(retrieval);
    const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${m}.abrufprotokoll`);
    expect(index).toEqual({ via: "index", coveredUpTo: null, newerRows: n, changedRows: 0 });
    expect(scanned).toBe(n);
    expect(refs).toEqual([...before, ...added].sort());
    const use = index as Extract<IndexUse, { via: "index" }>;
    expect(staffDe.case.indexCovers(use)).toBe(
      `Über den Suchindex durchsucht, der noch keinen Datensatz abdeckt; ${n} neuere Datensätze wurden ohne Index gelesen.`,
    );
    expect(staffEn.case.indexCovers(use)).toBe(
      `Searched through the index, which covers no record yet; ${n} newer records were read without it.`,
    );
    await retrieval.buildIndex();
  });

  it("are restricted, read again, kept by the retention sweep while held, and erased with their keys", async () => {
    const [zero, negative] = added as [string, string];
    expect(await retrieval.restrict([negative, zero], true, "case-1")).toMatchObject({
      changed: 2,
      failures: [],
    });
    let states = await retrieval.inspect([negative, zero, "abrufprotokoll/-99"]);
    expect(states.get(negative)).toMatchObject({ state: "present", held: true });
    expect(states.get(zero)).toMatchObject({ state: "present", held: true });
    expect(states.get("abrufprotokoll/-99")).toMatchObject({ state: "absent" });
    expect(await retrieval.erase([negative])).toMatchObject({ changed: 0, skippedOnHold: 1, failures: [] });
    expect(await retrieval.restrict([zero], false, "case-1")).toMatchObject({ changed: 1, failures: [] });
    expect(await retrieval.erase([zero])).toMatchObject({ changed: 1, failures: [] });
    expect(await db.sql.query(`SELECT 1 FROM ${m}.portal_search_key WHERE row_id = 0`)).toHaveLength(0);
    states = await retrieval.inspect([zero]);
    expect(states.get(zero)).toMatchObject({ state: "absent" });
    // Everything expires; the held protocol at -5 stays.
    await retrieval.sweep(new Date("2100-01-01T00:00:00Z"), {
      isExpired: () => true,
    });
    const left = await db.sql.query<{ id: string }>(`SELECT id::text AS id FROM ${m}.abrufprotokoll`);
    expect(left.map((r) => r.id)).toEqual(["-5"]);
  });
});

describe("service-desk tickets and articles with ids at or below 0", () => {
  let before: string[];
  let added: string[];
  const strangers = ["ticket/-9"];

  it("are found by a scan without index, and a stranger's ticket is not", async () => {
    before = (await search(desk)).refs;
    const ownTicket = idOf(before.find((r) => r.startsWith("ticket/"))!);
    const { id: ownArticle } = await one<{ id: string }>(
      `SELECT id::text AS id FROM ${s}.article WHERE ticket_id = $1::bigint ORDER BY id LIMIT 1`,
      [ownTicket],
    );
    const { id: otherTicket } = await one<{ id: string }>(
      `SELECT id::text AS id FROM ${s}.ticket WHERE id <> ALL($1::bigint[]) ORDER BY id LIMIT 1`,
      [before.filter((r) => r.startsWith("ticket/")).map(idOf)],
    );
    const ticket = (id: string, from: string) =>
      db.sql.query(
        `INSERT INTO ${s}.ticket SELECT $1::bigint, number || '/' || $1, title, channel, contact_form, consent_opt_in, consent_at, consent_text, customer_name, customer_email, customer_phone, state, created_at, closed_at FROM ${s}.ticket WHERE id = $2::bigint`,
        [id, from],
      );
    const article = (id: string, ticketId: string, fromAddr: string | null) =>
      db.sql.query(
        `INSERT INTO ${s}.article SELECT $1::bigint, $2::bigint, created_at, sender_type, coalesce($3, from_addr), ${fromAddr === null ? "to_addr, cc_addr" : "NULL, NULL"}, subject, body, internal FROM ${s}.article WHERE id = $4::bigint`,
        [id, ticketId, fromAddr, ownArticle],
      );
    // Her ticket at 0 with a mail at -3; a stranger's ticket at -9 with one mail she wrote (-4).
    await ticket("0", ownTicket);
    await article("-3", "0", null);
    await ticket("-9", otherTicket);
    await article("-4", "-9", person.identifiers.emails[0]!);
    added = ["ticket/0", "article/-3", "article/-4"];

    await db.sql.exec(`DROP TABLE ${s}.portal_search_index; DROP TABLE ${s}.portal_search_key;`);
    const { refs, index } = await search(desk);
    expect(index).toEqual({ via: "scan", reason: "missing" });
    expect(refs).toEqual([...before, ...added].sort());
    for (const stranger of strangers) expect(refs).not.toContain(stranger);
  });

  it("are found through the indexes after an indexing run, which files them", async () => {
    await desk.buildIndex();
    const filed = await db.sql.query<{ ref: string }>(
      `SELECT DISTINCT source || '/' || row_id AS ref FROM ${s}.portal_search_key WHERE row_id <= 0`,
    );
    expect(filed.map((r) => r.ref).sort()).toEqual(["article/-3", "article/-4", "ticket/-9", "ticket/0"]);
    const { refs, index, scanned } = await search(desk);
    expect(index).toMatchObject({ via: "index", newerRows: 0, changedRows: 0 });
    expect(refs).toEqual([...before, ...added].sort());
    for (const stranger of strangers) expect(refs).not.toContain(stranger);
    expect(scanned).toBeLessThan(50);
  });

  it("are found by the scan an outdated index falls back to", async () => {
    await db.sql.query(`UPDATE ${s}.portal_search_index SET version = $1 WHERE source = 'article'`, [
      SEARCH_INDEX_VERSION - 1,
    ]);
    const { refs, index } = await search(desk);
    expect(index).toEqual({ via: "scan", reason: "outdated" });
    expect(refs).toEqual([...before, ...added].sort());
    await desk.buildIndex();
  });

  it("say on the gathering table that a table's index covers no record yet, with no number", async () => {
    await db.sql.exec(
      `DELETE FROM ${s}.portal_search_key WHERE source = 'article'; UPDATE ${s}.portal_search_index SET high_water = NULL WHERE source = 'article';`,
    );
    const { refs, index } = await search(desk);
    const { articles, mark } = await one<{ articles: number; mark: string }>(
      `SELECT (SELECT count(*)::int FROM ${s}.article) AS articles, (SELECT high_water::text FROM ${s}.portal_search_index WHERE source = 'ticket') AS mark`,
    );
    expect(index).toEqual({
      via: "index",
      tables: [
        { table: "ticket", coveredUpTo: mark, newerRows: 0, changedRows: 0 },
        { table: "article", coveredUpTo: null, newerRows: articles, changedRows: 0 },
      ],
      newerRows: articles,
      changedRows: 0,
    });
    expect(refs).toEqual([...before, ...added].sort());
    const use = index as Extract<IndexUse, { via: "index" }>;
    const de = staffDe.case.indexCovers(use);
    const en = staffEn.case.indexCovers(use);
    expect(de).toContain("in der Tabelle article noch keine abdeckt");
    expect(en).toContain("and none yet in table article;");
    for (const text of [de, en]) expect(text).not.toMatch(/Nr\. 0|no\. 0|-\d/);
    // An empty table under an index that covers nothing: no number either.
    const empty = { via: "index", coveredUpTo: null, newerRows: 0 } as const;
    expect(staffDe.case.indexCovers(empty)).toBe(
      "Über den Suchindex durchsucht; die Tabelle enthielt keinen Datensatz.",
    );
    expect(staffEn.case.indexCovers(empty)).toBe("Searched through the index; the table held no record.");
    await desk.buildIndex();
  });

  it("are restricted, read again and erased (the ticket with its mail) with their keys", async () => {
    expect(await desk.restrict(["ticket/0", "article/-4"], true, "case-1")).toMatchObject({
      changed: 2,
      failures: [],
    });
    let states = await desk.inspect(["ticket/0", "article/-3", "article/-4"]);
    expect(states.get("ticket/0")).toMatchObject({ state: "present", held: true });
    expect(states.get("article/-3")).toMatchObject({ state: "present", held: false });
    expect(states.get("article/-4")).toMatchObject({ state: "present", held: true });
    expect(await desk.erase(["ticket/0"])).toMatchObject({ changed: 0, skippedOnHold: 1, failures: [] });
    await desk.restrict(["ticket/0", "article/-4"], false, "case-1");
    // The ticket's other article was not asked: the ticket stays, the article asked for goes.
    expect(await desk.erase(["ticket/0", "article/-4"])).toMatchObject({
      changed: 1,
      failures: [{ ref: "ticket/0" }],
    });
    expect(await desk.erase(["ticket/0", "article/-3"])).toMatchObject({ failures: [] });
    states = await desk.inspect(["ticket/0", "article/-3", "article/-4"]);
    for (const ref of ["ticket/0", "article/-3", "article/-4"]) expect(states.get(ref)!.state).toBe("absent");
    const keys = await db.sql.query(
      `SELECT 1 FROM ${s}.portal_search_key WHERE (source, row_id) IN (('ticket', 0), ('article', -3), ('article', -4))`,
    );
    expect(keys).toHaveLength(0);
  });
});
