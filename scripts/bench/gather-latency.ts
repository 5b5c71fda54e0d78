/**
 * gather-latency: one case over the demo landscape grown past 1 GiB — the generated sample's
 * stores (mailboxes, call records, login logs, records management, and the retrieval-protocol and
 * service-desk tables in the embedded database) with the 1 GiB web-log store of weblog-data.ts in
 * place of the sample's web logs — through the portal's real gathering: its store jobs run side by
 * side in the worker, with no pause between them (ADR 0021). `ratio` is the case's wall time over
 * its slowest store's time alone (each store's job run by itself, one after another, in the same
 * round); goal ≤ 1.3. Rounds, CPU seconds (this process: worker, embedded database, connectors)
 * and the load by harness.ts; "ours" is the case, "reference" its slowest store alone.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { gatherStoreJobs } from "#db/schema";
import { runStoreJob, startGather } from "#app/server/gather/gather.server";
import { loadSourcesConfig } from "#app/sources/config.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import type { AnswerKey } from "#app/sources/sample/answer-key";
import { readAnswerKey } from "#app/sources/sample/answer-key.server";
import { generateSample } from "#app/sources/sample/generate.server";
import { ANSWER_KEY_FILE, SAMPLE_STORES } from "#app/sources/sample/layout";
import type { Benchmark } from "./index";
import { benchCase, gatherAll, startGatherBench } from "./gather-bench";
import { BenchRun, fixture, measure, showSpread, type Usage } from "./harness";
import { BENCH_DIR, ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const ROOT = path.dirname(BENCH_DIR);
const LANDSCAPE = "landscape";
const SAMPLE = { people: 300, days: 60, seed: "bench-landscape" };

/** The sample's stores, generated once into tmp/bench/landscape and reused while its settings match. */
async function ensureLandscape(): Promise<AnswerKey> {
  const dir = path.join(ROOT, LANDSCAPE);
  const manifest = `${dir}.manifest.json`;
  const keyFile = path.join(dir, ANSWER_KEY_FILE);
  if (
    existsSync(manifest) &&
    readFileSync(manifest, "utf8") === JSON.stringify(SAMPLE) &&
    existsSync(keyFile)
  )
    return readAnswerKey(dir);
  console.log(`generating the sample landscape in ${dir} (once; reused afterwards)`);
  const { answerKey } = await generateSample({ ...SAMPLE, out: dir });
  writeFileSync(manifest, JSON.stringify(SAMPLE));
  return answerKey;
}

export const benchmark: Benchmark = {
  name: "gather-latency",
  description:
    "one case over the sample landscape with 1 GiB of web logs: wall time vs its slowest store alone",
  async run() {
    await fixture("web-log store", () => ensureBenchStore((line) => console.log(line)));
    const key = await fixture("sample landscape", ensureLandscape);
    const stores = loadSourcesConfig().stores.map((store) =>
      "path" in store && store.path
        ? {
            ...store,
            path: store.id === SAMPLE_STORES.web.id ? path.basename(BENCH_DIR) : `${LANDSCAPE}/${store.path}`,
          }
        : store,
    );
    const bench = new BenchRun("gather-latency", { ours: "the case", ref: "its slowest store alone" });
    const runner = await startGatherBench(ROOT, stores);
    const { services } = runner;
    await fixture("landscape's database stores loaded", () =>
      loadDatabaseStores(services.sql, path.join(ROOT, LANDSCAPE)),
    );
    // The person with records in the most stores, with the web logs' subject address added.
    const person = [...key.persons].sort(
      (a, b) => new Set(b.records.map((r) => r.store)).size - new Set(a.records.map((r) => r.store)).size,
    )[0]!;
    const identifiers = {
      emails: person.identifiers.emails,
      names: person.identifiers.names,
      phones: person.identifiers.phones,
      userNames: person.identifiers.userNames,
      ips: [SUBJECT_IP],
      birthDate: person.identifiers.birthDate,
    };
    const ratios: number[] = [];
    const alone = new Map<string, number[]>();
    try {
      for (let round = 1; round <= bench.rounds; round++) {
        const requestOfCase = await benchCase(services, identifiers);
        const whole = await measure(() => gatherAll(services, [requestOfCase]));
        // Each store alone: the same case's jobs, queued nowhere and run one after another here.
        const requestId = await benchCase(services, identifiers);
        const runId = await startGather({ ...services, jobs: { send: async () => null } }, requestId, null);
        const jobs = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId));
        let slowest: { store: string; usage: Usage } | null = null;
        for (const job of jobs) {
          const { usage } = await measure(() => runStoreJob(services, job.id));
          alone.set(job.store, [...(alone.get(job.store) ?? []), usage.wall]);
          if (!slowest || usage.wall > slowest.usage.wall) slowest = { store: job.store, usage };
        }
        ratios.push(whole.usage.wall / slowest!.usage.wall);
        bench.round(
          whole.usage,
          slowest!.usage,
          `slowest store ${slowest!.store}, ratio ${ratios.at(-1)!.toFixed(2)}`,
        );
      }
    } finally {
      await runner.stop();
    }
    for (const [store, times] of alone)
      console.log(`  ${store} alone (min/median/max): ${showSpread(times, 2)} s wall`);
    console.log(`ratio of the round (min/median/max): ${showSpread(ratios, 2)}`);
    bench.finish({ extra: { round_ratio: showSpread(ratios, 2) } });
  },
};
