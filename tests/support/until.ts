/**
 * Waits until `check` holds, asking again every `everyMs`; fails with `what` after `ms`. For what
 * happens beside the test (a worker's job, a mail sender, a peer receiving mail).
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  { ms = 20_000, everyMs = 50 }: { ms?: number; everyMs?: number } = {},
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
