/**
 * Where the 50 cases of shared-scan spend their time (ADR 0021): one round of 1 case then 50,
 * through the real gathering, with the web-log connector's `find` and file reads timed from the
 * start of the gathering (patched on the prototype here, not in the connector): when each case's
 * search joins the pass, how many files the pass reads (a late joiner makes it read the files it
 * missed once more), and when each search ends. The searches run on the main thread
 * (GATHER_SEARCH_THREADS=0): the patches below are on this thread's prototype, which a search
 * thread does not share. For profiling:
 *   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx scripts/bench/shared-scan-trace.ts
 */
import { LineStoreConnector } from "#app/sources/connectors/line-store.server";
import { benchCase, gatherAll, startGatherBench } from "./gather-bench";
import { BENCH_DIR, ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const CASES = Number(process.argv[2] ?? 50);
let t0 = 0;
const events: { at: number; what: string }[] = [];
const note = (what: string) => events.push({ at: performance.now() - t0, what });

const proto = LineStoreConnector.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const find = proto.find!;
proto.find = async function* (this: unknown, ...args: unknown[]) {
  note("join");
  yield* find.apply(this, args) as AsyncGenerator<unknown>;
  note("end");
};
const scanFile = proto.scanFile!;
proto.scanFile = async function (this: unknown, ...args: unknown[]) {
  const participants = args[2] as unknown[];
  note(`read ${(args[0] as { rel: string }).rel} for ${participants.length}`);
  await scanFile.apply(this, args);
  note(`read done ${(args[0] as { rel: string }).rel}`);
};

process.env.GATHER_SEARCH_THREADS = "0";
await ensureBenchStore(() => {});
const runner = await startGatherBench(BENCH_DIR.replace(/\/weblog$/, ""), [
  { id: "web-bench", title: "bench", kind: "nginx-access-log", path: "weblog", retention: "web-access-log" },
]);
const ips = [
  SUBJECT_IP,
  SUBJECT_IP.slice(0, -1),
  ...Array.from({ length: 48 }, (_, i) => `203.0.113.${i + 1}`),
];
for (const count of [1, CASES]) {
  const cases: string[] = [];
  for (const ip of ips.slice(0, count)) cases.push(await benchCase(runner.services, { ips: [ip] }));
  events.length = 0;
  t0 = performance.now();
  const hr0 = process.hrtime.bigint() / 1000n;
  const cpu = process.cpuUsage();
  const { seconds } = await gatherAll(runner.services, cases);
  const used = process.cpuUsage(cpu);
  const joins = events.filter((e) => e.what === "join").map((e) => e.at);
  const ends = events.filter((e) => e.what === "end").map((e) => e.at);
  const reads = events.filter((e) => e.what.startsWith("read ") && !e.what.startsWith("read done"));
  console.log(
    JSON.stringify({
      cases: count,
      wall: +seconds.toFixed(2),
      cpu: +((used.user + used.system) / 1e6).toFixed(2),
      firstJoinMs: Math.round(joins[0] ?? -1),
      lastJoinMs: Math.round(joins.at(-1) ?? -1),
      firstEndMs: Math.round(Math.min(...ends)),
      lastEndMs: Math.round(Math.max(...ends)),
      fileReads: reads.length,
      hrMicros: [String(hr0), String(process.hrtime.bigint() / 1000n)],
    }),
  );
  if (count > 1) for (const r of reads) console.log(`  ${Math.round(r.at)} ms ${r.what}`);
}
await runner.stop();
