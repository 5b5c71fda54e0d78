import { createHmac } from "node:crypto";
import { and, count, eq, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client";
import { rateLimitHits } from "#db/schema";
import { isTransaction } from "./audit.server";
import type { JobDefinition } from "./jobs/job";

export interface RateLimit {
  /** Name of the limit, part of the bucket key. */
  name: string;
  max: number;
  windowMs: number;
}

/** How often codes may be asked for: per address (protects the person's inbox) and per client. */
export const codeLimits = {
  perAddress: { name: "code-address", max: 5, windowMs: 60 * 60 * 1000 },
  perClient: { name: "code-client", max: 30, windowMs: 60 * 60 * 1000 },
} satisfies Record<string, RateLimit>;

/**
 * Bucket keys are HMACs, so the table holding the hits holds no e-mail or IP address in clear.
 */
function bucketKey(secret: string, limit: RateLimit, subject: string): string {
  return `${limit.name}:${createHmac("sha256", secret).update(subject).digest("base64url").slice(0, 32)}`;
}

/**
 * Counts one hit if the bucket still has room; returns false (and counts nothing) if not.
 * Checks every limit before counting any, so a refused try does not use up another bucket.
 *
 * Atomic on both backends: each bucket's transaction-scoped advisory lock is held from the count
 * until the hit is committed, so of parallel requests exactly `max` are let through. The locks are
 * taken in a fixed order (sorted bucket keys), so two requests sharing buckets cannot deadlock.
 */
export async function takeRateLimits(
  db: DbOrTx,
  secret: string,
  entries: { limit: RateLimit; subject: string }[],
  now = new Date(),
): Promise<boolean> {
  if (!isTransaction(db)) return db.transaction((tx) => takeRateLimits(tx, secret, entries, now));
  const buckets = entries.map(({ limit, subject }) => ({ limit, bucket: bucketKey(secret, limit, subject) }));
  await lockBuckets(
    db,
    buckets.map(({ bucket }) => bucket),
  );
  for (const { limit, bucket } of buckets) {
    if ((await hitsIn(db, bucket, limit, now)) >= limit.max) return false;
  }
  if (buckets.length > 0)
    await db.insert(rateLimitHits).values(buckets.map(({ bucket }) => ({ bucket, at: now })));
  return true;
}

/** How many hits a subject's bucket holds within the limit's window (for throttles that count failures). */
export function countHits(
  db: DbOrTx,
  secret: string,
  limit: RateLimit,
  subject: string,
  now = new Date(),
): Promise<number> {
  return hitsIn(db, bucketKey(secret, limit, subject), limit, now);
}

/** Counts a hit whatever the bucket holds: a failure is a fact, not a request that may be refused. */
export async function recordHits(
  db: DbOrTx,
  secret: string,
  entries: { limit: RateLimit; subject: string }[],
  now = new Date(),
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insert(rateLimitHits)
    .values(entries.map(({ limit, subject }) => ({ bucket: bucketKey(secret, limit, subject), at: now })));
}

async function hitsIn(db: DbOrTx, bucket: string, limit: RateLimit, now: Date): Promise<number> {
  const [row] = await db
    .select({ hits: count() })
    .from(rateLimitHits)
    .where(
      and(eq(rateLimitHits.bucket, bucket), gt(rateLimitHits.at, new Date(now.getTime() - limit.windowMs))),
    );
  return row?.hits ?? 0;
}

async function lockBuckets(tx: Tx, buckets: string[]): Promise<void> {
  for (const bucket of [...new Set(buckets)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rate-limit:${bucket}`}))`);
  }
}

/** Old hits are only ballast; the longest window is an hour. */
async function sweepRateLimitHits(db: DbOrTx, now = new Date()): Promise<void> {
  await db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 24 * 60 * 60 * 1000)));
}

export const sweepRateLimitHitsJob: JobDefinition = {
  queue: "rate-limit-sweep",
  schedule: "41 * * * *",
  async run({ db }) {
    await sweepRateLimitHits(db);
  },
};
