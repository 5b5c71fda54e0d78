import { createHash } from "node:crypto";
import { canonicalJson } from "#app/core/canonical-json";
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "#db/client";
import { auditEvents, auditGaps } from "#db/schema";
import type { AuditAction, AuditActorType } from "#app/core/audit-actions";
import { auditKeys, macOf } from "./audit/keys.server";

export { verifyAuditChain } from "./audit/verify.server";

export const genesisHash = "0".repeat(64);

export interface AuditEventInput {
  requestId?: string | null;
  actorType: AuditActorType;
  actorId?: string | null;
  action: AuditAction;
  reason?: string | null;
  data?: Record<string, unknown>;
}

type StoredEvent = typeof auditEvents.$inferSelect;
type EventContent = Omit<StoredEvent, "seq" | "hash" | "keyed">;

/**
 * Appends an event in the caller's transaction. A transaction-scoped advisory lock serialises
 * appends, so two requests can never both link to the same predecessor: the lock is held until the
 * transaction commits, and only then can the next append read this event as the newest. Given the
 * database itself rather than a transaction, the append runs in a transaction of its own — outside
 * one, the lock would end with its own statement and parallel appends would fork the chain.
 */
export function appendAuditEvent(db: DbOrTx, input: AuditEventInput): Promise<void> {
  return appendAuditEvents(db, [input]);
}

/**
 * Appends events in this order, as `appendAuditEvent` does one: under one lock and one read of the
 * chain's head, each linked to the one before it, in one statement. The store jobs of many cases
 * that end with one shared pass are finished together (ADR 0021); on the embedded database every
 * statement costs more than the work it holds.
 */
export async function appendAuditEvents(db: DbOrTx, inputs: readonly AuditEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  if (!isTransaction(db)) return db.transaction((tx) => appendAuditEvents(tx, inputs));
  const tx = db;
  const keys = auditKeys();
  await lockAuditTrail(tx);
  // Read after the lock is held, by a statement of its own: a statement's snapshot is taken when it
  // starts, so a head read in the statement that takes the lock could miss the event committed by
  // the append that held the lock before.
  let prevHash = (await chainHead(tx))?.hash ?? genesisHash;
  const createdAt = new Date();
  const rows = inputs.map((input) => {
    const event: EventContent = {
      requestId: input.requestId ?? null,
      actorType: input.actorType,
      actorId: input.actorId ?? null,
      action: input.action,
      reason: input.reason ?? null,
      // Stored as jsonb: hash exactly what a later read returns (dates as strings, no undefined).
      data: JSON.parse(JSON.stringify(input.data ?? {})) as Record<string, unknown>,
      createdAt,
      prevHash,
    };
    const hash = eventMac(keys.event, event);
    prevHash = hash;
    return { ...event, keyed: true, hash };
  });
  // The rows of a VALUES list are inserted in their order, each drawing its seq as it is inserted:
  // the chain's order (seq) is the order the events were linked in here.
  await tx.insert(auditEvents).values(rows);
}

/** Appends, the retention sweep's gaps and checkpoints all take this lock: one writer of the chain at a time. */
export async function lockAuditTrail(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('audit_events'))`);
}

/**
 * The chain's head, which the next event links to and a checkpoint signs: the newest event, or —
 * when the newest events were deleted after their period — the last event of the newest recorded
 * gap, so the chain continues across it. Null for an empty trail.
 */
export async function chainHead(tx: Tx): Promise<{ seq: number; hash: string } | null> {
  // Both heads in one statement: every event appended reads them, and on the embedded database
  // each statement costs more than the two index look-ups it holds (ADR 0021).
  const newest = <T>(column: AnyPgColumn, order: AnyPgColumn, table: PgTable) =>
    sql`(select ${column} from ${table} order by ${order} desc limit 1)`.mapWith(column) as SQL<T | null>;
  const [head] = await tx
    .select({
      eventSeq: newest<number>(auditEvents.seq, auditEvents.seq, auditEvents),
      eventHash: newest<string>(auditEvents.hash, auditEvents.seq, auditEvents),
      gapSeq: newest<number>(auditGaps.lastSeq, auditGaps.lastSeq, auditGaps),
      gapHash: newest<string>(auditGaps.lastHash, auditGaps.lastSeq, auditGaps),
    })
    .from(sql`(values (1)) as one(x)`);
  const event = head?.eventSeq != null ? { seq: head.eventSeq, hash: head.eventHash! } : null;
  const gap = head?.gapSeq != null ? { seq: head.gapSeq, hash: head.gapHash! } : null;
  return (gap && (!event || gap.seq > event.seq) ? gap : event) ?? null;
}

/** Drizzle's transactions, unlike the database object, can be rolled back. */
export function isTransaction(db: DbOrTx): db is Tx {
  return "rollback" in db;
}

function canonicalContent(event: EventContent): Record<string, unknown> {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

/** An event's hash: HMAC under the audit key, so that nobody without the key can recompute it. */
export function eventMac(key: Buffer, event: EventContent): string {
  return macOf(key, canonicalContent(event));
}

/** Events written before the trail was keyed carry a plain SHA-256; verification still checks them. */
export function unkeyedHash(event: EventContent): string {
  return createHash("sha256")
    .update(canonicalJson(canonicalContent(event)) ?? "")
    .digest("hex");
}

/** Refused staff input (a forged id, a ground not in the catalogue …) is kept in the audit trail. */
export function recordStaffRefusal(
  db: DbOrTx,
  staffId: string,
  requestId: string,
  reason: string,
): Promise<void> {
  return appendAuditEvent(db, {
    requestId,
    actorType: "staff",
    actorId: staffId,
    action: "staff.refused",
    reason,
  });
}
