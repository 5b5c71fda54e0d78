import { and, count, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { mailOutbox } from "#db/schema";
import { languages, messagesFor } from "#app/i18n";

/**
 * The subjects of mails that carry a code (proof of address, sign-in) in every language. The outbox
 * has no column for a mail's kind, so a code mail is recognised by the subject its composer
 * (requests/mails.server.ts) takes from the same catalogue entries.
 */
export const codeMailSubjects: readonly string[] = [
  ...new Set(
    languages.flatMap((lang) => [
      messagesFor(lang).journey.mail.codeSubject,
      messagesFor(lang).journey.mail.signInSubject,
    ]),
  ),
];

/** 0 for a code mail, 1 for everything else: the first key of the senders' order. */
export const codeMailsFirst = sql<number>`case when ${inArray(mailOutbox.subject, [...codeMailSubjects])} then 0 else 1 end`;

/**
 * How many code mails wait to be sent (pending or being sent), counted no further than `cap`: the
 * intake limit only asks whether the backlog is above its threshold.
 */
export async function pendingCodeMails(db: DbOrTx, cap: number): Promise<number> {
  const waiting = db
    .select({ one: sql`1` })
    .from(mailOutbox)
    .where(
      and(
        inArray(mailOutbox.status, ["pending", "sending"]),
        inArray(mailOutbox.subject, [...codeMailSubjects]),
      ),
    )
    .limit(cap)
    .as("waiting");
  const [row] = await db.select({ n: count() }).from(waiting);
  return row?.n ?? 0;
}
