/**
 * Records management on the "as found in the wild" sample: for every person of the cast, `find`
 * returns exactly the answer key's documents — the family at one address, the namesake in Gotha,
 * Latin-1 and windows-1252 files, character references, CDATA, other prefixes, ids that are not
 * the file name, co-signed letters — and the store's problems are located without content.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPartial, type ScanReport, type Subject } from "#app/sources/connector";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { type AnswerKey, type AnswerKeyPerson, subjectFromKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { cachedSample } from "../support/sample-cache";
import { expectedRefs } from "./fixture";

let dir: string;
let key: AnswerKey;
let store: RecordsConnector;
const STORE = SAMPLE_STORES.dms.id;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rp-messy-records-"));
  key = (await cachedSample({ people: 12, days: 3, seed: "messy-records", out: dir, messy: true })).answerKey;
  store = new RecordsConnector(STORE, join(dir, SAMPLE_STORES.dms.path));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cast = () => Object.values(MESSY_CAST).map((c) => key.persons.find((p) => p.id === c.id)!);
const person = (id: string): AnswerKeyPerson => key.persons.find((p) => p.id === id)!;

async function findWithReport(subject: Subject) {
  let report: ScanReport | undefined;
  const refs: string[] = [];
  const findings = [];
  for await (const finding of store.find(subject, { onReport: (r) => (report = r) })) {
    findings.push(finding);
    refs.push(finding.ref);
  }
  return { findings, refs: refs.sort(), report: report! };
}

describe("messy records management against the answer key", () => {
  it("every cast member has documents in the store, the family several each", () => {
    for (const p of cast())
      expect(expectedRefs(p, STORE).length, p.id).toBeGreaterThanOrEqual(
        p.id === MESSY_CAST.renate.id ? 2 : 3,
      );
  });

  it("find returns exactly the key's documents for every cast member, each once", async () => {
    for (const p of cast()) {
      const { findings, refs } = await findWithReport(subjectFromKey(p));
      expect(refs, p.id).toEqual(expectedRefs(p, STORE));
      expect(new Set(refs).size, `${p.id}: no document twice`).toBe(refs.length);
      // The part each plays is the key's: sender of a letter, recipient of the reply.
      const roles = new Map(p.records.filter((r) => r.store === STORE).map((r) => [r.ref, r.role]));
      for (const f of findings) expect(f.role, `${p.id} ${f.ref}`).toBe(roles.get(f.ref));
    }
  });

  it("the family's letters go to each of them and to nobody else; the namesake's never to Jörg", async () => {
    const refsOf = (id: string) => new Set(expectedRefs(person(id), STORE));
    const joerg = (await findWithReport(subjectFromKey(person(MESSY_CAST.joerg.id)))).refs;
    for (const other of [MESSY_CAST.namesake.id, MESSY_CAST.gerda.id])
      for (const ref of refsOf(other)) expect(joerg).not.toContain(ref);
    const shared = [...refsOf(MESSY_CAST.joerg.id)].filter((r) => refsOf(MESSY_CAST.anna.id).has(r));
    expect(shared).toHaveLength(1);
    const anna = await findWithReport(subjectFromKey(person(MESSY_CAST.anna.id)));
    const coSigned = anna.findings.find((f) => f.ref === shared[0])!;
    expect(coSigned.flags).toContain("third-party-data");
    expect(coSigned.content.weitereAbsender).toHaveLength(1);
  });

  it("a letter signed with an initial is a candidate only; a written-out name at the address proves, also as the reply's addressee", async () => {
    const { findings } = await findWithReport(subjectFromKey(person(MESSY_CAST.joerg.id)));
    const initial = findings.filter(
      (f) => (f.content.absender as Record<string, string> | undefined)?.vorname === "J.",
    );
    expect(initial).toHaveLength(1);
    expect(initial[0]!.unproven).toBe(true);
    expect(findings.filter((f) => !f.unproven).length).toBe(findings.length - 1);
    expect(findings.filter((f) => f.role === "recipient").map((f) => f.unproven)).toEqual([false]);
  });

  it("ordinary people of the same sample get none of the messy documents", async () => {
    const ordinary = key.persons
      .filter((p) => !p.id.startsWith("messy-") && p.records.some((r) => r.store === STORE))
      .slice(0, 6);
    expect(ordinary.length).toBeGreaterThan(0);
    for (const p of ordinary)
      expect((await findWithReport(subjectFromKey(p))).refs, p.id).toEqual(expectedRefs(p, STORE));
  });

  it("locates the cut-off metadata file and the scan without metadata, without their content; the rest is searched", async () => {
    const { report } = await findWithReport(subjectFromKey(person(MESSY_CAST.joerg.id)));
    expect(isPartial(report)).toBe(true);
    const unsearched = report.problems.filter((p) => p.unsearched);
    const cut = unsearched.find((p) => /ends inside an element/.test(p.reason))!;
    expect(cut.where).toMatch(/^\d{4}\/VIS-\d{4}-8\d{5}\.xml$/);
    expect(cut.line).toBe(5);
    expect(
      unsearched.some((p) => /scan without a metadata file/.test(p.reason) && /899998\.pdf$/.test(p.where)),
    ).toBe(true);
    // The cut file's own scan is part of that document, not reported a second time.
    expect(unsearched.filter((p) => p.where === cut.where.replace(/xml$/, "pdf"))).toEqual([]);
    const text = JSON.stringify(report.problems);
    for (const word of ["Kla", "Widerspruch", "Müller", "Rosmarinweg"]) expect(text).not.toContain(word);
    expect(report.malformed).toBe(1);
    // The undeclared Latin-1 file is read, and said so.
    expect(
      report.problems.some((p) => !p.unsearched && /not valid UTF-8; read as windows-1252/.test(p.reason)),
    ).toBe(true);
  });

  it("the windows-1252 letter is read with its euro sign, the ISO-8859-1 ones with their umlauts", async () => {
    const { findings } = await findWithReport(subjectFromKey(person(MESSY_CAST.joerg.id)));
    const euro = findings.find((f) => String(f.content.betreff).includes("€"));
    expect(euro?.content.betreff).toBe("Gebühr 25 € erstattet?");
    const file = await readFile(join(dir, SAMPLE_STORES.dms.path, String(euro!.content.metadataFile)));
    expect(file.includes(Buffer.from([0x80]))).toBe(true);
    const renate = await findWithReport(subjectFromKey(person(MESSY_CAST.renate.id)));
    expect(renate.findings.map((f) => (f.content.absender as Record<string, string>).nachname)).toEqual(
      renate.findings.map(() => "Kühn-Ößwald"),
    );
  });

  it("the cast's documents are rectified and erased by their ids, confirmed by reading the store again", async () => {
    const joerg = person(MESSY_CAST.joerg.id);
    const refs = expectedRefs(joerg, STORE);
    const before = await store.inspect(refs);
    for (const ref of refs) expect(before.get(ref)!.state, ref).toBe("present");
    const { findings } = await findWithReport(subjectFromKey(joerg));
    const single = findings
      .filter((f) => !f.flags.includes("third-party-data") && f.role === "sender")
      .map((f) => f.ref);
    for (const ref of single)
      expect(await store.rectify(ref, { ort: "Weimar" }), ref).toEqual({
        changed: 1,
        notFound: 0,
        skippedOnHold: 0,
        failures: [],
      });
    const after = await store.inspect(single);
    for (const ref of single)
      expect(after.get(ref), ref).toMatchObject({ state: "present", fields: { ort: "Weimar" } });
    const erased = await store.erase(refs);
    expect(erased).toEqual({ changed: refs.length, notFound: 0, skippedOnHold: 0, failures: [] });
    // The cut-off export names its own id in its start tag: it holds up no other document's answer.
    for (const [ref, state] of await store.inspect(refs))
      expect(state, ref).toEqual({ state: "absent", held: false, holders: [] });
    expect((await findWithReport(subjectFromKey(joerg))).refs).toEqual([]);
    // His wife's documents are untouched, the co-signed one gone with his.
    const anna = person(MESSY_CAST.anna.id);
    expect((await findWithReport(subjectFromKey(anna))).refs).toEqual(
      expectedRefs(anna, STORE).filter((r) => !refs.includes(r)),
    );
  });
});
