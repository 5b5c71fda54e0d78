/**
 * npm run bench [-- NAME]: runs every benchmark, or the named one. Each benchmark is its own module,
 * measures with harness.ts (three rounds of both sides, wall and CPU seconds, the load) and prints,
 * last, "BENCH <name> ours_s=… ref_s=… ratio=… ours_cpu_s=… ref_cpu_s=… peak_rss_mb=… load_before=…
 * load_after=…". At the end the whole run's wall time, the CPU seconds of this process and every
 * child it ran, the PostgreSQL server's for the benchmarks' own databases (rp_bench_*), and the
 * load are printed, and per benchmark its wall and CPU seconds with the share of writing its
 * fixtures (harness.ts fixture()): `npm run bench` must stay under 20 minutes on the 2-core machine,
 * fixtures written on a fresh machine included (issue 17).
 */
import { DatabaseCpu, loadAverage, processCpu, takeFixtures } from "./harness";

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  "weblog-scan": async () => (await import("./weblog-scan")).benchmark,
  "retrieval-sweep": async () => (await import("./retrieval-sweep")).benchmark,
  "retrieval-index": async () => (await import("./retrieval-index")).benchmark,
  "servicedesk-index": async () => (await import("./servicedesk-index")).benchmark,
  "answer-archive": async () => (await import("./answer-archive")).benchmark,
  "answer-download": async () => (await import("./answer-download")).benchmark,
  "mail-burst": async () => (await import("./mail-burst")).benchmark,
  "upload-memory": async () => (await import("./upload-memory")).benchmark,
  "review-20k": async () => (await import("./review-20k")).benchmark,
  "shared-scan": async () => (await import("./shared-scan")).benchmark,
  "gather-latency": async () => (await import("./gather-latency")).benchmark,
  "store-throughput": async () => (await import("./store-throughput")).benchmark,
};
/**
 * Run only when named: store-throughput measures the rates the gathering estimate uses (ADR 0023),
 * it compares nothing, and its two landscapes would take the whole run past its 20 minutes.
 */
const ONLY_WHEN_NAMED = new Set(["store-throughput"]);

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ")}`);
  process.exit(2);
}
const loadBefore = loadAverage();
const started = performance.now();
const cpuBefore = processCpu("self", true);
const serverCpu = new DatabaseCpu(
  process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  "rp_bench_%",
);
const watching = await serverCpu.start().then(
  () => true,
  () => false,
);
const took: string[] = [];
try {
  for (const name of wanted.length
    ? wanted
    : Object.keys(BENCHMARKS).filter((n) => !ONLY_WHEN_NAMED.has(n))) {
    const benchmark = await BENCHMARKS[name]!();
    console.log(`# ${benchmark.name}: ${benchmark.description}`);
    const at = performance.now();
    const cpuAt = processCpu("self", true) ?? 0;
    const dbAt = watching ? await serverCpu.sofar().catch(() => null) : null;
    await benchmark.run();
    const db = watching ? await serverCpu.sofar().catch(() => null) : null;
    const made = takeFixtures();
    const line =
      `${name} ${((performance.now() - at) / 1000).toFixed(0)} s wall, ${((processCpu("self", true) ?? 0) - cpuAt).toFixed(0)} s CPU` +
      (db !== null && dbAt !== null ? `, database server ${(db - dbAt).toFixed(0)} s CPU` : "") +
      ` (fixtures ${made.reduce((sum, f) => sum + f.usage.wall, 0).toFixed(0)} s wall, ${made.reduce((sum, f) => sum + f.usage.cpu, 0).toFixed(0)} s CPU)`;
    console.log(`# took ${line}`);
    took.push(line);
  }
} finally {
  const database = watching ? await serverCpu.stop().catch(() => null) : null;
  await serverCpu.close().catch(() => undefined);
  const cpu = (processCpu("self", true) ?? 0) - (cpuBefore ?? 0);
  console.log(`# took:\n#   ${took.join("\n#   ")}`);
  console.log(
    `BENCH-RUN wall_s=${((performance.now() - started) / 1000).toFixed(0)} cpu_s=${cpu.toFixed(0)}` +
      ` db_server_cpu_s=${database === null ? "n/a" : database.toFixed(0)} load_before="${loadBefore}" load_after="${loadAverage()}"`,
  );
}
