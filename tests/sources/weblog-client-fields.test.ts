/**
 * Which text counts as the person's address (issue 17; ADR 0021). `normaliseIp` reads IPv4 only
 * as logs write it — a dotted quad of decimal parts, leading zeros decimal — and refuses the other
 * inet_aton spellings (one integer, fewer parts, hex or octal parts), which the search before
 * parsing does not look for. And the web log counts an address in a later field only where it is
 * the client's (a quoted or key=value forwarded-for list), not a number, a duration or the proxy's
 * upstream: a stranger's line that names the person's address only in its request and carries such
 * a field was, before, the person's finding — another person's data in the answer.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normaliseIp } from "#app/core/identifiers";
import type { Finding, SourceConnector, Subject } from "#app/sources/connector";
import { createAccessLogConnector, parseAccessLine } from "#app/sources/connectors/weblog.server";
import { ipSubject as subject, logFolderPerTest, marksFound } from "./weblog-support";

describe("normaliseIp reads IPv4 as logs write it and nothing else", () => {
  it("reads dotted quads of decimal parts, leading zeros decimal, alone and as an IPv6 tail", () => {
    expect(normaliseIp("10.1.2.3")).toBe("10.1.2.3");
    expect(normaliseIp("010.001.002.003")).toBe("10.1.2.3");
    // Before, 012 was decimal (12) but 0012 octal (10): one rule now, three digits at most.
    expect(normaliseIp("012.1.2.3")).toBe("12.1.2.3");
    expect(normaliseIp("::ffff:012.001.002.003")).toBe("12.1.2.3");
    expect(normaliseIp("::ffff:a01:203")).toBe("10.1.2.3");
    expect(normaliseIp("2001:db8::0.0.0.1")).toBe("2001:db8::1");
    expect(normaliseIp("[::ffff:10.1.2.3]:443")).toBe("10.1.2.3");
  });

  it("refuses one integer, short forms, hex and octal parts and over-long parts, alone and as an IPv6 tail", () => {
    for (const text of [
      "167838211", // 10.1.2.3 as one integer
      "0xa010203",
      "0xa.1.2.3",
      "10.1.515", // 10.1.2.3 in three parts
      "10.66051", // 10.1.2.3 in two parts
      "10.258", // 10.0.1.2: a request time of ten seconds
      "0.042",
      "0012.1.2.3", // octal 10.1.2.3 before
      "10.1.2.0003",
      "256.1.2.3",
      "::ffff:0xa.1.2.3",
      "::ffff:0012.1.2.3",
      "::ffff:10.1.515",
      "::10.1.2.256",
    ])
      expect(normaliseIp(text), text).toBeNull();
  });
});

const root = logFolderPerTest("rp-weblog-client-fields-");
const search = (connector: SourceConnector, who: Subject) => marksFound(connector, who, markOf);
/** The mark of a line: its request path's first segment. */
const markOf = (f: Finding) => String(f.content.request).split(" ")[1]!.split(/[/?]/)[1]!;

const line = (remote: string, path: string, after: string) =>
  `${remote} - - [08/Oct/2025:10:00:00 +0200] "GET ${path} HTTP/1.1" 200 512 "-" "curl/8.0"${after}`;

/** Three persons; each stranger's line names one of their addresses in its request only (so the search before parsing passes it) and carries a field that is not the client's address. */
const A = "10.1.2.3";
const B = "10.0.1.2";
const C = "10.80.1.5";

