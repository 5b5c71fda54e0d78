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
 * (`expressions`, regular-expression source read as Latin-1), searched in the same combined
 * expression as the literals. One may match across a line break (a number in a quoted CSV field
 * that holds one: a record of several lines, which `occursIn` is asked about); `lineStarts` then
 * names the line the match begins in as well, one line more to parse.
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

/**
 * A region is read as Latin-1 text in pieces of whole lines of at most this many bytes (a longer
 * line is one piece): V8 allocates a string under 128 KiB in its young generation, a longer one in
 * its large-object space, afresh each time; measured, the conversion then took about 20 times as
 * long as with 64 KiB pieces and several times as long as the search itself (ADR 0021).
 */
const PIECE = 64 << 10;

/** The end of the piece of `region` that starts at `from`: behind its last line break within PIECE bytes. */
function pieceEnd(region: Buffer, from: number): number {
  if (region.length - from <= PIECE) return region.length;
  const cut = region.lastIndexOf(NEWLINE, from + PIECE - 1);
  if (cut >= from) return cut + 1;
  const next = region.indexOf(NEWLINE, from + PIECE);
  return next === -1 ? region.length : next + 1;
}

/** A JSON `\uXXXX` escape, which can stand for any character (a digit of an address too). */
const JSON_ESCAPE = "\\\\u";

/**
 * Every IPv4-mapped IPv6 address written with its last 32 bits in hex (::ffff:a01:203,
 * 0:0:0:0:0:FFFF:0A01:0203), whichever address it is. One expression for all addresses rather than
 * one per address: such lines are rare, and V8 searched 50 addresses' dotted forms alone about
 * seven times as fast as when each brought its mapped form too (ADR 0021). "[fF][fF][fF][fF]"
 * rather than "[fF]{4}": V8 skips ahead on the former, and searched it twice as fast.
 */
const IPV4_MAPPED_HEX = "[fF][fF][fF][fF]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]";

/**
 * Any character that is not ASCII — over bytes read as Latin-1, any byte above 0x7f (the start of
 * a UTF-8 sequence, or a Latin-1 letter): a line where a normalisation the byte forms cannot follow
 * (NFKC, Unicode case folding) may turn into an identifier.
 */
export const NON_ASCII = "[^\\x00-\\x7f]";

/**
 * Expressions that few lines of a log hold but that begin with a class or an escape, which in an
 * alternation keeps V8 from skipping ahead to the literal the others begin with: a piece is first
 * searched for each of them on its own, and searched with them only when it holds one (measured
 * over 68 MiB of access log: 50 addresses' expressions 45–49 ms alone, 158–177 ms with these two
 * in the same alternation, which took 7 and 14 ms on their own; ADR 0021). A piece of ASCII text,
 * as most pieces of a log are, is so searched without the non-ASCII catch-all.
 */
const RARE = new Set([JSON_ESCAPE, IPV4_MAPPED_HEX, NON_ASCII]);

/**
 * The atoms of a regular-expression source without groups, alternatives or anchors — characters,
 * escapes and classes, each with its quantifier — or null for any other source.
 */
function atoms(source: string): string[] | null {
  const result: string[] = [];
  let i = 0;
  while (i < source.length) {
    const start = i;
    const char = source[i]!;
    if (char === "\\") {
      const next = source[i + 1];
      if (next === undefined) return null;
      i += next === "x" ? 4 : next === "u" ? 6 : 2;
    } else if (char === "[") {
      i++;
      while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
      if (i >= source.length) return null;
      i++;
    } else if ("()|^$*+?{}".includes(char)) return null;
    else i++;
    const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i));
    if (quantifier) i += quantifier[0].length;
    result.push(source.slice(start, i));
  }
  return result;
}

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  end: boolean;
}

/**
 * One alternation of `sources` whose common beginnings are written once ("203\.0{0,2}0\.0{0,2}113\.
 * 0{0,2}(?:1|2|…)" for 48 addresses of one network rather than 48 alternatives): V8 tries the
 * alternatives of an alternation one after the other at every position, a shared beginning once.
 * A source that another one begins with is dropped (a line holding the longer holds the shorter);
 * a source with groups or alternatives of its own stays a whole alternative. Null for none.
 */
function factored(sources: readonly string[]): string | null {
  const root: TrieNode = { next: new Map(), end: false };
  const whole: string[] = [];
  for (const source of sources) {
    const list = atoms(source);
    if (!list || list.length === 0) {
      whole.push(source);
      continue;
    }
    let at = root;
    for (const atom of list) {
      if (at.end) break;
      let child = at.next.get(atom);
      if (!child) at.next.set(atom, (child = { next: new Map(), end: false }));
      at = child;
    }
    at.end = true;
    at.next.clear();
  }
  const emit = (node: TrieNode): string => {
    const branches = [...node.next].map(([atom, child]) => atom + (child.end ? "" : emit(child)));
    return branches.length === 1 ? branches[0]! : `(?:${branches.join("|")})`;
  };
  const alternatives = [...(root.next.size > 0 ? [emit(root)] : []), ...whole];
  return alternatives.length > 0 ? alternatives.join("|") : null;
}

