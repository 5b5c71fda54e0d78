/**
 * Issue 17 (ADR 0021): a user name with a slash ("realm/jmueller", a Kerberos-style
 * principal) has no byte form in userNameExpressions, whose catch-alls are a backslash or a
 * non-ASCII byte; but JSON need not escape "/" (JSON.stringify does not), so the person's plain
 * ASCII line holds neither and is skipped before parsing.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Finding, Subject } from "#app/sources/connector";
import { createLoginLogConnector } from "#app/sources/connectors/login-log.server";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-login-review-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it("finds the login lines of a user name holding a slash", async () => {
  const who: Subject = {
    emails: [],
    names: [],
    phones: [],
    userNames: [{ value: "realm/jmueller", proven: true }],
    ips: [],
    postalAddresses: [],
  };
  const lines = [
    JSON.stringify({ ts: "2025-10-08T10:00:00+02:00", user: "realm/jmueller", event: "login" }),
    // The same name with its slash escaped ("\\/", which JSON allows): found through the backslash.
    String.raw`{"ts":"2025-10-08T10:01:00+02:00","user":"realm\/jmueller","event":"logout"}`,
    JSON.stringify({ ts: "2025-10-08T10:02:00+02:00", user: "someone", event: "login" }),
  ];
  await writeFile(join(root, "beaus-login.log"), `${lines.join("\n")}\n`);
  const findings: Finding[] = [];
  for await (const f of createLoginLogConnector("beaus-login", root).find(who)) findings.push(f);
  expect(findings.map((f) => f.content.event).sort()).toEqual(["login", "logout"]);
});
