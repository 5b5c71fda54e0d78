/**
 * Waits until `check` holds, asking again every `everyMs`; fails with `what` after `ms`. For what
 * happens beside the test (a worker's job, a mail sender, a peer receiving mail). `what` may be a
 * function, asked on failure, to tell what was seen last.
 */
export async function until(
  what: string | (() => string),
  check: () => boolean | Promise<boolean>,
  { ms = 20_000, everyMs = 50 }: { ms?: number; everyMs?: number } = {},
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${typeof what === "string" ? what : what()}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
