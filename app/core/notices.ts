/**
 * Where each notice to a person stands on its way: mail through the outbox (mail_outbox.status),
 * letters through the print queue (print_jobs.status and purpose). The words are stored and the
 * print job's purpose is in the audit trail, so they are only ever added to, never renamed.
 */

/**
 * pending: waits for a sender; sending: claimed by one sender (a claim older than a few minutes is
 * taken up again); sent: the mail server accepted it; failed: refused too often, left for staff.
 */
export const mailStates = ["pending", "sending", "sent", "failed"] as const;
export type MailState = (typeof mailStates)[number];

/** waiting: printed or not, not yet posted; dispatched: the day it went to the post is recorded. */
export const printJobStates = ["waiting", "dispatched"] as const;
export type PrintJobState = (typeof printJobStates)[number];

/** notice: the words of a mail; data-password: the encrypted data medium's password, posted apart from it. */
export const printJobPurposes = ["notice", "data-password"] as const;
export type PrintJobPurpose = (typeof printJobPurposes)[number];
