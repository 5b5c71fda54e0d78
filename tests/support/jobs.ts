import type { Jobs } from "#app/server/jobs/index.server";

/**
 * The queueing of a gathering for tests and benches that run its store jobs by hand, so each step is
 * seen: nothing reaches pg-boss; what would have been queued is kept in `sent`, in order.
 */
export function queuedByHand(sent: object[] = []): Pick<Jobs, "sendWithin" | "wake"> {
  return {
    async sendWithin(_tx, _queue, data) {
      sent.push(data);
      return "queued-by-hand";
    },
    wake() {},
  };
}
