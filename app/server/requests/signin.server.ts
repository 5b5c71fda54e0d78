import { and, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { requestIdentifiers, requests } from "../../../db/schema";
import { normaliseEmail } from "../../core/identifiers";
import type { Lang } from "../../i18n";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { type CodeCheck, checkCode, issueCode } from "../verification.server";
import type { JourneyDeps } from "./deps.server";
import { queueSignInCodeMail } from "./mails.server";

/** Cases a set of proven addresses may see: the contact address, or a further address proven for it. */
export function ownedBy(emails: string[]) {
  if (emails.length === 0) return sql`false`;
  return and(
    isNotNull(requests.reference),
    or(
      inArray(requests.contactEmail, emails),
      sql`exists (select 1 from ${requestIdentifiers} where ${requestIdentifiers.requestId} = ${requests.id}
        and ${requestIdentifiers.kind} = 'email' and ${requestIdentifiers.provenAt} is not null
        and ${inArray(requestIdentifiers.normalized, emails)})`,
    ),
  );
}

async function hasCases(tx: DbOrTx, email: string): Promise<boolean> {
  const [row] = await tx.select({ id: requests.id }).from(requests).where(ownedBy([email])).limit(1);
  return Boolean(row);
}

export type SignInCodeResult = { ok: true; email: string; outboxIds: string[] } | { ok: false; reason: "invalid-email" | "rate-limited" };

/**
 * Sends a sign-in code only to an address that has a proven case, but answers the same either
 * way, so the form cannot be used to find out whether someone filed a request.
 */
export async function requestSignInCode(deps: JourneyDeps, input: { email: string; lang: Lang; clientKey: string | null }, now = new Date()): Promise<SignInCodeResult> {
  const email = normaliseEmail(input.email);
  if (!email) return { ok: false, reason: "invalid-email" };
  return deps.db.transaction(async (tx): Promise<SignInCodeResult> => {
    const limits = [{ limit: codeLimits.perAddress, subject: email }];
    if (input.clientKey) limits.push({ limit: codeLimits.perClient, subject: input.clientKey });
    if (!(await takeRateLimits(tx, deps.secret, limits, now))) return { ok: false, reason: "rate-limited" };
    if (!(await hasCases(tx, email))) return { ok: true, email, outboxIds: [] };
    const { code } = await issueCode(tx, deps.secret, "signin", email, now);
    const outboxId = await queueSignInCodeMail(tx, { to: email, lang: input.lang, code, publicUrl: deps.publicUrl });
    return { ok: true, email, outboxIds: [outboxId] };
  });
}

export async function verifySignIn(deps: JourneyDeps, input: { email: string; code: string }, now = new Date()): Promise<CodeCheck> {
  const email = normaliseEmail(input.email);
  if (!email) return "missing";
  return deps.db.transaction((tx) => checkCode(tx, deps.secret, "signin", email, input.code, now));
}

