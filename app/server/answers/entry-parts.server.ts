/**
 * An archive entry's content as the answer has it after its pass: strings and buffers made after
 * the pass (heads, ends, the letter, schemas) and files the pass spooled, each with the deflated
 * copy it made on the way (answer-spool.server.ts, deflated-copy.server.ts). `deflatedEntry` gives
 * the entry as one raw deflate stream: the spooled copies as they are, the rest deflated here, an
 * empty final block at the end.
 */
import { deflateRawSync } from "node:zlib";
import { DEFLATE_SEGMENT } from "./deflated-copy.server";

/** Bytes spooled on disk (`size` of them, in `file` where there is one), with their deflated copy. */
export class SpooledPart {
  constructor(
    readonly size: number,
    readonly raw: () => AsyncIterable<Buffer>,
    readonly deflated: () => AsyncIterable<Buffer>,
    readonly file?: string,
  ) {}
}

export type EntryPart = Buffer | string | SpooledPart;
/** An entry's content: one part, or parts one after another. */
export type EntrySource = EntryPart | EntryPart[];

export function partsOf(source: EntrySource): EntryPart[] {
  return Array.isArray(source) ? source : [source];
}

/** The entry's size before compression. */
export function sizeOf(parts: EntryPart[]): number {
  let size = 0;
  for (const part of parts) size += part instanceof SpooledPart ? part.size : Buffer.byteLength(part, "utf8");
  return size;
}

/** A final fixed-Huffman block holding only its end: what closes the entry's deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * The entry as one raw deflate stream; every uncompressed byte is handed to `account` in order
 * (for the entry's CRC, SHA-256 and size), unless it is null: then the spooled bytes are not read
 * back (their sums were taken apart, entry-digest.server.ts). Parts not spooled are deflated
 * together, one segment between two spooled parts.
 */
export async function* deflatedEntry(
  parts: EntryPart[],
  account: ((bytes: Buffer) => void) | null,
): AsyncGenerator<Buffer> {
  let live: Buffer[] = [];
  // These parts are in memory and small against the spooled ones (the letter, heads, schemas):
  // deflated at once on this thread.
  function* deflateLive(): Generator<Buffer> {
    if (live.length === 0) return;
    const bytes = Buffer.concat(live);
    live = [];
    yield deflateRawSync(bytes, DEFLATE_SEGMENT);
  }
  for (const part of parts) {
    if (part instanceof SpooledPart) {
      yield* deflateLive();
      if (account) for await (const bytes of part.raw()) account(bytes);
      yield* part.deflated();
      continue;
    }
    const bytes = typeof part === "string" ? Buffer.from(part, "utf8") : part;
    if (bytes.length === 0) continue;
    account?.(bytes);
    live.push(bytes);
  }
  yield* deflateLive();
  yield FINAL_BLOCK;
}
