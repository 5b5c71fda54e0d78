import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { findingDecisions, findings, reviewRounds } from "#db/schema";
import type { RoleId } from "#app/core/permissions";
import { syncRoles } from "#app/server/auth/staff-accounts.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { CHANGES_LISTED, approvalView } from "#app/server/review/approval-view.server";
import { approve } from "#app/server/review/review.server";
import { caseReadyForReview } from "../support/cases";
import { createTestDatabase } from "../support/database";
import { createStaff } from "../support/staff";

let database: Database;
let handler: StaffIdentity;
let dpo: StaffIdentity;
let secondDpo: StaffIdentity;

const staff = (userName: string, role: RoleId) => createStaff(database.db, userName, role);

/** A case in review with `size` mails of the support mailbox, each with a third person in copy. */
const gatheredCase = (size: number, requestId?: string, version = 1) =>
  caseReadyForReview(
    database.db,
    Array.from({ length: size }, (_, i) => ({
      subject: `Betreff ${i}`,
      cc: [`dritte${i}@example.com`],
      text: "…",
    })),
    { requestId, version },
  );

const reasoning = "Eine dritte Person steht in Kopie.";
type Verdict = { decision: "release" } | { decision: "redact"; fields: string[] };

/**
 * Rounds and decisions are written as the review use cases leave them (see review.server.ts), directly:
 * this file tests what the approver is shown, for every state a round can be in, including one the
 * use cases refuse to produce (a decision written after the proposal).
 */
async function round(runId: string, values: Partial<typeof reviewRounds.$inferInsert> = {}) {
  const [row] = await database.db
    .insert(reviewRounds)
    .values({ runId, ...values })
    .returning();
  return row!;
}