const STRANGERS: [mark: string, text: string][] = [
  // nginx's $connection (a serial number): 167838211 is 10.1.2.3 as one integer.
  ["s-integer", line("203.0.113.9", "/s-integer?whois=10.1.2.3", " 167838211")],
  // $request_time of ten seconds: "10.258" is 10.0.1.2 in two parts.
  ["s-duration", line("203.0.113.9", "/s-duration/10.0.1.2", ' 10.258 "-"')],
  ["s-duration-key", line("203.0.113.9", "/s-duration-key/10.0.1.2", ' rt=10.258 uct="10.258"')],
  // The proxy's $upstream_addr (bare, with its port): the server side, here a host named C.
  ["s-upstream", line("203.0.113.9", "/s-upstream", ' 0.012 10.80.1.5:8080 "198.51.100.7"')],
  ["s-upstreams", line("203.0.113.9", "/s-upstreams", ' 0.012 10.80.1.6:8080, 10.80.1.5:8080 "-"')],
  ["s-upstream-key", line("203.0.113.9", "/s-upstream-key", ' upstream_addr=10.80.1.5:8080 xff="-"')],
  ["s-server-key", line("203.0.113.9", "/s-server-key", " server_addr=10.80.1.5")],
  // An address in a notation no log writes, beside a catch-all of the search before parsing.
  [
    "s-octal",
    `{"remote_addr":"0012.1.2.3","request":"GET /s-octal/caf\\u00e9 HTTP/1.1","time_local":"08/Oct/2025:10:00:00 +0200","status":200}`,
  ],
  ["s-hex-xff", line("203.0.113.9", "/s-hex-xff/10.1.2.3", ' "0xa.1.2.3"')],
];

/** The persons' own lines: as the client, in a quoted forwarded-for list (with a port too) and in xff=. */
const PERSONS: [mark: string, text: string][] = [
  ["a-remote", line(A, "/a-remote", " 167838211")],
  ["a-forwarded", line("203.0.113.9", "/a-forwarded", ' 0.012 10.80.1.6:8080 "198.51.100.7, 10.1.2.3"')],
  ["b-forwarded-port", line("203.0.113.9", "/b-forwarded-port", ' "10.0.1.2:51234"')],
  ["b-key", line("203.0.113.9", "/b-key", ' rt=10.258 xff="010.000.001.002"')],
  ["c-forwarded", line("203.0.113.9", "/c-forwarded", ' 0.012 10.80.1.6:8080 "10.80.1.5"')],
];

describe("web log: only the client's address finds a line", () => {
  it("parses durations, serial numbers and the upstream as no client address", () => {
    expect(parseAccessLine(STRANGERS[0]![1])!.forwardedFor).toEqual([]);
    expect(parseAccessLine(STRANGERS[1]![1])!.forwardedFor).toEqual([]);
    expect(parseAccessLine(STRANGERS[3]![1])!.forwardedFor).toEqual(["198.51.100.7"]);
    expect(parseAccessLine(PERSONS[1]![1])!.forwardedFor).toEqual(["198.51.100.7", "10.1.2.3"]);
    expect(parseAccessLine(PERSONS[2]![1])!.forwardedFor).toEqual(["10.0.1.2:51234"]);
  });

  it("gives each person their own lines and no stranger's, alone and in one shared pass", async () => {
    await writeFile(join(root(), "access.log"), [...STRANGERS, ...PERSONS].map(([, t]) => `${t}\n`).join(""));
    const connector = createAccessLogConnector("web", root());
    const expected = {
      [A]: ["a-forwarded", "a-remote"],
      [B]: ["b-forwarded-port", "b-key"],
      [C]: ["c-forwarded"],
    };
    for (const [ip, marks] of Object.entries(expected))
      expect(await search(connector, subject(ip)), ip).toEqual(marks);
    const shared = await Promise.all([A, B, C, "203.0.113.9"].map((ip) => search(connector, subject(ip))));
    expect(shared.slice(0, 3)).toEqual([expected[A], expected[B], expected[C]]);
    // The client 203.0.113.9 has every line it sent, whoever else it names.
    expect(shared[3]).toEqual(
      [...STRANGERS, ...PERSONS]
        .filter(([, text]) => text.startsWith("203.0.113.9 "))
        .map(([mark]) => mark)
        .sort(),
    );
    await connector.close();
  });
});
