/**
 * For every store, `find` returns exactly the answer key's records of a person: nothing missed,
 * nothing of anybody else. The tested people are chosen for what makes a search hard.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nameKey } from "#app/core/identifiers";
import { PROCESSING_ACTIVITY_IDS } from "#app/sources/activities";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { expectedRefs, findAll, type SampleFixture, sampleFixture, subjectFromKey } from "./fixture";

let fx: SampleFixture;

beforeAll(async () => {
  fx = await sampleFixture();
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

/** People who share their name with someone else in the sample (the generator makes 2 %). */
function namesakeGroups(): AnswerKeyPerson[][] {
  const byName = new Map<string, AnswerKeyPerson[]>();
  for (const p of fx.key.persons) {
    const key = nameKey(p.identifiers.names[0]!);
    byName.set(key, [...(byName.get(key) ?? []), p]);
  }
  return [...byName.values()].filter((group) => group.length > 1);
}

/** People whose search the key answers exactly; namesakes have a test of their own below. */
function tested(): { why: string; person: AnswerKeyPerson }[] {
  const withNamesake = new Set(namesakeGroups().flat());
  const persons = fx.key.persons.filter((p) => !withNamesake.has(p));
  const picks: { why: string; person: AnswerKeyPerson }[] = persons
    .filter((p) => p.demo)
    .map((person) => ({ why: `demo ${person.demo}`, person }));
  const byAddress = new Map<string, AnswerKeyPerson[]>();
  for (const p of persons)
    for (const w of p.identifiers.ips)
      byAddress.set(w.address, [...new Set([...(byAddress.get(w.address) ?? []), p])]);
  const shared = [...byAddress.values()].find((list) => list.length >= 2);
  if (shared) picks.push(...shared.slice(0, 2).map((person) => ({ why: "shared IP address", person })));
  const byFirst = new Map<string, AnswerKeyPerson[]>();
  for (const p of persons) {
    const first = p.displayName.split(" ")[0]!;
    byFirst.set(first, [...(byFirst.get(first) ?? []), p]);
  }
  const sameFirst = [...byFirst.values()].find((list) => list.length >= 2);
  if (sameFirst) picks.push(...sameFirst.slice(0, 2).map((person) => ({ why: "same first name", person })));
  const similar = persons
    .filter((p) => /M[üo]ller|Mei?y?er|Maier|Mayer|Schmi[dt]t|Wei(ß|ss)/.test(p.displayName))
    .slice(0, 3);
  picks.push(...similar.map((person) => ({ why: "similar family name", person })));
  picks.push(
    ...persons
      .filter((p) => p.official && !p.demo)
      .slice(0, 2)
      .map((person) => ({ why: "official", person })),
  );
  const seen = new Set<string>();
  return picks.filter((p) => !seen.has(p.person.id) && seen.add(p.person.id));
}

