/**
 * A worker whose jobs run side by side completes the jobs that end in the same turn by one call to
 * pg-boss (ADR 0021), and a job that fails among them is failed alone.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startConcurrentWorker } from "#app/server/jobs/concurrent-worker.server";
import type { JobDefinition } from "#app/server/jobs/job";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";
import { until } from "../support/until";

let services: Services;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
});
afterAll(() => close());

it("completes the jobs that end together by one call, and fails the one that threw alone", async () => {
  const queue = "together-test";
  const { boss } = services.jobs;
  await boss.createQueue(queue, { name: queue, retryLimit: 0 });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const definition: JobDefinition<{ n?: unknown }> = {
    queue,
    async run(_context, data) {
      await gate;
      if (data.n === 3) throw new Error("the third one breaks");
    },
  };
  const ids = await Promise.all(Array.from({ length: 8 }, (_, n) => boss.send(queue, { n })));
  const stateOf = async () => Promise.all(ids.map(async (id) => (await boss.getJobById(queue, id!))!));
  const worker = startConcurrentWorker(boss, definition, services, {
    limit: 8,
    pollMs: 60_000,
    leaseSeconds: 900,
  });
  try {
    await until("all eight running", async () => (await stateOf()).every((job) => job.state === "active"));
    open();
    await until("all eight ended", async () =>
      (await stateOf()).every((job) => job.state === "completed" || job.state === "failed"),
    );
    const jobs = await stateOf();
    expect(jobs.map((job) => job.state)).toEqual(ids.map((_, n) => (n === 3 ? "failed" : "completed")));
    // One statement completed them: they share its time.
    const completedAt = new Set(
      jobs.filter((job) => job.state === "completed").map((job) => +job.completedOn!),
    );
    expect(completedAt.size).toBe(1);
  } finally {
    await worker.stop();
  }
});
