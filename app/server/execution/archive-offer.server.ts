/**
 * § 23 ThürDSG: an approved erasure of records that must first be offered to the public archive
 * waits ("archive-offer") until the archive has answered. Staff record the answer; either answer
 * lets the erasure go ahead — the archive does not want the records, or it has taken them over and
 * holds them now — so the action returns to "approved" and the carry-out job erases our copy
 * through the store's connector. The four eyes approved the erasure already; the answer is a fact
 * from outside, kept with its date and the archive's file number.
 */
import { and, eq } from "drizzle-orm";
import { findingActions } from "#db/schema";
import { type BerlinDay, berlinDayOf, isBerlinDay, startOfBerlinDay } from "#app/core/berlin-date";
import { archiveDecisions, isIn } from "#app/core/finding-actions";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { lockedRequest } from "./actions.server";
import { type ExecutionEnv, ExecutionRefused } from "./env.server";

export interface ArchiveAnswer {
  actionId: string;
  /** not-archival | transferred; anything else is refused. */
  decision: string;
  /** The day the archive answered, "YYYY-MM-DD". */
  answeredOn: string;
  /** The archive's file number or a note; optional. */
  note?: string;
}

/**
 * The archive cannot have answered an offer of an erasure not yet approved. Rows approved before
 * approved_at was kept fall back to their proposal, the earliest the approval can have been.
 */
export function earliestArchiveAnswer(
  action: Pick<typeof findingActions.$inferSelect, "approvedAt" | "createdAt">,
): BerlinDay {
  return berlinDayOf(action.approvedAt ?? action.createdAt);
}

export async function recordArchiveDecision(
  env: Pick<ExecutionEnv, "db">,
  staff: StaffIdentity,
  requestId: string,
  answer: ArchiveAnswer,
  now = new Date(),
): Promise<void> {
  if (!staff.permissions.has("finding:propose")) throw new ExecutionRefused("not-permitted");
  const decision = answer.decision;
  if (!isIn(archiveDecisions, decision)) throw new ExecutionRefused("unknown-archive-decision");
  const answeredOn = answer.answeredOn.trim();
  if (!isBerlinDay(answeredOn)) throw new ExecutionRefused("archive-date-invalid");
  if (answeredOn > berlinDayOf(now)) throw new ExecutionRefused("archive-date-future");
  const note = answer.note?.trim() || null;

  await env.db.transaction(async (tx) => {
    await lockedRequest(tx, requestId);
    const [action] = await tx
      .select()
      .from(findingActions)
      .where(and(eq(findingActions.id, answer.actionId), eq(findingActions.requestId, requestId)))
      .for("update");
    if (!action) throw new ExecutionRefused("foreign-action");
    if (action.action !== "erase" || action.status !== "archive-offer")
      throw new ExecutionRefused("not-awaiting-archive");
    if (answeredOn < earliestArchiveAnswer(action))
      throw new ExecutionRefused("archive-date-before-approval");
    await tx
      .update(findingActions)
      .set({
        status: "approved",
        archiveDecision: decision,
        archiveAnsweredAt: startOfBerlinDay(answeredOn),
        archiveNote: note,
      })
      .where(eq(findingActions.id, action.id));
    // The note may name people or file contents: it stays in the action row, out of the trail.
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.archive-decided",
      reason: decision,
      data: { action: action.id, decision, answeredOn },
    });
  });
}
