/** What the web-log connector's tests share: a log folder per test, the person, the marks found. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { Finding, SourceConnector, Subject } from "#app/sources/connector";

/** A new folder for each test's log files (named `prefix…` in the system's temp folder, removed after the test); the getter returns the current test's. */
export function logFolderPerTest(prefix: string): () => string {
  let root: string | undefined;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    root = undefined;
  });
  return () => {
    if (!root) throw new Error("the log folder exists only during a test");
    return root;
  };
}

/** A person known only by these proven addresses. */
export const ipSubject = (...ips: string[]): Subject => ({
  emails: [],
  names: [],
  phones: [],
  userNames: [],
  postalAddresses: [],
  ips: ips.map((address) => ({ address, proven: true })),
});

/** The marks (`markOf` each finding: its line's mark) of what `connector` finds for `who`, sorted. */
export async function marksFound(
  connector: SourceConnector,
  who: Subject,
  markOf: (f: Finding) => string,
): Promise<string[]> {
  const marks: string[] = [];
  for await (const f of connector.find(who)) marks.push(markOf(f));
  return marks.sort();
}
