/**
 * The generator at a size the name pools alone cannot serve (issue 17): every person's identifiers
 * are their own except the names of the namesakes it makes on purpose, whom the answer key keeps
 * apart; the database stores and the answer key (streamed per store) are written as JSON lines that
 * parse; the heap stays bounded while it runs.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { nameKey, normalisePhone } from "#app/core/identifiers";
import { readAnswerKey } from "#app/sources/sample/answer-key.server";
import { generateSample } from "#app/sources/sample/generate.server";
import { ANSWER_KEY_DIR, DATABASE_FILES } from "#app/sources/sample/layout";
import { createPeople, newRegistry, type SamplePerson } from "#app/sources/sample/people";
import { Rng } from "#app/sources/sample/prng";
import { cachedSample } from "#tests/support/sample-cache";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function jsonLines(path: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(path) }))
    rows.push(JSON.parse(line) as Record<string, unknown>);
  return rows;
}

function expectUnique(values: string[], what: string) {
  const seen = new Set<string>();
  const twice = values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
  expect(twice.length, `${what} used twice: ${twice.length}`).toBe(0);
}

/** People grouped by name key, only the names two or more people bear. */
function namesakeGroups<T>(people: T[], name: (p: T) => string): T[][] {
  const byName = new Map<string, T[]>();
  for (const p of people) {
    const key = nameKey(name(p));
    const group = byName.get(key);
    if (group) group.push(p);
    else byName.set(key, [p]);
  }
  return [...byName.values()].filter((group) => group.length > 1);
}

