import { execFileSync, spawnSync } from "node:child_process";

/** Whether poppler-utils' pdftotext is installed (CI installs it; .ci/run). */
export const hasPdftotext: boolean = spawnSync("pdftotext", ["-v"]).error === undefined;

const OUTPUT_INTENTS = "/OutputIntents";

/**
 * The PDF with its catalogue's /OutputIntents key (if it has exactly one) renamed to one of the same
 * length that no reader knows, every other byte, and so every offset of the cross-reference table,
 * as written. Each time poppler (22.12) starts a page it builds a colour transform from a PDF/A
 * output intent's ICC profile (Gfx::initDisplayProfile, lcms2): of pdftotext's CPU on a three-page
 * letter ~28 of 34 ms; of `pdfinfo -struct-text`'s, which starts the page again for every structure
 * element, ~90 % (1.1 s against 0.06 s). The profile says how the colours print; the text and the
 * structure tree are the same objects in both. tests/integration/pdf-tagging proves on every run
 * that poppler reads the same text and structure from both.
 */
export function withoutOutputIntent(pdf: Uint8Array): Buffer {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const at = bytes.indexOf(OUTPUT_INTENTS, 0, "latin1");
  if (at < 0 || bytes.indexOf(OUTPUT_INTENTS, at + 1, "latin1") >= 0) return bytes;
  const copy = Buffer.from(bytes);
  copy.write("/OutputIgnored", at, "latin1");
  return copy;
}

/** pdftotext's options for each order `pdfText` offers. */
export const pdftotextOrder = { raw: ["-raw"], reading: [], layout: ["-layout"] } as const;

/**
 * The text of a PDF as a reader's tool extracts it: pdftotext (poppler), fed through its standard
 * input, in the content's order (`raw`, the default), in reading order (pdftotext's own default) or
 * laid out as printed (`layout`, for tables). It reads the PDF `withoutOutputIntent`.
 */
export function pdfText(pdf: Uint8Array, order: keyof typeof pdftotextOrder = "raw"): string {
  return execFileSync("pdftotext", [...pdftotextOrder[order], "-enc", "UTF-8", "-", "-"], {
    input: withoutOutputIntent(pdf),
  }).toString("utf8");
}

/** Every run of blanks and line breaks as one space: sentences that pdftotext broke over lines read whole. */
export const flat = (text: string): string => text.replace(/\s+/g, " ");

/**
 * A letter's running text, as one line: the page feet (reference, "Seite x von y") left out, since
 * they may fall between the lines of a sentence; a line broken after a hyphen joined without a
 * space, so that "Vor- und" and "E-Mail" compare the same wherever the line broke (`letterPhrase`
 * treats the expected text the same way).
 */
export function letterText(pdf: Uint8Array): string {
  const body = pdfText(pdf)
    .replace(/\f/g, "\n")
    .split("\n")
    .filter((line) => !/^(DSR-\d{4}-\d{6})?\s*((Seite|Page) \d+ (von|of) \d+)?$/.test(line.trim()))
    .join("\n");
  return letterPhrase(body);
}

/** A phrase as `letterText` gives it: one space for every run of blanks, none after a hyphen. */
export const letterPhrase = (text: string): string => flat(text).replace(/- /g, "-");
