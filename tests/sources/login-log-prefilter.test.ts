/**
 * The login log is searched in its raw bytes before a line is parsed (issue 17, point 3): the
 * person's lines are still found in every form the connector accepts — behind a syslog header,
 * with a byte-order mark or CRLF, in Latin-1, with the user name in capitals, JSON-escaped,
 * fullwidth or decomposed, under every field name, the address in each notation `normaliseIp`
 * reads — alone and in a pass shared with another search; a namesake's and a stranger's lines are
 * not, and a line without any of the person's identifiers is neither parsed nor reported.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import { createLoginLogConnector } from "#app/sources/connectors/login-log.server";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-login-prefilter-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const subject = (userNames: string[], ips: string[] = []): Subject => ({
  emails: [],
  names: [{ value: "Jörg Müller", proven: false }],
  phones: [],
  userNames: userNames.map((value) => ({ value, proven: true })),
  ips: ips.map((address) => ({ address, proven: true })),
  postalAddresses: [],
});

async function search(
  connector: SourceConnector,
  who: Subject,
): Promise<{ findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | undefined;
  for await (const f of connector.find(who, { onReport: (r) => (report = r) })) findings.push(f);
  return { findings, report: report! };
}

const line = (fields: Record<string, unknown>, prefix = "") => `${prefix}${JSON.stringify(fields)}`;
const at = "2025-10-08T10:00:00+02:00";

/** The person "JMueller" (and the umlaut account "jörg.müller") in every form, each line marked by its `n`. */
const PERSON_LINES: Buffer[] = [
  line({
    n: "plain",
    ts: at,
    user: "jmueller",
    clientIp: "192.0.2.1",
    givenName: "Jörg",
    familyName: "Müller",
  }),
  line({ n: "capitals", "@timestamp": at, username: "JMUELLER" }),
  line({ n: "userName-field", timestamp: 1759910400, userName: "JMueller" }),
  line({ n: "login-field", time: "1759910400000", login: "  jmueller " }),
  line({ n: "syslog-rfc3339", ts: at, user: "jmueller" }, "2025-10-08T10:00:00+02:00 web01 beaus[812]: "),
  line({ n: "syslog-bsd", ts: at, user: "jmueller" }, "Oct  8 10:00:00 web01 beaus: "),
  `${line({ n: "escaped", ts: at })}`.replace("}", ',"user":"\\u006a\\u006dueller"}'),
  line({ n: "fullwidth", ts: at, user: "ｊｍｕｅｌｌｅｒ" }),
  line({ n: "umlaut-utf8", ts: at, user: "Jörg.Müller" }),
  line({ n: "umlaut-decomposed", ts: at, user: "jo\u0308rg.mu\u0308ller" }),
  line({ n: "umlaut-escaped", ts: at }).replace("}", ',"user":"j\\u00f6rg.m\\u00fcller"}'),
  line({ n: "ip-v4", ts: at, client_ip: "10.1.2.3" }),
  line({ n: "ip-v4-zeros", ts: at, remoteAddr: "010.001.002.003" }),
  line({ n: "ip-v4-port", ts: at, remote_addr: "10.1.2.3:51234" }),
  line({ n: "ip-v4-mapped", ts: at, ip: "::ffff:10.1.2.3" }),
  line({ n: "ip-v4-mapped-hex", ts: at, ip: "::FFFF:0A01:0203" }),
  line({ n: "ip-v6", ts: at, clientIp: "2001:db8:85a3::8a2e:370:7334" }),
  line({ n: "ip-v6-upper", ts: at, clientIp: "2001:DB8:85A3:0:0:8A2E:370:7334" }),
  line({ n: "ip-v6-zeros", ts: at, clientIp: "[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:443" }),
  line({ n: "ip-v6-dotted", ts: at, clientIp: "2001:db8:85a3::8a2e:3.112.115.52" }),
].map((text) => Buffer.from(text, "utf8"));
const PERSON_COUNT = PERSON_LINES.length + 3;

async function writeStore(): Promise<void> {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const lines: Buffer[] = [
    Buffer.concat([bom, Buffer.from(line({ n: "bom", ts: at, user: "jmueller" }))]),
    ...PERSON_LINES,
    Buffer.from(`${line({ n: "crlf", ts: at, user: "jmueller" })}\r`),
    // Latin-1 bytes, as an old relay writes them: "jörg.müller" with ö = 0xf6, ü = 0xfc.
    Buffer.from(line({ n: "umlaut-latin1", ts: at, user: "jörg.müller" }), "latin1"),
    // A namesake: the same name, another account and address.
    Buffer.from(
      line({
        n: "namesake",
        ts: at,
        user: "jmueller2",
        clientIp: "10.1.2.30",
        givenName: "Jörg",
        familyName: "Müller",
      }),
    ),
    Buffer.from(line({ n: "stranger", ts: at, user: "mueller", clientIp: "2001:db8:85a3::8a2e:370:7335" })),
    Buffer.from(line({ n: "stranger-v4", ts: at, user: "anna", clientIp: "110.1.2.3" })),
    // Not records: one without any of his identifiers (never parsed), one with his user name (reported).
    Buffer.from("-- MARK --"),
    Buffer.from("kaputt jmueller {"),
  ];
  await writeFile(join(root, "beaus-login.log"), Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])));
}

const PERSON = subject(["JMueller", "Jörg.Müller"], ["10.1.2.3", "2001:db8:85a3::8a2e:370:7334"]);
const marks = (findings: Finding[]) => findings.map((f) => String(f.content.n)).sort();

describe("login log: the search before parsing", () => {
  it("finds the person's line in every form the connector accepts, and no namesake's or stranger's", async () => {
    await writeStore();
    const { findings, report } = await search(createLoginLogConnector("beaus-login", root), PERSON);
    expect(findings).toHaveLength(PERSON_COUNT);
    expect(marks(findings)).not.toContain("namesake");
    expect(marks(findings).filter((m) => m.startsWith("stranger"))).toEqual([]);
    expect(marks(findings)).toEqual(
      [
        ...PERSON_LINES.map((l) => JSON.parse(l.toString().slice(l.indexOf("{"))).n),
        "bom",
        "crlf",
        "umlaut-latin1",
      ].sort(),
    );
    // The line holding his user name is reported as malformed; "-- MARK --" is not his and not read.
    expect(report.malformed).toBe(1);
    expect(report.problems.map((p) => p.line)).toEqual([PERSON_COUNT + 5]);
  });

  it("finds each stranger's own lines only, alone and in one pass with the person", async () => {
    await writeStore();
    const connector = createLoginLogConnector("beaus-login", root);
    const namesake = subject(["jmueller2"]);
    expect(marks((await search(connector, namesake)).findings)).toEqual(["namesake"]);
    expect(marks((await search(connector, subject([], ["110.1.2.3"]))).findings)).toEqual(["stranger-v4"]);
    const [person, other] = await Promise.all([search(connector, PERSON), search(connector, namesake)]);
    expect(person.findings).toHaveLength(PERSON_COUNT);
    expect(marks(other.findings)).toEqual(["namesake"]);
  });

  it("parses only lines that can hold an identifier of the subject", async () => {
    await writeStore();
    // "-- MARK --" is malformed but holds nothing of anyone: a search for the namesake does not report it.
    const { report } = await search(createLoginLogConnector("beaus-login", root), subject(["jmueller2"]));
    expect(report.malformed).toBe(0);
    expect(report.problems).toEqual([]);
  });
});
