/**
 * § 51 ThürDSG: who among staff read a case and the data found for it, when, and on which page —
 * in the audit trail, with ids and the page's view only, never the data read. One event per staff
 * member, case, view and findings page within ten minutes: a page is loaded again after every
 * action taken on it (and by every reload), which reads nothing new; a different page of findings
 * or filter is a different read and is logged on its own (docs/decisions/0014-audit-key-gaps-and-staff-reads.md).
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditEvents } from "#db/schema";
import { findingsViewSearch, type FindingsFilter } from "#app/core/findings-view";
import { appendAuditEvent, lockAuditTrail } from "../audit.server";

export const STAFF_READ_WINDOW_MS = 10 * 60_000;

type StaffReadView = "case" | "execution";

export interface StaffRead {
  staffId: string;
  requestId: string;
  view: StaffReadView;
  /** How many findings (records from the stores) the page showed; none: only the case was read. */
  findingsShown: number;
  /** The findings page shown, as its query string ("" for the first page of all). */
  findingsPage: string;
}

/** Records the read unless the same one was recorded within the window. */
export async function recordStaffRead(db: Db, read: StaffRead, now = new Date()): Promise<void> {
  const action = read.findingsShown > 0 ? "findings.read" : "case.read";
  const data = { view: read.view, findings: read.findingsShown, page: read.findingsPage };
  await db.transaction(async (tx) => {
    // Under the trail's lock: two parallel loads of one page leave one event, not two.
    await lockAuditTrail(tx);
    const [recent] = await tx
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.requestId, read.requestId),
          eq(auditEvents.actorId, read.staffId),
          eq(auditEvents.action, action),
          gt(auditEvents.createdAt, new Date(now.getTime() - STAFF_READ_WINDOW_MS)),
          sql`${auditEvents.data}->>'view' = ${read.view}`,
          sql`${auditEvents.data}->>'page' = ${read.findingsPage}`,
        ),
      )
      .limit(1);
    if (recent) return;
    await appendAuditEvent(tx, {
      requestId: read.requestId,
      actorType: "staff",
      actorId: read.staffId,
      action,
      data,
    });
  });
}

/** The case page (case facts and one page of its findings). */
export function recordCasePageRead(
  db: Db,
  staffId: string,
  page: { request: { id: string }; findings: unknown[]; listing: { filter: FindingsFilter; page: number } },
): Promise<void> {
  return recordStaffRead(db, {
    staffId,
    requestId: page.request.id,
    view: "case",
    findingsShown: page.findings.length,
    findingsPage: findingsViewSearch(page.listing.filter, page.listing.page),
  });
}

/** The execution page (every finding of the latest gathering, with what is done to it). */
export function recordExecutionPageRead(
  db: Db,
  staffId: string,
  page: { request: { id: string }; findings: unknown[] },
): Promise<void> {
  return recordStaffRead(db, {
    staffId,
    requestId: page.request.id,
    view: "execution",
    findingsShown: page.findings.length,
    findingsPage: "",
  });
}
