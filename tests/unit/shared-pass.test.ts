/**
 * The pass scheduler alone (app/sources/shared-pass.server.ts), over a store of numbered units:
 * which search reads which unit, how often, and that a slow reader holds up the pass without
 * losing anything.
 */
import { expect, it } from "vitest";
import { type Participant, SharedPasses } from "#app/sources/shared-pass.server";

interface Own {
  name: string;
}

function store(units: number, perUnit = 1, concurrency = 2) {
  const reads: { unit: number; names: string[] }[] = [];
  let gate: Promise<void> = Promise.resolve();
  const passes = new SharedPasses<null, Own, string>({
    prepare: async () => ({ setup: null, units }),
    async read(_setup, unit, participants: readonly Participant<Own, string>[]) {
      reads.push({ unit, names: participants.map((p) => p.own.name) });
      await gate;
      for (let i = 0; i < perUnit; i++)
        for (const p of participants) await p.deliver(`${p.own.name}:${unit}:${i}`);
    },
    concurrency,
  });
  return { passes, reads, hold: (until: Promise<void>) => (gate = until) };
}

async function all(items: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item);
  return out;
}

it("searches started together share every unit, each read once, each search getting only its own items", async () => {
  const { passes, reads } = store(5);
  const [a, b] = await Promise.all(["a", "b"].map(async (name) => all((await passes.join({ name })).items)));
  expect(a!.sort()).toEqual(["a:0:0", "a:1:0", "a:2:0", "a:3:0", "a:4:0"]);
  expect(b!.sort()).toEqual(["b:0:0", "b:1:0", "b:2:0", "b:3:0", "b:4:0"]);
  expect(reads.map((r) => r.unit).sort()).toEqual([0, 1, 2, 3, 4]);
  expect(reads.every((r) => r.names.join() === "a,b")).toBe(true);
});

it("a search joining on the first lap goes round once more for the units it missed", async () => {
  const { passes, reads, hold } = store(4, 1, 1);
  let open = () => {};
  hold(new Promise<void>((resolve) => (open = resolve)));
  const first = all((await passes.join({ name: "first" })).items);
  // The first unit is being read when the second search comes.
  while (reads.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const second = all((await passes.join({ name: "second" })).items);
  open();
  expect((await first).sort()).toEqual(["first:0:0", "first:1:0", "first:2:0", "first:3:0"]);
  expect((await second).sort()).toEqual(["second:0:0", "second:1:0", "second:2:0", "second:3:0"]);
  // Unit 0 twice (once without the newcomer), every other unit once, for both.
  expect(reads.map((r) => `${r.unit}:${r.names.join("+")}`)).toEqual([
    "0:first",
    "1:first+second",
    "2:first+second",
    "3:first+second",
    "0:second",
  ]);
});

it("a slow reader holds up the units read for it at once, and gets every item", async () => {
  const { passes } = store(2, 3000, 2);
  const { items } = await passes.join({ name: "slow" });
  const got: string[] = [];
  for await (const item of items) {
    got.push(item);
    if (got.length % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(got).toHaveLength(6000);
  expect(new Set(got).size).toBe(6000);
});

it("a search that stops early leaves; the others go on", async () => {
  const { passes } = store(3, 2000, 1);
  const quitter = (await passes.join({ name: "quitter" })).items;
  const stayer = all((await passes.join({ name: "stayer" })).items);
  for await (const item of quitter) if (item) break;
  expect(await stayer).toHaveLength(6000);
});
