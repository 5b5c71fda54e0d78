/**
 * § 51 ThürDSG: staff reads of a case and of its findings are in the audit trail — who, which case,
 * which page — through the real loaders of the case page and the execution page, once per member,
 * case, view and findings page within ten minutes, and without any of the data read.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { auditEvents, findings, gatherRuns, requests } from "#db/schema";
import * as casePage from "#app/routes/intern/vorgang";
import * as executionPage from "#app/routes/intern/umsetzung";
import { verifyAuditChain } from "#app/server/audit.server";
import { STAFF_READ_WINDOW_MS, recordStaffRead } from "#app/server/cases/staff-reads.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import { outcome, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

vi.setConfig({ testTimeout: 120_000 });

let services: Services;
let close: () => Promise<void>;
let handler: string;
let dpo: string;
let caseId: string;
let emptyCaseId: string;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  const db = services.database.db;
  handler = (await createStaff(db, "reader", "case-handler", "Reader")).id;
  dpo = (await createStaff(db, "dpo-reader", "dpo", "DPO")).id;
  const [request] = await db
    .insert(requests)
    .values({
      status: "review",
      kinds: ["auskunft", "loeschung"],
      channel: "web",
      contactEmail: "erika.read@example.org",
      reference: "DSR-2026-700001",
      receivedAt: new Date(),
    })
    .returning();
  caseId = request!.id;
  const [run] = await db.insert(gatherRuns).values({ requestId: caseId, version: 1 }).returning();
  await db.insert(findings).values(
    ["Kündigung Erika Mustermann", "Rückfrage Erika Mustermann"].map(
      (subject, i): typeof findings.$inferInsert => {
        const content = { subject };
        return {
          runId: run!.id,
          store: "mail-support",
          storeKind: "maildir",
          processingActivityId: "email",
          ref: `support/cur/${i}`,
          flags: [],
          unproven: false,
          matched: {},
          content,
          contentHash: contentHashOf(content),
        };
      },
    ),
  );
  const [empty] = await db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "leer@example.org",
      reference: "DSR-2026-700002",
      receivedAt: new Date(),
    })
    .returning();
  emptyCaseId = empty!.id;
});
afterAll(() => close());

async function load(
  module: { loader: (args: never) => unknown },
  path: string,
  id: string,
  staffId: string,
): Promise<number> {
  const cookie = await staffSessionCookie(services, staffId);
  const request = new Request(`${testBase}${path}`, { headers: { Cookie: cookie } });
  const result = await outcome(
    () =>
      module.loader({
        request,
        params: { id },
        context: routeContext(services),
      } as never) as Promise<unknown>,
  );
  return result.status;
}

async function readEvents(requestId: string) {
  return services.database.db
    .select()
    .from(auditEvents)
    .where(
      and(eq(auditEvents.requestId, requestId), inArray(auditEvents.action, ["case.read", "findings.read"])),
    )
    .orderBy(auditEvents.seq);
}

it("the case page records who read the case's findings, once per page within the window", async () => {
  expect(await load(casePage, `/intern/vorgaenge/${caseId}`, caseId, handler)).toBe(200);
  expect(await load(casePage, `/intern/vorgaenge/${caseId}`, caseId, handler)).toBe(200);
  expect(await load(casePage, `/intern/vorgaenge/${caseId}?store=mail-support`, caseId, handler)).toBe(200);
  expect(await load(casePage, `/intern/vorgaenge/${caseId}`, caseId, dpo)).toBe(200);
  const events = await readEvents(caseId);
  expect(events.map((e) => [e.action, e.actorType, e.actorId, e.data])).toEqual([
    ["findings.read", "staff", handler, { view: "case", findings: 2, page: "" }],
    ["findings.read", "staff", handler, { view: "case", findings: 2, page: "?store=mail-support" }],
    ["findings.read", "staff", dpo, { view: "case", findings: 2, page: "" }],
  ]);
  // Ids and the page only: nothing of the person or of what was read.
  expect(JSON.stringify(events)).not.toMatch(/erika|Mustermann|Kündigung/i);
});

it("the execution page records its read of the findings", async () => {
  expect(await load(executionPage, `/intern/vorgaenge/${caseId}/umsetzung`, caseId, handler)).toBe(200);
  expect(await load(executionPage, `/intern/vorgaenge/${caseId}/umsetzung`, caseId, handler)).toBe(200);
  const events = (await readEvents(caseId)).filter((e) => (e.data as { view: string }).view === "execution");
  expect(events.map((e) => [e.action, e.actorId, e.data])).toEqual([
    ["findings.read", handler, { view: "execution", findings: 2, page: "" }],
  ]);
});

it("a case without findings is recorded as read, and nothing is recorded for a member without the permission", async () => {
  expect(await load(casePage, `/intern/vorgaenge/${emptyCaseId}`, emptyCaseId, handler)).toBe(200);
  expect((await readEvents(emptyCaseId)).map((e) => [e.action, e.data])).toEqual([
    ["case.read", { view: "case", findings: 0, page: "" }],
  ]);
  const admin = (await createStaff(services.database.db, "admin-only", "admin", "Admin")).id;
  expect(await load(casePage, `/intern/vorgaenge/${emptyCaseId}`, emptyCaseId, admin)).toBe(403);
  expect(await readEvents(emptyCaseId)).toHaveLength(1);
});

it("a read after the window is a read of its own", async () => {
  const later = new Date(Date.now() + STAFF_READ_WINDOW_MS + 60_000);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(later);
  try {
    await recordStaffRead(services.database.db, {
      staffId: handler,
      requestId: emptyCaseId,
      view: "case",
      findingsShown: 0,
      findingsPage: "",
    });
  } finally {
    vi.useRealTimers();
  }
  expect(await readEvents(emptyCaseId)).toHaveLength(2);
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
});
