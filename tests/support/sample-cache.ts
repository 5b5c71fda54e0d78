/**
 * Generated samples kept between test runs. `generateSample` is deterministic (the same options
 * give the same bytes), so a sample a test file asks for is generated once into
 * node_modules/.cache/rp-tests/samples and every later run copies it into the test's own folder:
 * ~1–3 s of CPU per sample saved for a copy of a few MB (ADR 0024).
 *
 * Never stale: the cache is keyed on the content of every module of ours the generator imports
 * (found by following its imports from generate.server.ts), the installed packages
 * (node_modules/.package-lock.json) and Node's and zlib's versions, besides the options. A change
 * to any of them makes a new key, and the sample is generated again. RP_TEST_SAMPLE_CACHE=off
 * generates every sample afresh.
 *
 * Each call gets a copy of its own (files the test may erase or rewrite in place), with the time
 * of the copy as the files' times, as a fresh generation would have.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readAnswerKey, readAnswerKeyMeta } from "#app/sources/sample/answer-key.server";
import type { AnswerKey } from "#app/sources/sample/answer-key";
import {
  generateSample,
  type GenerateSampleOptions,
  type GenerateSampleResult,
} from "#app/sources/sample/generate.server";
import { ANSWER_KEY_FILE } from "#app/sources/sample/layout";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const GENERATOR = path.join(ROOT, "app/sources/sample/generate.server.ts");
const CACHE = path.join(ROOT, "node_modules/.cache/rp-tests/samples");
/** A generator version's folder unused this long is removed (a run takes minutes). */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

export type CachedSampleOptions = Omit<GenerateSampleOptions, "onProgress">;

/**
 * `generateSample(options)` as a copy of the cached sample: the same files in `options.out`
 * (emptied first, as the generator does) and the same result.
 */
export async function cachedSample(options: CachedSampleOptions): Promise<GenerateSampleResult> {
  if (process.env.RP_TEST_SAMPLE_CACHE === "off") return generateSample(options);
  const entry = await cacheEntry(options);
  const out = path.resolve(options.out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.dirname(out), { recursive: true });
  // No preserveTimestamps: the copy's files are as new as a generated sample's.
  cpSync(path.join(entry, "sample"), out, { recursive: true });
  const { end } = JSON.parse(readFileSync(path.join(entry, "result.json"), "utf8")) as { end: string };
  let answerKey: AnswerKey | undefined;
  return {
    out,
    answerKeyPath: path.join(out, ANSWER_KEY_FILE),
    answerKeyMeta: readAnswerKeyMeta(out),
    get answerKey() {
      return (answerKey ??= readAnswerKey(out));
    },
    end: new Date(end),
  };
}

/** The cached sample's folder for these options, generated first if no run has made it yet. */
async function cacheEntry(options: CachedSampleOptions): Promise<string> {
  const version = generatorVersion();
  const { out: _out, ...rest } = options;
  const settings = Object.fromEntries(
    Object.entries(rest)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const versionDir = path.join(CACHE, version);
  const entry = path.join(versionDir, sha256(JSON.stringify(settings)).slice(0, 24));
  if (!existsSync(entry)) {
    // Built beside its final name and renamed into place, so that a worker or run alongside never
    // copies a half-written sample; if two build the same one, the first rename wins.
    const building = `${entry}.building-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      const result = await generateSample({ ...rest, out: path.join(building, "sample") });
      writeFileSync(
        path.join(building, "result.json"),
        `${JSON.stringify({ options: settings, end: result.end.toISOString() }, null, 2)}\n`,
      );
      renameSync(building, entry);
    } catch (error) {
      if (!existsSync(entry)) throw error;
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  }
  const now = new Date();
  utimesSync(versionDir, now, now);
  return entry;
}

let version: string | undefined;

/**
 * The key of the generator as it is now: its modules' content, the installed packages, Node and
 * zlib. Computed once per process; other versions' folders unused for an hour are removed.
 */
export function generatorVersion(): string {
  if (version) return version;
  const hash = createHash("sha256");
  for (const file of [...generatorModules()].sort()) {
    hash.update(`${path.relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  const installed = path.join(ROOT, "node_modules/.package-lock.json");
  hash.update(readFileSync(existsSync(installed) ? installed : path.join(ROOT, "package-lock.json")));
  hash.update(`\0node ${process.versions.node} zlib ${process.versions.zlib}`);
  version = hash.digest("hex").slice(0, 24);
  prune(version);
  return version;
}

function prune(current: string): void {
  if (!existsSync(CACHE)) return;
  for (const name of readdirSync(CACHE)) {
    const dir = path.join(CACHE, name);
    if (name !== current && Date.now() - statSync(dir).mtimeMs > PRUNE_AFTER_MS)
      rmSync(dir, { recursive: true, force: true });
  }
}

const IMPORT =
  /(?:^|[\s;}])(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[\s;])import\s*["']([^"']+)["']/g;

/**
 * Every module of ours the generator imports, directly or not: the import statements followed from
 * generate.server.ts through relative and `#app/`, `#db/` paths. Type-only imports are followed
 * too (more than the generator runs, never less); packages are covered by the installed tree.
 */
export function generatorModules(entry = GENERATOR): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const resolved = resolveOurs(file, match[1] ?? match[2] ?? match[3]!);
      if (resolved) visit(resolved);
    }
  };
  visit(entry);
  return seen;
}

function resolveOurs(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else if (/^#(app|db)\//.test(specifier))
    base = path.join(ROOT, specifier.startsWith("#app/") ? "app" : "db", specifier.replace(/^#\w+\//, ""));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`sample cache: cannot resolve "${specifier}" imported by ${path.relative(ROOT, from)}`);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
