/**
 * shared-scan: 50 cases gathering at once against the web-log store of more than 1 GiB
 * (weblog-data.ts), against one case alone, in the same run, through the portal's real gathering
 * (cases in the embedded database, pg-boss jobs, the worker in this process). The 50 share one
 * pass over the logs (ADR 0021); `ratio` is the 50's wall time over the one's, goal ≤ 1.5. Each
 * round also checks that the subject got exactly its lines and the 49 others none — among them a
 * stranger whose address is the subject's without its last digit. Rounds, CPU seconds (this
 * process: the worker, the embedded database and the scans) and the load by harness.ts; "ours" is
 * the 50 cases, "reference" the one case.
 */
import { eq, inArray } from "drizzle-orm";
import { findings, gatherStoreJobs } from "#db/schema";
import type { Benchmark } from "./index";
import { benchCase, gatherAll, startGatherBench } from "./gather-bench";
import { BenchRun, fixture, measure, showSpread } from "./harness";
import { BENCH_DIR, ensureBenchStore, SUBJECT_IP } from "./weblog-data";

const CASES = 50;

export const benchmark: Benchmark = {
  name: "shared-scan",
  description: `${CASES} cases gathering at once over 1 GiB of web logs vs 1 case alone, through the job queue`,
  async run() {
    await fixture("web-log store", () => ensureBenchStore((line) => console.log(line)));
    const bench = new BenchRun("shared-scan", { ours: `${CASES} cases at once`, ref: "1 case alone" });
    const runner = await startGatherBench(BENCH_DIR.replace(/\/weblog$/, ""), [
      {
        id: "web-bench",
        title: "Webserver-Protokolle (Benchmark)",
        kind: "nginx-access-log",
        path: "weblog",
        retention: "web-access-log",
      },
    ]);
    const { services } = runner;
    const ips = [
      SUBJECT_IP,
      SUBJECT_IP.slice(0, -1),
      ...Array.from({ length: CASES - 2 }, (_, i) => `203.0.113.${i + 1}`),
    ];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    try {
      for (let round = 1; round <= bench.rounds; round++) {
        const alone = await benchCase(services, { ips: [SUBJECT_IP] });
        const one = await measure(() => gatherAll(services, [alone]));
        const cases: string[] = [];
        for (const ip of ips) cases.push(await benchCase(services, { ips: [ip] }));
        const many = await measure(() => gatherAll(services, cases));
        const lines = await check(one.value.runIds, [null]);
        if (lines === 0) throw new Error("the subject was not found");
        await check(many.value.runIds, [lines, ...Array<number>(CASES - 1).fill(0)]);
        ratios.push(many.usage.wall / one.usage.wall);
        cpuRatios.push(many.usage.cpu / one.usage.cpu);
        bench.round(
          many.usage,
          one.usage,
          `ratio ${ratios.at(-1)!.toFixed(2)} wall, ${cpuRatios.at(-1)!.toFixed(2)} CPU; the subject's ${lines} lines found`,
        );
      }
    } finally {
      await runner.stop();
    }
    console.log(
      `ratio of the round (min/median/max): ${showSpread(ratios, 2)} wall, ${showSpread(cpuRatios, 2)} CPU`,
    );
    bench.finish({ extra: { cases: CASES, cpu_ratio: showSpread(cpuRatios, 2) } });

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
