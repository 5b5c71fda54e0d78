import { lt } from "drizzle-orm";
import { verifications } from "../../../db/schema";
import type { JobDefinition } from "./job";

/** Codes nobody used must not linger: once expired they prove nothing and only hold personal data. */
export const expireVerifications: JobDefinition = {
  queue: "expire-verifications",
  schedule: "*/5 * * * *",
  async run({ db }) {
    await db.delete(verifications).where(lt(verifications.expiresAt, new Date()));
  },
};
