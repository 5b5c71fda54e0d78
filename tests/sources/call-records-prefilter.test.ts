/**
 * The call records are searched in their raw bytes for the subject's numbers before a record is
 * parsed (issue 17, point 3): the person's records are still found in every notation an exchange
 * or a person writes, also across a quoted line break, alone and in a pass shared with another
 * search; a stranger's number that shares most digits is never let through, and a line without
 * the number is neither parsed nor reported.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import { createCallRecordConnector } from "#app/sources/connectors/call-records.server";

const PERSON = "+493619876543";
// Written as exchanges, export tools and people write it (app/sources/sample/people.ts phoneNotations and more).
const NOTATIONS = [
  "0361 9876543",
  "+49 (0)361 98-76543",
  "00493619876543",
  "(0361) 98 76 54 3",
  "+49 361 9876543",
  "0361/9876543",
  "+493619876543",
  "0361-9876543",
  "493619876543",
  "00 49 361 9876543",
  "+49 (0) 361 / 98 76 - 543",
  "tel:+49-361-9876543",
];
// Strangers: one digit more, one less, another area code with the same subscriber number.
const STRANGERS = ["+4936198765430", "0361 987654", "03621 9876543", "0049 3643 9876543"];

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-cdr-prefilter-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const subjectWith = (phone: string): Subject => ({
  emails: [],
  names: [],
  phones: [{ value: phone, proven: true }],
  userNames: [],
  ips: [],
  postalAddresses: [],
});

async function search(
  connector: SourceConnector,
  subject: Subject,
): Promise<{ findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | undefined;
  for await (const f of connector.find(subject, { onReport: (r) => (report = r) })) findings.push(f);
  return { findings, report: report! };
}

function row(n: number, external: string, result = "ANSWERED"): string {
  const quoted = result.includes("\n") ? `"${result}"` : result;
  return `2025100108${String(n).padStart(4, "0")}-${n};2025-10-01 08:${String(n % 60).padStart(2, "0")}:00;60;in;${external};+49361573635800;3635800;${quoted}`;
}

async function writeStore(): Promise<{ person: number; strangers: number }> {
  const lines = ["call_id;start;duration_s;direction;caller;callee;extension;result"];
  let n = 0;
  for (const notation of NOTATIONS) lines.push(row(++n, notation));
  // The person's call with a note over two lines: one record, found by its first line's number.
  lines.push(row(++n, "0361 9876543", "FORWARDED\nan 3635837 weitergeleitet"));
  for (const stranger of STRANGERS) lines.push(row(++n, stranger));
  // A stranger's call whose note names the person's number on its second line: parsed, not the person's.
  lines.push(row(++n, "03643 762222", "Rückruf an\n0361 9876543 erbeten"));
  // Not a record, without the number: neither parsed nor reported.
  lines.push("KAPUTT kein Datensatz 0361");
  await writeFile(join(root, "cdr-2025-10-01.csv"), `${lines.join("\n")}\n`);
  return { person: NOTATIONS.length + 1, strangers: STRANGERS.length + 1 };
}

describe("call records: the search before parsing", () => {
  it("finds the person's record in every notation, a multi-line record too, and nothing of strangers", async () => {
    const counts = await writeStore();
    const connector = createCallRecordConnector("telefon", root);
    const { findings, report } = await search(connector, subjectWith(PERSON));
    expect(findings.map((f) => f.matchedIdentifier.recordValue).sort()).toEqual(
      [...NOTATIONS, "0361 9876543"].sort(),
    );
    expect(findings).toHaveLength(counts.person);
    expect(findings.some((f) => String(f.content.result).includes("weitergeleitet"))).toBe(true);
    expect(report.malformed).toBe(0);
    expect(report.problems).toEqual([]);
  });

  it("finds each stranger's own record only, alone and in one pass with the person", async () => {
    await writeStore();
    const connector = createCallRecordConnector("telefon", root);
    for (const stranger of STRANGERS) {
      const alone = await search(connector, subjectWith(stranger));
      expect(
        alone.findings.map((f) => f.matchedIdentifier.recordValue),
        stranger,
      ).toEqual([stranger]);
    }
    const [person, stranger] = await Promise.all([
      search(connector, subjectWith(PERSON)),
      search(connector, subjectWith(STRANGERS[0]!)),
    ]);
    expect(person.findings).toHaveLength(NOTATIONS.length + 1);
    expect(stranger.findings.map((f) => f.matchedIdentifier.recordValue)).toEqual([STRANGERS[0]]);
  });

  it("parses nothing for a subject without a telephone number", async () => {
    await writeStore();
    const connector = createCallRecordConnector("telefon", root);
    const { findings, report } = await search(connector, {
      ...subjectWith(PERSON),
      phones: [],
      emails: [{ value: "someone@example.org", proven: true }],
    });
    expect(findings).toEqual([]);
    expect(report.malformed).toBe(0);
  });
});
