import { createHmac } from "node:crypto";
import { and, count, eq, gt, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { rateLimitHits } from "../../db/schema";
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
export function bucketKey(secret: string, limit: RateLimit, subject: string): string {
  return `${limit.name}:${createHmac("sha256", secret).update(subject).digest("base64url").slice(0, 32)}`;
}

/**
 * Counts one hit if the bucket still has room; returns false (and counts nothing) if not.
 * Checks every limit before counting any, so a refused try does not use up another bucket.
 */
export async function takeRateLimits(
  tx: DbOrTx,
  secret: string,
  entries: { limit: RateLimit; subject: string }[],
  now = new Date(),
): Promise<boolean> {
  const buckets = entries.map(({ limit, subject }) => ({ limit, bucket: bucketKey(secret, limit, subject) }));
  for (const { limit, bucket } of buckets) {
    const [row] = await tx
      .select({ hits: count() })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.bucket, bucket), gt(rateLimitHits.at, new Date(now.getTime() - limit.windowMs))));
    if ((row?.hits ?? 0) >= limit.max) return false;
  }
  if (buckets.length > 0) await tx.insert(rateLimitHits).values(buckets.map(({ bucket }) => ({ bucket, at: now })));
  return true;
}

/** Old hits are only ballast; the longest window is an hour. */
export async function sweepRateLimitHits(db: DbOrTx, now = new Date()): Promise<void> {
  await db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 24 * 60 * 60 * 1000)));
}

export const sweepRateLimitHitsJob: JobDefinition = {
  queue: "rate-limit-sweep",
  schedule: "41 * * * *",
  async run({ db }) {
    await sweepRateLimitHits(db);
  },
};
