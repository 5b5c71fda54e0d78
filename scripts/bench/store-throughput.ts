/**
 * store-throughput: what one search of each store costs per GB (file stores) or per row (database
 * stores), the figures behind app/sources/store-throughput.ts and the gathering estimate (ADR 0023).
 * Two generated landscapes, a small and a large one (the large one with the 1 GiB web-log store of
 * weblog-data.ts in place of its web logs), are searched store by store through the portal's real
 * store jobs (embedded database), three rounds each; wall and CPU seconds of this process (the
 * embedded database runs in it). Per kind, the cost per unit is the difference of the two medians
 * over the difference of the sizes, and the fixed cost what remains of the small one.
 */
import { readdirSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { gatherStoreJobs } from "#db/schema";
import type { StoreKind } from "#app/core/store-kinds";
import { runStoreJob, startGather } from "#app/server/gather/gather.server";
import { isDatabaseStore, storeKindOf, type StoreConfig } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import type { AnswerKey } from "#app/sources/sample/answer-key";
import { generateSample } from "#app/sources/sample/generate.server";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { queuedByHand } from "#tests/support/jobs";
import type { Benchmark } from "./index";
import { benchCase, startGatherBench, uptime } from "./gather-bench";
import { BENCH_DIR, ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const ROUNDS = 3;
const ROOT = path.dirname(BENCH_DIR);
const LANDSCAPES = {
  small: { people: 150, days: 15, seed: "throughput-small" },
  large: { people: 900, days: 90, seed: "throughput-large" },
} as const;
type Landscape = keyof typeof LANDSCAPES;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function spreadOf(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(3)}/${median(values).toFixed(3)}/${sorted.at(-1)!.toFixed(3)}`;
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

/** The landscape's stores under ids and schemas of their own, so both live in one portal. */
function storesOf(landscape: Landscape): StoreConfig[] {
  return loadSourcesConfig().stores.map((store) => {
    const id = `${store.id}-${landscape}`;
    if (isDatabaseStore(store)) return { ...store, id, schema: `${store.schema}_${landscape}` };
    if (!("path" in store)) return { ...store, id };
    const web = store.id === SAMPLE_STORES.web.id && landscape === "large";
    return { ...store, id, path: web ? path.basename(BENCH_DIR) : `throughput-${landscape}/${store.path}` };
  });
}

export const benchmark: Benchmark = {
  name: "store-throughput",
  description: "one search per store over a small and a large landscape: seconds and CPU per GB or row",
  async run() {
    await ensureBenchStore((line) => console.log(line));
    const keys = {} as Record<Landscape, AnswerKey>;
    for (const landscape of Object.keys(LANDSCAPES) as Landscape[]) {
      console.log(`generating the ${landscape} landscape`);
      keys[landscape] = (
        await generateSample({ ...LANDSCAPES[landscape], out: path.join(ROOT, `throughput-${landscape}`) })
      ).answerKey;
    }
    const stores = [...storesOf("small"), ...storesOf("large")];
    const bench = await startGatherBench(ROOT, stores);
    const { services } = bench;
    const units = new Map<string, number>();
    for (const landscape of Object.keys(LANDSCAPES) as Landscape[]) {
      const loaded = await loadDatabaseStores(services.sql, path.join(ROOT, `throughput-${landscape}`), {
        melderegister: `melderegister_${landscape}`,
        servicedesk: `servicedesk_${landscape}`,
      });
      for (const store of storesOf(landscape))
        units.set(
          store.id,
          store.kind === "retrieval-protocol-db"
            ? loaded.abrufprotokoll
            : store.kind === "servicedesk-db"
              ? loaded.ticket + loaded.article
              : "path" in store
                ? bytesUnder(path.join(ROOT, store.path)) / 1e9
                : 0,
        );
    }
    const load = [loadavg()[0]!];
    console.log(`uptime before: ${uptime()}`);
    const walls = new Map<string, number[]>();
    const cpus = new Map<string, number[]>();
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        for (const landscape of Object.keys(LANDSCAPES) as Landscape[]) {
          // The person with records in the most stores, with the web logs' subject address added.
          const person = [...keys[landscape].persons].sort(
            (a, b) =>
              new Set(b.records.map((r) => r.store)).size - new Set(a.records.map((r) => r.store)).size,
          )[0]!;
          const { emails, names, phones, userNames, birthDate } = person.identifiers;
          const requestId = await benchCase(services, {
            emails,
            names,
            phones,
            userNames,
            ips: [SUBJECT_IP],
            birthDate,
          });
          const runId = await startGather({ ...services, jobs: queuedByHand() }, requestId, null);
          const jobs = await services.db
            .select()
            .from(gatherStoreJobs)
            .where(eq(gatherStoreJobs.runId, runId));
          for (const job of jobs.filter((j) => j.store.endsWith(`-${landscape}`))) {
            const cpu = process.cpuUsage();
            const started = performance.now();
            await runStoreJob(services, job.id);
            walls.set(job.store, [...(walls.get(job.store) ?? []), (performance.now() - started) / 1000]);
            const used = process.cpuUsage(cpu);
            cpus.set(job.store, [...(cpus.get(job.store) ?? []), (used.user + used.system) / 1e6]);
          }
        }
        load.push(loadavg()[0]!);
        console.log(`round ${round} done; ${uptime()}`);
      }
    } finally {
      await bench.stop();
    }
    const derived: Partial<Record<StoreKind, object>> = {};
    for (const store of storesOf("small")) {
      const base = store.id.replace(/-small$/, "");
      const large = `${base}-large`;
      const [u1, u2] = [units.get(store.id)!, units.get(large)!];
      const unit = isDatabaseStore(store) ? "row" : "gb";
      console.log(
        `  ${base}: small ${u1.toFixed(unit === "gb" ? 4 : 0)} ${unit}s wall ${spreadOf(walls.get(store.id)!)} s cpu ${spreadOf(cpus.get(store.id)!)} s; large ${u2.toFixed(unit === "gb" ? 4 : 0)} ${unit}s wall ${spreadOf(walls.get(large)!)} s cpu ${spreadOf(cpus.get(large)!)} s`,
      );
      const fit = (times: Map<string, number[]>) => {
        const [t1, t2] = [median(times.get(store.id)!), median(times.get(large)!)];
        const perUnit = Math.max(0, (t2 - t1) / (u2 - u1));
        return { perUnit, fixed: Math.max(0, t1 - perUnit * u1) };
      };
      const [wall, cpu] = [fit(walls), fit(cpus)];
      derived[storeKindOf(store)] ??= {
        unit,
        secondsPerUnit: Number(wall.perUnit.toPrecision(3)),
        cpuSecondsPerUnit: Number(cpu.perUnit.toPrecision(3)),
        fixedSeconds: Number(wall.fixed.toPrecision(3)),
        fixedCpuSeconds: Number(cpu.fixed.toPrecision(3)),
      };
    }
    console.log(`per kind (first store of each kind): ${JSON.stringify(derived, null, 1)}`);
    console.log(`uptime after: ${uptime()}`);
    console.log(
      `BENCH store-throughput load_min=${Math.min(...load).toFixed(1)} load_max=${Math.max(...load).toFixed(1)} peak_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`,
    );
  },
};
