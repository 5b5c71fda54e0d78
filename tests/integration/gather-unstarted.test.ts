/**
 * A received case whose gathering did not start on receipt is started by the reconciliation a few
 * minutes after it became a case, once, its store jobs in the real queue; a case that just became
 * one (its start on receipt may be on its way — whatever date of receipt it carries), a complaint
 * alone (nothing to gather) and a case with a gathering are left alone; the start on receipt
 * arriving after the reconciliation starts nothing a second time.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, gatherRuns, requests } from "#db/schema";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { gatherOnReceipt, startGather } from "#app/server/gather/gather.server";
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

/** A case proven on the web `provenAt`, or (without it) taken in by staff `createdAt`. */
async function receivedCase(
  kinds: RequestKindSlug[],
  at: { provenAt?: Date; createdAt: Date; receivedAt?: Date },
): Promise<string> {
  const [row] = await services.db
    .insert(requests)
    .values({
      status: "received",
      kinds,
      channel: at.provenAt ? "web" : "letter",
      contactEmail: "p@example.org",
      receivedAt: at.receivedAt ?? at.provenAt ?? at.createdAt,
      ...at,
    })
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
  // Submitted on the web an hour ago, proven six minutes ago.
  const stalled = await receivedCase(["auskunft", "loeschung"], {
    createdAt: minutesBefore(60),
    provenAt: minutesBefore(6),
  });
  // A letter of last week's date, taken in by staff a minute ago.
  const justReceived = await receivedCase(["auskunft"], {
    createdAt: minutesBefore(1),
    receivedAt: minutesBefore(7 * 24 * 60),
  });
  // Submitted an hour ago, proven a minute ago.
  const justProven = await receivedCase(["auskunft"], {
    createdAt: minutesBefore(60),
    provenAt: minutesBefore(1),
  });
  const complaintOnly = await receivedCase(["beschwerde"], { createdAt: minutesBefore(60) });
  const withRun = await receivedCase(["auskunft"], { createdAt: minutesBefore(60) });
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

  for (const waiting of [justReceived, justProven]) {
    expect(await runsOf(waiting)).toEqual([]);
    expect(await statusOf(waiting)).toBe("received");
  }
  expect(await runsOf(complaintOnly)).toEqual([]);
  expect(await runsOf(withRun)).toEqual([{ version: 1, startedBy: null }]);

  // The start on receipt, late, finds the case started and starts nothing.
  expect(await gatherOnReceipt(services, stalled)).toBe(false);
  expect(await runsOf(stalled)).toHaveLength(1);

  // The next look finds nothing left to start; the two waiting cases once their wait is over.
  expect(await startUnstartedGatherings(services, now)).toBe(0);
  expect(await startUnstartedGatherings(services, new Date(now.getTime() + UNSTARTED_AFTER_MS))).toBe(2);
  expect(await runsOf(justReceived)).toHaveLength(1);
  expect(await runsOf(justProven)).toHaveLength(1);
  expect(await runsOf(stalled)).toHaveLength(1);
});

it("runs every five minutes in the portal's workers, and refuses to run without the queue", async () => {
  expect(jobDefinitions).toContain(unstartedGatheringsJob);
  expect(unstartedGatheringsJob.schedule).toBe("*/5 * * * *");
  const { db, sql, config, sources } = services;
  await expect(unstartedGatheringsJob.run({ db, sql, config, sources }, {})).rejects.toThrow(/job queue/);
});