describe("generator at scale", () => {
  it("writes 2 500 people (more than the small pools name) with bounded memory and a key that keeps namesakes apart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rp-gen-scale-"));
    dirs.push(dir);
    const before = process.memoryUsage().heapUsed;
    let peakHeap = before;
    const stores = new Set<string>();
    const result = await generateSample({
      people: 2500,
      days: 2,
      seed: "scale",
      out: dir,
      onProgress: (store) => {
        stores.add(store);
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    const key = result.answerKey;
    expect(key.persons).toHaveLength(2500);
    expect(result.answerKeyMeta.records).toBe(key.persons.reduce((n, p) => n + p.records.length, 0));
    // 2 % namesakes by default, each born on another day, with addresses of their own.
    const groups = namesakeGroups(key.persons, (p) => p.identifiers.names[0]!);
    expect(groups.length).toBeGreaterThanOrEqual(40);
    for (const group of groups)
      expectUnique(
        group.map((p) => p.identifiers.birthDate),
        "namesakes' birth date",
      );
    expectUnique(
      key.persons.flatMap((p) => p.identifiers.emails),
      "e-mail",
    );
    expectUnique(
      key.persons.flatMap((p) => p.identifiers.phones),
      "phone",
    );
    expectUnique(
      key.persons.flatMap((p) => p.identifiers.postalAddresses),
      "postal address",
    );
    // Every record belongs to one person: a namesake's record in another's list would be a breach.
    expectUnique(
      key.persons.flatMap((p) => p.records.filter((r) => !r.role).map((r) => `${r.store} ${r.ref}`)),
      "record without role",
    );
    const own = key.persons.map((p) => p.identifiers.ips.map((w) => w.address));
    expect(own.filter((ips) => ips.length > 0).length).toBeGreaterThan(1200);
    // Names beyond the pools are real names, built of given and family names, never "Person123".
    for (const person of key.persons) expect(person.displayName).toMatch(/^\p{L}[\p{L}\p{M} .'-]*$/u);
    expect(
      key.persons.filter((p) => /[- ]/.test(p.displayName.split(" ").slice(1).join(" "))).length,
    ).toBeGreaterThan(0);

    // A few people read back alone are what the whole key says of them.
    const picked = [key.persons[0]!, groups[0]![0]!, groups[0]![1]!];
    expect(readAnswerKey(dir, new Set(picked.map((p) => p.id))).persons).toEqual(picked);
    // The key's files and the database files parse line by line.
    for (const file of ["persons.jsonl", "ip-windows.jsonl", "records/web-tsr.jsonl"])
      expect((await jsonLines(join(dir, ANSWER_KEY_DIR, file))).length).toBeGreaterThan(0);
    const tickets = await jsonLines(join(dir, DATABASE_FILES.ticket));
    expect(tickets.map((t) => t.id)).toEqual(tickets.map((_, i) => i + 1));
    const retrievals = await jsonLines(join(dir, DATABASE_FILES.abrufprotokoll));
    expect(retrievals.length).toBeGreaterThan(500);
    const referenced = key.persons.flatMap((p) => p.records).filter((r) => r.store === "abrufprotokolle");
    expect(Math.max(...referenced.map((r) => Number(r.ref.split("/")[1])))).toBeLessThanOrEqual(
      retrievals.length,
    );

    expect([...stores]).toEqual(expect.arrayContaining(["web-tsr", "servicedesk", "telefon", "answer-key"]));
    // Generous: the stores' contents and the key's records go to disk as made, so the heap grows
    // with the people only.
    expect(peakHeap - before).toBeLessThan(300 * 2 ** 20);
  }, 600_000);

  it("fills the retrieval protocol to protocolRows with others' look-ups, the demo persons' records as without it, and writes the database stores alone when asked", async () => {
    // The two samples compared are copies of the ones an earlier run generated with the same
    // generator and options (tests/support/sample-cache.ts: the same bytes); the refusal is generated.
    const protocol = async (protocolRows?: number, generate: typeof generateSample = cachedSample) => {
      const dir = await mkdtemp(join(tmpdir(), "rp-gen-protocol-"));
      dirs.push(dir);
      const result = await generate({
        people: 300,
        days: 2,
        seed: "protocol",
        out: dir,
        protocolRows,
        databaseOnly: true,
      });
      const erika = result.answerKey.persons.find((p) => p.demo === "erika")!;
      return {
        dir,
        rows: await jsonLines(join(dir, DATABASE_FILES.abrufprotokoll)),
        erika: erika.records.filter((r) => r.store === "abrufprotokolle").length,
        stores: await readdir(dir),
      };
    };
    const plain = await protocol();
    const filled = await protocol(5000);
    expect(plain.rows.length).toBeLessThan(1000);
    expect(filled.rows.map((r) => r.id)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    // The demo person's own look-ups and those she made are as many: a search for her finds as
    // much in the larger protocol.
    expect(filled.erika).toBe(plain.erika);
    expect(filled.erika).toBeGreaterThan(3);
    expect(plain.stores.sort()).toEqual(["answer-key", "db"]);
    await expect(protocol(10, generateSample)).rejects.toThrow(/less than the people's own/);
  }, 300_000);

  it("names 60 000 people uniquely but for 2 % namesakes, officials included, though three authorities share an area code", () => {
    const people = createPeople(new Rng("officials"), 60_000, newRegistry(), {
      share: 0.02,
      rng: new Rng("officials:namesakes"),
    });
    const officials = people.filter((p) => p.official);
    // More officials than three authorities of area 361 have four-digit extensions for.
    expect(officials.length).toBeGreaterThan(9000);
    const fullName = (p: SamplePerson) => `${p.firstName} ${p.lastName}`;
    const groups = namesakeGroups(people, fullName);
    const namesakes = groups.reduce((n, group) => n + group.length - 1, 0);
    expect(namesakes).toBe(Math.floor((60_000 - 3) / 50));
    for (const group of groups)
      expectUnique(
        group.map((p) => p.birthDate),
        "namesakes' birth date",
      );
    expect(people.filter((p) => p.demo).every((p) => !groups.flat().includes(p))).toBe(true);
    expectUnique(
      people.flatMap((p) => [p.email, ...(p.official ? [p.official.email] : [])]),
      "e-mail",
    );
    expectUnique(
      people.flatMap((p) => [
        ...(p.official ? [p.official.phone.e164, p.official.fax.e164] : []),
        ...p.phones.map((x) => x.e164),
      ]),
      "phone",
    );
    // The generator parses only the first number of each shape (prefix, length): every number of a
    // sample of the people is what parsing it gives.
    const sampled = people.filter((_, i) => i % 40 === 0).flatMap((p) => p.phones);
    expect(sampled.length).toBeGreaterThan(1500);
    for (const phone of sampled) expect(normalisePhone(phone.e164), phone.e164).toBe(phone.e164);
    expectUnique(
      people.flatMap((p) => [p.ipv4, p.ipv6]),
      "IP address",
    );
    expectUnique(
      people.flatMap((p) => (p.official ? [p.official.userName] : [])),
      "user name",
    );
    expectUnique(
      people.map((p) => `${p.address.street} ${p.address.houseNumber}, ${p.address.postcode}`),
      "address",
    );
  }, 300_000);
});
