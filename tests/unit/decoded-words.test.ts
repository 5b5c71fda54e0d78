/**
 * The header view's decoding of encoded words (app/sources/record-prefilter.ts `decodedWords`):
 * where no two words are adjacent it builds the whole value's decoding from each word's own
 * instead of asking libmime's `decodeWords` for it. It must give exactly what the two decodings
 * gave before — the whole value by `decodeWords`, then each word by `decodeWord` — for any value:
 * adjacent words (joined by libmime when their charsets agree), words apart, folded white space,
 * unknown charsets, broken base64, libmime's own join marker in the text.
 */
import fc from "fast-check";
import libmime from "libmime";
import { describe, expect, it } from "vitest";
import { decodedWords } from "#app/sources/record-prefilter";

/** The decoding as it was: the whole value, then each word alone; "" when libmime throws. */
function bothDecodings(value: string): string {
  try {
    const parts = [libmime.decodeWords(value)];
    for (const [, charset, encoding, text] of value.matchAll(/=\?([\w_\-*]+)\?([QqBb])\?([^?]*)\?=/g))
      parts.push(libmime.decodeWord(charset!, encoding!, text!));
    return parts.join("\n");
  } catch {
    return "";
  }
}

const b64 = (text: string, charset: BufferEncoding) => Buffer.from(text, charset).toString("base64");

const word = fc.oneof(
  fc
    .tuple(fc.constantFrom("UTF-8", "utf-8", "utf8"), fc.string({ unit: "grapheme", maxLength: 8 }))
    .map(([charset, text]) => `=?${charset}?B?${b64(text, "utf8")}?=`),
  fc.string({ maxLength: 8 }).map((text) => `=?ISO-8859-1?b?${b64(text, "latin1")}?=`),
  fc
    .tuple(
      fc.constantFrom("UTF-8", "ISO-8859-1", "x-unknown", "utf-8*de"),
      fc.stringMatching(/^[A-Za-z0-9_=.@ ]{0,10}$/),
    )
    .map(([charset, text]) => `=?${charset}?${text.length % 2 ? "Q" : "q"}?${text.replace(/ /g, "_")}?=`),
  // Broken or odd words: bad base64, a split word, a "?" inside, the join marker libmime uses.
  fc.constantFrom(
    "=?UTF-8?B?w6?=",
    "=?UTF-8?B?w6T",
    "=?UTF-8?Q?a?b?=",
    "=?UTF-8?B??=",
    "__\x00JOIN\x00__",
    "=??B?QQ==?=",
  ),
);

const between = fc.oneof(
  fc.constantFrom("", " ", "  ", "\t", " \r\n ", ", ", " <", "> ", "@", "x"),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);

const headerValue = fc
  .array(fc.tuple(between, word), { minLength: 1, maxLength: 5 })
  .chain((pairs) => between.map((tail) => pairs.map(([gap, w]) => gap + w).join("") + tail));

describe("decodedWords", () => {
  it("gives what decodeWords of the whole value and decodeWord of each word gave, for any value", () => {
    fc.assert(
      fc.property(headerValue, (value) => {
        expect(decodedWords(value)).toBe(bothDecodings(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it("decodes words apart one by one and adjacent words as libmime joins them", () => {
    const hello = `=?UTF-8?B?${b64("Jörg", "utf8")}?=`;
    expect(decodedWords(`${hello} <a@b>`)).toBe("Jörg <a@b>\nJörg");
    // A character split over two words of one charset is whole only when they are joined.
    const [left, right] = [Buffer.from("Jö").subarray(0, 2), Buffer.from("Jö").subarray(2)];
    const split = `=?UTF-8?B?${left.toString("base64")}?= =?UTF-8?B?${right.toString("base64")}?=`;
    expect(decodedWords(split).split("\n")[0]).toBe("Jö");
  });
});
