import { data } from "react-router";
import { z } from "zod";
import type { DbOrTx } from "#db/client";
import { pendingCodeMails } from "../mail/code-mails.server";
import { senderSettingsFromEnv } from "../mail/sender-pool.server";

/**
 * A code is valid for 15 minutes. The senders work through the code mails in order, so with more
 * than five minutes' worth of them waiting a new code would arrive late: by default the threshold is
 * what MAIL_SEND_RATE sends in five minutes (MAIL_INTAKE_MAX_PENDING sets it directly).
 */
const BACKLOG_SECONDS = 300;
/** When to try again, as told in the Retry-After header of the refusal. */
const RETRY_AFTER_SECONDS = 60;

const intakeEnv = z.object({ MAIL_INTAKE_MAX_PENDING: z.coerce.number().int().positive().optional() });

function maxPendingCodeMails(env: NodeJS.ProcessEnv = process.env): number {
  return (
    intakeEnv.parse(env).MAIL_INTAKE_MAX_PENDING ??
    Math.ceil(senderSettingsFromEnv(env).ratePerSecond * BACKLOG_SECONDS)
  );
}

/** What the refusal carries for the page; the root error boundary renders it by its status. */
interface IntakeBusy {
  error: "busy";
}

/**
 * Refuses a new code request while `max` code mails or more wait, more than the senders deliver in
 * time: a flood is answered with 429 before anything is stored, instead of growing a queue whose
 * codes expire before they leave. Thrown as a React Router response, so the person sees the error page in
 * their language.
 */
export async function refuseWhileMailBacklogged(db: DbOrTx, max = maxPendingCodeMails()): Promise<void> {
  if ((await pendingCodeMails(db, max)) >= max) {
    throw data<IntakeBusy>(
      { error: "busy" },
      { status: 429, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } },
    );
  }
}
