/**
 * Why the web logs' search costs one CPU level in one run and another in the next (ADR 0021,
 * "Two levels of the web logs' search"): the landscape's web logs ("web-tsr") searched ROUNDS
 * times for gather-latency's person on ONE search thread (SearchThreads, as the portal runs it),
 * in the order SCHEDULE names, printing per round the search thread's CPU, libuv's pool's (gunzip)
 * and V8's helpers' from /proc/self/task, and the wall time.
 *   SCHEDULE=alone        web-tsr, web-tsr, …
 *   SCHEDULE=interleaved  the other file stores of the case, then web-tsr, each round
 *   SCHEDULE=ab           alternating: a round alone, a round after the others
 * TRACE_GC=1 sets V8's --trace-gc for the thread before it starts (its lines on stdout, between
 * the rounds' "round" lines). Needs the landscape gather-latency generated.
 *   node --import tsx scripts/bench/search-thread-levels.ts
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import type { Subject } from "#app/sources/connector";
import { loadSourcesConfig } from "#app/sources/config.server";
import { readAnswerKey } from "#app/sources/sample/answer-key.server";
import { ANSWER_KEY_FILE } from "#app/sources/sample/layout";
import { SearchThreads } from "#app/sources/search-threads.server";
import { bytePatterns, ipExpressions } from "#app/sources/byte-patterns";
import { compileSubject } from "#app/sources/subject";
import { loadAverage, showSpread, threadCpu } from "./harness";

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const SCHEDULE = process.env.SCHEDULE ?? "ab";
const CACHE = path.join("node_modules", ".cache", "rp-bench", "landscape");

const dir = readdirSync(CACHE)
  .map((name) => path.join(CACHE, name))
  .find((at) => existsSync(path.join(at, ANSWER_KEY_FILE)));
if (!dir) throw new Error("no landscape: run `npm run bench -- gather-latency` once");

// gather-latency's person: records in the most stores, every address they used.
const key = readAnswerKey(dir);
const person = [...key.persons].sort(
  (a, b) => new Set(b.records.map((r) => r.store)).size - new Set(a.records.map((r) => r.store)).size,
)[0]!;
const ids = person.identifiers;
const subject: Subject = {
  emails: ids.emails.map((value) => ({ value, proven: true })),
  names: ids.names.map((value) => ({ value })),
  phones: ids.phones.map((value) => ({ value })),
  userNames: ids.userNames.map((value) => ({ value })),
  ips: [...new Set(ids.ips.map((w) => w.address))].map((address) => ({ address })),
  birthDate: ids.birthDate,
  postalAddresses: [],
};

const fileStores = loadSourcesConfig().stores.filter((s) => "path" in s);
const web = fileStores.find((s) => s.id === "web-tsr")!;
const others = fileStores.filter((s) => s.id !== "web-tsr");

if (process.env.TRACE_GC) v8.setFlagsFromString("--trace-gc");
for (const flag of (process.env.V8_FLAGS ?? "").split(" ").filter(Boolean)) v8.setFlagsFromString(flag);
/**
 * A search thread of its own (SearchThreads with one thread), warmed by a first search of the web
 * logs (not counted), and its id in /proc: the new thread that ran the most during that search
 * (Node names all its threads "node"; libuv's pool and the inspector's start then too).
 */
async function startThread(): Promise<{ threads: SearchThreads; tid: string }> {
  const before = threadCpu();
  const threads = new SearchThreads(1);
  for await (const _ of threads.find(web, dir!, subject));
  const grown = [...threadCpu()].map(([tid, t]) => ({ tid, cpu: t.cpu - (before.get(tid)?.cpu ?? 0) }));
  return {
    threads,
    tid: grown.sort((a, b) => b.cpu - a.cpu).find((t) => t.tid !== String(process.pid))!.tid,
  };
}
// SCHEDULE=pair: two threads in turns, A searching the web logs only, B the other stores before each
// of its web-log searches: the same minutes of the machine, two histories.
const pair = SCHEDULE === "pair";
const A = await startThread();
const B = pair ? await startThread() : A;
let current = A;
const searchTid = () => current.tid;
console.log(
  `search thread ${A.tid}${pair ? ` and ${B.tid}` : ""}; landscape ${dir}; subject ${person.id}; load ${loadAverage()}`,
);

async function search(store: (typeof fileStores)[number]): Promise<number> {
  let found = 0;
  for await (const _ of current.threads.find(store, dir!, subject)) found++;
  return found;
}

/**
 * CPU seconds since `from`: the search thread, the main thread, the others (libuv's pool running
 * gunzip, V8's helpers collecting garbage: Node names them all "node"), and the others' largest.
 */
