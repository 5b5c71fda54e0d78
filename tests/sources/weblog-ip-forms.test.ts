/**
 * The web log is searched in its raw bytes before a line is parsed (ADR 0021): a line naming the
 * person's address is found in every notation the connector's parser reads (`normaliseIp`) — with
 * leading zeros, IPv4-mapped in hex, IPv6 with zero-padded groups or a dotted tail, behind a port
 * or a zone, in X-Forwarded-For, JSON-escaped — in a plain and in a gzip file, alone and in one
 * pass shared with strangers; a stranger whose address shares a prefix with the person's
 * (10.1.2.30, 2001:db8::10) gets none of the person's lines, and the person none of theirs.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Finding, SourceConnector, Subject } from "#app/sources/connector";
import { createAccessLogConnector } from "#app/sources/connectors/weblog.server";
import { ipSubject as subject, logFolderPerTest, marksFound } from "./weblog-support";

const root = logFolderPerTest("rp-weblog-ip-forms-");
/** The marks (request paths "/<mark>") of the lines found for `who`. */
const search = (connector: SourceConnector, who: Subject) => marksFound(connector, who, markOf);
const markOf = (f: Finding) => String(f.content.request).split(" ")[1]!.slice(1);

const combined = (address: string, mark: string, after = "") =>
  `${address} - - [08/Oct/2025:10:00:00 +0200] "GET /${mark} HTTP/1.1" 200 512 "-" "Mozilla/5.0"${after}`;
const json = (addressJson: string, mark: string) =>
  `{"time_local":"08/Oct/2025:10:00:00 +0200","remote_addr":${addressJson},"request":"GET /${mark} HTTP/1.1","status":200}`;

/** The person's addresses 10.1.2.3 and 2001:db8::1, each line in another notation. */
const PERSON_LINES: [mark: string, line: string][] = [
  ["v4", combined("10.1.2.3", "v4")],
  ["v4-zeros", combined("010.001.002.003", "v4-zeros")],
  ["v4-some-zeros", combined("10.001.2.03", "v4-some-zeros")],
  ["v4-port", combined("10.1.2.3:51234", "v4-port")],
  ["v4-zone", combined("10.1.2.3%eth0", "v4-zone")],
  ["v4-mapped", combined("::ffff:10.1.2.3", "v4-mapped")],
  ["v4-mapped-zeros", combined("::ffff:010.001.002.003", "v4-mapped-zeros")],
  ["v4-mapped-hex", combined("::ffff:a01:203", "v4-mapped-hex")],
  ["v4-mapped-hex-upper", combined("::FFFF:0A01:0203", "v4-mapped-hex-upper")],
  ["v4-mapped-hex-long", combined("0:0:0:0:0:ffff:a01:203", "v4-mapped-hex-long")],
  ["v4-mapped-hex-port", combined("[::ffff:0a01:0203]:443", "v4-mapped-hex-port")],
  ["v4-forwarded", combined("203.0.113.9", "v4-forwarded", ' "198.51.100.7, 010.001.002.003"')],
  ["v4-json-escaped", json('"\\u0031\\u0030.1.2.3"', "v4-json-escaped")],
  ["v4-json-mapped-hex", json('"::ffff:a01:203"', "v4-json-mapped-hex")],
  ["v6", combined("2001:db8::1", "v6")],
  ["v6-upper", combined("2001:DB8::1", "v6-upper")],
  ["v6-some-zeros", combined("2001:0db8::0001", "v6-some-zeros")],
  ["v6-mixed-zeros", combined("2001:0DB8:0:0::01", "v6-mixed-zeros")],
  ["v6-full", combined("2001:0db8:0000:0000:0000:0000:0000:0001", "v6-full")],
  ["v6-uncompressed", combined("2001:db8:0:0:0:0:0:1", "v6-uncompressed")],
  ["v6-bracket-port", combined("[2001:db8::1]:443", "v6-bracket-port")],
  ["v6-zone", combined("2001:db8::1%eth0", "v6-zone")],
  ["v6-dotted", combined("2001:db8::0.0.0.1", "v6-dotted")],
  ["v6-forwarded", combined("203.0.113.9", "v6-forwarded", ' xff="2001:0db8::0001"')],
];

/** Strangers whose addresses begin like the person's. */
const STRANGER_LINES: [mark: string, line: string][] = [
  ["s-v4", combined("10.1.2.30", "s-v4")],
  ["s-v4-zeros", combined("010.001.002.030", "s-v4-zeros")],
  ["s-v4-mapped-hex", combined("::ffff:a01:21e", "s-v4-mapped-hex")],
  ["s-v6", combined("2001:db8::10", "s-v6")],
  ["s-v6-zeros", combined("2001:0db8::0010", "s-v6-zeros")],
];

const PERSON = subject("10.1.2.3", "2001:db8::1");
const personMarks = PERSON_LINES.map(([mark]) => mark).sort();

/** Every line twice: in access.log and in the gzip rotation access.log.2.gz (marked "-gz"). */
async function writeStore(): Promise<void> {
  const lines = (suffix: string) =>
    [...PERSON_LINES, ...STRANGER_LINES, ["other", combined("192.0.2.44", "other")] as const]
      .map(([mark, line]) => `${line.replace(`/${mark} `, `/${mark}${suffix} `)}\n`)
      .join("");
  await writeFile(join(root(), "access.log"), lines(""));
  await writeFile(join(root(), "access.log.2.gz"), gzipSync(lines("-gz")));
}
const inBoth = (marks: string[]) => marks.flatMap((m) => [m, `${m}-gz`]).sort();

describe("web log: the search before parsing reads every notation of an address", () => {
  it("finds the person's line in every notation, plain and gzip, and no stranger's", async () => {
    await writeStore();
    const connector = createAccessLogConnector("web", root());
    expect(await search(connector, PERSON)).toEqual(inBoth(personMarks));
    await connector.close();
  });

  it("finds each stranger's own lines only, alone and in one pass with the person", async () => {
    await writeStore();
    const connector = createAccessLogConnector("web", root());
    const v4 = inBoth(["s-v4", "s-v4-zeros", "s-v4-mapped-hex"]);
    const v6 = inBoth(["s-v6", "s-v6-zeros"]);
    expect(await search(connector, subject("10.1.2.30"))).toEqual(v4);
    expect(await search(connector, subject("2001:db8::10"))).toEqual(v6);
    // Started together, the three searches share one pass over each file.
    const [person, strangerV4, strangerV6] = await Promise.all([
      search(connector, PERSON),
      search(connector, subject("10.1.2.30")),
      search(connector, subject("2001:db8::10")),
    ]);
    expect(person).toEqual(inBoth(personMarks));
    expect(strangerV4).toEqual(v4);
    expect(strangerV6).toEqual(v6);
    await connector.close();
  });

  it("reads every line for an address without a byte form of its own (::1)", async () => {
    await writeFile(
      join(root(), "access.log"),
      [combined("0:0:0:0:0:0:0:1", "loopback"), combined("::0:1", "loopback-zeros"), combined("::2", "x")]
        .map((l) => `${l}\n`)
        .join(""),
    );
    const connector = createAccessLogConnector("web", root());
    expect(await search(connector, subject("::1"))).toEqual(["loopback", "loopback-zeros"]);
    await connector.close();
  });
});
