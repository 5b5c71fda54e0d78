/**
 * The generator's `ticketRows` (`--ticket-rows`, issue 17 point 4): the service desk filled with
 * tickets of people who are not in the sample, as the servicedesk-index benchmark takes its rows.
 * None of those rows is a record of anyone in the answer key — no identifier of theirs in a
 * customer field, a mail's From, To or CC, or the free text — so a search for a person finds
 * exactly what it finds without them; the same options give the same bytes; and the rows vary as
 * a service desk's do.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { normalisePhone } from "#app/core/identifiers";
import {
  articleSearchKeys,
  ServiceDeskConnector,
  ticketSearchKeys,
} from "#app/sources/connectors/servicedesk.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import { compileSubject } from "#app/sources/subject";
import { subjectFromKey } from "#app/sources/sample/answer-key";
import { generateSample } from "#app/sources/sample/generate.server";
import { DATABASE_FILES, SAMPLE_STORES } from "#app/sources/sample/layout";
import type { ArticleRow, TicketRow } from "#app/sources/sample/servicedesk";
import { cachedSample } from "#tests/support/sample-cache";
import { expectedRefs, findAll, openTestDatabase } from "./fixture";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const OPTIONS = { people: 300, days: 2, seed: "tickets", databaseOnly: true } as const;
const TICKETS = 2_000;

/**
 * A sample generated now, or (`cached`) the copy of the one an earlier run generated with the same
 * generator and options (tests/support/sample-cache.ts): the same bytes, so the determinism below
 * compares a fresh generation with it.
 */
async function generate(ticketRows?: number, cached = false) {
  const dir = await mkdtemp(join(tmpdir(), "rp-gen-tickets-"));
  dirs.push(dir);
  const result = await (cached ? cachedSample : generateSample)({ ...OPTIONS, out: dir, ticketRows });
  return { dir, result };
}

async function jsonLines<T>(path: string): Promise<T[]> {
  const rows: T[] = [];
  for await (const line of createInterface({ input: createReadStream(path) }))
    if (line) rows.push(JSON.parse(line) as T);
  return rows;
}

/** SHA-256 of every file under `dir`, by its relative path. */
async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    out[relative(dir, file)] = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  }
  return out;
}