function groups(from: Map<string, { name: string; cpu: number }>) {
  const out = { search: 0, main: 0, others: 0, each: [] as number[] };
  for (const [tid, t] of threadCpu()) {
    const s = t.cpu - (from.get(tid)?.cpu ?? 0);
    if (tid === searchTid()) out.search += s;
    else if (tid === String(process.pid)) out.main += s;
    else {
      out.others += s;
      if (s > 0.02) out.each.push(s);
    }
  }
  out.each.sort((a, b) => b - a);
  return out;
}

/**
 * A fixed piece of the same work on the main thread, before each round: the web logs' newest file
 * (plain text) searched four times for the subject's patterns, as the search thread does. Its CPU
 * varies only with the machine (other processes on the two cores), not with the search thread's
 * state: a round's search CPU that moves with it is the machine's doing.
 */
const sample = readFileSync(path.join(dir, web.path, "access.log"));
const samplePatterns = bytePatterns([], ipExpressions(compileSubject(subject).ipKeys()) ?? []);
function calibrate(): number {
  const main = String(process.pid);
  const t0 = threadCpu().get(main)!.cpu;
  let hits = 0;
  for (let i = 0; i < 4; i++) hits += samplePatterns.lineStarts(sample).length;
  if (hits === 0) throw new Error("the calibration found nothing: not the same work");
  return threadCpu().get(main)!.cpu - t0;
}

/**
 * PROFILE=dir: a CPU profile of the search thread for each round (the inspector's NodeWorker
 * domain from this thread: the thread is started with `execArgv: []`, so `--cpu-prof` does not
 * reach it), written to dir/round-N.cpuprofile.
 */
const profileDir = process.env.PROFILE;
let toWorker: ((method: string, params?: object) => Promise<Record<string, unknown>>) | null = null;
if (profileDir) {
  mkdirSync(profileDir, { recursive: true });
  const session = new Session();
  session.connect();
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  let next = 0;
  // The search thread, not a module loader's thread (tsx's hooks run on one of their own).
  const attached = new Promise<string>((resolve) =>
    session.on("NodeWorker.attachedToWorker", (m) => {
      if (m.params.workerInfo.url.includes("search-thread-boot")) resolve(m.params.sessionId);
    }),
  );
  session.on("NodeWorker.receivedMessageFromWorker", (m) => {
    const reply = JSON.parse(m.params.message) as { id?: number; result?: Record<string, unknown> };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result ?? {});
  });
  await session.post("NodeWorker.enable", { waitForDebuggerOnStart: false });
  const sessionId = await attached;
  toWorker = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++next;
      // The idle thread is unref'd: keep this process alive until it answers.
      const alive = setInterval(() => {}, 1000);
      pending.set(id, (result) => {
        clearInterval(alive);
        resolve(result);
      });
      void session.post("NodeWorker.sendMessageToWorker", {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    });
  await toWorker("Profiler.enable");
  await toWorker("Profiler.setSamplingInterval", { interval: 500 });
}

const results = new Map<
  string,
  { search: number[]; others: number[]; wall: number[]; calibration: number[] }
>();
for (let round = 1; round <= ROUNDS; round++) {
  current = pair && round % 2 === 0 ? B : A;
  const after = SCHEDULE === "interleaved" || ((SCHEDULE === "ab" || pair) && round % 2 === 0);
  if (after) for (const store of others) await search(store);
  const label = `${after ? "after the others" : "alone"}${pair ? (current === A ? " (thread A)" : " (thread B)") : ""}`;
  const calibration = calibrate();
  console.log(`round ${round} ${label} begins`);
  if (toWorker) await toWorker("Profiler.start");
  const t0 = threadCpu();
  const started = performance.now();
  const found = await search(web);
  if (toWorker)
    writeFileSync(
      path.join(profileDir!, `round-${round}.cpuprofile`),
      JSON.stringify((await toWorker("Profiler.stop")).profile),
    );
  const wall = (performance.now() - started) / 1000;
  const g = groups(t0);
  const r = results.get(label) ?? { search: [], others: [], wall: [], calibration: [] };
  r.calibration.push(calibration);
  r.search.push(g.search);
  r.others.push(g.others);
  r.wall.push(wall);
  results.set(label, r);
  console.log(
    `round ${round} ${label}: ${found} findings, ${wall.toFixed(2)} s wall; calibration before ${calibration.toFixed(3)} s; CPU s: search thread ${g.search.toFixed(2)}, main ${g.main.toFixed(2)}, the others ${g.others.toFixed(2)} (${g.each.map((c) => c.toFixed(2)).join(" ")}); load ${loadAverage()}`,
  );
}
for (const [label, r] of results)
  console.log(
    `${label} (${r.wall.length} rounds, min/median/max): search thread ${showSpread(r.search, 2)} s, calibration ${showSpread(r.calibration, 3)} s, the other threads ${showSpread(r.others, 2)} s, wall ${showSpread(r.wall, 2)} s`,
  );
await A.threads.close();
await B.threads.close();
