/**
 * The search before parsing (app/sources/byte-patterns.ts): the combined expression — common
 * beginnings written once, the rare catch-alls (JSON escape, hex IPv4-mapped form) searched per
 * piece first — finds exactly the lines that hold one of the patterns or expressions each searched
 * on its own, for one subject and for the union of many, in regions longer than one piece.
 */
import { describe, expect, it } from "vitest";
import { userNameKey } from "#app/core/identifiers";
import { bytePatterns, ipExpressions, unitePatterns, userNameExpressions } from "#app/sources/byte-patterns";

/** Start offsets of the lines holding one of `expressions`, each searched alone. */
function naive(region: Buffer, expressions: string[]): number[] {
  const tests = expressions.map((e) => new RegExp(e));
  const starts: number[] = [];
  let at = 0;
  for (const line of region.toString("latin1").split("\n")) {
    if (tests.some((t) => t.test(line))) starts.push(at);
    at += line.length + 1;
  }
  return starts;
}

/** A pseudo-random generator, so that every run writes the same lines. */
function lcg(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

const ADDRESSES = [
  "198.51.100.23",
  "198.51.100.2",
  "10.1.2.3",
  "10.1.2.30",
  "10.1.20.3",
  ...Array.from({ length: 45 }, (_, i) => `203.0.113.${i + 1}`),
  "2001:db8::1",
  "2001:db8:0:1::5",
  "2001:db8::10",
];

/** Lines naming addresses near the subjects' (prefixes, other octets) in various notations, and noise. */
function region(seed: number): Buffer {
  const random = lcg(seed);
  const octet = () => String(random(256)).padStart(random(3) + 1, "0");
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const kind = random(10);
    const address =
      kind < 4
        ? `${[10, 198, 203, random(256)][random(4)]}.${octet()}.${octet()}.${octet()}`
        : kind < 6
          ? ADDRESSES[random(ADDRESSES.length)]!
          : kind < 7
            ? `::ffff:${random(0xffff).toString(16)}:${random(0xffff).toString(16)}`
            : kind < 8
              ? `2001:0db8:${random(3)}::${random(20).toString(16)}`
              : `${random(256)}.${random(256)}.${random(256)}.${random(256)}`;
    const escaped = random(200) === 0 ? "\\u00e9" : "";
    lines.push(
      `${address} - - [08/Oct/2025:10:00:00 +0200] "GET /${i}${escaped} HTTP/1.1" 200 ${random(99999)}`,
    );
  }
  return Buffer.from(lines.join("\n"), "latin1");
}

describe("bytePatterns", () => {
  it("finds the same lines as each expression searched alone, for one subject and for fifty", () => {
    const bytes = region(7);
    expect(bytes.length).toBeGreaterThan(3 * 64 * 1024);
    for (const subjects of [
      [["10.1.2.3"]],
      [["2001:db8::1", "10.1.2.30"]],
      ADDRESSES.map((a) => [a]),
      ADDRESSES.slice(5, 40).map((a) => [a]),
    ]) {
      const sets = subjects.map((ips) => bytePatterns([], ipExpressions(ips)!));
      const union = unitePatterns(sets);
      const expected = naive(
        bytes,
        subjects.flatMap((ips) => ipExpressions(ips)!),
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(union.lineStarts(bytes)).toEqual(expected);
      for (const [i, ips] of subjects.entries()) {
        const own = naive(bytes, ipExpressions(ips)!);
        expect(sets[i]!.lineStarts(bytes)).toEqual(own);
        for (const start of own.slice(0, 20))
          expect(sets[i]!.occursIn(bytes.subarray(start, bytes.indexOf(10, start)))).toBe(true);
      }
    }
  });

  it("keeps literal patterns, user names and a source that another one begins with", () => {
    const bytes = Buffer.from(
      "a jpmueller x\nb JPMUELLERS\nc j\u00f6rg\nd 10.1.2\nd2 10.1.2.3\ne 203.0.113.7\n",
      "latin1",
    );
    const expressions = [
      ...userNameExpressions("jpmueller"),
      ...userNameExpressions("jpmuellers"),
      "10\\.0{0,2}1\\.0{0,2}2\\.0{0,2}3",
    ];
    const patterns = [Buffer.from("203.0.113."), Buffer.from("203.0.113.7"), Buffer.from("jpm")];
    const matcher = bytePatterns(patterns, expressions);
    expect(matcher.lineStarts(bytes)).toEqual(naive(bytes, [...expressions, "203\\.0\\.113\\.", "jpm"]));
    expect(matcher.lineStarts(bytes).length).toBe(5);
  });
});

describe("userNameExpressions", () => {
  it("lets through every JSON spelling of a user name with any ASCII character, and no other name", () => {
    for (let code = 0x20; code <= 0x7f; code++) {
      const name = `Realm${String.fromCharCode(code)}JMueller`;
      const key = userNameKey(name);
      const plain = JSON.stringify({ user: name });
      const spellings = [
        plain,
        // JSON need not escape "/", but may (Jackson, PHP's json_encode do).
        plain.replaceAll("/", "\\/"),
        // Any character as a \u escape.
        `{"user":"${[...name].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"}`,
      ];
      const matcher = bytePatterns([], userNameExpressions(key));
      for (const line of spellings) {
        expect(userNameKey((JSON.parse(line) as { user: string }).user), line).toBe(key);
        expect(matcher.lineStarts(Buffer.from(line)), line).toEqual([0]);
      }
      expect(matcher.lineStarts(Buffer.from(JSON.stringify({ user: "realmjmueller" })))).toEqual([]);
    }
  });
});
