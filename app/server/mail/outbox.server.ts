import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { mailOutbox } from "#db/schema";
import { deliveryChannelOf, queuePrintedNotice } from "../print/print-queue.server";
import type { MailTransport } from "./transport.server";
import { log } from "../log.server";

export interface QueuedAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface QueuedMail {
  requestId: string | null;
  to: string;
  subject: string;
  text: string;
  attachments?: QueuedAttachment[];
}

/** After this many failed tries the message stays in the outbox as "failed" for staff to see. */
export const MAX_MAIL_ATTEMPTS = 8;
/** A message claimed this long ago whose sender died is tried again: twice is better than never. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

/**
 * A notice that cannot go to the person on their channel: no valid address given, and for a request
 * neither an e-mail nor a postal address. Thrown inside the caller's transaction, it undoes what the
 * notice was to announce, so nothing is recorded as told that was not; the case shows up as a task
 * for staff (print queue page: "person cannot be reached").
 */
export class UndeliverableNoticeError extends Error {
  constructor(
    readonly requestId: string | null,
    readonly reason: "no-address" | "invalid-address" | "address-mismatch",
  ) {
    super(`notice for request ${requestId ?? "-"} cannot be delivered: ${reason}`);
    this.name = "UndeliverableNoticeError";
  }
}

/**
 * One mailbox, nothing else: no blank, no second address, no line break that could add a header.
 * Deliberately loose beyond that (internal staff hosts have no dot); the mail server judges the rest.
 */
const MAILBOX = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/**
 * Writes a message in the caller's transaction; it leaves only if that transaction commits.
 *
 * Never to an empty or malformed address. A notice for a request whose person gave no e-mail address
 * (the caller passes the request's empty address) but a postal one goes to the print queue instead, as a letter with the same words; the id returned
 * is then the print job's (the mail sender skips ids it does not hold).
 */
export async function queueMail(tx: DbOrTx, mail: QueuedMail): Promise<string> {
  if (!MAILBOX.test(mail.to)) {
    if (mail.to.trim() !== "") throw new UndeliverableNoticeError(mail.requestId, "invalid-address");
    if (mail.requestId === null) throw new UndeliverableNoticeError(null, "no-address");
    const channel = await deliveryChannelOf(tx, mail.requestId);
    // A request with an e-mail address handed here without it is a caller's mistake, not a letter.
    if (channel.kind !== "post")
      throw new UndeliverableNoticeError(
        mail.requestId,
        channel.kind === "email" ? "address-mismatch" : "no-address",
      );
    const printJobId = await queuePrintedNotice(tx, {
      requestId: mail.requestId,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments ?? [],
    });
    if (printJobId === null) throw new UndeliverableNoticeError(mail.requestId, "no-address");
    return printJobId;
  }
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      requestId: mail.requestId,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments: (mail.attachments ?? []).map((a) => ({
        fileName: a.fileName,
        contentType: a.contentType,
        base64: a.content.toString("base64"),
      })),
    })
    .returning({ id: mailOutbox.id });
  return row!.id;
}

type StoredAttachment = { fileName: string; contentType: string; base64: string };

/**
 * Sends one message. It is claimed first (status "sending") by a single conditional update, so the
 * immediate job and the periodic sweep never send it twice; no transaction is held while the mail
 * server is talked to.
 */
export async function deliverMail(
  db: Db,
  transport: MailTransport,
  id: string,
  now = new Date(),
): Promise<"sent" | "retry" | "failed" | "skipped"> {
  const [claimed] = await db
    .update(mailOutbox)
    .set({ status: "sending", attempts: sql`${mailOutbox.attempts} + 1`, sentAt: now })
    .where(
      and(
        eq(mailOutbox.id, id),
        lt(mailOutbox.attempts, MAX_MAIL_ATTEMPTS),
        or(
          eq(mailOutbox.status, "pending"),
          and(
            eq(mailOutbox.status, "sending"),
            lt(mailOutbox.sentAt, new Date(now.getTime() - STALE_CLAIM_MS)),
          ),
        ),
      ),
    )
    .returning();
  if (!claimed) return "skipped";
  try {
    const info = await transport.send({
      to: claimed.to,
      subject: claimed.subject,
      text: claimed.text,
      attachments: (claimed.attachments as StoredAttachment[]).map((a) => ({
        fileName: a.fileName,
        contentType: a.contentType,
        content: Buffer.from(a.base64, "base64"),
      })),
    });
    await db
      .update(mailOutbox)
      .set({ status: "sent", sentAt: new Date(), messageId: info.messageId, lastError: null })
      .where(eq(mailOutbox.id, id));
    return "sent";
  } catch (error) {
    const failed = claimed.attempts >= MAX_MAIL_ATTEMPTS;
    // The error text of a mail server may quote the address: keep only its first line, in the
    // table, never in the log.
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 500);
    await db
      .update(mailOutbox)
      .set({ status: failed ? "failed" : "pending", sentAt: null, lastError: reason })
      .where(eq(mailOutbox.id, id));
    log.warn({ outboxId: id, attempts: claimed.attempts }, "mail: attempt failed");
    return failed ? "failed" : "retry";
  }
}

/**
 * Everything still waiting, oldest first: the retry path for messages whose first try failed. The
 * transport is asked for only when there is something to send.
 */
export async function deliverPendingMail(
  db: Db,
  transport: () => MailTransport,
  limit = 50,
  now = new Date(),
): Promise<number> {
  const due = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(inArray(mailOutbox.status, ["pending", "sending"]), lt(mailOutbox.attempts, MAX_MAIL_ATTEMPTS)),
    )
    .orderBy(mailOutbox.createdAt)
    .limit(limit);
  let sent = 0;
  for (const { id } of due) if ((await deliverMail(db, transport(), id, now)) === "sent") sent++;
  return sent;
}
