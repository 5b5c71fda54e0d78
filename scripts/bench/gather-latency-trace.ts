/**
 * Where gather-latency's case spends its wall time (ADR 0021): the same landscape, services and case
 * as the benchmark, one case gathered to warm up, then ROUNDS cases each with a timeline from the
 * start of its gathering: per store when its job took it (the row's `started_at`), when its search
 * was asked for (the connector's `find`, wrapped here), its first finding, the search's end, and
 * the row's `finished_at`; the end as the benchmark sees it; the main thread's event-loop
 * utilisation and the process's CPU. For the main thread's profile:
 *   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx scripts/bench/gather-latency-trace.ts
 */
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { eq } from "drizzle-orm";
import { gatherStoreJobs } from "#db/schema";
import type { SourceConnector } from "#app/sources/connector";
import { runStoreJob, startGather } from "#app/server/gather/gather.server";
import { queuedByHand } from "#tests/support/jobs";
import { benchCase, gatherAll } from "./gather-bench";
import { prepareGatherLatency } from "./gather-latency";
import { loadAverage, processCpu, showSpread, threadCpu } from "./harness";

const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** The CPU each thread used since `before`, those above 0.02 s. */
function threadsSince(before: Map<string, { name: string; cpu: number }>): string {
  return [...threadCpu()]
    .map(([tid, t]) => ({ tid, name: t.name, cpu: t.cpu - (before.get(tid)?.cpu ?? 0) }))
    .filter((t) => t.cpu > 0.02)
    .sort((a, b) => b.cpu - a.cpu)
    .map((t) => `${t.name}/${t.tid} ${t.cpu.toFixed(2)}`)
    .join(", ");
}

// The embedded database's time per statement during the rounds (its synchronous protocol call,
// where the statement runs on the main thread), named by the statement's first words.
const statements = new Map<string, { n: number; ms: number }>();
let tracing = false;
let lastParsed = "";
const proto = PGlite.prototype as unknown as { execProtocolRawSync(message: Uint8Array): unknown };
const rawSync = proto.execProtocolRawSync;
proto.execProtocolRawSync = function (this: unknown, message: Uint8Array) {
  if (!tracing) return rawSync.call(this, message);
  const started = performance.now();
  try {
    return rawSync.call(this, message);
  } finally {
    const bytes = Buffer.from(message);
    let name = `${String.fromCharCode(bytes[0]!)} ${lastParsed}`;
    if (bytes[0] === 0x50) {
      const at = bytes.indexOf(0, 5) + 1;
      name = lastParsed = bytes.toString("utf8", at, bytes.indexOf(0, at)).replace(/\s+/g, " ").slice(0, 90);
    } else if (bytes[0] === 0x51)
      name = bytes.toString("utf8", 5, Math.min(bytes.length - 1, 95)).replace(/\s+/g, " ");
    const s = statements.get(name) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += performance.now() - started;
    statements.set(name, s);
  }
};
const { runner, services, identifiers } = await prepareGatherLatency();

let t0 = 0;
const events = new Map<
  string,
  { find?: number; first?: number; end?: number; found: number; thread?: number }
>();
const ms = () => Math.round(performance.now() - t0);
for (const [store, connector] of services.sources.connectors) {
  const find = connector.find.bind(connector);
  (connector as { find: SourceConnector["find"] }).find = async function* (subject, options) {
    const e = { find: ms(), found: 0 } as {
      find?: number;
      first?: number;
      end?: number;
      found: number;
      thread?: number;
    };
    events.set(store, e);
    for await (const finding of find(subject, options)) {
      if (e.found++ === 0) {
        e.first = ms();
        e.thread = services.sources.searchThreads?.describe().find((t) => t.stores.includes(store))?.threadId;
      }
      yield finding;
    }
    e.end = ms();
  };
}

await gatherAll(services, [await benchCase(services, identifiers)]);
const mainCpu: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const id = await benchCase(services, identifiers);
  events.clear();
  const cpu0 = processCpu("self")!;
  const threads0 = threadCpu();
  const elu0 = performance.eventLoopUtilization();
  statements.clear();
  tracing = true;
  t0 = performance.now();
  const wall0 = Date.now();
  const hr0 = process.hrtime.bigint() / 1000n;
  const { runIds, seconds } = await gatherAll(services, [id]);
  // The round's window on the clock of a CPU profile's samples (microseconds of CLOCK_MONOTONIC).
  console.log(`window ${hr0} ${process.hrtime.bigint() / 1000n}`);
  const elu = performance.eventLoopUtilization(elu0);
  tracing = false;
  const cpu = processCpu("self")! - cpu0;
  // The main thread's own: the workers, the embedded database, the inserts (its id is the process's).
  const main =
    (threadCpu().get(String(process.pid))?.cpu ?? 0) - (threads0.get(String(process.pid))?.cpu ?? 0);
  mainCpu.push(main);
  const rows = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runIds[0]!));
  console.log(
    `round ${round}: ${seconds.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, main thread's event loop busy ${(elu.utilization * 100).toFixed(0)} %`,
  );
  console.log(`  threads (s CPU): ${threadsSince(threads0)}`);
  console.log(`  main thread: ${main.toFixed(2)} s CPU`);
  for (const row of rows.sort((a, b) => +a.startedAt! - +b.startedAt!)) {
    const e = events.get(row.store);
    console.log(
      `  ${row.store.padEnd(16)} taken ${+row.startedAt! - wall0} ms, find ${e?.find} ms, first ${e?.first ?? "-"} ms, end ${e?.end} ms, finished ${+row.finishedAt! - wall0} ms, ${row.findings} findings, thread ${e?.thread ?? "main"}`,
    );
  }
  const sorted = [...statements].sort((a, b) => b[1].ms - a[1].ms);
  console.log(
    `  embedded database: ${sorted.reduce((sum, [, s]) => sum + s.ms, 0).toFixed(0)} ms in ${sorted.reduce((sum, [, s]) => sum + s.n, 0)} calls`,
  );
  for (const [name, s] of sorted.slice(0, 16))
    console.log(`    ${s.ms.toFixed(0).padStart(5)} ms ${String(s.n).padStart(4)}× ${name}`);
}
console.log(`main thread per case (min/median/max): ${showSpread(mainCpu, 2)} s CPU; load ${loadAverage()}`);
if (process.env.ALONE) {
  const requestId = await benchCase(services, identifiers);
  const runId = await startGather({ ...services, jobs: queuedByHand() }, requestId, null);
  const jobs = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId));
  for (const job of jobs.filter((j) => process.env.ALONE === "all" || j.store === process.env.ALONE)) {
    const threads0 = threadCpu();
    const started = performance.now();
    const hr0 = process.hrtime.bigint() / 1000n;
    await runStoreJob(services, job.id);
    console.log(`window ${hr0} ${process.hrtime.bigint() / 1000n}`);
    console.log(
      `${job.store} alone: ${((performance.now() - started) / 1000).toFixed(2)} s wall; threads (s CPU): ${threadsSince(threads0)}`,
    );
  }
}
await runner.stop();
