import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "#app/core/canonical-json";
import type { ReleasedFinding } from "#app/server/answers/answer-input";
import { contentHashOf } from "#app/server/gather/gather.server";
import { generatedFindings } from "#scripts/bench/archive-person";

// The hashes reviews were bound to were made with the `canonicalize` package: ours must give the same text.
describe("canonical JSON", () => {
  it("is the canonicalize package's text for the content of every store kind the benchmark person has", () => {
    const findings = [...(generatedFindings(3000).list() as Iterable<ReleasedFinding>)];
    expect(new Set(findings.map((f) => f.storeKind)).size).toBeGreaterThanOrEqual(7);
    for (const finding of findings)
      expect(canonicalJson(finding.content)).toBe(canonicalize(finding.content));
  });

  it("is the package's text at the edges: key order by code units, escapes, numbers, nesting", () => {
    const cases: unknown[] = [
      { b: 1, a: 2, A: 3, "": 4, ä: 5, "\u{1F600}": 6, "\uFB01": 7, "10": 8, "9": 9 },
      { s: 'quote " backslash \\ tab \t newline \n nul \u0000 del \u007f line-sep \u2028 emoji \u{1F600}' },
      { n: [0, -0, 1.5, -1e-7, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER] },
      { deep: { z: [{ y: null, x: [true, false, []] }, {}], a: { c: { b: "x" } } } },
      { skipped: undefined, kept: null, list: [undefined, 1] },
      { at: new Date("2025-11-20T10:00:00.123Z") },
      [],
      "text",
      42,
      null,
      true,
    ];
    for (const value of cases) expect(canonicalJson(value)).toBe(canonicalize(value));
    expect(canonicalJson(undefined)).toBeUndefined();
  });

  it("refuses what has no canonical form, as the package does", () => {
    for (const value of [
      { a: Number.NaN },
      { a: Number.POSITIVE_INFINITY },
      { a: "x\uD800" },
      { "\uDC00": 1 },
    ]) {
      expect(() => canonicalize(value)).toThrow();
      expect(() => canonicalJson(value)).toThrow();
    }
  });

  it("gives the content hash the package's text gave", () => {
    const content = {
      table: "article",
      to_addr: "erika@example.org",
      body: "Grüße\n",
      n: [1, { b: 2, a: 1 }],
    };
    expect(contentHashOf(content)).toBe(createHash("sha256").update(canonicalize(content)!).digest("hex"));
  });
});
