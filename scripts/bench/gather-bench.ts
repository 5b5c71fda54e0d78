/**
 * What the gathering benchmarks share: the portal's real services (embedded database in a fresh
 * data folder, pg-boss and its worker in this process) over a sources configuration of their own,
 * cases written with their identifiers, and the wall time from starting their gatherings until
 * every store job of them has ended.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { gatherStoreJobs, requestIdentifiers, requests } from "#db/schema";
import { loadConfig } from "#app/server/config.server";
import { startGather } from "#app/server/gather/gather.server";
import { type Services, startServices, stopServices } from "#app/server/services.server";

export interface GatherBench {
  services: Services;
  stop(): Promise<void>;
}

/** Services whose only stores are `stores` (entries of config/sources.json, paths relative to `sourcesDir`). */
export async function startGatherBench(
  sourcesDir: string,
  stores: object[],
  env: Record<string, string> = {},
): Promise<GatherBench> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rp-bench-gather-"));
  const sourcesConfig = path.join(dataDir, "sources.json");
  writeFileSync(sourcesConfig, JSON.stringify({ stores }));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DEMO_MODE: "true",
    RUN_WORKERS: "true",
    SOURCES_CONFIG: sourcesConfig,
    SOURCES_DIR: path.resolve(sourcesDir),
    // Set in the shell, the search threads can be compared (0: every search on the main thread).
    ...(process.env.GATHER_SEARCH_THREADS
      ? { GATHER_SEARCH_THREADS: process.env.GATHER_SEARCH_THREADS }
      : {}),
    ...env,
  });
  if (config.sources.errors.length)
    throw new Error(`bench stores: ${config.sources.errors.map((e) => `${e.id}: ${e.message}`).join("; ")}`);
  const services = await startServices({ ...config, databaseUrl: undefined }, { skipStartTasks: true });
  return {
    services,
    async stop() {
      await stopServices(services);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchIdentifiers {
  emails?: string[];
  names?: string[];
  phones?: string[];
  userNames?: string[];
  ips?: string[];
  birthDate?: string;
}

/** A received, proven case with these identifiers; returns its id. */
export async function benchCase(services: Services, identifiers: BenchIdentifiers): Promise<string> {
  const email = identifiers.emails?.[0] ?? "bench@example.org";
  const [request] = await services.db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: email,
      provenAt: new Date(),
      receivedAt: new Date(),
    })
    .returning({ id: requests.id });
  const rows = [
    ...(identifiers.emails ?? [email]).map((value) => ({
      kind: "email" as const,
      value,
      provenAt: new Date(),
    })),
    ...(identifiers.names ?? []).map((value) => ({ kind: "name" as const, value })),
    ...(identifiers.phones ?? []).map((value) => ({ kind: "phone" as const, value })),
    ...(identifiers.userNames ?? []).map((value) => ({ kind: "user-name" as const, value })),
    ...(identifiers.ips ?? []).map((value) => ({ kind: "ip" as const, value })),
    ...(identifiers.birthDate ? [{ kind: "birth-date" as const, value: identifiers.birthDate }] : []),
  ];
  await services.db
    .insert(requestIdentifiers)
    .values(rows.map((r) => ({ ...r, requestId: request!.id, normalized: r.value })));
  return request!.id;
}

/** Starts the gatherings of the cases at once; resolves with their run ids and the seconds until every store job of them ended. */
export async function gatherAll(
  services: Services,
  requestIds: string[],
): Promise<{ runIds: string[]; seconds: number }> {
  const started = performance.now();
  const runIds = await Promise.all(requestIds.map((id) => startGather(services, id, null)));
  for (;;) {
    const jobs = await services.db
      .select({ status: gatherStoreJobs.status })
      .from(gatherStoreJobs)
      .where(inArray(gatherStoreJobs.runId, runIds));
    if (jobs.every((j) => j.status === "done" || j.status === "failed")) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { runIds, seconds: (performance.now() - started) / 1000 };
}

/** The machine's load as `uptime` prints it, for the record beside the figures. */
export function uptime(): string {
  return execFileSync("uptime", { encoding: "utf8" }).trim();
}
