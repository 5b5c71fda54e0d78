/**
 * The one harness every benchmark measures with (issue 17, point 7): three rounds of our side and
 * the reference in one run, each timed in wall-clock seconds and CPU seconds — this process with
 * every child process it has waited for (their grandchildren included), the processes it names
 * (a portal started for the benchmark), and the database server's backends serving the
 * benchmark's database — and the machine's load average before, during and after. Each benchmark
 * prints a line per round, min/median/max of both sides, and last
 * "BENCH <name> ours_s=… ref_s=… ratio=… ours_cpu_s=… ref_cpu_s=… … load_before=… load_after=…".
 *
 * CPU time comes from /proc (Linux): utime + stime of a process, and cutime + cstime of this one,
 * which the kernel adds when a child ends and is waited for (Node waits for every child it
 * spawns). A database server on another machine has no /proc here: its CPU is then "n/a".
 */
import { readdirSync, readFileSync, realpathSync } from "node:fs";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import postgres from "postgres";

const ROUNDS = 3;
/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`; 100 on Linux for x86 and arm). */
const TICKS = 100;

/**
 * Whether the module at `moduleUrl` is the one Node was asked to run (a benchmark run alone, or a
 * benchmark's child). By the real path: node_modules may be a link (a worktree's), and Node runs the
 * module by its real path.
 */
export function invokedDirectly(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(realpathSync(script)).href;
}

export function spread(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

/** "min/median/max" with `digits` decimals. */
export function showSpread(values: number[], digits: number): string {
  const s = spread(values);
  return `${s.min.toFixed(digits)}/${s.median.toFixed(digits)}/${s.max.toFixed(digits)}`;
}

/** The 1-, 5- and 15-minute load averages. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

/** CPU seconds of a process (utime + stime), with `children` also those of its waited-for children; null once it is gone. */
export function processCpu(pid: number | "self", children = false): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name is in parentheses and may hold spaces: fields are counted after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 counted from the state (field 3).
  const ticks = [11, 12, ...(children ? [13, 14] : [])].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / TICKS;
}

/**
 * CPU seconds each thread of this process ran, by thread id (its name beside it: Node names libuv's
 * pool, V8's helpers and worker threads alike "node"), from /proc's schedstat: nanoseconds, where
 * stat counts ticks of 10 ms. Threads that end while read are left out. Linux only.
 */
export function threadCpu(): Map<string, { name: string; cpu: number }> {
  const threads = new Map<string, { name: string; cpu: number }>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      threads.set(tid, { name, cpu: ns / 1e9 });
    } catch {
      // ended meanwhile
    }
  }
  return threads;
}

/** A process and everything it started that still runs (a start script's server child, its workers). */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const p = tree[i]!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim().split(/\s+/))
          if (child) tree.push(Number(child));
      } catch {
        // The task ended meanwhile.
      }
    }
  }
  return tree;
}

/**
 * The CPU the database server spends for one database: the backends connected to it (read from
 * pg_stat_activity every 200 ms on a connection to another database, so the watcher is not
 * counted), each from /proc/<pid>/stat. A backend that ends between two samples loses at most its
 * last 200 ms. `database` may be a LIKE pattern (rp_bench_%: every benchmark database).
 */
export class DatabaseCpu {
  private readonly client: postgres.Sql;
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private local = true;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    serverUrl: string,
    private readonly database: string,
  ) {
    const url = new URL(serverUrl);
    url.pathname = "/postgres";
    this.client = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  }

  private async sample(baseline: boolean): Promise<void> {
    const rows = await this.client<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname LIKE ${this.database} AND pid <> pg_backend_pid()`;
    for (const { pid } of rows) {
      const cpu = processCpu(pid);
      if (cpu === null) {
        if (baseline) this.local = false;
        continue;
      }
      // A backend that connected after the start began at zero (a new process).
      if (!this.first.has(pid)) this.first.set(pid, baseline ? cpu : 0);
      this.last.set(pid, cpu);
    }
  }

  async start(): Promise<void> {
    this.first.clear();
    this.last.clear();
    this.local = true;
    await this.sample(true);
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample(false)).catch(() => undefined);
    }, 200);
  }

  /** CPU seconds of the database's backends since `start`, or null when the server's processes are not on this machine. */
  async stop(): Promise<number | null> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.sofar();
  }

  /** CPU seconds of the database's backends since `start`, sampled now, while the watch goes on. */
  async sofar(): Promise<number | null> {
    await this.sampling;
    await this.sample(false);
    if (!this.local) return null;
    let sum = 0;
    for (const [pid, last] of this.last) sum += last - (this.first.get(pid) ?? 0);
    return sum;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client.end();
  }
}

/** What one side of one round cost. */
export interface Usage {
  wall: number;
  /** This process, its waited-for children and the named processes. */
  cpu: number;
  /** The database server's backends of the benchmark's database; null without one (or not on this machine). */
  dbCpu: number | null;
}

export interface MeasureOptions {
  /** The database server's CPU for the benchmark's database. */
  database?: DatabaseCpu;
  /** Processes that run through the measurement (a portal), whose CPU counts too, with their children. */
  processes?: () => number[];
}

/**
 * Runs `work` and measures it. Child processes that `work` starts and waits for are counted
 * through this process's cutime/cstime; processes it leaves running are not, unless named.
 */
