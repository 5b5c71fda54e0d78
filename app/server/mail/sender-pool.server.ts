import { and, eq, lt, notInArray, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { mailOutbox } from "#db/schema";
import { codeMailsFirst } from "./code-mails.server";
import { MAX_MAIL_ATTEMPTS, deliverMail } from "./outbox.server";
import type { MailTransport } from "./transport.server";
import { wakeableSleep } from "../jobs/wakeable-sleep.server";
import { describeError, log } from "../log.server";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const senderEnv = z.object({
  /** How many mails are talked through the mail server at once (and SMTP connections kept open). */
  MAIL_SEND_CONCURRENCY: positiveInt(4),
  /** At most this many mails per second leave this process (what the relay accepts from us). */
  MAIL_SEND_RATE: z.coerce.number().positive().default(20),
  /** How often an idle sender looks into the outbox for mail queued by another process. */
  MAIL_SEND_POLL_MS: positiveInt(500),
  /** Wait before the first retry of a mail the server refused; doubled per failure, at most 10 min. */
  MAIL_RETRY_BASE_MS: positiveInt(5000),
});

export interface SenderSettings {
  concurrency: number;
  ratePerSecond: number;
  pollMs: number;
  retryBaseMs: number;
}

export function senderSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SenderSettings {
  const e = senderEnv.parse(env);
  return {
    concurrency: e.MAIL_SEND_CONCURRENCY,
    ratePerSecond: e.MAIL_SEND_RATE,
    pollMs: e.MAIL_SEND_POLL_MS,
    retryBaseMs: e.MAIL_RETRY_BASE_MS,
  };
}

/** A claim older than this belongs to a sender that died; outbox.server.ts takes such a mail over then. */
const DEAD_CLAIM_MS = 10 * 60 * 1000;
const MAX_RETRY_WAIT_MS = 10 * 60 * 1000;
/** A mail another process claimed first is left alone for this long (it is sent by then). */
const TAKEN_ELSEWHERE_MS = 5000;

export interface MailSenderPool {
  /** Mail was queued in this process: look now instead of at the next poll. */
  nudge(): void;
  /** Stops taking mail and waits for the mails in flight. */
  stop(): Promise<void>;
}

/**
 * Sends the outbox with up to `concurrency` mails in flight and at most `ratePerSecond` started per
 * second, code mails before notices and answers, each in order of queueing. Each mail is claimed by
 * deliverMail's conditional update, so two processes running a pool never send one mail twice; a
 * mail counts as sent only once the mail server accepted it. A refused mail waits (growing) before
 * its next try, in this process; after a restart it is simply due again.
 */
export function startMailSenderPool(
  db: Db,
  transport: MailTransport,
  settings: SenderSettings,
): MailSenderPool {
  const inFlight = new Map<string, Promise<void>>();
  /** Mails not to pick now: id → earliest time and failures seen here. */
  const waiting = new Map<string, { until: number; failures: number }>();
  const spacingMs = 1000 / settings.ratePerSecond;
  let nextStart = 0;
  let stopped = false;
  // A nudge while the loop is busy is kept, so its next sleep returns at once.
  const { sleep, wake: nudge } = wakeableSleep();

  async function due(limit: number): Promise<string[]> {
    const now = Date.now();
    const skip = [...inFlight.keys()];
    for (const [id, entry] of waiting) {
      // Long past its wait the failure count no longer matters (or the mail left through another process).
      if (entry.until + MAX_RETRY_WAIT_MS < now) waiting.delete(id);
      else if (entry.until > now) skip.push(id);
    }
    const rows = await db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(
        and(
          lt(mailOutbox.attempts, MAX_MAIL_ATTEMPTS),
          or(
            eq(mailOutbox.status, "pending"),
            and(eq(mailOutbox.status, "sending"), lt(mailOutbox.sentAt, new Date(now - DEAD_CLAIM_MS))),
          ),
          skip.length ? notInArray(mailOutbox.id, skip) : undefined,
        ),
      )
      .orderBy(codeMailsFirst, mailOutbox.createdAt)
      .limit(limit);
    return rows.map((row) => row.id);
  }

  async function send(id: string): Promise<void> {
    try {
      const outcome = await deliverMail(db, transport, id);
      if (outcome === "retry") {
        const failures = (waiting.get(id)?.failures ?? 0) + 1;
        waiting.set(id, {
          until: Date.now() + Math.min(settings.retryBaseMs * 2 ** (failures - 1), MAX_RETRY_WAIT_MS),
          failures,
        });
      } else if (outcome === "skipped") {
        waiting.set(id, { until: Date.now() + TAKEN_ELSEWHERE_MS, failures: waiting.get(id)?.failures ?? 0 });
      } else {
        waiting.delete(id);
      }
    } catch (error) {
      // The database failed around the send; the mail stays claimed and is taken over later.
      log.error({ outboxId: id, error: describeError(error) }, "mail: sending failed");
      waiting.set(id, { until: Date.now() + settings.retryBaseMs, failures: waiting.get(id)?.failures ?? 0 });
    }
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      const free = settings.concurrency - inFlight.size;
      if (free <= 0) {
        await Promise.race([...inFlight.values(), sleep(settings.pollMs)]);
        continue;
      }
      let ids: string[];
      try {
        ids = await due(free);
      } catch (error) {
        log.error({ error: describeError(error) }, "mail: the outbox could not be read");
        await sleep(settings.pollMs);
        continue;
      }
      if (ids.length === 0) {
        await sleep(settings.pollMs);
        continue;
      }
      for (const id of ids) {
        if (stopped) break;
        const wait = nextStart - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        nextStart = Math.max(Date.now(), nextStart) + spacingMs;
        const sending = send(id).finally(() => {
          inFlight.delete(id);
          nudge();
        });
        inFlight.set(id, sending);
      }
    }
  }

  const running = loop();
  return {
    nudge,
    async stop() {
      stopped = true;
      nudge();
      await running;
      await Promise.all(inFlight.values());
    },
  };
}
