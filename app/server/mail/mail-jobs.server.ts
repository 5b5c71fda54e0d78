import type { Config } from "../config.server";
import type { JobDefinition } from "../jobs/job";
import type { Jobs } from "../jobs/index.server";
import { deliverMail, deliverPendingMail } from "./outbox.server";
import { type MailTransport, createMailTransport, mailSettingsOf } from "./transport.server";

const transports = new Map<string, MailTransport>();

/** One transport per mail setting, kept for the life of the process (SMTP connections are reused). */
function transportFor(config: Config): MailTransport {
  const settings = mailSettingsOf(config);
  const key = JSON.stringify(settings);
  let transport = transports.get(key);
  if (!transport) {
    transport = createMailTransport(settings);
    transports.set(key, transport);
  }
  return transport;
}

export const deliverMailJob: JobDefinition<{ id?: unknown }> = {
  queue: "mail-deliver",
  async run({ db, config }, data) {
    if (typeof data.id !== "string") return;
    await deliverMail(db, transportFor(config), data.id);
  },
};

/** Picks up what the immediate job could not send (mail server down, process restarted). */
export const mailOutboxSweepJob: JobDefinition = {
  queue: "mail-outbox-sweep",
  schedule: "* * * * *",
  async run({ db, config }) {
    await deliverPendingMail(db, () => transportFor(config));
  },
};

/**
 * Asks for immediate delivery once the transaction that queued the mail has committed. Never
 * fails the page: if the queue is unreachable the sweep sends the mail a minute later.
 */
export async function announceMail(jobs: Pick<Jobs, "send">, outboxIds: string[]): Promise<void> {
  for (const id of outboxIds) {
    try {
      await jobs.send(deliverMailJob.queue, { id });
    } catch {
      console.error(`[mail] could not enqueue outbox ${id}; the sweep will send it`);
    }
  }
}
