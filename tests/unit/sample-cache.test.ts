/**
 * The test samples' cache (tests/support/sample-cache.ts): a copy of a cached sample is what the
 * generator writes for the same options, each copy is a test's own, and the cache's key follows
 * every module the generator is built from.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { generateSample } from "#app/sources/sample/generate.server";
import { cachedSample, generatorModules } from "../support/sample-cache";

const scratch = mkdtempSync(path.join(tmpdir(), "rp-sample-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file below `dir` with its bytes, by relative path. */
function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const abs = path.join(at, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else files.set(path.relative(dir, abs), readFileSync(abs));
    }
  };
  walk(dir);
  return files;
}

describe("a cached sample", () => {
  const options = { people: 5, days: 2, seed: "sample-cache-test", messy: true };

  it("is, file for file and byte for byte, what the generator writes for the same options", async () => {
    const generated = await generateSample({ ...options, out: path.join(scratch, "generated") });
    const copied = await cachedSample({ ...options, out: path.join(scratch, "copied") });
    const expected = tree(generated.out);
    const actual = tree(copied.out);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    expect(expected.size).toBeGreaterThan(50);
    for (const [file, bytes] of expected) expect(actual.get(file)?.equals(bytes), file).toBe(true);
    expect(copied.end).toEqual(generated.end);
    expect(copied.answerKeyMeta).toEqual(generated.answerKeyMeta);
    expect(copied.answerKey).toEqual(generated.answerKey);
    expect(copied.answerKeyPath).toBe(path.join(copied.out, "answer-key/key.json"));
  });

  it("is a copy of the test's own: what one test rewrites or erases, the next copy has as generated", async () => {
    const first = await cachedSample({ ...options, out: path.join(scratch, "first") });
    const before = tree(first.out);
    const [victim] = [...before.keys()].filter((f) => f.startsWith("db/"));
    writeFileSync(path.join(first.out, victim!), "rewritten in place\n");
    rmSync(path.join(first.out, "answer-key"), { recursive: true });
    const second = await cachedSample({ ...options, out: path.join(scratch, "second") });
    const after = tree(second.out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(after.get(file)?.equals(bytes), file).toBe(true);
  });

  it("empties the target folder first, as the generator does", async () => {
    const out = path.join(scratch, "reused");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "left-over.txt"), "from before");
    await cachedSample({ ...options, out });
    expect(readdirSync(out)).not.toContain("left-over.txt");
  });
});

describe("the cache's key", () => {
  it("covers every module the bundler finds behind the generator", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const result = await build({
      entryPoints: [path.join(root, "app/sources/sample/generate.server.ts")],
      bundle: true,
      metafile: true,
      write: false,
      platform: "node",
      format: "esm",
      logLevel: "silent",
      plugins: [
        {
          name: "packages-outside",
          setup(b) {
            b.onResolve({ filter: /^[^.#/]/ }, (a) => ({ path: a.path, external: true }));
          },
        },
      ],
    });
    const bundled = Object.keys(result.metafile.inputs).map((f) => path.resolve(root, f));
    expect(bundled.length).toBeGreaterThan(20);
    const followed = generatorModules();
    expect(bundled.filter((f) => !followed.has(f))).toEqual([]);
  });

  it("follows every form of import and export", () => {
    const dir = mkdtempSync(path.join(scratch, "imports-"));
    const files: Record<string, string> = {
      "entry.ts": [
        'import { a } from "./a";',
        "import {\n  b,\n  type B,\n} from './b';",
        'import type { C } from "./c";',
        'export * from "./d";',
        'export { e } from "./e/index";',
        'import "./f";',
        'const g = await import("./g");',
        'import h from "node:fs";',
      ].join("\n"),
      "a.ts": 'export const a = 1;\nimport { nested } from "./nested";',
      "b.ts": "export const b = 1; export type B = 1;",
      "c.ts": "export type C = 1;",
      "d.ts": "export const d = 1;",
      "e/index.ts": "export const e = 1;",
      "f.ts": "",
      "g.ts": "",
      "nested.ts": "export const nested = 1;",
    };
    mkdirSync(path.join(dir, "e"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const found = [...generatorModules(path.join(dir, "entry.ts"))].map((f) => path.relative(dir, f)).sort();
    expect(found).toEqual(Object.keys(files).sort());
  });

  it("refuses an import of ours it cannot find rather than leave it out of the key", () => {
    const dir = mkdtempSync(path.join(scratch, "missing-"));
    writeFileSync(path.join(dir, "entry.ts"), 'import { x } from "./gone";');
    expect(() => generatorModules(path.join(dir, "entry.ts"))).toThrow(/cannot resolve "\.\/gone"/);
  });
});
