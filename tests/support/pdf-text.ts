import { execFileSync, spawnSync } from "node:child_process";

/** Whether poppler-utils' pdftotext is installed (CI installs it; .ci/run). */
export const hasPdftotext: boolean = spawnSync("pdftotext", ["-v"]).error === undefined;

/**
 * The text of a PDF as a reader's tool extracts it: pdftotext (poppler), fed through its standard
 * input, in the content's order (`raw`, the default), in reading order (pdftotext's own default) or
 * laid out as printed (`layout`, for tables).
 */
export function pdfText(pdf: Uint8Array, order: "raw" | "reading" | "layout" = "raw"): string {
  const flags = { raw: ["-raw"], reading: [], layout: ["-layout"] }[order];
  return execFileSync("pdftotext", [...flags, "-enc", "UTF-8", "-", "-"], { input: pdf }).toString("utf8");
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
