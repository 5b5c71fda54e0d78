/**
 * The audit trail stays one keyed chain under 200 parallel writers of the kinds the portal has —
 * staff sign-ins, submissions of requests, review decisions, staff reads of cases — while the
 * checkpoint job signs the head and the retention sweep cuts expired events out as gaps at the same
 * time. Run against PostgreSQL (DATABASE_URL) as well as PGlite.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { appendAuditEvent, verifyAuditChain } from "#app/server/audit.server";
import { writeCheckpoint } from "#app/server/audit/checkpoints.server";
import { signInWithPassword, type StaffIdentity } from "#app/server/auth/staff.server";
import { recordStaffRead } from "#app/server/cases/staff-reads.server";
import { requestFormSchema } from "#app/server/requests/request-form";
import { submitRequest } from "#app/server/requests/submit.server";
import { sweepAuditTrail } from "#app/server/retention/portal-sweep.server";
import { effectiveRules } from "#app/server/retention/rules.server";
import { decide, openReview } from "#app/server/review/review.server";
import type { Services } from "#app/server/services.server";
import { caseReadyForReview } from "../support/cases";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await createStaff(services.database.db, "handler", "case-handler", "Handler");
});
afterAll(() => close());

/** A case in review with `n` findings of one store, its round open. */
async function caseInReview(n: number) {
  const db = services.database.db;
  const { requestId, findingIds } = await caseReadyForReview(
    db,
    Array.from({ length: n }, (_, i) => ({ subject: `Nachricht ${i}` })),
  );
  const round = await openReview(db, handler, requestId);
  return { requestId, roundId: round.id, findingIds };
}

it("keeps one verifiable chain under 200 parallel writers while checkpoints are signed and expired events are cut out", async () => {
  const { db, sql } = services.database;
  // Expired events for the sweep to cut while the writers append: processing log from 2020.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2020-03-01T10:00:00Z"));
  try {
    for (let i = 0; i < 30; i++)
      await appendAuditEvent(db, {
        actorType: "system",
        action: "case.read",
        reason: "test.old-log",
        data: { i },
      });
  } finally {
    vi.useRealTimers();
  }
  const cases = await Promise.all(Array.from({ length: 5 }, () => caseInReview(10)));
  const before = await verifyAuditChain(db);
  expect(before.ok).toBe(true);
  const rules = await effectiveRules(db);

  const writers = Array.from({ length: 200 }, (_, i): Promise<unknown> => {
    switch (i % 4) {
      case 0:
        return signInWithPassword(
          { services },
          {
            userName: i % 40 === 0 ? "handler" : `nobody-${i}`,
            password: "wrong",
            clientIp: `192.0.2.${i % 250}`,
          },
        );
      case 1:
        return submitRequest(services, {
          form: requestFormSchema("auskunft").parse({
            submissionKey: `parallel-submission-${i}-key`,
            email: `person-${i}@example.org`,
          }),
          lang: "de",
          clientKey: `198.51.100.${i % 250}`,
        });
      case 2: {
        const c = cases[i % 5]!;
        return decide(db, handler, c.requestId, c.roundId, [c.findingIds[Math.floor(i / 20)]!], {
          decision: "release",
        });
      }
      default:
        return recordStaffRead(db, {
          staffId: handler.id,
          requestId: cases[i % 5]!.requestId,
          view: "case",
          findingsShown: 10,
          findingsPage: `?page=${i}`,
        });
    }
  });
  const background = [
    writeCheckpoint(db, null),
    sweepAuditTrail(sql, rules, new Date(), false),
    writeCheckpoint(db, null),
    writeCheckpoint(db, null),
  ];
  const results = await Promise.allSettled([...writers, ...background]);
  expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  const submitted = results
    .slice(0, 200)
    .filter((r, i) => i % 4 === 1 && r.status === "fulfilled" && (r.value as { ok: boolean }).ok).length;
  expect(submitted).toBe(50);

  const check = await verifyAuditChain(db);
  expect(check).toMatchObject({ ok: true, unkeyed: 0 });
  if (!check.ok || !before.ok) return;
  // Every writer left exactly one event; the sweep took the 30 old ones out as a recorded gap.
  expect(check.deleted - before.deleted).toBe(30);
  expect(check.events + check.deleted - (before.events + before.deleted)).toBe(200);
  expect(check.checkpoints).toBeGreaterThanOrEqual(1);
  const [{ n }] = (await sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_events WHERE action IN ('staff.sign-in-failed', 'staff.sign-in-refused', 'request.submitted', 'review.decided', 'findings.read')",
  )) as [{ n: number }];
  expect(n).toBe(200);
});
