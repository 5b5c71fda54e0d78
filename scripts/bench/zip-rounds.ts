/**
 * What the answer benchmarks share: our side runs in a child process (bundled by Vite as the server
 * is, run by plain Node: under tsx its RSS would include the TypeScript loader's own thread, about
 * 50 MB, which the built portal does not carry), Info-ZIP `zip -6 -r` over the same files unpacked
 * is the reference, and the two take turns; the medians are compared, since on a shared machine one
 * run of either can be slowed by a neighbour.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROUNDS = 3;

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

/** Runs a bundled child with arguments; its last line of output is its result. */
export async function runChild(
  module: string,
  args: string[],
): Promise<{ result: ChildResult; wall: number }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [module, ...args], { maxBuffer: 1 << 20 });
  return {
    result: JSON.parse(stdout.trim().split("\n").pop()!) as ChildResult,
    wall: (performance.now() - started) / 1000,
  };
}

/** Measures the child's process from the inside: call first thing, print what the returned function gives last. */
export function childMeter(): (
  summary: Omit<ChildResult, "seconds" | "cpuSeconds" | "baselineRssKb" | "maxRssKb">,
) => string {
  const baselineRssKb = process.resourceUsage().maxRSS;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  return (summary) => {
    const cpu = process.cpuUsage(cpuAtStart);
    const result: ChildResult = {
      ...summary,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      baselineRssKb,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    return JSON.stringify(result);
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeZip(files: string, zipPath: string): Promise<number> {
  const started = performance.now();
  const proc = spawn("zip", ["-6", "-r", "-q", zipPath, "."], {
    cwd: files,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((resolve) => proc.on("close", resolve));
  if (code !== 0) throw new Error(`zip exited with ${code}`);
  return (performance.now() - started) / 1000;
}

/**
 * ROUNDS turns of ours (writing the archive to the path it is given) and zip over our archive's
 * files; prints a line per run and last "BENCH <name> ours_s=… ref_s=… ratio=… peak_rss_mb=…".
 */
export async function compareWithZip(
  name: string,
  ours: (zipPath: string) => Promise<{ result: ChildResult; wall: number }>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  try {
    const files = join(dir, "files");
    const oursSeconds: number[] = [];
    const refSeconds: number[] = [];
    let peakRssKb = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const zipPath = join(dir, `ours-${round}.zip`);
      const { result, wall } = await ours(zipPath);
      oursSeconds.push(result.seconds);
      peakRssKb = Math.max(peakRssKb, result.maxRssKb);
      console.log(
        `round ${round} ours: ${result.findings} findings → ` +
          (result.files !== undefined && result.unpacked !== undefined
            ? `${result.files} files, ${(result.unpacked / 2 ** 20).toFixed(1)} MiB unpacked, `
            : "") +
          `${(result.bytes / 2 ** 20).toFixed(1)} MiB zip in ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s, all threads); ` +
          `child wall time incl. start-up ${wall.toFixed(2)} s; RSS after loading the modules ${(result.baselineRssKb / 1024).toFixed(0)} MB, peak ${(result.maxRssKb / 1024).toFixed(0)} MB`,
      );
      if (round === 1) await run("unzip", ["-q", zipPath, "-d", files]);
      await rm(zipPath);
      const ref = join(dir, "ref.zip");
      await rm(ref, { force: true });
      refSeconds.push(await timeZip(files, ref));
      console.log(
        `round ${round} reference: Info-ZIP zip -6 -r over the unpacked files: ${refSeconds.at(-1)!.toFixed(2)} s, ${((await stat(ref)).size / 2 ** 20).toFixed(1)} MiB zip`,
      );
    }
    const oursMedian = median(oursSeconds);
    const refMedian = median(refSeconds);
    console.log(
      `BENCH ${name} ours_s=${oursMedian.toFixed(2)} ref_s=${refMedian.toFixed(2)} ratio=${(oursMedian / refMedian).toFixed(2)} peak_rss_mb=${(peakRssKb / 1024).toFixed(0)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
