import type { Jobs } from "../jobs/index.server";
import type { JobContext } from "../jobs/job";
import {
  type MailSenderPool,
  type SenderSettings,
  senderSettingsFromEnv,
  startMailSenderPool,
} from "./sender-pool.server";
import { createMailTransport, mailSettingsOf } from "./transport.server";

/**
 * The worker's mail senders: a pool over one (pooled, for SMTP) transport, which is closed when the
 * pool stops so no SMTP connection outlives the process's jobs.
 */
export function startMailSenders(
  { db, config }: Pick<JobContext, "db" | "config">,
  settings: SenderSettings = senderSettingsFromEnv(),
): MailSenderPool {
  const transport = createMailTransport(mailSettingsOf(config), { connections: settings.concurrency });
  const pool = startMailSenderPool(db, transport, settings);
  return {
    nudge: pool.nudge,
    async stop() {
      await pool.stop();
      transport.close();
    },
  };
}

/**
 * After the transaction that queued the mail has committed: wakes the senders if they run in this
 * process. Elsewhere (a web process without workers) the worker's senders find the mail at their
 * next look into the outbox, within MAIL_SEND_POLL_MS. Never fails the page.
 */
export async function announceMail(jobs: Pick<Jobs, "mailSenders">, outboxIds: string[]): Promise<void> {
  if (outboxIds.length > 0) jobs.mailSenders?.nudge();
}
