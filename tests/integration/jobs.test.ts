import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "#db/client";
import { verifications } from "#db/schema";
import { expireVerifications } from "#app/server/jobs/expire-verifications.server";
import type { Jobs } from "#app/server/jobs/index.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";

let database: Database;
let jobs: Jobs;
let close: () => Promise<void>;

beforeAll(async () => {
  let services: Services;
  ({ services, close } = await createTestServices({ RUN_WORKERS: "true" }));
  ({ database, jobs } = services);
});

afterAll(() => close());

it("expires stale verification codes through a real pg-boss job", async () => {
  const past = new Date(Date.now() - 60_000);
  const future = new Date(Date.now() + 15 * 60_000);
  await database.db.insert(verifications).values([
    { type: "signin", target: "stale@example.org", codeHash: "a", expiresAt: past },
    { type: "signin", target: "fresh@example.org", codeHash: "b", expiresAt: future },
  ]);

  const jobId = await jobs.send(expireVerifications.queue, {});
  expect(jobId).toBeTruthy();

  const deadline = Date.now() + 20_000;
  let state: string | undefined;
  while (Date.now() < deadline) {
    state = (await jobs.boss.getJobById(expireVerifications.queue, jobId!))?.state;
    if (state === "completed" || state === "failed") break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(state).toBe("completed");
  const left = await database.sql.query<{ target: string }>(
    "select target from verifications order by target",
  );
  expect(left.map((r) => r.target)).toEqual(["fresh@example.org"]);
});

it("registers the schedule of every scheduled job", async () => {
  const schedules = await jobs.boss.getSchedules();
  expect(schedules.map((s) => s.name)).toContain(expireVerifications.queue);
});
