/**
 * shared-scan: 50 cases gathering at once against the web-log store of more than 1 GiB
 * (weblog-data.ts), against one case alone, in the same run, through the portal's real gathering
 * (cases in the embedded database, pg-boss jobs, the worker in this process). The 50 share one
 * pass over the logs (ADR 0021); `ratio` is the 50's wall time over the one's, goal ≤ 1.5. Each
 * round also checks that the subject got exactly its lines and the 49 others none — among them a
 * stranger whose address is the subject's without its last digit.
 */
import { eq, inArray } from "drizzle-orm";
import { findings, gatherStoreJobs } from "#db/schema";
import type { Benchmark } from "./index";
import { benchCase, gatherAll, startGatherBench, uptime } from "./gather-bench";
import { showSpread, spread } from "./rounds";
import { BENCH_DIR, ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const ROUNDS = 3;
const CASES = 50;

export const benchmark: Benchmark = {
  name: "shared-scan",
  description: `${CASES} cases gathering at once over 1 GiB of web logs vs 1 case alone, through the job queue`,
  async run() {
    await ensureBenchStore((line) => console.log(line));
    console.log(`uptime before: ${uptime()}`);
    const bench = await startGatherBench(BENCH_DIR.replace(/\/weblog$/, ""), [
      {
        id: "web-bench",
        title: "Webserver-Protokolle (Benchmark)",
        kind: "nginx-access-log",
        path: "weblog",
        retention: "web-access-log",
      },
    ]);
    const { services } = bench;
    const ips = [
      SUBJECT_IP,
      SUBJECT_IP.slice(0, -1),
      ...Array.from({ length: CASES - 2 }, (_, i) => `203.0.113.${i + 1}`),
    ];
    const ones: number[] = [];
    const manys: number[] = [];
    const ratios: number[] = [];
    const cpuOnes: number[] = [];
    const cpuManys: number[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        let cpu = process.cpuUsage();
        const one = await gatherAll(services, [await benchCase(services, { ips: [SUBJECT_IP] })]);
        cpuOnes.push(cpuSeconds(process.cpuUsage(cpu)));
        const cases = [];
        for (const ip of ips) cases.push(await benchCase(services, { ips: [ip] }));
        cpu = process.cpuUsage();
        const many = await gatherAll(services, cases);
        cpuManys.push(cpuSeconds(process.cpuUsage(cpu)));
        const lines = await check(one.runIds, [null]);
        if (lines === 0) throw new Error("the subject was not found");
        await check(many.runIds, [lines, ...Array<number>(CASES - 1).fill(0)]);
        ones.push(one.seconds);
        manys.push(many.seconds);
        ratios.push(many.seconds / one.seconds);
        console.log(
          `round ${round}: 1 case ${one.seconds.toFixed(2)} s, ${CASES} cases ${many.seconds.toFixed(2)} s, ratio ${(many.seconds / one.seconds).toFixed(2)}; ${uptime()}`,
        );
      }
    } finally {
      await bench.stop();
    }
    console.log(`1 case (min/median/max): ${showSpread(ones, 2)} s wall, ${showSpread(cpuOnes, 2)} s CPU`);
    console.log(
      `${CASES} cases (min/median/max): ${showSpread(manys, 2)} s wall, ${showSpread(cpuManys, 2)} s CPU`,
    );
    console.log(`ratio (min/median/max): ${showSpread(ratios, 2)}`);
    // Under a loaded machine wall times swing by rounds; the CPU this process spent is steadier.
    const cpuRatios = cpuManys.map((cpu, i) => cpu / cpuOnes[i]!);
    console.log(`CPU ratio, ${CASES} cases over 1 (min/median/max): ${showSpread(cpuRatios, 2)}`);
    console.log(`uptime after: ${uptime()}`);
    console.log(
      `BENCH shared-scan ours_s=${spread(manys).median.toFixed(2)} ref_s=${spread(ones).median.toFixed(2)} ratio=${spread(ratios).median.toFixed(2)} cpu_ratio=${spread(cpuRatios).median.toFixed(2)} peak_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`,
    );

    /** Every job done, and each run holding the expected number of findings (null: any); returns the first run's. */
    async function check(runIds: string[], expected: (number | null)[]): Promise<number> {
      const jobs = await services.db
        .select({ status: gatherStoreJobs.status, error: gatherStoreJobs.error })
        .from(gatherStoreJobs)
        .where(inArray(gatherStoreJobs.runId, runIds));
      const failed = jobs.filter((j) => j.status !== "done");
      if (failed.length) throw new Error(`store jobs not done: ${failed.map((j) => j.error).join("; ")}`);
      const counts: number[] = [];
      for (const [i, runId] of runIds.entries()) {
        const found = (
          await services.db.select({ id: findings.id }).from(findings).where(eq(findings.runId, runId))
        ).length;
        if (expected[i] !== null && found !== expected[i])
          throw new Error(`case ${i + 1}: ${found} findings, expected ${expected[i]}`);
        counts.push(found);
      }
      return counts[0]!;
    }
  },
};

const cpuSeconds = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1e6;
