/**
 * review-20k: does a case with 20 000 findings stay usable? The staff case page
 * (/intern/vorgaenge/:id) of a case under review with 20 000 findings over seven stores and the
 * rules' suggestions (scripts/bench/review-case.ts, written straight into a database of its own),
 * fetched over HTTP from the built portal (`node scripts/start.mjs`, as `npm start` runs it:
 * rebuilt first when the sources are newer than the build) with a handler's session signed in
 * through the real sign-in pages. Timed: the whole server render — the loader's queries and the
 * SSR HTML, to the last byte of the body — of three views: all findings (page 1), one group (a
 * store and a suggestion, undecided) and the last page of all findings. One warm-up fetch first
 * (the first request loads the route modules); then three rounds. The goal is 1 s per page.
 *
 * The database is PostgreSQL when DATABASE_URL is set (a database of its own, dropped
 * afterwards), else PGlite in a temporary folder (the goal is stated for PostgreSQL). Peak RSS is
 * the portal process's (VmHWM). Each round's figure is its slowest page; its CPU seconds are this
 * process's and the portal's (and the server's backends on PostgreSQL), with the load
 * (harness.ts).
 *
 * Run alone: npx tsx scripts/bench/review-20k.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "#db/client";
import { installAuditKey } from "#app/server/audit/keys.server";
import { findingsPageSize } from "#app/server/cases/case-detail.server";
import { loadConfig } from "#app/server/config.server";
import { createServerDatabase } from "#tests/support/database";
import { freePort } from "#tests/e2e/global-setup";
import { prepareStaffSessions } from "#tests/e2e/support/sessions";
import { getPage, signInOverHttp } from "#tests/e2e/support/staff-http";
import type { Benchmark } from "./index";
import { seedReviewCase } from "./review-case";
import { BenchRun, DatabaseCpu, fixture, measure, showSpread, invokedDirectly } from "./harness";
import { type PortalProcess, procMemoryMb, startPortal, stopPortal, waitHealthy } from "./portal-process";

const FINDINGS = Number(process.env.BENCH_REVIEW_FINDINGS ?? 20_000);
const GOAL_S = 1;
const AUDIT_KEY = "review-20k-bench-audit-key-review-20k-bench";
const show = (values: number[]) => showSpread(values, 3);

/** One server render, timed to the body's last byte; refuses a page that is not the case page it should be. */
async function timedFetch(
  baseUrl: string,
  path: string,
  cookie: string,
  expectRows: number,
): Promise<{ seconds: number; bytes: number }> {
  const started = performance.now();
  const response = await getPage(baseUrl, path, cookie);
  const html = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
  const rows = html.match(/name="findingIds"/g)?.length ?? 0;
  if (rows !== expectRows) throw new Error(`${path}: ${rows} finding rows, expected ${expectRows}`);
  return { seconds, bytes: Buffer.byteLength(html) };
}

