import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { verifications } from "#db/schema";
import { deletionDue } from "../core/retention";
import type { CodeType } from "../core/verifications";
import { effectiveRule } from "./retention/rules.server";

const CODE_DIGITS = 6;
/** Five wrong tries, then the code is void and a new one must be asked for. */
export const MAX_CODE_ATTEMPTS = 5;

export type CodeCheck = "ok" | "wrong" | "expired" | "locked" | "missing";

/**
 * The code is kept only as an HMAC keyed with the server's secret and bound to its target: a
 * leaked table does not give the codes away, even though six digits are quick to enumerate.
 */
export function hashCode(secret: string, type: CodeType, target: string, code: string): string {
  return createHmac("sha256", secret).update(`${type}\u0000${target}\u0000${code}`).digest("hex");
}

export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
}

/** Issues a fresh code for (type, target), replacing any earlier one (the pair holds at most one live code); returns the plain code to mail. */
export async function issueCode(
  tx: DbOrTx,
  secret: string,
  type: CodeType,
  target: string,
  now = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  const code = generateCode();
  // The administrator may shorten or lengthen the code's life within its legal bounds.
  const expiresAt = deletionDue(await effectiveRule(tx, "portal-verification-code"), now);
  const codeHash = hashCode(secret, type, target, code);
  await tx
    .insert(verifications)
    .values({ type, target, codeHash, attempts: 0, expiresAt, createdAt: now })
    .onConflictDoUpdate({
      target: [verifications.type, verifications.target],
      set: { codeHash, attempts: 0, expiresAt, createdAt: now },
    });
  return { code, expiresAt };
}

/**
 * Checks a code inside the caller's transaction. The row is locked, so parallel guesses are
 * counted one by one; a correct code is consumed (deleted) so it cannot be used twice.
 */
export async function checkCode(
  tx: DbOrTx,
  secret: string,
  type: CodeType,
  target: string,
  code: string,
  now = new Date(),
): Promise<CodeCheck> {
  const [row] = await tx
    .select()
    .from(verifications)
    .where(and(eq(verifications.type, type), eq(verifications.target, target)))
    .for("update");
  if (!row || !row.codeHash) return "missing";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  if (row.attempts >= MAX_CODE_ATTEMPTS) return "locked";
  const expected = Buffer.from(row.codeHash, "hex");
  const given = Buffer.from(hashCode(secret, type, target, code.trim()), "hex");
  if (expected.length === given.length && timingSafeEqual(expected, given)) {
    await tx.delete(verifications).where(eq(verifications.id, row.id));
    return "ok";
  }
  await tx
    .update(verifications)
    .set({ attempts: sql`${verifications.attempts} + 1` })
    .where(eq(verifications.id, row.id));
  return row.attempts + 1 >= MAX_CODE_ATTEMPTS ? "locked" : "wrong";
}
