/**
 * What the DPO reads of the audit trail's deletions: the sweep's evidence for the audit part is
 * complete (no expired event kept behind a newer one), and the deletion record names the events
 * deleted in recorded gaps and the latest signed checkpoint.
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { requests } from "#db/schema";
import * as deletionRecord from "#app/routes/intern/loeschprotokoll";
import { appendAuditEvent, verifyAuditChain } from "#app/server/audit.server";
import { writeCheckpoint } from "#app/server/audit/checkpoints.server";
import { createStaffAccount } from "#app/server/auth/staff-accounts.server";
import { runSweep } from "#app/server/retention/sweep.server";
import type { Services } from "#app/server/services.server";
import { messagesFor } from "#app/i18n";
import { outcome, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";

vi.setConfig({ testTimeout: 180_000 });

let services: Services;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ services, close } = await createTestServices());
});
afterAll(() => close());

async function eventAt(iso: string, requestId: string | null, label: string): Promise<void> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
  try {
    await appendAuditEvent(services.database.db, {
      requestId,
      actorType: "system",
      action: "case.read",
      reason: label,
    });
  } finally {
    vi.useRealTimers();
  }
}

it("sweeps expired audit events from the middle with complete evidence and shows them in the deletion record", async () => {
  const { db } = services.database;
  const [open] = await db
    .insert(requests)
    .values({ status: "received", kinds: ["auskunft"], channel: "web", contactEmail: "offen@example.org" })
    .returning();
  await eventAt("2021-01-01T10:00:00Z", null, "test.old-log");
  await eventAt("2021-02-01T10:00:00Z", open!.id, "test.open-case");
  await eventAt("2021-03-01T10:00:00Z", null, "test.old-log-behind-a-kept-one");
  const context = { db, sql: services.database.sql, config: services.config, sources: services.sources };
  const report = await runSweep(context, { trigger: "manual", store: "portal-audit", stores: [] });
  const log = report.parts.find((p) => p.ruleId === "portal-processing-log")!;
  expect(log).toMatchObject({ deleted: 2, outcome: "done", error: null });
  await writeCheckpoint(db, null);
  expect(await verifyAuditChain(db)).toMatchObject({ ok: true, deleted: 2, gaps: 2 });

  const dpo = await createStaffAccount(db, {
    userName: "dpo-evidence",
    displayName: "DPO",
    email: "d@x",
    password: "pw",
    roles: ["dpo"],
  });
  const request = new Request(`${testBase}/intern/loeschprotokoll`, {
    headers: { Cookie: await staffSessionCookie(services, dpo) },
  });
  const page = await outcome(() =>
    deletionRecord.loader({ request, params: {}, context: routeContext(services) } as never),
  );
  expect(page.status).toBe(200);
  const audit = (page.data as { audit: { deleted: number; gaps: number; lastCheckpointAt: string | null } })
    .audit;
  expect(audit).toMatchObject({ deleted: 2, gaps: 2 });
  expect(audit.lastCheckpointAt).not.toBeNull();
  expect(messagesFor("de").retention.evidence.auditDeleted(audit.deleted, audit.gaps)).toBe(
    "2 abgelaufene Einträge wurden aus dem Prüfpfad gelöscht, in 2 aufgezeichneten und signierten Lücken; die Kette bleibt über die Lücken hinweg prüfbar.",
  );
});