export const benchmark: Benchmark = {
  name: "review-20k",
  description: `the staff case page of a case under review with ${FINDINGS.toLocaleString("en")} findings, server-rendered over HTTP by the built portal, against the goal of ${GOAL_S} s`,
  async run() {
    const dataDir = await mkdtemp(join(tmpdir(), "review-20k-"));
    const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : null;
    let portal: PortalProcess | null = null;
    try {
      installAuditKey(AUDIT_KEY);
      const started = performance.now();
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const portalEnv: Record<string, string> = {
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: baseUrl,
        DATA_DIR: dataDir,
        DEMO_MODE: "false",
        SESSION_SECRET: "review-20k-bench-session-secret-review-20k",
        AUDIT_KEY,
        SECURE_COOKIES: "false",
        // The page is measured alone: no job runner beside it in the process.
        RUN_WORKERS: "false",
        ...(server ? { DATABASE_URL: server.url } : {}),
      };
      const database = await openDatabase({ databaseUrl: server?.url, dataDir });
      // The handler's session is opened in the database before the portal starts (the embedded
      // database is one process's alone), as the browser tests open theirs.
      const seeded = await fixture(`review-20k case of ${FINDINGS} findings`, () =>
        database
          .migrate()
          .then(() => seedReviewCase(database.db, { total: FINDINGS }))
          .then(async (seeded) => {
            await prepareStaffSessions(database, loadConfig({ ...process.env, ...portalEnv }), [
              seeded.handler.userName,
            ]);
            return seeded;
          })
          .finally(() => database.close()),
      );
      const storeList = Object.entries(seeded.stores)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ");
      console.log(
        `seeded ${FINDINGS} findings (${storeList}) into ${server ? "PostgreSQL" : "PGlite"} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );

      const starting = startPortal(portalEnv);
      portal = starting;
      // The start builds the portal first when the sources are newer than the build.
      await fixture("review-20k portal started", () => waitHealthy(baseUrl, starting));
      const cookie = await signInOverHttp(baseUrl, seeded.handler, dataDir);
      const casePath = `/intern/vorgaenge/${seeded.requestId}`;
      const lastPage = Math.ceil(FINDINGS / findingsPageSize);
      const views = [
        { name: "all, page 1", path: casePath, rows: Math.min(findingsPageSize, FINDINGS) },
        {
          name: "group web-tsr + § 21(2) undecided",
          path: `${casePath}?store=web-tsr&suggestion=security-control-only&state=undecided`,
          rows: -1,
        },
        {
          name: `all, page ${lastPage}`,
          path: `${casePath}?page=${lastPage}`,
          rows: FINDINGS - (lastPage - 1) * findingsPageSize,
        },
      ];
      // The group's size as the page's own counts give it: read from the first (warm-up) render.
      const warm = await getPage(baseUrl, views[1]!.path, cookie).then((r) => r.text());
      views[1]!.rows = Math.min(findingsPageSize, warm.match(/name="findingIds"/g)?.length ?? 0);
      if (views[1]!.rows === 0) throw new Error("the group view shows no findings");
      const warmup = await timedFetch(baseUrl, views[0]!.path, cookie, views[0]!.rows);
      console.log(`warm-up (first render of the case page in this process): ${warmup.seconds.toFixed(3)} s`);

      const times = new Map(views.map((v) => [v.name, [] as number[]]));
      const serverCpu = server
        ? new DatabaseCpu(process.env.DATABASE_URL!, new URL(server.url).pathname.slice(1))
        : undefined;
      const bench = new BenchRun(
        "review-20k",
        { ours: "slowest of the three pages", ref: "the goal" },
        3,
        "s slowest page",
      );
      const pid = portal.child.pid!;
      try {
        for (let round = 1; round <= bench.rounds; round++) {
          const { value: line, usage } = await measure(
            async () => {
              const line: string[] = [];
              for (const view of views) {
                const { seconds, bytes } = await timedFetch(baseUrl, view.path, cookie, view.rows);
                times.get(view.name)!.push(seconds);
                line.push(
                  `${view.name}: ${seconds.toFixed(3)} s (${view.rows} rows, ${(bytes / 1024).toFixed(0)} KiB)`,
                );
              }
              return line.join("; ");
            },
            { database: serverCpu, processes: () => [pid] },
          );
          bench.round(
            { ...usage, wall: Math.max(...views.map((v) => times.get(v.name)!.at(-1)!)) },
            null,
            line,
          );
        }
      } finally {
        await serverCpu?.close();
      }
      for (const view of views) console.log(`${view.name}: min/median/max ${show(times.get(view.name)!)} s`);
      const all = [...times.values()].flat();
      console.log(
        `goal ${GOAL_S} s per page: ${all.every((s) => s <= GOAL_S) ? "met in every round" : `NOT met (slowest ${Math.max(...all).toFixed(3)} s)`}`,
      );
      bench.finish({
        goal: GOAL_S,
        peakRssMb: procMemoryMb(pid, "VmHWM"),
        extra: {
          page1_s: show(times.get(views[0]!.name)!),
          group_s: show(times.get(views[1]!.name)!),
          last_s: show(times.get(views[2]!.name)!),
          findings: FINDINGS,
          backend: server ? "postgresql" : "pglite",
        },
      });
    } finally {
      if (portal) await stopPortal(portal.child);
      await server?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

if (invokedDirectly(import.meta.url)) await benchmark.run();
