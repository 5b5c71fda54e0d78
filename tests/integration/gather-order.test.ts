/**
 * A case's store jobs start the longest expected first (ADR 0021, gather-latency): the worker takes
 * them from pg-boss together, in no particular order, and starts them in the order of their
 * expected seconds — before any search in this process, the model's estimate from the configured
 * sizes (ADR 0023); afterwards each store's last search. The store the case waits for longest is
 * so not queued behind the short ones for the database or a search thread.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { gatherStoreJobs } from "#db/schema";
import { expectedGathering } from "#app/server/gather/expected-gathering.server";
import { expectedStoreSeconds, gatherStoreJob, startGather } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import { receivedAccessRequest } from "../support/cases";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";
import { until } from "../support/until";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-gather-order-"));
let services: Services;
let close: () => Promise<void>;
let person: Awaited<ReturnType<typeof cachedSample>>["answerKey"]["persons"][number];

beforeAll(async () => {
  const sample = await cachedSample({ people: 40, days: 20, seed: "gather", out: sampleDir });
  person = sample.answerKey.persons[0]!;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir, RUN_WORKERS: "true" }));
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

/** Gathers a new case through the worker; returns the stores in the order their jobs started. */
async function gatherInOrder(): Promise<{ started: string[]; done: Set<string> }> {
  const started: string[] = [];
  const run = gatherStoreJob.run.bind(gatherStoreJob);
  // Watched, not replaced: each job runs as it would.
  const spy = vi.spyOn(gatherStoreJob, "run").mockImplementation((context, data, signal) => {
    started.push(String(data.store));
    return run(context, data, signal);
  });
  try {
    const runId = await startGather(
      services,
      await receivedAccessRequest(services.db, person.identifiers),
      null,
    );
    const ended = async () => {
      const jobs = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId));
      return jobs.every((j) => j.status === "done" || j.status === "failed") ? jobs : null;
    };
    await until("every store job of the case ended", async () => (await ended()) !== null);
    const jobs = (await ended())!;
    return { started, done: new Set(jobs.filter((j) => j.status === "done").map((j) => j.store)) };
  } finally {
    spy.mockRestore();
  }
}

it("starts a case's store jobs the longest expected first: by the configured sizes, then by the last searches", async () => {
  const model = expectedGathering(services.config.sources.stores).stores;
  // The configured sizes tell the stores apart (else the test would show nothing).
  expect(new Set(model.map((s) => s.seconds)).size).toBe(services.sources.connectors.size);
  const first = await gatherInOrder();
  expect(first.started).toEqual([...model].sort((a, b) => b.seconds - a.seconds).map((s) => s.id));

  // Each store whose search ended in this process: its time replaces the model's estimate
  // (thousands of seconds for the configured data centre's sizes); the others keep the estimate.
  const expected = new Map(model.map((s) => [s.id, expectedStoreSeconds(services, s.id)]));
  expect(first.done.size).toBeGreaterThan(4);
  for (const { id, seconds } of model)
    if (first.done.has(id)) expect(expected.get(id)).not.toBe(seconds);
    else expect(expected.get(id)).toBe(seconds);
  const second = await gatherInOrder();
  expect(second.started).toEqual([...expected].sort((a, b) => b[1] - a[1]).map(([id]) => id));
});
