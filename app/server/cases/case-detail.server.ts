import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { findingDecisions, findings, requestIdentifiers, requests, reviewRounds, staffUsers } from "../../../db/schema";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { compareWithPrevious, gatherProgress } from "../gather/gather.server";

/** Findings shown on one page; larger cases are reviewed in groups (by store, by suggestion). */
export const findingsPageSize = 500;

/** Everything the staff case page shows. */
export async function loadStaffCase(db: Db, requestId: string) {
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  if (!request || !request.reference) return null;
  const identifiers = await db.select().from(requestIdentifiers).where(eq(requestIdentifiers.requestId, requestId)).orderBy(asc(requestIdentifiers.createdAt));
  const gathering = await gatherProgress(db, requestId);
  const [round] = gathering
    ? await db.select().from(reviewRounds).where(eq(reviewRounds.runId, gathering.run.id)).orderBy(desc(reviewRounds.createdAt)).limit(1)
    : [];
  const rows = gathering
    ? await db.select().from(findings).where(eq(findings.runId, gathering.run.id)).orderBy(asc(findings.store), asc(findings.recordedAt), asc(findings.ref)).limit(findingsPageSize)
    : [];
  const decisions = round && rows.length > 0
    ? await db.select().from(findingDecisions).where(and(eq(findingDecisions.roundId, round.id), inArray(findingDecisions.findingId, rows.map((r) => r.id))))
    : [];
  const names = await db.select({ id: staffUsers.id, displayName: staffUsers.displayName }).from(staffUsers);
  const nameOf = (id: string | null) => names.find((n) => n.id === id)?.displayName ?? null;
  return {
    request,
    assignee: nameOf(request.assigneeId),
    identifiers,
    gathering,
    comparison: gathering ? await compareWithPrevious(db, requestId, gathering.run.version) : null,
    round: round ? { ...round, proposedByName: nameOf(round.proposedBy), decidedByName: nameOf(round.decidedBy) } : null,
    findings: rows.map((row) => ({ ...row, decision: decisions.find((d) => d.findingId === row.id) ?? null })),
  };
}

/** Received cases only: an unproven request is nobody's work yet. */
export async function caseExists(db: Db, requestId: string): Promise<boolean> {
  const [row] = await db.select({ id: requests.id }).from(requests).where(and(eq(requests.id, requestId), isNotNull(requests.reference)));
  return Boolean(row);
}

export async function assignCase(db: Db, staff: StaffIdentity, requestId: string, assigneeId: string | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (assigneeId) {
      const [exists] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, assigneeId));
      if (!exists) return false;
    }
    const updated = await tx.update(requests).set({ assigneeId }).where(eq(requests.id, requestId)).returning({ id: requests.id });
    if (updated.length === 0) return false;
    await appendAuditEvent(tx, { requestId, actorType: "staff", actorId: staff.id, action: "case.assigned", data: { assigneeId } });
    return true;
  });
}
