/**
 * The generator at a size the name pools alone cannot serve (issue 17): 5 000 people get unique
 * name keys, e-mail addresses, IPs, phones and postal addresses, the database stores and the answer
 * key are written as JSON lines / JSON that parse, and the heap stays bounded while it runs.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { nameKey } from "#app/core/identifiers";
import type { AnswerKey } from "#app/sources/sample/answer-key";
import { generateSample } from "#app/sources/sample/generate.server";
import { ANSWER_KEY_FILE, DATABASE_FILES } from "#app/sources/sample/layout";
import { createPeople, newRegistry } from "#app/sources/sample/people";
import { Rng } from "#app/sources/sample/prng";

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

describe("generator at scale", () => {
  it("gives 5 000 people unique identifiers and keeps memory bounded", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rp-gen-scale-"));
    dirs.push(dir);
    const before = process.memoryUsage().heapUsed;
    let peakHeap = before;
    const stores = new Set<string>();
    const result = await generateSample({
      people: 5000,
      days: 3,
      seed: "scale",
      out: dir,
      onProgress: (store) => {
        stores.add(store);
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    const key = result.answerKey;
    expect(key.persons).toHaveLength(5000);
    expectUnique(
      key.persons.map((p) => nameKey(p.identifiers.names[0]!)),
      "name key",
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
    // Own addresses are unique; shared ones (NAT, offices) appear in several people's windows by design.
    const own = key.persons.map((p) => p.identifiers.ips.map((w) => w.address));
    expect(own.filter((ips) => ips.length > 0).length).toBeGreaterThan(2500);
    // Names beyond the pools are real names, built of given and family names, never "Person123".
    for (const person of key.persons) expect(person.displayName).toMatch(/^\p{L}[\p{L}\p{M} .'-]*$/u);
    expect(
      key.persons.filter((p) => /[- ]/.test(p.displayName.split(" ").slice(1).join(" "))).length,
    ).toBeGreaterThan(100);

    // The answer key on disk is what the result holds; the database files parse line by line.
    expect(JSON.parse(await readFile(join(dir, ANSWER_KEY_FILE), "utf8")) as AnswerKey).toEqual(key);
    const tickets = await jsonLines(join(dir, DATABASE_FILES.ticket));
    expect(tickets.map((t) => t.id)).toEqual(tickets.map((_, i) => i + 1));
    const retrievals = await jsonLines(join(dir, DATABASE_FILES.abrufprotokoll));
    expect(retrievals.length).toBeGreaterThan(1000);
    const referenced = key.persons.flatMap((p) => p.records).filter((r) => r.store === "abrufprotokolle");
    expect(Math.max(...referenced.map((r) => Number(r.ref.split("/")[1])))).toBeLessThanOrEqual(
      retrievals.length,
    );

    expect([...stores]).toEqual(expect.arrayContaining(["web-tsr", "servicedesk", "telefon", "answer-key"]));
    // Generous: the stores' contents are written as made, so the heap grows with the people and
    // their answer-key records only (a few hundred MB at 100 000 people), not with the stores.
    expect(peakHeap - before).toBeLessThan(400 * 2 ** 20);
  }, 600_000);

  it("names 60 000 people uniquely, officials included, though three authorities share an area code", () => {
    const people = createPeople(new Rng("officials"), 60_000, newRegistry());
    const officials = people.filter((p) => p.official);
    // More officials than three authorities of area 361 have four-digit extensions for.
    expect(officials.length).toBeGreaterThan(9000);
    expectUnique(
      people.map((p) => nameKey(`${p.firstName} ${p.lastName}`)),
      "name key",
    );
    expectUnique(
      officials.flatMap((p) => [
        p.official!.phone.e164,
        p.official!.fax.e164,
        ...p.phones.map((x) => x.e164),
      ]),
      "phone",
    );
    expectUnique(
      people.map((p) => `${p.address.street} ${p.address.houseNumber}, ${p.address.postcode}`),
      "address",
    );
  }, 300_000);
});
