import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { asc, desc, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../../db/client";
import { auditEvents } from "../../db/schema";

export const genesisHash = "0".repeat(64);

export interface AuditEventInput {
  requestId?: string | null;
  actorType: "person" | "staff" | "system";
  actorId?: string | null;
  action: string;
  reason?: string | null;
  data?: Record<string, unknown>;
}

type StoredEvent = typeof auditEvents.$inferSelect;

/**
 * Appends an event in the caller's transaction. A transaction-scoped advisory lock serialises
 * appends, so two requests can never both link to the same predecessor: the lock is held until the
 * transaction commits, and only then can the next append read this event as the newest. Given the
 * database itself rather than a transaction, the append runs in a transaction of its own — outside
 * one, the lock would end with its own statement and parallel appends would fork the chain.
 */
export async function appendAuditEvent(db: DbOrTx, input: AuditEventInput): Promise<void> {
  if (!isTransaction(db)) return db.transaction((tx) => appendAuditEvent(tx, input));
  const tx = db;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('audit_events'))`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  const event = {
    requestId: input.requestId ?? null,
    actorType: input.actorType,
    actorId: input.actorId ?? null,
    action: input.action,
    reason: input.reason ?? null,
    // Stored as jsonb: hash exactly what a later read returns (dates as strings, no undefined).
    data: JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>,
    createdAt: new Date(),
    prevHash: last?.hash ?? genesisHash,
  };
  await tx.insert(auditEvents).values({ ...event, hash: hashEvent(event) });
}

/** Drizzle's transactions, unlike the database object, can be rolled back. */
export function isTransaction(db: DbOrTx): db is Tx {
  return "rollback" in db;
}

function hashEvent(event: Omit<StoredEvent, "seq" | "hash">): string {
  const canonical = canonicalize({ ...event, createdAt: event.createdAt.toISOString() });
  return createHash("sha256").update(canonical ?? "").digest("hex");
}

/** Refused staff input (a forged id, a ground not in the catalogue …) is kept in the audit trail. */
export function recordStaffRefusal(db: DbOrTx, staffId: string, requestId: string, reason: string): Promise<void> {
  return appendAuditEvent(db, { requestId, actorType: "staff", actorId: staffId, action: "staff.refused", reason });
}

export type ChainCheck = { ok: true; events: number } | { ok: false; events: number; brokenAt: number; problem: "hash" | "link" };

/** Walks the whole chain in order and names the first event whose hash or link does not hold. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<ChainCheck> {
  let previous: string | null = null;
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.seq} > ${afterSeq}`)
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    if (batch.length === 0) return { ok: true, events: count };
    for (const event of batch) {
      count++;
      // The oldest remaining event anchors the chain: older ones may have been erased after their
      // retention period, which the sweep records as evidence of its own.
      if (previous !== null && event.prevHash !== previous) return { ok: false, events: count, brokenAt: event.seq, problem: "link" };
      const { seq: _seq, hash, ...content } = event;
      if (hashEvent(content) !== hash) return { ok: false, events: count, brokenAt: event.seq, problem: "hash" };
      previous = hash;
      afterSeq = event.seq;
    }
  }
}
