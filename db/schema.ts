import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * One table for every one-time secret the portal hands out: e-mail codes that prove control of an
 * address, and (later) staff TOTP enrolments. Codes are stored only as hashes.
 */
export const verifications = pgTable(
  "verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** What the secret proves, e.g. "email-code" or "staff-totp". */
    type: text("type").notNull(),
    /** Whom it is for: a normalised e-mail address, a request id or a staff account id. */
    target: text("target").notNull(),
    /** SHA-256 of a one-time code; null for TOTP, whose secret is kept in `secret`. */
    codeHash: text("code_hash"),
    secret: text("secret"),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("verifications_type_target").on(t.type, t.target), index("verifications_expires_at").on(t.expiresAt)],
);