export async function measure<T>(
  work: () => Promise<T>,
  options: MeasureOptions = {},
): Promise<{ value: T; usage: Usage }> {
  const named = () => {
    const pids = options.processes?.().flatMap(processTree) ?? [];
    return new Map(pids.map((pid) => [pid, processCpu(pid) ?? 0]));
  };
  await options.database?.start();
  const before = named();
  const selfBefore = processCpu("self", true) ?? 0;
  const started = performance.now();
  const value = await work();
  const wall = (performance.now() - started) / 1000;
  const selfAfter = processCpu("self", true) ?? 0;
  let namedCpu = 0;
  for (const [pid, cpu] of named()) namedCpu += cpu - (before.get(pid) ?? 0);
  const dbCpu = options.database ? await options.database.stop() : null;
  return { value, usage: { wall, cpu: selfAfter - selfBefore + namedCpu, dbCpu } };
}

/** The fixtures the running benchmark wrote or checked (fixture()), taken by the bench index after each benchmark. */
const fixtures: { label: string; usage: Usage }[] = [];

/**
 * Writes (or finds already written) a benchmark's fixture — a store, a table, a seeded case — and
 * prints what that cost, so that a run shows how much of each benchmark is fixtures and how much
 * its rounds; with `options.database` the database server's CPU for it too (the bench index
 * prints the server's CPU for each whole benchmark).
 */
export async function fixture<T>(
  label: string,
  work: () => Promise<T>,
  options: MeasureOptions = {},
): Promise<T> {
  const { value, usage } = await measure(work, options);
  fixtures.push({ label, usage });
  console.log(`# fixture ${label}: ${showUsage(usage, 1)}`);
  return value;
}

/** The fixtures recorded since the last call. */
export function takeFixtures(): { label: string; usage: Usage }[] {
  return fixtures.splice(0);
}

/** "1.23 s wall, 2.34 s CPU, database server 0.50 s CPU"; `figure` names what `wall` holds (with its unit) where it is not the wall time. */
export function showUsage(usage: Usage, digits = 2, figure = "s wall"): string {
  return (
    `${usage.wall.toFixed(digits)} ${figure}, ${usage.cpu.toFixed(digits)} s CPU` +
    (usage.dbCpu !== null ? `, database server ${usage.dbCpu.toFixed(digits)} s CPU` : "")
  );
}

function showUsages(label: string, usages: Usage[], digits: number, figure: string): string {
  const db = usages.map((u) => u.dbCpu).filter((c): c is number => c !== null);
  return (
    `${label} (min/median/max of ${usages.length}): ${showSpread(
      usages.map((u) => u.wall),
      digits,
    )} ${figure}, ${showSpread(
      usages.map((u) => u.cpu),
      digits,
    )} s CPU` + (db.length ? `, database server ${showSpread(db, digits)} s CPU` : "")
  );
}

export type Extra = Record<string, string | number>;

/**
 * One benchmark's rounds and report. Our side and the reference are measured in each round, in
 * turns, so that a neighbour's burst slows both alike; `ref` is a fixed goal where the benchmark
 * compares with a requirement rather than another program (a code's lifetime, a memory budget).
 * `figure` names the compared figure with its unit where it is not the wall time ("s p99 latency",
 * "MB peak RSS");
 * the CPU seconds are always those of the round.
 */
export class BenchRun {
  readonly rounds = ROUNDS;
  private readonly ours: Usage[] = [];
  private readonly ref: Usage[] = [];
  private readonly loadBefore = loadAverage();

  constructor(
    readonly name: string,
    private readonly labels: { ours: string; ref: string },
    private readonly digits = 2,
    private readonly figure = "s wall",
  ) {
    console.log(`load average before: ${this.loadBefore}`);
  }

  /** Records a round: our usage, the reference's (absent for a goal), and what else the round showed. */
  round(ours: Usage, ref: Usage | null, note = ""): void {
    this.ours.push(ours);
    if (ref) this.ref.push(ref);
    const n = this.ours.length;
    console.log(
      `round ${n}: ours (${this.labels.ours}) ${showUsage(ours, this.digits, this.figure)}` +
        (ref ? `; reference (${this.labels.ref}) ${showUsage(ref, this.digits, this.figure)}` : "") +
        (note ? `; ${note}` : "") +
        `; load ${loadAverage()}`,
    );
  }

  /** Prints min/median/max of both sides and the BENCH line; `goal` stands for the reference where there is none. */
  finish(options: { goal?: number; extra?: Extra; peakRssMb?: number } = {}): void {
    const d = this.digits;
    console.log(showUsages(`ours (${this.labels.ours})`, this.ours, d, this.figure));
    if (this.ref.length) console.log(showUsages(`reference (${this.labels.ref})`, this.ref, d, this.figure));
    const ours = spread(this.ours.map((u) => u.wall)).median;
    const unit = this.figure.startsWith("MB") ? "mb" : "s";
    const ref = this.ref.length ? spread(this.ref.map((u) => u.wall)).median : (options.goal ?? NaN);
    const fields: Extra = {
      [`ours_${unit}`]: ours.toFixed(d),
      [`ref_${unit}`]: ref.toFixed(d),
      ratio: (ours / ref).toFixed(2),
      ours_cpu_s: spread(this.ours.map((u) => u.cpu)).median.toFixed(d),
      ...(this.ref.length ? { ref_cpu_s: spread(this.ref.map((u) => u.cpu)).median.toFixed(d) } : {}),
    };
    const db = (usages: Usage[]) => usages.map((u) => u.dbCpu).filter((c): c is number => c !== null);
    if (db(this.ours).length) fields.ours_db_cpu_s = spread(db(this.ours)).median.toFixed(d);
    if (db(this.ref).length) fields.ref_db_cpu_s = spread(db(this.ref)).median.toFixed(d);
    Object.assign(fields, options.extra ?? {});
    fields.peak_rss_mb = (options.peakRssMb ?? process.resourceUsage().maxRSS / 1024).toFixed(0);
    fields.load_before = `"${this.loadBefore}"`;
    fields.load_after = `"${loadAverage()}"`;
    console.log(
      `BENCH ${this.name} ${Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
  }
}
