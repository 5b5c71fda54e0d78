/** The reason a store failed with when pg-boss gave up on its job (abandoned-store-jobs.server.ts). */
const REASON =
  /^The search was cut off (\d+) times \(its worker stopped or its job expired\); retry the store\.$/;

/** The reason stored on the row (English, for logs and the audit trail); the page translates it. */
export function cutOffReason(tries: number): string {
  return `The search was cut off ${tries} times (its worker stopped or its job expired); retry the store.`;
}

/** How many tries were cut off, when `error` is that reason; null for any other error. */
export function cutOffTries(error: string | null | undefined): number | null {
  const match = error ? REASON.exec(error) : null;
  return match ? Number(match[1]) : null;
}
