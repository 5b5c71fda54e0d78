/**
 * npm run bench [-- NAME]: runs every benchmark, or the named one. Each benchmark is its own module
 * and prints, last, "BENCH <name> ours_s=… ref_s=… ratio=… peak_rss_mb=…".
 */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  "weblog-scan": async () => (await import("./weblog-scan")).benchmark,
  "retrieval-sweep": async () => (await import("./retrieval-sweep")).benchmark,
  "retrieval-index": async () => (await import("./retrieval-index")).benchmark,
  "answer-archive": async () => (await import("./answer-archive")).benchmark,
  "answer-download": async () => (await import("./answer-download")).benchmark,
  "mail-burst": async () => (await import("./mail-burst")).benchmark,
  "upload-memory": async () => (await import("./upload-memory")).benchmark,
  "review-20k": async () => (await import("./review-20k")).benchmark,
  "shared-scan": async () => (await import("./shared-scan")).benchmark,
  "gather-latency": async () => (await import("./gather-latency")).benchmark,
  "store-throughput": async () => (await import("./store-throughput")).benchmark,
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHMARKS)) {
  const benchmark = await BENCHMARKS[name]!();
  console.log(`# ${benchmark.name}: ${benchmark.description}`);
  await benchmark.run();
}
