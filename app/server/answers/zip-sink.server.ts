/**
 * Writes archive entries one after another into a Writable, hashing each (SHA-256 of the content)
 * on the way, or taking its sums from the digest thread (entry-digest.server.ts). Both writers take
 * every entry as one deflate stream (entry-parts.server.ts), whose bulk the answer's pass deflated
 * already:
 * - plain: our own headers (deflated-zip.server.ts), deterministic — fixed entry dates, no extra
 *   timestamps;
 * - encrypted: @zip.js/zip.js, WinZip AES-256 (AE-2), given the deflated data to encrypt
 *   (`passThrough: "compressed"`); a fresh random salt per entry makes it differ from run to run
 *   by design.
 * Entries are streamed: nothing holds a whole file, let alone the whole archive.
 */
import { createHash } from "node:crypto";
import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DEFLATE_LEVEL } from "./deflated-copy.server";
import { type EntryDigest, entryDigest } from "./entry-digest.server";
import { deflatedEntry, partsOf, sizeOf, type EntrySource } from "./entry-parts.server";

export interface ArchiveEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ZipSink {
  /**
   * Resolves when the entry is completely written. With `digest`, the entry's size, CRC and SHA-256
   * come from there and its spooled parts are not read back (entry-digest.server.ts).
   */
  add(path: string, source: EntrySource, digest?: Promise<EntryDigest | null>): Promise<ArchiveEntry>;
  /** Writes the central directory and ends `out`; resolves with the archive's size. */
  finish(): Promise<number>;
  /** Stops after a failure; `out` is destroyed, the partial archive is worthless. */
  abort(error: Error): void;
}

/**
 * Where a plain archive's entry lies in its bytes, reported as it is written: what re-wrapping a
 * stored archive's deflated entries needs (delivery/stored-archive.server.ts).
 */
export interface DeflatedEntryInfo {
  name: string;
  /** Offset of the entry's deflated data, after its local header. */
  offset: number;
  compressed: number;
  size: number;
  crc: number;
}

/** The encrypted writer also takes entries deflated already, e.g. from a stored plain archive. */
export interface EncryptedZipSink extends ZipSink {
  /** Adds an entry from its complete raw deflate stream and its size before compression. */
  addDeflated(path: string, deflated: AsyncIterable<Buffer>, uncompressedSize: number): Promise<void>;
}

const DEFLATED = 8;

/** zip.js is loaded only when an archive is encrypted: most answers do not need it. */
export async function encryptedZipSink(
  out: Writable,
  date: Date,
  password: string,
): Promise<EncryptedZipSink> {
  const { ZipWriter } = await import("@zip.js/zip.js");
  let total = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      callback(null, chunk);
    },
  });
  const piped = pipeline(counting, out);
  piped.catch(() => undefined);
  const abort = new AbortController();
  const writer = new ZipWriter(Writable.toWeb(counting), {
    password,
    encryptionStrength: 3,
    level: DEFLATE_LEVEL,
    lastModDate: date,
    useWebWorkers: false,
    signal: abort.signal,
  });
  async function addDeflated(path: string, deflated: AsyncIterable<Buffer>, uncompressedSize: number) {
    // AE-2 stores no CRC (it would tell about the content), so only the size is needed ahead.
    await writer.add(path, Readable.toWeb(Readable.from(deflated)) as ReadableStream<Uint8Array>, {
      passThrough: "compressed",
      compressionMethod: DEFLATED,
      uncompressedSize,
    });
  }
  return {
    addDeflated,
    async add(path, source, digest) {
      const parts = partsOf(source);
      const size = sizeOf(parts);
      if (digest) {
        await addDeflated(path, deflatedEntry(parts, null), size);
        return { path, bytes: size, sha256: (await entryDigest(digest, path, parts)).sha256 };
      }
      const hash = createHash("sha256");
      let bytes = 0;
      const deflated = deflatedEntry(parts, (piece) => {
        hash.update(piece);
        bytes += piece.length;
      });
      await addDeflated(path, deflated, size);
      return { path, bytes, sha256: hash.digest("hex") };
    },
    async finish() {
      await writer.close();
      await piped;
      return total;
    },
    abort(error) {
      abort.abort(error);
      counting.destroy(error);
      out.destroy(error);
    },
  };
}
