/**
 * A received case whose gathering did not start on receipt is started by the reconciliation after
 * a few minutes, once, through the real queue; a case just received (its start on receipt may be
 * on its way), a complaint alone (nothing to gather) and a case with a gathering are left alone.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, gatherRuns, requests } from "#db/schema";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { startGather } from "#app/server/gather/gather.server";
import {
  UNSTARTED_AFTER_MS,
  startUnstartedGatherings,
  unstartedGatheringsJob,
} from "#app/server/gather/unstarted-gatherings.server";
import { jobDefinitions } from "#app/server/jobs/index.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
});

afterAll(async () => {
  await close();
});

const now = new Date("2026-12-04T10:00:00Z");
const minutesBefore = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function receivedCase(kinds: RequestKindSlug[], receivedAt: Date): Promise<string> {
  const [row] = await services.db
    .insert(requests)
    .values({ status: "received", kinds, channel: "web", contactEmail: "p@example.org", receivedAt })
    .returning({ id: requests.id });
  return row!.id;
}

async function runsOf(requestId: string) {
  return services.db
    .select({ version: gatherRuns.version, startedBy: gatherRuns.startedBy })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId));
}

async function statusOf(requestId: string) {
  const [row] = await services.db
    .select({ status: requests.status })
    .from(requests)
    .where(eq(requests.id, requestId));
  return row!.status;
}

it("starts the gathering of a case received minutes ago without one, once, and no other", async () => {
  const stalled = await receivedCase(["auskunft", "loeschung"], minutesBefore(6));
  const justReceived = await receivedCase(["auskunft"], minutesBefore(1));
  const complaintOnly = await receivedCase(["beschwerde"], minutesBefore(60));
  const withRun = await receivedCase(["auskunft"], minutesBefore(60));
  await startGather(services, withRun, null);

  expect(await startUnstartedGatherings(services, now)).toBe(1);

  expect(await runsOf(stalled)).toEqual([{ version: 1, startedBy: null }]);
  expect(await statusOf(stalled)).toBe("gathering");
  const [started] = await services.db
    .select({ actorType: auditEvents.actorType })
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, stalled), eq(auditEvents.action, "gather.started")));
  expect(started).toEqual({ actorType: "system" });
  // Its store jobs are in the queue, as after a start on receipt.
  const queued = await services.sql.query<{ n: number }>(
    "select count(*)::int as n from pgboss.job where name = 'gather-store' and data->>'storeJobId' in (select s.id::text from gather_store_jobs s join gather_runs r on r.id = s.run_id where r.request_id = $1)",
    [stalled],
  );
  expect(queued[0]!.n).toBe(services.sources.connectors.size);
  expect(services.sources.connectors.size).toBeGreaterThan(0);

  expect(await runsOf(justReceived)).toEqual([]);
  expect(await statusOf(justReceived)).toBe("received");
  expect(await runsOf(complaintOnly)).toEqual([]);
  expect(await runsOf(withRun)).toEqual([{ version: 1, startedBy: null }]);

  // The next look finds nothing left to start; the just-received case once its wait is over.
  expect(await startUnstartedGatherings(services, now)).toBe(0);
  expect(await startUnstartedGatherings(services, new Date(now.getTime() + UNSTARTED_AFTER_MS))).toBe(1);
  expect(await runsOf(justReceived)).toHaveLength(1);
  expect(await runsOf(stalled)).toHaveLength(1);
});

it("runs every five minutes in the portal's workers, and refuses to run without the queue", async () => {
  expect(jobDefinitions).toContain(unstartedGatheringsJob);
  expect(unstartedGatheringsJob.schedule).toBe("*/5 * * * *");
  const { db, sql, config, sources } = services;
  await expect(unstartedGatheringsJob.run({ db, sql, config, sources }, {})).rejects.toThrow(/job queue/);
});
