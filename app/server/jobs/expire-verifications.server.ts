import { lt } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { verifications } from "#db/schema";
import type { JobDefinition } from "./job";

/** Deletes codes expired before `now`; returns how many, for the sweep's evidence. */
export async function deleteExpiredVerifications(db: DbOrTx, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(verifications)
    .where(lt(verifications.expiresAt, now))
    .returning({ id: verifications.id });
  return deleted.length;
}

/** Codes nobody used must not linger: once expired they prove nothing and only hold personal data. */
export const expireVerifications: JobDefinition = {
  queue: "expire-verifications",
  schedule: "*/5 * * * *",
  async run({ db }) {
    await deleteExpiredVerifications(db);
  },
};
