/**
 * Log rotation while a shared pass is under way (issue 17, ADR 0021). A search that joins a pass
 * mid-way reads the files after the pass's position first and the ones before it last; logrotate
 * between the two moves the live log's lines to a name the search has already read (beaus-login.log
 * → beaus-login.log.1) and leaves an empty file where the search reads last; a lone search meets a
 * dateext rotation renaming the live log to a name it never listed. The search must still find
 * those lines — it reads every file of the store by what it is, not by its name — or say that it
 * could not.
 */
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Finding, ScanReport, Subject } from "#app/sources/connector";
import { createLoginLogConnector } from "#app/sources/connectors/login-log.server";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-rotation-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const user = (name: string): Subject => ({
  emails: [],
  names: [],
  phones: [],
  userNames: [{ value: name, proven: true }],
  ips: [],
  postalAddresses: [],
});

const line = (name: string, event: string, minute = 0) =>
  JSON.stringify({ ts: `2025-10-08T10:${String(minute % 60).padStart(2, "0")}:00+02:00`, user: name, event });

// More lines of one search than a pass holds for it (1 000) stop the pass until it takes them.
const MANY = 1100;
const many = (name: string, event: string) =>
  Array.from({ length: MANY }, (_, i) => line(name, event, i)).join("\n") + "\n";

it("a search that joined mid-pass finds the lines logrotate moved to a file it had read", async () => {
  const log = join(root, "beaus-login.log");
  await writeFile(log, `${many("alice", "today")}${line("bob", "today")}\n`);
  await writeFile(`${log}.1`, `${line("bob", "yesterday")}\n`);
  await writeFile(`${log}.2`, many("alice", "before"));
  // The folder's change time then tells the renames from the writing (a change too close to the listing counts as one).
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const connector = createLoginLogConnector("beaus-login", root);

  // Alice's search starts the pass; it stops in beaus-login.log while her lines wait for her.
  const alice = connector.find(user("alice"))[Symbol.asyncIterator]();
  const aliceEvents: string[] = [];
  let next = await alice.next();
  // Bob's search joins: it reads .1 and .2 with alice, then beaus-login.log on the second lap.
  let bobReport: ScanReport | undefined;
  const bobFindings: Finding[] = [];
  const bob = (async () => {
    for await (const f of connector.find(user("bob"), { onReport: (r) => (bobReport = r) }))
      bobFindings.push(f);
  })();
  // Alice takes her lines until the pass is in beaus-login.log.2 (stopped there again for her).
  while (!next.done && !next.value.ref.startsWith("beaus-login.log.2:")) {
    aliceEvents.push(String(next.value.content.event));
    next = await alice.next();
  }
  expect(next.done).toBe(false);
  // logrotate: .2 → .3, .1 → .2, the live log → .1, a new empty live log.
  await rename(`${log}.2`, `${log}.3`);
  await rename(`${log}.1`, `${log}.2`);
  await rename(log, `${log}.1`);
  await writeFile(log, "");
  for (; !next.done; next = await alice.next()) aliceEvents.push(String(next.value.content.event));
  await bob;

  expect(aliceEvents).toHaveLength(2 * MANY);
  const bobEvents = bobFindings.map((f) => String(f.content.event)).sort();
  // Found, or the store is not reported as searched in full.
  if (!bobEvents.includes("today")) expect(bobReport!.problems.some((p) => p.unsearched)).toBe(true);
  expect(bobEvents).toEqual(["today", "yesterday"]);
  expect(bobReport!.problems).toEqual([]);
  await connector.close();
});

it("a lone search finds the live log's lines that a dateext rotation renamed before it was read", async () => {
  // beaus-login-01.log (another host's log) sorts before beaus-login.log and is read first.
  await writeFile(join(root, "beaus-login-01.log"), many("alice", "other host"));
  const log = join(root, "beaus-login.log");
  await writeFile(log, `${line("bob", "today")}\n`);
  const connector = createLoginLogConnector("beaus-login", root);
  const both: Subject = {
    ...user("alice"),
    userNames: [...user("alice").userNames, ...user("bob").userNames],
  };
  let report: ScanReport | undefined;
  const search = connector.find(both, { onReport: (r) => (report = r) })[Symbol.asyncIterator]();
  const events: string[] = [];
  // The pass stops in beaus-login-01.log while the search's lines wait for it.
  let next = await search.next();
  await rename(log, `${log}-20251008`);
  await writeFile(log, "");
  for (; !next.done; next = await search.next()) events.push(String(next.value.content.event));
  expect(events.filter((e) => e === "today")).toEqual(["today"]);
  expect(events).toHaveLength(MANY + 1);
  expect(report!.problems).toEqual([]);
  await connector.close();
});
