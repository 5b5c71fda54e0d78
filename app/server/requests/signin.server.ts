import { and, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { requestIdentifiers, requests } from "#db/schema";
import { normaliseEmail } from "#app/core/identifiers";
import type { Lang } from "#app/i18n";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { type CodeCheck, checkCode, issueCode } from "../verification.server";
import type { Services } from "../services.server";
import { refuseWhileMailBacklogged } from "./intake-limit.server";
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
  const [row] = await tx
    .select({ id: requests.id })
    .from(requests)
    .where(ownedBy([email]))
    .limit(1);
  return Boolean(row);
}

export type SignInCodeResult =
  { ok: true; email: string; outboxIds: string[] } | { ok: false; reason: "invalid-email" | "rate-limited" };

/** Thrown inside the savepoint to undo the code and its mail where no case exists. */
class NoCase extends Error {}

/**
 * Sends a sign-in code only to an address that has a proven case, but answers the same either
 * way, so the form cannot be used to find out whether someone filed a request. Nor can its timing:
 * the code is issued and its mail queued in every case, inside a savepoint that is rolled back when
 * the address owns no case, so both ways run the same statements.
 *
 * Like a new request, a code request is refused with a thrown 429 response while the code mails
 * wait longer than their codes live (intake-limit.server.ts).
 */
export async function requestSignInCode(
  { db, config }: Pick<Services, "db" | "config">,
  input: { email: string; lang: Lang; clientKey: string | null },
  now = new Date(),
): Promise<SignInCodeResult> {
  const email = normaliseEmail(input.email);
  if (!email) return { ok: false, reason: "invalid-email" };
  return db.transaction(async (tx): Promise<SignInCodeResult> => {
    await refuseWhileMailBacklogged(tx);
    const limits = [{ limit: codeLimits.perAddress, subject: email }];
    if (input.clientKey) limits.push({ limit: codeLimits.perClient, subject: input.clientKey });
    if (!(await takeRateLimits(tx, config.sessionSecret, limits, now)))
      return { ok: false, reason: "rate-limited" };
    const owner = await hasCases(tx, email);
    try {
      const outboxId = await tx.transaction(async (savepoint) => {
        const { code } = await issueCode(savepoint, config.sessionSecret, "signin", email, now);
        const queued = await queueSignInCodeMail(savepoint, {
          to: email,
          lang: input.lang,
          code,
          publicUrl: config.publicUrl,
        });
        if (!owner) throw new NoCase();
        return queued;
      });
      return { ok: true, email, outboxIds: [outboxId] };
    } catch (error) {
      if (error instanceof NoCase) return { ok: true, email, outboxIds: [] };
      throw error;
    }
  });
}

export async function verifySignIn(
  { db, config }: Pick<Services, "db" | "config">,
  input: { email: string; code: string },
  now = new Date(),
): Promise<CodeCheck> {
  const email = normaliseEmail(input.email);
  if (!email) return "missing";
  return db.transaction((tx) => checkCode(tx, config.sessionSecret, "signin", email, input.code, now));
}
