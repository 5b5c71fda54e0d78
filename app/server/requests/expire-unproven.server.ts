import { and, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "#db/client";
import { requests, verifications } from "#db/schema";
import { appendAuditEvent } from "../audit.server";
import type { JobDefinition } from "../jobs/job";

/**
 * Requests whose address was never proven are erased when their period (retention rule
 * "portal-unverified-request", set as expiresAt at submission) has passed: identifiers, messages and
 * queued mail go with them (ON DELETE CASCADE). The audit trail keeps only that it happened.
 */
export async function eraseExpiredUnprovenRequests(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx
      .select({ id: requests.id })
      .from(requests)
      .where(and(eq(requests.status, "unproven"), lt(requests.expiresAt, now)))
      .for("update")
      .limit(500);
    if (expired.length === 0) return 0;
    const ids = expired.map((r) => r.id);
    await tx
      .delete(verifications)
      .where(and(eq(verifications.type, "request-proof"), inArray(verifications.target, ids)));
    await tx.delete(requests).where(inArray(requests.id, ids));
    for (const id of ids) {
      await appendAuditEvent(tx, {
        requestId: id,
        actorType: "system",
        action: "request.expired",
        data: { rule: "portal-unverified-request" },
      });
    }
    return ids.length;
  });
}

export const expireUnprovenRequestsJob: JobDefinition = {
  queue: "expire-unproven-requests",
  schedule: "17 * * * *",
  async run({ db }) {
    while ((await eraseExpiredUnprovenRequests(db)) === 500) {
      // Keep going in batches until the backlog is gone.
    }
  },
};