function combined(patterns: readonly Buffer[], expressions: readonly string[]): BytePatterns {
  const literals = patterns.map((p) => p.toString("latin1").replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"));
  const rare = expressions.filter((e) => RARE.has(e));
  const mainSource = factored([...literals, ...expressions.filter((e) => !RARE.has(e))]);
  const main = mainSource === null ? null : new RegExp(mainSource, "g");
  const fullSource = [mainSource, ...rare].filter((s) => s !== null).join("|");
  const full = fullSource === "" ? null : new RegExp(fullSource, "g");
  const rareTests = rare.map((e) => new RegExp(e));
  return {
    patterns,
    expressions,
    lineStarts(region) {
      const starts: number[] = [];
      for (let from = 0; from < region.length;) {
        const to = pieceEnd(region, from);
        const text = region.toString("latin1", from, to);
        const expression = rareTests.some((r) => r.test(text)) ? full : main;
        if (expression) {
          expression.lastIndex = 0;
          for (let hit = expression.exec(text); hit; hit = expression.exec(text)) {
            starts.push(from + text.lastIndexOf("\n", hit.index) + 1);
            const end = text.indexOf("\n", hit.index);
            if (end === -1) break;
            // The rest of this line cannot add a line start: go on behind it.
            expression.lastIndex = end + 1;
          }
        }
        from = to;
      }
      return starts;
    },
    occursIn(bytes) {
      if (!full) return false;
      full.lastIndex = 0;
      return full.test(bytes.toString("latin1"));
    },
  };
}

/** A regular-expression class for one ASCII character in either case ("[aA]"), or the character escaped. */
function eitherCase(char: string): string {
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  if (lower !== upper) return `[${lower}${upper}]`;
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

/**
 * The JSON spellings (`JSON.parse`, which refuses a raw control character inside a string) of one
 * ASCII character of a user name other than a control character, as an expression: every
 * character also has a `\uXXXX` spelling (`JSON_ESCAPE`); besides it, "/" has two ("/" and "\/",
 * JSON need not escape it and `JSON.stringify` does not), a quote and a backslash one each (always
 * escaped: `\"`, `\\`), a letter two (either case, since names are compared in lower case) and
 * every other character one.
 */
function jsonSpellings(char: string): string {
  if (char === "/") return "\\\\?\\/";
  if (char === '"' || char === "\\") return `\\\\${eitherCase(char)}`;
  return eitherCase(char);
}

/**
 * An expression over bytes that every line holds whose JSON string, read as the parser reads it
 * (UTF-8 or else Latin-1, JSON escapes decoded) and folded as `userNameKey` folds (NFKC, trimmed,
 * lower case), can be the user name `key`: a line of ASCII bytes without a `\u` escape decodes to
 * itself except for the short escapes (`jsonSpellings`), NFKC leaves ASCII as it is and lower case
 * changes only A–Z, so it must hold the key's characters in either case, each in one of its
 * spellings (a short escape other than `\/`, `\"` or `\\` decodes to a control character, which
 * no such key holds). Every other line — one with a byte above 0x7f (a fullwidth letter, "ª", a
 * decomposed umlaut, any Latin-1 or UTF-8 name) or a `\u` escape — is a candidate. A key that is
 * not ASCII or holds a control character (0x00–0x1f, which JSON always escapes; DEL it need not)
 * has no byte form: only those catch-alls remain, and a backslash.
 */
export function userNameExpressions(key: string): string[] {
  if (!/^[\x20-\x7f]+$/.test(key)) return ["\\\\", NON_ASCII];
  return [[...key].map(jsonSpellings).join(""), JSON_ESCAPE, NON_ASCII];
}

const hexGroup = (value: number) => [...value.toString(16)].map(eitherCase).join("");

/**
 * Expressions over bytes of which every text `normaliseIp` reads as the address `canonical` holds
 * one, or null when there is none short of every line.
 * - IPv4 a.b.c.d: its octets with up to two leading zeros each (010.001.002.003), from the first
 *   octet's own digits on (only a line is sought, not where the address begins; so the expression
 *   begins with a literal, which V8 skips to quickly), or `IPV4_MAPPED_HEX`; the dotted
 *   ::ffff:a.b.c.d form holds the dotted address.
 * - IPv6: the hexadecimal groups of its first 96 bits that are not zero, in order, in either case
 *   (leading zeros and "::" only add digits and colons between or before them; the last 32 bits
 *   may be written as a dotted IPv4 address, so they are left out). An address whose first 96
 *   bits are all zero (::1) has no such form: null.
 */
function ipExpression(canonical: string): string[] | null {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(canonical);
  if (v4) {
    const [a, b, c, d] = v4.slice(1);
    return [`${a}\\.0{0,2}${b}\\.0{0,2}${c}\\.0{0,2}${d}`, IPV4_MAPPED_HEX];
  }
  const groups = expandIpv6(canonical);
  if (!groups) return null;
  const leading = groups.slice(0, 6).filter((g) => g !== 0);
  return leading.length === 0 ? null : [leading.map(hexGroup).join("[0-9A-Fa-f:]*")];
}

/**
 * The expressions that every line naming one of the addresses `canonicals` holds (`ipExpression`
 * each, and a JSON `\u` escape, which a JSON line's parser decodes to any digit), or null when an
 * address has none short of every line: then every line must be parsed.
 */
export function ipExpressions(canonicals: readonly string[]): string[] | null {
  const expressions = canonicals.map(ipExpression);
  if (expressions.some((e) => e === null)) return null;
  return expressions.length > 0 ? [...new Set((expressions as string[][]).flat()), JSON_ESCAPE] : [];
}

/** The eight groups of an IPv6 address in RFC 5952 form (no embedded IPv4), or null. */
function expandIpv6(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2 || /[^0-9a-f:]/.test(text)) return null;
  const part = (half: string) => (half === "" ? [] : half.split(":").map((g) => parseInt(g, 16)));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const zeros = 8 - head.length - tail.length;
  if (zeros < 0 || (halves.length === 1 && zeros !== 0)) return null;
  return [...head, ...Array<number>(zeros).fill(0), ...tail];
}
