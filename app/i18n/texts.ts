/**
 * The texts of a closed vocabulary (case statuses, channels, identifier kinds, a page's error codes):
 * one text per word. Written as `textsOf<Word>({ … })` — or `textsOf({ … })` where the catalogue's
 * own words are the vocabulary — a missing word and an extra one are compile errors, and because
 * `Texts` holds its words invariantly, the English catalogue must have exactly the German words
 * (ADR 0004). A reader holding a plain string, such as a value read from a form, may still look it
 * up and then gets `string | undefined`, not a text that may be missing.
 */
declare const words: unique symbol;

export type Texts<K extends string> = Readonly<Record<K, string>> & {
  readonly [word: string]: string | undefined;
  /** Never present: makes `Texts<A>` and `Texts<B>` incompatible unless A and B are the same words. */
  readonly [words]?: (word: K) => K;
};

export function textsOf<K extends string>(texts: Readonly<Record<K, string>>): Texts<K> {
  return texts;
}
