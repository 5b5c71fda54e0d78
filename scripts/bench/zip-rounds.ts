/**
 * What the answer benchmarks share: our side runs in a child process (bundled by Vite as the server
 * is, run by plain Node: under tsx its RSS would include the TypeScript loader's own thread, about
 * 50 MB, which the built portal does not carry), Info-ZIP `zip -6 -r` over the same files unpacked
 * is the reference, and the two take turns, three rounds (harness.ts); the medians are compared,
 * since on a shared machine one run of either can be slowed by a neighbour. Our figures are the
 * child's own for the work (wall and CPU of all its threads, module loading left out), with the
 * database server's CPU for the benchmark's database where one is named; zip's are measured from
 * outside (one process, single-threaded like our archive writer).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BenchRun, measure, type MeasureOptions } from "./harness";
import { procMemoryMb } from "./portal-process";

const run = promisify(execFile);

/** What our child prints as its last line. */
export interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  findings: number;
  /** Files and unpacked size where the child knows them (the archive writer reports its entries). */
  files?: number;
  unpacked?: number;
  bytes: number;
  baselineRssKb: number;
  /** Peak RSS once the database is open and has answered a first query, before the work (answer-download). */
  openedRssKb?: number;
  maxRssKb: number;
}

/** Bundles a benchmark module for plain Node into node_modules/.cache (packages stay external, as in the server build). */
export async function bundleForNode(moduleUrl: string, name: string): Promise<string> {
  const { build } = await import("vite");
  const outDir = join(process.cwd(), "node_modules", ".cache", "rp-bench", name);
  await build({
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    build: { ssr: fileURLToPath(moduleUrl), outDir, target: "node20", emptyOutDir: true },
  });
  return join(outDir, `${name}.js`);
}

export async function requireZipTools(benchmark: string): Promise<void> {
  for (const tool of ["zip", "unzip"]) {
    await run("sh", ["-c", `command -v ${tool}`]).catch(() => {
      throw new Error(`${benchmark} needs Info-ZIP ${tool} (apt-get install zip unzip)`);
    });
  }
}

/**
 * The portal's server runs with glibc's mmap threshold fixed at 1 MiB (scripts/start.mjs, ADR 0017):
 * a child that stands for the server runs with it too, unless the environment sets its own.
 */
export const serverMallocEnv = {
  MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? String(1 << 20),
};

/** Runs a bundled child with arguments (and `env` added to this process's); its last line of output is its result. */
export async function runChild(
  module: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ result: ChildResult; wall: number }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [module, ...args], {
    maxBuffer: 1 << 20,
    env: { ...process.env, ...env },
  });
  return {
    result: JSON.parse(stdout.trim().split("\n").pop()!) as ChildResult,
    wall: (performance.now() - started) / 1000,
  };
}

/** Resident memory of a bare Node process (its VmHWM), the floor under every child's figures. */
export async function nodeAloneRssMb(): Promise<number> {
  const { stdout } = await run(process.execPath, [
    "-e",
    'process.stdout.write(/VmHWM:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))[1])',
  ]);
  return Number(stdout) / 1024;
}

/**
 * The process's own peak resident memory so far (VmHWM, KiB). Not getrusage's maxRSS: Linux keeps
 * that across execve, so a child's starts at the RSS of the parent it was forked from (the
 * benchmark's parent after seeding PGlite: ~300 MB, which every PGlite child then "had").
 */
export function peakRssKb(): number {
  return procMemoryMb(process.pid, "VmHWM") * 1024;
}

/** Measures the child's process from the inside: call first thing, print what the returned function gives last. */
export function childMeter(): (
  summary: Omit<ChildResult, "seconds" | "cpuSeconds" | "baselineRssKb" | "maxRssKb">,
) => string {
  const baselineRssKb = peakRssKb();
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  return (summary) => {
    const cpu = process.cpuUsage(cpuAtStart);
    const result: ChildResult = {
      ...summary,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      baselineRssKb,
      maxRssKb: peakRssKb(),
    };
    return JSON.stringify(result);
  };
}

async function zip(files: string, zipPath: string): Promise<void> {
  const proc = spawn("zip", ["-6", "-r", "-q", zipPath, "."], {
    cwd: files,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((resolve) => proc.on("close", resolve));
  if (code !== 0) throw new Error(`zip exited with ${code}`);
}

/**
 * Three turns of ours (writing the archive to the path it is given) and zip over our archive's
 * files; prints a line per round and last the BENCH line (harness.ts). `options.database` adds the
 * database server's CPU to our side.
 */
export async function compareWithZip(
  name: string,
  ours: (zipPath: string) => Promise<{ result: ChildResult; wall: number }>,
  options: Pick<MeasureOptions, "database"> = {},
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  try {
    const files = join(dir, "files");
    const bench = new BenchRun(name, { ours: "our archive", ref: "Info-ZIP zip -6 -r" });
    let highestRssKb = 0;
    let openedRssKb = 0;
    let addedKb = 0;
    for (let round = 1; round <= bench.rounds; round++) {
      const zipPath = join(dir, `ours-${round}.zip`);
      const measured = await measure(() => ours(zipPath), options);
      const { result, wall } = measured.value;
      highestRssKb = Math.max(highestRssKb, result.maxRssKb);
      if (result.openedRssKb !== undefined) {
        openedRssKb = Math.max(openedRssKb, result.openedRssKb);
        addedKb = Math.max(addedKb, result.maxRssKb - result.openedRssKb);
      }
      if (round === 1) await run("unzip", ["-q", zipPath, "-d", files]);
      await rm(zipPath);
      const refZip = join(dir, "ref.zip");
      await rm(refZip, { force: true });
      const ref = await measure(() => zip(files, refZip));
      bench.round(
        { wall: result.seconds, cpu: result.cpuSeconds, dbCpu: measured.usage.dbCpu },
        ref.usage,
        `ours ${result.findings} findings → ` +
          (result.files !== undefined && result.unpacked !== undefined
            ? `${result.files} files, ${(result.unpacked / 2 ** 20).toFixed(1)} MiB unpacked, `
            : "") +
          `${(result.bytes / 2 ** 20).toFixed(1)} MiB zip, child incl. start-up ${wall.toFixed(2)} s, RSS after loading the modules ${(result.baselineRssKb / 1024).toFixed(0)} MB, ` +
          (result.openedRssKb !== undefined
            ? `with the database open (one query) ${(result.openedRssKb / 1024).toFixed(0)} MB, `
            : "") +
          `peak ${(result.maxRssKb / 1024).toFixed(0)} MB; ` +
          `zip ${((await stat(refZip)).size / 2 ** 20).toFixed(1)} MiB`,
      );
    }
    bench.finish({
      peakRssMb: highestRssKb / 1024,
      // The floor the work starts from and what the work itself adds to it (ADR 0006).
      extra: openedRssKb
        ? { opened_rss_mb: (openedRssKb / 1024).toFixed(0), adds_rss_mb: (addedKb / 1024).toFixed(0) }
        : {},
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
