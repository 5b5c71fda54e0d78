/**
 * weblog-scan: our nginx connector's `find` for one subject over a web-log store of more than
 * 1 GiB (plain and gzip files), against `LC_ALL=C grep -F` over the plain files and `zgrep -F` over
 * the gzip files, two files at a time as our connector reads them (xargs -P 2), on a warm page
 * cache; three rounds of both in turns (harness.ts). Our scan runs in a child process whose peak
 * RSS is read from /proc (VmHWM); the child is bundled to plain JavaScript first, as
 * production runs it, so that the TypeScript loader's memory is not counted as ours. Our figures
 * are the child's own for the search (wall and CPU of `find`, all threads); its start-up is
 * printed beside them.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { Benchmark } from "./index";
import { BenchRun, fixture, measure } from "./harness";
import { ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const run = promisify(execFile);

/** Runs a shell command; counts its output lines. */
async function shell(command: string): Promise<number> {
  const child = spawn("bash", ["-c", command], {
    env: { ...process.env, LC_ALL: "C" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let lines = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  // grep exits 1 when a file holds no match.
  if (code !== 0 && code !== 1 && code !== 123) throw new Error(`${command} exited with ${code}`);
  return lines;
}

const quote = (paths: string[]) => paths.map((p) => `'${p}'`).join(" ");

export const benchmark: Benchmark = {
  name: "weblog-scan",
  description: "nginx log scan for one IP address: our connector vs grep -F / zgrep -F, two files at a time",
  async run() {
    const store = await fixture("web-log store", () => ensureBenchStore((line) => console.log(line)));
    console.log(
      `store: ${store.plain.length} plain + ${store.gz.length} gzip files, ${(store.uncompressedBytes / 2 ** 30).toFixed(2)} GiB uncompressed; subject ${SUBJECT_IP}`,
    );
    await shell(`cat ${quote(store.plain)} ${quote(store.gz)} > /dev/null`);
    const child = "tmp/bench/weblog-scan-child.mjs";
    await build({
      entryPoints: ["scripts/bench/weblog-scan-child.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: child,
      logLevel: "warning",
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    // Each file by the tool for its kind, two at a time, in the order our connector lists them.
    const reference =
      `printf '%s\\0' ${quote([...store.plain, ...store.gz])} | xargs -0 -n 1 -P 2 ` +
      `sh -c 'case "$1" in *.gz) exec zgrep -F -h -- "$0" "$1";; *) exec grep -F -h -- "$0" "$1";; esac' '${SUBJECT_IP}'`;

    const bench = new BenchRun("weblog-scan", {
      ours: "connector find, 2 files at a time",
      ref: "grep -F / zgrep -F, 2 files at a time",
    });
    let peakRssKb = 0;
    for (let round = 1; round <= bench.rounds; round++) {
      const ours = await measure(() =>
        run(process.execPath, [child, store.dir, SUBJECT_IP], { maxBuffer: 1 << 20 }),
      );
      const result = JSON.parse(ours.value.stdout.trim().split("\n").pop()!) as {
        seconds: number;
        cpuSeconds: number;
        findings: number;
        malformed: number;
        problems: string[];
        maxRssKb: number;
      };
      peakRssKb = Math.max(peakRssKb, result.maxRssKb);
      if (result.problems.length) console.log(`ours: problems: ${result.problems.join("; ")}`);
      const ref = await measure(() => shell(reference));
      bench.round(
        { wall: result.seconds, cpu: result.cpuSeconds, dbCpu: null },
        ref.usage,
        `ours ${result.findings} findings, ${result.malformed} malformed candidate lines, child process incl. start-up ${ours.usage.wall.toFixed(2)} s wall, ${ours.usage.cpu.toFixed(2)} s CPU; grep ${ref.value} lines`,
      );
      if (result.findings !== ref.value)
        console.log(
          `note: grep counted ${ref.value} lines containing the text, ours ${result.findings} records of the address`,
        );
    }
    bench.finish({ peakRssMb: peakRssKb / 1024 });
  },
};
