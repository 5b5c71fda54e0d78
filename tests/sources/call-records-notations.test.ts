/**
 * Issue 17 (ADR 0021): the call records' search before parsing lets through every notation
 * `normalisePhone` reads: digits in full width (NFKC makes them ASCII), more than six separators
 * between two digits and an RFC 3966 phone context (its digits come first) were skipped before
 * parsing, and a record of the person in such a form was not found.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Finding, Subject } from "#app/sources/connector";
import { createCallRecordConnector } from "#app/sources/connectors/call-records.server";
import { compileSubject } from "#app/sources/subject";

const NOTATIONS = [
  "０３６１ ９８７６５４３",
  "0361 - - - - - - - 9876543",
  "tel:9876543;phone-context=+49361",
];

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-cdr-review-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const subject: Subject = {
  emails: [],
  names: [],
  phones: [{ value: "+493619876543", proven: true }],
  userNames: [],
  ips: [],
  postalAddresses: [],
};

it("finds the person's call records in every notation the matcher reads", async () => {
  // The matcher itself reads both as the person's number.
  for (const n of NOTATIONS) expect(compileSubject(subject).phone(n), n).not.toBeNull();
  const lines = ["call_id;start;duration_s;direction;caller;callee;extension;result"];
  NOTATIONS.forEach((n, i) =>
    lines.push(`20251001080${i}-${i};2025-10-01 08:0${i}:00;60;in;"${n}";+49361573635800;3635800;ANSWERED`),
  );
  await writeFile(join(root, "cdr-2025-10-01.csv"), `${lines.join("\n")}\n`);
  const connector = createCallRecordConnector("telefon", root);
  const findings: Finding[] = [];
  for await (const f of connector.find(subject)) findings.push(f);
  expect(findings.map((f) => f.matchedIdentifier.recordValue).sort()).toEqual([...NOTATIONS].sort());
});
