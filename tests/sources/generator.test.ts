import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emailMailboxKey, normaliseIp, normalisePhone } from "#app/core/identifiers";
import { generateSample } from "#app/sources/sample/generate.server";
import { DEMO_PERSONS } from "#app/sources/sample/people";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) =>
    e.isFile(),
  )) {
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return out;
}

async function sample(seed: string) {
  const dir = await mkdtemp(join(tmpdir(), "rp-gen-"));
  dirs.push(dir);
  return { dir, result: await generateSample({ people: 10, days: 4, seed, out: dir, noise: 0.3 }) };
}

/** Each seed's first sample, made once for the file (generating one is most of a test's time). */
const firsts = new Map<string, ReturnType<typeof sample>>();
function firstSample(seed: string) {
  if (!firsts.has(seed)) firsts.set(seed, sample(seed));
  return firsts.get(seed)!;
}

describe("generator", () => {
  it("is deterministic for a seed and differs for another", async () => {
    const a = await firstSample("same");
    const b = await sample("same");
    const c = await firstSample("other");
    expect(await tree(a.dir)).toEqual(await tree(b.dir));
    expect(a.result.answerKey).toEqual(b.result.answerKey);
    expect(JSON.stringify(c.result.answerKey)).not.toEqual(JSON.stringify(a.result.answerKey));
  }, 30_000);

  it("exports the demo persons' identifiers and writes valid identifiers for everyone", async () => {
    // Two seeds' samples (the first test's), so twice the people a sample of its own would give.
    const results = [(await firstSample("same")).result, (await firstSample("other")).result];
    for (const result of results) {
      const erika = result.answerKey.persons.find((p) => p.demo === "erika")!;
      expect(erika.identifiers.emails).toContain(DEMO_PERSONS.erika.email);
      expect(erika.identifiers.userNames).toEqual([DEMO_PERSONS.erika.userName]);
      expect(result.answerKey.persons.find((p) => p.demo === "joerg")!.auskunftssperre).toBe(true);
    }
    for (const person of results.flatMap((r) => r.answerKey.persons)) {
      for (const email of person.identifiers.emails) expect(emailMailboxKey(email), email).not.toBeNull();
      for (const phone of person.identifiers.phones) expect(normalisePhone(phone), phone).toBe(phone);
      for (const window of person.identifiers.ips) {
        expect(normaliseIp(window.address)).not.toBeNull();
        expect(window.from <= window.to).toBe(true);
      }
    }
  });
});