describe("find against the answer key", () => {
  it("tests the hard cases the sample is made of", () => {
    const whys = new Set(tested().map((t) => t.why));
    for (const why of [
      "demo erika",
      "demo lukasz",
      "demo joerg",
      "shared IP address",
      "same first name",
      "similar family name",
      "official",
    ])
      expect(whys).toContain(why);
  });

  it("demo persons appear in every store (Jörg has no login account)", () => {
    for (const person of fx.key.persons.filter((p) => p.demo)) {
      const stores = new Set(person.records.map((r) => r.store));
      const expected = Object.values(SAMPLE_STORES)
        .map((s) => s.id)
        .filter((id) => person.demo !== "joerg" || id !== SAMPLE_STORES.login.id);
      for (const id of expected) expect(stores, `${person.displayName} in ${id}`).toContain(id);
    }
  });

  it("returns exactly the key's records, per store, for every tested person", async () => {
    const cases = tested();
    for (const [id, connector] of fx.registry.connectors) {
      // Every tested person's search at once, as concurrent gatherings run: a file store's shared
      // pass (ADR 0021) reads each file once for all of them, and each must still get only its own.
      const found = await Promise.all(cases.map(({ person }) => findAll(connector, subjectFromKey(person))));
      for (const [i, { why, person }] of cases.entries()) {
        const findings = found[i]!;
        const got = [...new Set(findings.map((f) => f.ref))].sort();
        expect(got, `${why}: ${person.id} in ${id}`).toEqual(expectedRefs(person, id));
        expect(findings, `no record twice in ${id}`).toHaveLength(got.length);
        for (const f of findings) {
          expect(f.store).toBe(id);
          expect(PROCESSING_ACTIVITY_IDS).toContain(f.processingActivityId);
          // Every identifier of a key subject is proven; only the name rules of ADR 0007 leave a match
          // unproven: a name alone, an initial at the address, a look-up without both birth dates.
          if (f.unproven)
            expect(["name", "postalAddress"], `${f.ref} in ${id}`).toContain(f.matchedIdentifier.kind);
          expect(() => JSON.stringify(f.content)).not.toThrow();
        }
      }
    }
  }, 60_000);

  it("keeps namesakes apart: another's record only ever as an unproven name match, never one with another birth date", async () => {
    const groups = namesakeGroups();
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      for (const [id, connector] of fx.registry.connectors) {
        // The namesakes searched at once: in a shared pass the same records are offered to both.
        const found = await Promise.all(group.map((person) => findAll(connector, subjectFromKey(person))));
        for (const [i, person] of group.entries()) {
          const theirs = new Set(
            group.filter((p) => p !== person).flatMap((p) => p.records.map((r) => `${r.store} ${r.ref}`)),
          );
          const findings = found[i]!;
          const own = expectedRefs(person, id);
          const got = findings.map((f) => f.ref);
          for (const ref of own) expect(got, `${person.id}'s own ${ref} in ${id}`).toContain(ref);
          for (const f of findings.filter((x) => !own.includes(x.ref))) {
            const where = `${person.id} got ${f.ref} of ${id}`;
            // A stranger's record is a breach; a namesake's may only wait, unproven, for staff.
            expect(theirs.has(`${id} ${f.ref}`), `${where}: not even a namesake's`).toBe(true);
            expect(f.unproven && f.matchedIdentifier.kind, where).toBe("name");
            const criteria = f.content.suchkriterien as Record<string, string> | undefined;
            expect(criteria?.geburtsdatum, `${where}: looked up with another birth date`).toBeUndefined();
          }
        }
      }
    }
  });

  it("matches spelling variants of a name to the same person and not to a similar one", async () => {
    const erika = fx.key.persons.find((p) => p.demo === "erika")!;
    const dms = fx.connector(SAMPLE_STORES.dms.id);
    const byName = await findAll(dms, {
      emails: [],
      phones: [],
      userNames: [],
      ips: [],
      postalAddresses: [],
      names: [{ value: "MUSTERMANN, Erika" }],
    });
    const keyRefs = expectedRefs(erika, SAMPLE_STORES.dms.id);
    for (const f of byName) expect(keyRefs).toContain(f.ref);
    const other = await findAll(dms, {
      emails: [],
      phones: [],
      userNames: [],
      ips: [],
      postalAddresses: [],
      names: [{ value: "Erika Musterfrau" }],
    });
    expect(other).toEqual([]);
  });

  it("marks findings through unproven identifiers and flags security authorities and blocks", async () => {
    const joerg = fx.key.persons.find((p) => p.demo === "joerg")!;
    const subject = {
      ...subjectFromKey(joerg),
      names: [{ value: joerg.identifiers.names[0]!, proven: false }],
      emails: [],
      phones: [],
      postalAddresses: [],
    };
    const findings = await findAll(fx.connector(SAMPLE_STORES.retrieval.id), subject);
    expect(findings.length).toBe(expectedRefs(joerg, SAMPLE_STORES.retrieval.id).length);
    expect(findings.every((f) => f.unproven && f.role === "looked-up")).toBe(true);
    expect(findings.some((f) => f.flags.includes("security-authority"))).toBe(true);
    expect(findings.some((f) => f.flags.includes("information-block"))).toBe(true);
    const criteria = findings[0]!.content.suchkriterien as Record<string, string>;
    expect(nameKey(criteria.familienname!)).toBe("weiss");
  });

  it("contact-form tickets are their own processing activity with the consent recorded", async () => {
    const person = fx.key.persons.find((p) => p.demo === "erika")!;
    const findings = await findAll(fx.connector(SAMPLE_STORES.servicedesk.id), subjectFromKey(person));
    const form = findings.filter(
      (f) => f.processingActivityId === "contact-form" && f.content.table === "ticket",
    );
    expect(form.length).toBeGreaterThan(0);
    expect(form.every((f) => f.content.consent_opt_in === true && f.flags.includes("consent"))).toBe(true);
    expect(findings.some((f) => f.processingActivityId === "support-ticket")).toBe(true);
  });

  it("reports progress and can be cancelled", async () => {
    const person = fx.key.persons.find((p) => p.demo === "lukasz")!;
    const web = fx.connector(SAMPLE_STORES.web.id);
    const progress: number[] = [];
    let total = 0;
    for await (const _ of web.find(subjectFromKey(person), {
      onProgress: (p) => progress.push(p.scanned),
      onReport: (r) => (total = r.total ?? 0),
    }))
      void _;
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(total);
    const controller = new AbortController();
    controller.abort();
    await expect(findAll2(web, subjectFromKey(person), controller.signal)).rejects.toThrow(/abort/i);
  });
});

async function findAll2(
  connector: ReturnType<SampleFixture["connector"]>,
  subject: ReturnType<typeof subjectFromKey>,
  signal: AbortSignal,
) {
  for await (const _ of connector.find(subject, { signal })) void _;
}
