/**
 * The search before parsing: which lines of a region of raw bytes contain one of several byte
 * patterns. One subject brings a handful of patterns (the textual forms of an address); a pass
 * that serves every waiting request brings the union of all of theirs, hundreds. Patterns are
 * compared byte for byte: a line holds a pattern exactly when the line's bytes contain it.
 *
 * Few patterns are searched one by one with `Buffer.indexOf`. Many are searched in one go by V8's
 * regular-expression engine over the region read as Latin-1 (one character per byte, so a byte
 * match is a character match): an alternation of literals compiles to native code and, measured
 * over a 68 MiB access log with 100 patterns, took about as long as 10 `indexOf` passes instead of
 * 100. The Aho-Corasick packages on npm work on JavaScript strings with a Map per trie node and
 * were slower again by an order of magnitude (ADR 0021).
 *
 * Some identifiers have no one byte form: a telephone number is written with any separators
 * between its digits ("0361 98 76 54-3"). Such an identifier is an expression over bytes
 * (`expressions`, regular-expression source read as Latin-1, never matching a line break), searched
 * in the same combined expression as the literals.
 */

const NEWLINE = 0x0a;

/** Up to this many patterns, one `indexOf` per pattern is faster than the combined expression. */
const ONE_BY_ONE = 4;

export interface BytePatterns {
  /** The patterns that remain after dropping those containing another one. */
  readonly patterns: readonly Buffer[];
  /** The expressions, as given. */
  readonly expressions: readonly string[];
  /** Start offsets of the lines (ended by "\n" or the region's end) of `region` that hold a pattern, ascending. */
  lineStarts(region: Buffer): number[];
  /** Whether these bytes hold one of the patterns. */
  occursIn(bytes: Buffer): boolean;
}

/**
 * The matcher for a set of patterns and expressions. Empty patterns are ignored, and so is a
 * pattern that contains another one: a line that holds the longer one holds the shorter one too.
 */
export function bytePatterns(patterns: readonly Buffer[], expressions: readonly string[] = []): BytePatterns {
  const unique = [...new Map(patterns.filter((p) => p.length > 0).map((p) => [p.toString("latin1"), p]))];
  const kept = unique
    .filter(([text]) => !unique.some(([other]) => other !== text && text.includes(other)))
    .map(([, bytes]) => bytes);
  const ownExpressions = [...new Set(expressions)];
  return kept.length <= ONE_BY_ONE && ownExpressions.length === 0
    ? oneByOne(kept)
    : combined(kept, ownExpressions);
}

/** The union of several searches' patterns and expressions (the shared pass's). */
export function unitePatterns(sets: readonly BytePatterns[]): BytePatterns {
  return bytePatterns(
    sets.flatMap((s) => s.patterns),
    sets.flatMap((s) => s.expressions),
  );
}

function oneByOne(patterns: readonly Buffer[]): BytePatterns {
  return {
    patterns,
    expressions: [],
    lineStarts(region) {
      const starts = new Set<number>();
      for (const pattern of patterns) {
        let hit = region.indexOf(pattern);
        while (hit !== -1) {
          starts.add(region.lastIndexOf(NEWLINE, hit) + 1);
          const end = region.indexOf(NEWLINE, hit);
          if (end === -1) break;
          hit = region.indexOf(pattern, end + 1);
        }
      }
      return [...starts].sort((a, b) => a - b);
    },
    occursIn: (bytes) => patterns.some((p) => bytes.includes(p)),
  };
}

function combined(patterns: readonly Buffer[], expressions: readonly string[]): BytePatterns {
  const source = [
    ...patterns.map((p) => p.toString("latin1").replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")),
    ...expressions,
  ].join("|");
  const expression = new RegExp(source, "g");
  return {
    patterns,
    expressions,
    lineStarts(region) {
      const text = region.toString("latin1");
      const starts: number[] = [];
      expression.lastIndex = 0;
      for (let hit = expression.exec(text); hit; hit = expression.exec(text)) {
        starts.push(text.lastIndexOf("\n", hit.index) + 1);
        const end = text.indexOf("\n", hit.index);
        if (end === -1) break;
        // The rest of this line cannot add a line start: go on behind it.
        expression.lastIndex = end + 1;
      }
      return starts;
    },
    occursIn(bytes) {
      expression.lastIndex = 0;
      return expression.test(bytes.toString("latin1"));
    },
  };
}
