/**
 * The service desk's search index (ADR 0020, issue 17 point 1): on the sample "as found in the
 * wild" a search through the index returns exactly what a scan of both tables returns, for every
 * person of the answer key and for spellings of the cast's names. A ticket whose customer fields
 * the service desk changed in place, an article written after the last run and a store whose one
 * table has no index never lose a record, and the search says how it was made. Erasure takes a
 * ticket's keys and those of its articles with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, Subject } from "#app/sources/connector";
import { ServiceDeskConnector } from "#app/sources/connectors/servicedesk.server";
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
let desk: ServiceDeskConnector;
let s: string;

beforeAll(async () => {
  fx = await sampleFixture({ people: 40, days: 20, seed: "servicedesk-index", messy: true });
  ({ db, key } = fx);
  desk = new ServiceDeskConnector(SAMPLE_STORES.servicedesk.id, db.sql, db.schemas.servicedesk);
  s = quoteSchema(db.schemas.servicedesk);
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
});

const search = (subject: Subject) => findWithReport(desk, subject);

const refsOf = (findings: Finding[]) => findings.map((f) => f.ref).sort();
const rowCount = async () =>
  (
    await db.sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM ${s}.ticket) + (SELECT count(*) FROM ${s}.article) AS n`,
    )
  ).map((r) => Number(r.n))[0]!;
const keysOfRow = async (source: string, id: string) =>
  db.sql.query(`SELECT 1 FROM ${s}.portal_search_key WHERE source = $1 AND row_id = $2::bigint`, [
    source,
    id,
  ]);

const person = (id: string) => key.persons.find((p) => p.id === id)!;

describe("the service desk's search index", () => {
  it("finds through the index exactly what a scan of both tables finds, on the sample as found in the wild", async () => {
    const total = await rowCount();
    const viaIndex = new Map<string, Finding[]>();
    let read = 0;
    for (const { label, subject } of castSpellingSubjects(key)) {
      const { findings, report } = await search(subject);
      expect(report.index, label).toMatchObject({ via: "index", newerRows: 0 });
      read += report.scanned;
      viaIndex.set(label, findings);
    }
    // The index is used, not a scan in disguise: far fewer rows are read than the tables hold.
    expect(read / viaIndex.size).toBeLessThan(total / 4);

    await db.sql.exec(`DROP TABLE ${s}.portal_search_index; DROP TABLE ${s}.portal_search_key;`);
    for (const { label, subject } of castSpellingSubjects(key)) {
      const { findings, report } = await search(subject);
      expect(report.index, label).toEqual({ via: "scan", reason: "missing" });
      expect(report.scanned, label).toBe(total);
      expect(viaIndex.get(label), label).toEqual(findings);
    }
    // The cast's records are all there (the answer key's own tests judge the rest).
    for (const member of Object.values(MESSY_CAST)) {
      expect(refsOf(viaIndex.get(member.id)!), member.id).toEqual(
        expect.arrayContaining(expectedRefs(person(member.id), SAMPLE_STORES.servicedesk.id)),
      );
    }
    await desk.buildIndex();
  });

  it("scans both tables when one of them has no index", async () => {
    const anna = person(MESSY_CAST.anna.id);
    await db.sql.query(`DELETE FROM ${s}.portal_search_index WHERE source = 'article'`);
    const { findings, report } = await search(subjectFromKey(anna));
    expect(report.index).toEqual({ via: "scan", reason: "missing" });
    expect(report.scanned).toBe(await rowCount());
    expect(refsOf(findings)).toEqual(expectedRefs(anna, SAMPLE_STORES.servicedesk.id));
    await desk.buildIndex();
    expect((await search(subjectFromKey(anna))).report.index).toMatchObject({ via: "index", newerRows: 0 });
  });

  it("finds a ticket changed in place and an article written after the run; the next run files them", async () => {
    const subject = subjectFromKey(person(MESSY_CAST.joerg.id));
    const before = refsOf((await search(subject)).findings);
    const address = subject.emails[0]!.value;
    // A stranger's ticket whose customer address an agent corrects to his.
    const [stranger] = await db.sql.query<{ id: string }>(
      `SELECT t.id::text AS id FROM ${s}.ticket t WHERE ('ticket/' || t.id) <> ALL($1::text[]) ORDER BY t.id LIMIT 1`,
      [before],
    );
    await db.sql.query(`UPDATE ${s}.ticket SET customer_email = $2 WHERE id = $1::bigint`, [
      stranger!.id,
      `"Jörg M." <${address.toUpperCase()}>`,
    ]);
    // A mail to him written after the last run, on that ticket.
    const [{ id: added }] = (await db.sql.query<{ id: string }>(
      `INSERT INTO ${s}.article (id, ticket_id, created_at, sender_type, from_addr, to_addr, internal)
       SELECT (SELECT max(id) + 1 FROM ${s}.article), $1::bigint, now(), 'agent', 'support@example.org', $2, false
       RETURNING id::text AS id`,
      [stranger!.id, address],
    )) as [{ id: string }];
    // The changed ticket brings its articles with it, the new one among them.
    const articles = await db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM ${s}.article WHERE ticket_id = $1::bigint`,
      [stranger!.id],
    );
    const expected = [...before, `ticket/${stranger!.id}`, ...articles.map((a) => `article/${a.id}`)].sort();
    let { findings, report } = await search(subject);
    expect(refsOf(findings)).toEqual(expected);
    expect(refsOf(findings)).toContain(`article/${added}`);
    expect(report.index).toMatchObject({ via: "index", newerRows: 2 });

    const run = await desk.buildIndex();
    expect(run.indexed).toBe(2);
    ({ findings, report } = await search(subject));
    expect(refsOf(findings)).toEqual(expected);
    expect(report.index).toMatchObject({ via: "index", newerRows: 0 });

    // Erasing the ticket takes its keys and those of its articles (deleted with it) along.
    expect((await desk.erase([`ticket/${stranger!.id}`])).changed).toBe(1);
    expect(await keysOfRow("ticket", stranger!.id)).toHaveLength(0);
    expect(await keysOfRow("article", added)).toHaveLength(0);
    expect(refsOf((await search(subject)).findings)).toEqual(before);
  });
});
