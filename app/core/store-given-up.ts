/**
 * The reasons a store fails with when pg-boss gave up on its job (abandoned-store-jobs.server.ts):
 * the search was cut off (its worker stopped or its job expired mid-search), or it never began (the
 * job failed on every try before the store was marked running — the database was unreachable, say —
 * or no worker took it before pg-boss archived it).
 * Stored on the row in English, for logs and the audit trail; the page translates them.
 */
export type GivenUpHow = "cut-off" | "not-started";
export type GivenUp = { how: GivenUpHow; tries: number };

const REASONS: Record<GivenUpHow, { text: (tries: number) => string; pattern: RegExp }> = {
  "cut-off": {
    text: (tries) =>
      `The search was cut off ${tries} times (its worker stopped or its job expired); retry the store.`,
    pattern:
      /^The search was cut off (\d+) times \(its worker stopped or its job expired\); retry the store\.$/,
  },
  "not-started": {
    text: (tries) => `The search never began (its job was given up after ${tries} tries); retry the store.`,
    pattern: /^The search never began \(its job was given up after (\d+) tries\); retry the store\.$/,
  },
};

export function givenUpReason({ how, tries }: GivenUp): string {
  return REASONS[how].text(tries);
}

/** How the search was given up, when `error` is one of these reasons; null for any other error. */
export function givenUpOf(error: string | null | undefined): GivenUp | null {
  if (!error) return null;
  for (const how of ["cut-off", "not-started"] as const) {
    const match = REASONS[how].pattern.exec(error);
    if (match) return { how, tries: Number(match[1]) };
  }
  return null;
}
