/**
 * The sample "as found in the wild", all stores at once, through the same measurement the
 * `sources:quality` command prints: every record the key gives a person is found, and no store
 * returns a stranger's record as the person's. The store-by-store tests (messy-*.test.ts) say
 * which variation broke; this one proves the whole landscape, including the ordinary people who
 * live beside the cast.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { measureQuality, type StoreQuality } from "#app/sources/sample/quality.server";
import { type SampleFixture, sampleFixture } from "./fixture";

let fx: SampleFixture;
let results: StoreQuality[];

beforeAll(async () => {
  fx = await sampleFixture({ people: 40, days: 10, seed: "messy-quality", messy: true });
  results = await measureQuality(fx.registry, fx.key);
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe("the sample as found in the wild", () => {
  it("gives the cast records in every store kind", () => {
    const cast = new Set<string>(Object.values(MESSY_CAST).map((p) => p.id));
    const stores = new Set(
      fx.key.persons.filter((p) => cast.has(p.id)).flatMap((p) => p.records.map((r) => r.store)),
    );
    for (const id of fx.registry.connectors.keys()) expect(stores, `cast records in ${id}`).toContain(id);
  });

  it("is searched with full recall and no stranger's record in every store", () => {
    for (const q of results) {
      expect(q.error, `${q.store} failed`).toBeNull();
      expect(
        q.misses.filter((m) => m.missed.length),
        `${q.store}: records missed`,
      ).toEqual([]);
      expect(
        q.misses.filter((m) => m.strangers.length),
        `${q.store}: strangers' records returned`,
      ).toEqual([]);
      expect(q.recall).toBe(1);
      expect(q.precision).toBe(1);
    }
  });
});
