/**
 * weblog-scan: our nginx connector's `find` for one subject over a web-log store of more than
 * 1 GiB (plain and gzip files), against `LC_ALL=C grep -F` over the plain files plus `zgrep -F`
 * over the gzip files, in the same run and on a warm page cache. Our scan runs in a child process
 * whose peak RSS is read from process.resourceUsage(); the child is bundled to plain JavaScript
 * first, as production runs it, so that the TypeScript loader's memory is not counted as ours.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { Benchmark } from "./index";
import { ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const run = promisify(execFile);

async function timeShell(command: string): Promise<{ seconds: number; lines: number }> {
  const started = performance.now();
  const child = spawn("bash", ["-c", command], {
    env: { ...process.env, LC_ALL: "C" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let lines = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  await new Promise((resolve) => child.on("close", resolve));
  return { seconds: (performance.now() - started) / 1000, lines };
}

const quote = (paths: string[]) => paths.map((p) => `'${p}'`).join(" ");

export const benchmark: Benchmark = {
  name: "weblog-scan",
  description: "nginx log scan for one IP address: our connector vs grep -F / zgrep -F",
  async run() {
    const store = await ensureBenchStore((line) => console.log(line));
    console.log(
      `store: ${store.plain.length} plain + ${store.gz.length} gzip files, ${(store.uncompressedBytes / 2 ** 30).toFixed(2)} GiB uncompressed; subject ${SUBJECT_IP}`,
    );
    await timeShell(`cat ${quote(store.plain)} ${quote(store.gz)} > /dev/null`);

    const plain = await timeShell(`grep -F -h -- '${SUBJECT_IP}' ${quote(store.plain)}`);
    const gz = await timeShell(`zgrep -F -h -- '${SUBJECT_IP}' ${quote(store.gz)}`);
    const refSeconds = plain.seconds + gz.seconds;
    console.log(
      `reference: LC_ALL=C grep -F over plain files ${plain.seconds.toFixed(2)} s (${plain.lines} lines) + zgrep -F over gzip files ${gz.seconds.toFixed(2)} s (${gz.lines} lines)`,
    );

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
    const started = performance.now();
    const { stdout } = await run(process.execPath, [child, store.dir, SUBJECT_IP], { maxBuffer: 1 << 20 });
    const wall = (performance.now() - started) / 1000;
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as {
      seconds: number;
      findings: number;
      malformed: number;
      problems: string[];
      maxRssKb: number;
    };
    const rssMb = result.maxRssKb / 1024;
    console.log(
      `ours: connector find ${result.seconds.toFixed(2)} s, ${result.findings} findings, ${result.malformed} malformed candidate lines; child process wall time incl. start-up ${wall.toFixed(2)} s`,
    );
    if (result.problems.length) console.log(`ours: problems: ${result.problems.join("; ")}`);
    if (result.findings !== plain.lines + gz.lines)
      console.log(
        `note: grep counted ${plain.lines + gz.lines} lines containing the text, ours ${result.findings} records of the address`,
      );
    console.log(
      `BENCH weblog-scan ours_s=${result.seconds.toFixed(2)} ref_s=${refSeconds.toFixed(2)} ratio=${(result.seconds / refSeconds).toFixed(2)} peak_rss_mb=${rssMb.toFixed(0)}`,
    );
  },
};