describe("the generator's other people's tickets (ticketRows)", () => {
  it("fills the service desk with tickets of people not in the sample: nobody of the answer key in them, the same bytes each time", async () => {
    const plain = await generate(undefined, true);
    const filled = await generate(TICKETS, true);
    const again = await generate(TICKETS);

    // Deterministic: the same options, the same files byte for byte.
    expect(await digests(again.dir)).toEqual(await digests(filled.dir));
    // Nobody's records change: the answer key is the one without the option, byte for byte.
    const plainKey = await digests(join(plain.dir, "answer-key"));
    expect(await digests(join(filled.dir, "answer-key"))).toEqual(plainKey);

    const ticketsOf = (dir: string) => jsonLines<TicketRow>(join(dir, DATABASE_FILES.ticket));
    const articlesOf = (dir: string) => jsonLines<ArticleRow>(join(dir, DATABASE_FILES.article));
    const [own, tickets, ownArticles, articles] = await Promise.all([
      ticketsOf(plain.dir),
      ticketsOf(filled.dir),
      articlesOf(plain.dir),
      articlesOf(filled.dir),
    ]);
    expect(tickets.map((t) => t.id)).toEqual(Array.from({ length: TICKETS }, (_, i) => i + 1));
    // The people's own tickets and articles come first, as without the option.
    expect(tickets.slice(0, own.length)).toEqual(own);
    expect(articles.slice(0, ownArticles.length)).toEqual(ownArticles);
    const others = tickets.slice(own.length);
    const otherArticles = articles.slice(ownArticles.length);
    expect(others.length).toBeGreaterThan(TICKETS / 2);
    expect(otherArticles.every((a) => a.ticket_id > own.length)).toBe(true);

    // No key of anyone in the answer key — address, phone, user name, full name — in a customer
    // field or a mail's From, To or CC (a family name with an initial may be shared: the matcher
    // tells those apart, and the index files them for that).
    const key = filled.result.answerKey;
    const personKeys = new Set<string>();
    const addresses: string[] = [];
    const phones = new Set<string>();
    for (const person of key.persons) {
      for (const k of compileSubject(subjectFromKey(person)).searchKeys())
        if (!k.startsWith("n:")) personKeys.add(k);
      addresses.push(...person.identifiers.emails.map((e) => e.toLowerCase()));
      for (const p of person.identifiers.phones) phones.add(normalisePhone(p) ?? p);
    }
    const rowKeys = [
      ...others.map((t) => ({ ref: `ticket/${t.id}`, keys: ticketSearchKeys({ ...t, id: String(t.id) }) })),
      ...otherArticles.map((a) => ({
        ref: `article/${a.id}`,
        keys: articleSearchKeys({ ...a, id: String(a.id) }),
      })),
    ];
    const theirs = rowKeys.filter((r) => r.keys.some((k) => personKeys.has(k.key))).map((r) => r.ref);
    expect(theirs).toEqual([]);
    // Nor in the free text: no address of theirs, no number of theirs in any notation.
    const numbers = (text: string) =>
      [...text.matchAll(/[+(]?\d[\d ()/-]{6,}\d/g)].map((m) => normalisePhone(m[0])).filter(Boolean);
    // A text holds an address only with the address's "@" at one of its own: the text's "@" are
    // looked up by the lengths before and after the "@" the addresses have, not every address
    // searched in every row.
    const addressSet = new Set(addresses);
    const shapes = [
      ...new Map(
        addresses.map((a) => [`${a.indexOf("@")} ${a.length}`, [a.indexOf("@"), a.length] as const]),
      ).values(),
    ];
    const holdsAddress = (text: string) => {
      for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1))
        for (const [before, length] of shapes)
          if (at >= before && addressSet.has(text.slice(at - before, at - before + length))) return true;
      return false;
    };
    const inText = [...others, ...otherArticles].filter((row) => {
      const text = JSON.stringify(row).toLowerCase();
      return holdsAddress(text) || numbers(text).some((n) => phones.has(n!));
    });
    expect(inText.map((r) => r.id)).toEqual([]);

    // As a service desk's tickets vary: many notations of numbers, mails with CC, a second
    // recipient, free text naming others; all three channels.
    const notations = new Set(
      others.flatMap((t) => (t.customer_phone ? [t.customer_phone.replace(/\d/g, "9")] : [])),
    );
    expect(notations.size).toBeGreaterThan(5);
    expect(new Set(others.map((t) => t.channel))).toEqual(new Set(["email", "phone", "contact-form"]));
    expect(otherArticles.filter((a) => a.cc_addr).length).toBeGreaterThan(others.length / 20);
    expect(otherArticles.filter((a) => a.to_addr?.includes(",")).length).toBeGreaterThan(0);
    expect(otherArticles.filter((a) => /@|Tel\.|Herr|Frau|Auftrag/.test(a.body)).length).toBeGreaterThan(
      others.length / 2,
    );

    // A search for each demo person in the filled service desk finds exactly their records.
    const db = await openTestDatabase();
    try {
      await loadDatabaseStores(db.sql, filled.dir, db.schemas);
      const desk = new ServiceDeskConnector(SAMPLE_STORES.servicedesk.id, db.sql, db.schemas.servicedesk);
      for (const person of key.persons.filter((p) => p.demo)) {
        const found = [...new Set((await findAll(desk, subjectFromKey(person))).map((f) => f.ref))].sort();
        expect(found, person.id).toEqual(expectedRefs(person, SAMPLE_STORES.servicedesk.id));
        expect(found.length, person.id).toBeGreaterThan(0);
      }
    } finally {
      await db.close();
    }

    await expect(generate(10)).rejects.toThrow(/less than the people's own/);
  }, 300_000);
});
