/**
 * The fold of the search before parsing (app/sources/record-prefilter.ts `foldForSearch`) folds
 * the ASCII stretches of a text on their own and sends only the runs of other characters, with
 * the ASCII character before each, through nameKey. It must give what nameKey gives for the
 * whole text — the rule the subject's keys are folded by — for every text: a run cut at a wrong
 * place (before a combining mark, inside a surrogate pair, without the letter a mark composes
 * with) would fold differently and the search could skip a record that names the person.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nameKey } from "#app/core/identifiers";
import { foldForSearch } from "#app/sources/record-prefilter";

/**
 * The whole text through nameKey, as the fold was computed before it went piece by piece: commas
 * taken out, so that nameKey does not turn "Last, First" round. Taken out after NFKC, which makes
 * commas of other characters (a fullwidth comma): the fold is character by character.
 */
function wholeFold(text: string): string {
  return nameKey(text.normalize("NFKC").replace(/,/g, " ")).replace(/ /g, "");
}

/** Characters where a fold cut at the wrong place would differ. */
const TRICKY = [
  ..."aAeEoOuUsSzZ0 9,.-_'`@<>=?\n\t",
  "\u0301", // combining acute: composes with the letter before it (e + ́ = é)
  "\u0308", // combining diaeresis: u + ̈ = ü, which folds to "ue", not "u"
  "\u0327", // combining cedilla
  "\u0323", // combining dot below, reordered before the acute by NFKC
  "\u200d", // zero width joiner
  "\u00b4", // acute accent (spacing): NFKC makes it a space and a combining acute
  "ä",
  "Ö",
  "ü",
  "ß",
  "ẞ",
  "é",
  "Ł",
  "ø",
  "æ",
  "\u00a0", // no-break space
  "\u00bd", // ½
  "ﬁ", // ligature fi
  "ﬀ",
  "Ａ", // fullwidth A
  "ｍ",
  "１",
  "＠",
  "，", // fullwidth comma: NFKC makes it ","
  "\u{1f101}", // digit zero comma: NFKC makes it "0,"
  "’", // right single quotation mark (an apostrophe)
  "´",
  "Σ",
  "ς",
  "İ",
  "K", // Kelvin sign: NFKC makes it K
  "ﾊﾟ", // halfwidth katakana and semi-voiced mark: compose under NFKC
  "ᄀ", // Hangul leading consonant, composes with the vowel after it
  "ᅡ",
  "ᆨ",
  "가",
  "東",
  "京",
  "😀",
  "\ud83d", // a lone high surrogate
  "\ude00", // a lone low surrogate
  "ŉ",
  "ǅ",
];

const trickyText = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: "grapheme", maxLength: 3 })), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

describe("foldForSearch", () => {
  it("folds as nameKey folds the whole text, for texts of letters, marks, ligatures, widths and scripts", () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        expect(foldForSearch(text)).toBe(wholeFold(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it("folds as nameKey folds the whole text, for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        expect(foldForSearch(text)).toBe(wholeFold(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it("keeps a mark with the letter before it, and folds the commas NFKC makes like any other", () => {
    expect(foldForSearch("Mu\u0308ller")).toBe("mueller");
    expect(foldForSearch("=?x?= Jo\u0308rg <jo\u0308rg@example.org>")).toBe("xjoergjoergexampleorg");
    expect(foldForSearch("Straße, STRASSE, Strasse")).toBe("strassestrassestrasse");
    expect(foldForSearch("ＭＡＸ．Ｍｕｓｔｅｒｍａｎｎ，ｘ")).toBe("maxmustermannx");
    expect(foldForSearch("ﬁscher’s café")).toBe("fischerscafe");
  });

  it("is the same whether a text is folded whole or as its pieces split before ASCII characters", () => {
    fc.assert(
      fc.property(trickyText, trickyText, fc.constantFrom(..."aZ9 ,\n"), (left, right, ascii) => {
        expect(foldForSearch(`${left}${ascii}${right}`)).toBe(
          foldForSearch(left) + foldForSearch(`${ascii}${right}`),
        );
      }),
      { numRuns: 5_000 },
    );
  });
});
