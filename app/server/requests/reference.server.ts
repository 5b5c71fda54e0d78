import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { requests } from "#db/schema";

export const referencePattern = /^DSR-\d{4}-\d{6}$/;

/**
 * A new reference DSR-<year>-<6 digits>. Random rather than counted, so a reference tells nobody how
 * many requests there were and is not the neighbour of someone else's. A transaction-scoped
 * advisory lock serialises the pick-and-check across processes (the unique constraint backs it
 * up), so two parallel proofs can never take the same number. Take it before any other advisory
 * lock (the audit trail's) to keep one lock order.
 */
export async function newReference(tx: DbOrTx, year: number): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('request-reference'))`);
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = `DSR-${year}-${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
    const [taken] = await tx
      .select({ id: requests.id })
      .from(requests)
      .where(eq(requests.reference, candidate))
      .limit(1);
    if (!taken) return candidate;
  }
  // Only reachable when a year's numbers are nearly used up: a fault for the operators, not the person.
  throw new Error(`no free reference left for ${year}`);
}
