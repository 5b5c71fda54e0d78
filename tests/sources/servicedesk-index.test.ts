/**
 * The service desk's search index (ADR 0020, issue 17 point 1): on the sample "as found in the
 * wild" a search through the index returns exactly what a scan of both tables returns, for every
 * person of the answer key and for spellings of the cast's names. What the service desk writes
 * after the indexing run without moving the marks — a customer address corrected in place, a ticket
 * written below the mark, one deleted and written anew under its id, mails added to an old ticket
 * or changed in place — is found through the trigger's notes, and the next run files it; a store
 * whose one table has no index, or whose trigger was disabled or made anew, is scanned. The
 * gathering table names each table's own mark. Erasure takes a ticket's keys and those of its
 * articles with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffDe } from "#app/i18n/staff.de";
import { staffEn } from "#app/i18n/staff.en";
import type { Finding, IndexUse, Subject } from "#app/sources/connector";
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

  // Each of these changes leaves the highest ids of both tables where they were (or moves only the
  // articles'), so a check that compared them with the marks would call the index current and miss
  // the record: the trigger's notes must bring it in, and the next run must file it.

  const joerg = () => subjectFromKey(person(MESSY_CAST.joerg.id));
  const addressOf = (subject: Subject) => subject.emails[0]!.value;
  const marks = async () =>
    Object.fromEntries(
      (
        await db.sql.query<{ source: string; mark: string }>(
          `SELECT source, high_water::text AS mark FROM ${s}.portal_search_index`,
        )
      ).map((r) => [r.source, r.mark]),
    );
  /** A ticket none of whose records is the subject's, the n-th such. */
  const strangerTicket = async (subject: Subject, n: number) => {
    const mine = refsOf((await search(subject)).findings);
    const [row] = await db.sql.query<{ id: string }>(
      `SELECT t.id::text AS id FROM ${s}.ticket t WHERE ('ticket/' || t.id) <> ALL($1::text[])
       AND NOT EXISTS (SELECT 1 FROM ${s}.article a WHERE a.ticket_id = t.id AND ('article/' || a.id) = ANY($1::text[]))
       ORDER BY t.id LIMIT 1 OFFSET $2`,
      [mine, n],
    );
    return row!.id;
  };
  /**
   * An id below the table's mark that is free at the run: a row of a stranger's deleted, and the
   * deletion filed. (A transaction that took its id before the run and commits after it leaves
   * the same; ids at or below 0 are below where every run and scan begins, ADR 0020.)
   */
  const freeIdBelowMark = async (table: "ticket" | "article", subject: Subject, n: number) => {
    const id =
      table === "ticket"
        ? await strangerTicket(subject, n)
        : (await articlesOf(await strangerTicket(subject, n)))[0]!.slice("article/".length);
    await db.sql.query(`DELETE FROM ${s}.${table} WHERE id = $1::bigint`, [id]);
    await desk.buildIndex();
    return id;
  };
  const articlesOf = async (ticket: string) =>
    (
      await db.sql.query<{ id: string }>(
        `SELECT id::text AS id FROM ${s}.article WHERE ticket_id = $1::bigint`,
        [ticket],
      )
    ).map((a) => `article/${a.id}`);
  /** The search through the index finds what a scan finds (with every table's index dropped from view). */
  const scanFindings = async (subject: Subject) => {
    await db.sql.exec(`ALTER TABLE ${s}.portal_search_index RENAME TO portal_search_index_aside`);
    try {
      const { findings, report } = await search(subject);
      expect(report.index).toEqual({ via: "scan", reason: "missing" });
      return refsOf(findings);
    } finally {
      await db.sql.exec(`ALTER TABLE ${s}.portal_search_index_aside RENAME TO portal_search_index`);
    }
  };
  /** Searches, expects `expected` (and what a scan finds) and the counts read without the index; then a run files the change. */
  const expectCoveredThenFiled = async (
    subject: Subject,
    expected: string[],
    unindexed: { newerRows: number; changedRows: number },
    filed: number,
  ) => {
    const before = await marks();
    const { findings, report } = await search(subject);
    expect(refsOf(findings)).toEqual([...expected].sort());
    expect(await scanFindings(subject)).toEqual([...expected].sort());
    expect(report.index).toMatchObject({ via: "index", ...unindexed });
    const run = await desk.buildIndex();
    expect(run.indexed).toBe(filed);
    const after = await search(subject);
    expect(refsOf(after.findings)).toEqual([...expected].sort());
    expect(after.report.index).toMatchObject({ via: "index", newerRows: 0, changedRows: 0 });
    return { before, after: await marks() };
  };

  it("finds a ticket whose customer address an agent corrected in place; the next run files it", async () => {
    const subject = joerg();
    const before = refsOf((await search(subject)).findings);
    const stranger = await strangerTicket(subject, 0);
    await db.sql.query(`UPDATE ${s}.ticket SET customer_email = $2 WHERE id = $1::bigint`, [
      stranger,
      `"Jörg M." <${addressOf(subject).toUpperCase()}>`,
    ]);
    const m = await expectCoveredThenFiled(
      subject,
      [...before, `ticket/${stranger}`, ...(await articlesOf(stranger))],
      { newerRows: 0, changedRows: 1 },
      1,
    );
    // No id above a mark: a check of the highest ids alone would have called the index current.
    expect(m.after).toEqual(m.before);
  });

  it("finds a ticket written below the mark (an import, or a transaction that took its id before the run and committed after it)", async () => {
    const subject = joerg();
    const id = await freeIdBelowMark("ticket", subject, 5);
    const before = refsOf((await search(subject)).findings);
    await db.sql.query(
      `INSERT INTO ${s}.ticket (id, number, title, channel, contact_form, customer_name, customer_email, state, created_at)
       VALUES ($1::bigint, 'IMPORT-1', 'Altbestand', 'email', false, 'Jörg Müller', $2, 'closed', now())`,
      [id, addressOf(subject)],
    );
    const m = await expectCoveredThenFiled(
      subject,
      [...before, `ticket/${id}`],
      { newerRows: 0, changedRows: 1 },
      1,
    );
    expect(m.after).toEqual(m.before);
  });

  it("finds a ticket deleted and written anew under its old id with another customer; a deletion's keys go with the next run", async () => {
    const subject = joerg();
    const before = refsOf((await search(subject)).findings);
    const stranger = await strangerTicket(subject, 1);
    // The service desk's own deletion (not the portal's erasure): the ticket and its articles go.
    const gone = await articlesOf(stranger);
    await db.sql.query(`DELETE FROM ${s}.ticket WHERE id = $1::bigint`, [stranger]);
    await db.sql.query(
      `INSERT INTO ${s}.ticket (id, number, title, channel, contact_form, customer_name, customer_email, state, created_at)
       VALUES ($1::bigint, 'RESTORED-1', 'Wiederhergestellt', 'email', false, 'Jörg Müller', $2, 'open', now())`,
      [stranger, addressOf(subject)],
    );
    const m = await expectCoveredThenFiled(
      subject,
      [...before, `ticket/${stranger}`],
      // The ticket's two notes (deleted, written) are one row; its articles' deletions one each.
      { newerRows: 0, changedRows: 1 + gone.length },
      1 + gone.length,
    );
    expect(m.after).toEqual(m.before);
    for (const article of gone)
      expect(await keysOfRow("article", article.slice("article/".length))).toHaveLength(0);
    // And deleted outright: nothing of it is found, and its keys go with the next run.
    await db.sql.query(`DELETE FROM ${s}.ticket WHERE id = $1::bigint`, [stranger]);
    expect(refsOf((await search(subject)).findings)).toEqual(before);
    expect(await keysOfRow("ticket", stranger)).not.toHaveLength(0);
    await desk.buildIndex();
    expect(await keysOfRow("ticket", stranger)).toHaveLength(0);
  });

  it("finds mails added to an old ticket, above and below the articles' mark, and one whose CC was changed in place", async () => {
    const subject = joerg();
    const free = await freeIdBelowMark("article", subject, 6);
    const before = refsOf((await search(subject)).findings);
    const old = await strangerTicket(subject, 2);
    const added = await db.sql.query<{ id: string }>(
      `INSERT INTO ${s}.article (id, ticket_id, created_at, sender_type, from_addr, to_addr, internal)
       SELECT x.id, $1::bigint, now(), 'agent', 'support@example.org', $2, false
       FROM (SELECT max(id) + 1 AS id FROM ${s}.article UNION ALL SELECT $3::bigint) x
       RETURNING id::text AS id`,
      [old, addressOf(subject), free],
    );
    const [cc] = await db.sql.query<{ id: string }>(
      `SELECT a.id::text AS id FROM ${s}.article a WHERE ('article/' || a.id) <> ALL($1::text[]) AND a.cc_addr IS NULL
       AND a.ticket_id <> $2::bigint ORDER BY a.id LIMIT 1`,
      [before, old],
    );
    await db.sql.query(`UPDATE ${s}.article SET cc_addr = $2 WHERE id = $1::bigint`, [
      cc!.id,
      addressOf(subject),
    ]);
    const m = await expectCoveredThenFiled(
      subject,
      [...before, ...added.map((a) => `article/${a.id}`), `article/${cc!.id}`],
      { newerRows: 1, changedRows: 2 },
      // The one above the mark is filed once, by the mark's move, which removes its note with it.
      3,
    );
    // The tickets' mark did not move: a check of the tickets' highest id would have missed all three.
    expect(m.after.ticket).toBe(m.before.ticket);
  });

  it("scans the store when the trigger that notes changes was disabled or made anew, until a run rebuilds the index", async () => {
    const subject = joerg();
    const expected = refsOf((await search(subject)).findings);
    await db.sql.exec(`ALTER TABLE ${s}.ticket DISABLE TRIGGER portal_search_change`);
    let { findings, report } = await search(subject);
    expect(report.index).toEqual({ via: "scan", reason: "untracked" });
    expect(report.scanned).toBe(await rowCount());
    expect(refsOf(findings)).toEqual(expected);
    // Enabled again, it is still not trusted: changes made meanwhile went unnoted.
    await db.sql.exec(`ALTER TABLE ${s}.ticket ENABLE TRIGGER portal_search_change`);
    expect((await search(subject)).report.index).toEqual({ via: "scan", reason: "untracked" });
    await desk.buildIndex();
    expect((await search(subject)).report.index).toMatchObject({ via: "index" });
    // Dropped and made anew by hand (the same definition): a gap between, so not trusted either.
    const [definition] = await db.sql.query<{ ddl: string }>(
      `SELECT pg_get_triggerdef(oid) AS ddl FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = 'portal_search_change'`,
      [`${s}.article`],
    );
    await db.sql.exec(`DROP TRIGGER portal_search_change ON ${s}.article; ${definition!.ddl};
      ALTER TABLE ${s}.article ENABLE ALWAYS TRIGGER portal_search_change;`);
    ({ findings, report } = await search(subject));
    expect(report.index).toEqual({ via: "scan", reason: "untracked" });
    expect(refsOf(findings)).toEqual(expected);
    await desk.buildIndex();
    expect((await search(subject)).report.index).toMatchObject({
      via: "index",
      newerRows: 0,
      changedRows: 0,
    });
  });

  it("names each table's own mark on the gathering table, in German and English", async () => {
    const subject = joerg();
    const old = await strangerTicket(subject, 3);
    await db.sql.query(
      `INSERT INTO ${s}.article (id, ticket_id, created_at, sender_type, from_addr, to_addr, internal)
       SELECT max(id) + 1, $1::bigint, now(), 'agent', 'support@example.org', 'x@example.org', false FROM ${s}.article`,
      [old],
    );
    await db.sql.query(`UPDATE ${s}.ticket SET customer_phone = '+49 361 000000' WHERE id = $1::bigint`, [
      old,
    ]);
    const { report } = await search(subject);
    const m = await marks();
    expect(m.ticket).not.toBe(m.article);
    expect(report.index).toEqual({
      via: "index",
      tables: [
        { table: "ticket", coveredUpTo: m.ticket, newerRows: 0, changedRows: 1 },
        { table: "article", coveredUpTo: m.article, newerRows: 1, changedRows: 0 },
      ],
      newerRows: 1,
      changedRows: 1,
    });
    const use = report.index as Extract<IndexUse, { via: "index" }>;
    const de = new Intl.NumberFormat("de-DE");
    const en = new Intl.NumberFormat("en-GB");
    expect(staffDe.case.indexCovers(use)).toBe(
      `Über den Suchindex durchsucht, der die Datensätze in der Tabelle ticket bis Nr. ${de.format(BigInt(m.ticket!))} und in der Tabelle article bis Nr. ${de.format(BigInt(m.article!))} abdeckt; 1 neuerer Datensatz und 1 seit der Indizierung geschriebener oder geänderter Datensatz wurden ohne Index gelesen.`,
    );
    expect(staffEn.case.indexCovers(use)).toBe(
      `Searched through the index, which covers the records in table ticket up to no. ${en.format(BigInt(m.ticket!))} and in table article up to no. ${en.format(BigInt(m.article!))}; 1 newer record and 1 record written or changed since indexing were read without it.`,
    );
    await desk.buildIndex();
  });

  it("takes a ticket's keys and those of its articles along when the portal erases it", async () => {
    const subject = joerg();
    const before = refsOf((await search(subject)).findings);
    const stranger = await strangerTicket(subject, 4);
    await db.sql.query(`UPDATE ${s}.ticket SET customer_email = $2 WHERE id = $1::bigint`, [
      stranger,
      addressOf(subject),
    ]);
    await desk.buildIndex();
    const articles = await articlesOf(stranger);
    expect(refsOf((await search(subject)).findings)).toEqual(
      [...before, `ticket/${stranger}`, ...articles].sort(),
    );
    expect((await desk.erase([`ticket/${stranger}`, ...articles])).failures).toEqual([]);
    expect(await keysOfRow("ticket", stranger)).toHaveLength(0);
    for (const article of articles)
      expect(await keysOfRow("article", article.slice("article/".length))).toHaveLength(0);
    expect(refsOf((await search(subject)).findings)).toEqual(before);
  });
});
