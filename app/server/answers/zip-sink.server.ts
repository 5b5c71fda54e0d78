/**
 * Writes archive entries one after another into a Writable, hashing each (SHA-256 of the content)
 * on the way. Two writers behind one interface:
 * - plain: archiver (ZIP, deflate level 6), deterministic — fixed entry dates, no extra timestamps;
 * - encrypted: @zip.js/zip.js, WinZip AES-256 (AE-2). archiver 8 has no way to plug in encryption
 *   (archiver-zip-encrypted needs archiver 7's format registry and internals), so the encrypted
 *   variant uses zip.js; a fresh random salt per entry makes it differ from run to run by design.
 * Entries are streamed: nothing holds a whole file, let alone the whole archive.
 */
import { createHash } from "node:crypto";
import { Readable, Transform, Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { ZipArchive } from "archiver";
import { berlinWallClockAsUtc } from "#app/core/berlin-date";
import { installNativeCrc32 } from "./native-crc32.server";

export interface ArchiveEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export type EntrySource = Buffer | string | AsyncIterable<string | Buffer>;

export interface ZipSink {
  /** Resolves when the entry is completely written. */
  add(path: string, source: EntrySource): Promise<ArchiveEntry>;
  /** Writes the central directory and ends `out`; resolves with the archive's size. */
  finish(): Promise<number>;
  /** Stops after a failure; `out` is destroyed, the partial archive is worthless. */
  abort(error: Error): void;
}

const LEVEL = 6;
/**
 * Sizes that let the content be made on this thread while zlib compresses on the thread pool
 * (measured with `npm run bench -- answer-archive`): zlib gets pieces of 512 KiB (see ChunkWriter)
 * and one piece is kept ready ahead; with zlib's default 16 KiB output buffer every piece would
 * take several round trips through this thread, each waiting for it to be free.
 */
const READ_AHEAD = 512 * 1024;
const ZLIB_OUTPUT_BUFFER = 128 * 1024;

function hashingStream(path: string, source: EntrySource): { stream: Readable; done: () => ArchiveEntry } {
  const hash = createHash("sha256");
  let bytes = 0;
  async function* pass(): AsyncGenerator<Buffer> {
    const chunks = typeof source === "string" || Buffer.isBuffer(source) ? [source] : source;
    for await (const chunk of chunks) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      if (buffer.length === 0) continue;
      hash.update(buffer);
      bytes += buffer.length;
      yield buffer;
    }
  }
  const stream = Readable.from(pass(), { objectMode: false, highWaterMark: READ_AHEAD });
  return { stream, done: () => ({ path, bytes, sha256: hash.digest("hex") }) };
}

/** The deterministic writer: same entries, same date → same bytes. */
export function plainZipSink(out: Writable, instant: Date): ZipSink {
  // ZIP entry times are wall-clock times without a zone, and archiver writes the UTC fields of the
  // date it is given: Berlin's wall clock passed as UTC shows the time the person expects, and gives
  // the same bytes on servers in any zone.
  const date = berlinWallClockAsUtc(instant);
  installNativeCrc32();
  const archive = new ZipArchive({ zlib: { level: LEVEL, chunkSize: ZLIB_OUTPUT_BUFFER } });
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    archive.on("error", (error) => reject((failure ??= error)));
    archive.on("warning", (error) => reject((failure ??= error)));
    out.on("error", (error) => reject((failure ??= error)));
  });
  failed.catch(() => undefined);
  archive.pipe(out);

  return {
    async add(path, source) {
      if (failure) throw failure;
      const { stream, done } = hashingStream(path, source);
      const written = new Promise<void>((resolve, reject) => {
        archive.once("entry", () => resolve());
        stream.once("error", reject);
      });
      archive.append(stream, { name: path, date, mode: 0o644 });
      await Promise.race([written, failed]);
      return done();
    },
    async finish() {
      await Promise.race([archive.finalize(), failed]);
      await Promise.race([finished(out, { readable: false }), failed]);
      return archive.pointer();
    },
    abort(error) {
      failure ??= error;
      archive.abort();
      out.destroy(error);
    },
  };
}

/** zip.js is loaded only when an archive is encrypted: most answers do not need it. */
export async function encryptedZipSink(out: Writable, date: Date, password: string): Promise<ZipSink> {
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
    level: LEVEL,
    lastModDate: date,
    useWebWorkers: false,
    signal: abort.signal,
  });
  return {
    async add(path, source) {
      const { stream, done } = hashingStream(path, source);
      await writer.add(path, Readable.toWeb(stream) as ReadableStream<Uint8Array>);
      return done();
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