async function decideAs(
  by: StaffIdentity,
  roundId: string,
  findingIds: string[],
  verdict: Verdict,
  decidedAt = new Date(),
) {
  const rows = await database.db
    .select({ id: findings.id, contentHash: findings.contentHash })
    .from(findings)
    .where(inArray(findings.id, findingIds));
  await database.db
    .insert(findingDecisions)
    .values(
      rows.map((f): typeof findingDecisions.$inferInsert => ({
        roundId,
        findingId: f.id,
        decision: verdict.decision,
        groundId: verdict.decision === "redact" ? "third-party-rights" : null,
        reasoning: verdict.decision === "redact" ? reasoning : null,
        redactedFields: verdict.decision === "redact" ? verdict.fields : [],
        contentHash: f.contentHash,
        decidedBy: by.id,
        decidedAt,
      })),
    )
    .onConflictDoUpdate({
      target: [findingDecisions.roundId, findingDecisions.findingId],
      set: {
        decision: sql`excluded.decision`,
        groundId: sql`excluded.ground_id`,
        redactedFields: sql`excluded.redacted_fields`,
        decidedBy: sql`excluded.decided_by`,
        decidedAt: sql`excluded.decided_at`,
      },
    });
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

beforeAll(async () => {
  database = await createTestDatabase();
  await syncRoles(database.db);
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
  secondDpo = await staff("dpo2", "dpo");
});
afterAll(() => database.close());

describe("what the approver is shown", () => {
  it("names the proposer and the decisions, and is there only for a proposed round of this case", async () => {
    const db = database.db;
    const { requestId, runId, findingIds } = await gatheredCase(3);
    const other = await gatheredCase(1);
    const open = await round(runId);
    expect(await approvalView(db, requestId, open.id)).toBeNull();
    await decideAs(dpo, open.id, [findingIds[0]!], { decision: "redact", fields: ["cc"] }, minutesAgo(5));
    await decideAs(dpo, open.id, findingIds.slice(1), { decision: "release" }, minutesAgo(5));
    await db
      .update(reviewRounds)
      .set({ status: "proposed", proposedBy: dpo.id, proposedAt: minutesAgo(4) })
      .where(eq(reviewRounds.id, open.id));

    const view = await approvalView(db, requestId, open.id);
    expect(view).toMatchObject({
      roundId: open.id,
      proposedById: dpo.id,
      proposedByName: "Name dpo",
      counts: { release: 2, withhold: 0, redact: 1 },
    });
    expect(Date.parse(view!.proposedAt!)).toBeLessThan(Date.now() - 3 * 60_000);
    expect(view!.changedAfterProposal).toEqual({ total: 0, listed: [] });
    expect(view!.sinceReturned).toBeNull();
    // A round id of another case names nothing.
    expect(await approvalView(db, other.requestId, open.id)).toBeNull();

    // The proposer is the one who may not approve; the second DPO may, and then the view is gone.
    await expect(approve(db, dpo, requestId, open.id)).rejects.toMatchObject({ reason: "own-proposal" });
    await approve(db, secondDpo, requestId, open.id);
    expect(await approvalView(db, requestId, open.id)).toBeNull();
  });

  it("shows what changed since the round was sent back, compared by content, not by time", async () => {
    const db = database.db;
    const { requestId, runId, findingIds } = await gatheredCase(4);
    const first = await round(runId, {
      status: "returned",
      proposedBy: handler.id,
      proposedAt: minutesAgo(30),
      decidedBy: dpo.id,
      decidedAt: minutesAgo(20),
      comment: "Bitte die Kopie-Empfänger schwärzen",
      createdAt: minutesAgo(40),
    });
    await decideAs(handler, first.id, findingIds, { decision: "release" }, minutesAgo(35));
    // The next round starts from the returned decisions, all stamped anew (as openReview copies them) …
    const second = await round(runId, { createdAt: minutesAgo(15) });
    await decideAs(handler, second.id, findingIds, { decision: "release" }, minutesAgo(15));
    // … deciding a finding the same way again is no change; two are redacted now.
    await decideAs(handler, second.id, [findingIds[3]!], { decision: "release" }, minutesAgo(10));
    await decideAs(
      handler,
      second.id,
      [findingIds[1]!],
      { decision: "redact", fields: ["cc"] },
      minutesAgo(10),
    );
    await decideAs(
      handler,
      second.id,
      [findingIds[2]!],
      { decision: "redact", fields: ["cc", "subject"] },
      minutesAgo(10),
    );
    await db
      .update(reviewRounds)
      .set({ status: "proposed", proposedBy: handler.id, proposedAt: minutesAgo(5) })
      .where(eq(reviewRounds.id, second.id));
    // A round of another gathering is not compared with.
    const { runId: laterRun } = await gatheredCase(1, requestId, 2);
    await round(laterRun, { status: "returned", comment: "anderer Lauf", createdAt: minutesAgo(1) });

    const view = await approvalView(db, requestId, second.id);
    expect(view!.proposedByName).toBe("Name handler");
    expect(view!.sinceReturned).toMatchObject({
      comment: "Bitte die Kopie-Empfänger schwärzen",
      returnedByName: "Name dpo",
    });
    expect(view!.sinceReturned!.changes.total).toBe(2);
    expect(view!.sinceReturned!.changes.listed.map((c) => [c.findingId, c.before, c.after])).toEqual([
      [
        findingIds[1],
        { decision: "release", groundId: null, redactedFields: [] },
        { decision: "redact", groundId: "third-party-rights", redactedFields: ["cc"] },
      ],
      [
        findingIds[2],
        { decision: "release", groundId: null, redactedFields: [] },
        { decision: "redact", groundId: "third-party-rights", redactedFields: ["cc", "subject"] },
      ],
    ]);
    expect(view!.sinceReturned!.changes.listed[0]).toMatchObject({
      store: "mail-support",
      ref: "support/cur/0001",
      decidedByName: "Name handler",
    });
    expect(view!.counts).toEqual({ release: 2, withhold: 0, redact: 2 });
    expect(view!.changedAfterProposal.total).toBe(0);
  });

  it("flags a decision written after the proposal, and lists many changes only up to a limit while counting all", async () => {
    const db = database.db;
    const size = CHANGES_LISTED + 7;
    const { requestId, runId, findingIds } = await gatheredCase(size);
    const first = await round(runId, {
      status: "returned",
      proposedBy: handler.id,
      proposedAt: minutesAgo(30),
      decidedBy: secondDpo.id,
      decidedAt: minutesAgo(20),
      comment: "Alles schwärzen",
      createdAt: minutesAgo(40),
    });
    await decideAs(handler, first.id, findingIds, { decision: "release" }, minutesAgo(35));
    const second = await round(runId, { createdAt: minutesAgo(15) });
    await decideAs(handler, second.id, findingIds, { decision: "redact", fields: ["cc"] }, minutesAgo(10));
    await db
      .update(reviewRounds)
      .set({ status: "proposed", proposedBy: handler.id, proposedAt: minutesAgo(5) })
      .where(eq(reviewRounds.id, second.id));

    const view = await approvalView(db, requestId, second.id);
    expect(view!.sinceReturned!.changes.total).toBe(size);
    expect(view!.sinceReturned!.changes.listed).toHaveLength(CHANGES_LISTED);
    expect(view!.changedAfterProposal.total).toBe(0);

    // The review use cases refuse decisions on a proposed round; one written behind their back is
    // what the approver must be warned of.
    await decideAs(dpo, second.id, [findingIds[5]!], { decision: "release" }, minutesAgo(1));
    const warned = await approvalView(db, requestId, second.id);
    expect(warned!.changedAfterProposal.total).toBe(1);
    expect(warned!.changedAfterProposal.listed[0]).toMatchObject({
      findingId: findingIds[5],
      before: null,
      after: { decision: "release" },
      decidedByName: "Name dpo",
    });
    // … and it is no longer a change against the returned round, which released it too.
    expect(warned!.sinceReturned!.changes.total).toBe(size - 1);
  });
});
