import type { AppLoadContext } from "react-router";
import { announceMail } from "../mail/mail-jobs.server";

/**
 * The client address for per-client rate limits, if the HTTP layer provides one in the load
 * context. Forwarded-for headers are not used: anyone can write them.
 */
export function clientKeyOf(context: AppLoadContext): string | null {
  const candidate = (context as { clientIp?: unknown }).clientIp;
  return typeof candidate === "string" && candidate.length > 0 ? candidate : null;
}

/** After the transaction committed: ask for the mail to be sent now (the sweep is the fallback). */
export function sendQueuedMail(context: AppLoadContext, outboxIds: string[]): Promise<void> {
  return announceMail(context.services.jobs, outboxIds);
}
