/**
 * A spool file's deflated copy, made while the answer's pass writes the file: its pieces go to
 * zlib on the thread pool as they are written, so compressing the archive's bulk (the JSON lines
 * and the rows of index.html and the CSV files) runs beside the pass instead of after it. The copy
 * is a raw deflate stream ended with a sync flush, not a final block: the ZIP writer puts it between
 * the file's head and end, deflated on their own, as one entry (deflated-zip.server.ts).
 */
import type { FileHandle } from "node:fs/promises";
import { constants, createDeflateRaw, type DeflateRaw } from "node:zlib";

/** Info-ZIP's `zip -6`, the benchmarks' reference. */
export const DEFLATE_LEVEL = 6;
/** zlib's output pieces (its default of 16 KiB would take many more turns of this thread). */
const DEFLATE_OUTPUT = 128 * 1024;
/** Uncompressed bytes queued for zlib before the pass waits: bounds memory when zlib falls behind. */
const QUEUED = 2 * 1024 * 1024;

/** Deflate ended with a sync flush: byte-aligned and not final, so other segments may follow it. */
export const DEFLATE_SEGMENT = {
  level: DEFLATE_LEVEL,
  chunkSize: DEFLATE_OUTPUT,
  finishFlush: constants.Z_SYNC_FLUSH,
};

export class DeflatedCopy {
  private zlib!: DeflateRaw;
  /** Each restart begins a generation; output of an earlier one is ignored. */
  private generation = 0;
  private position = 0;
  private writes: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {
    this.start();
  }

  private start(): void {
    const generation = ++this.generation;
    const zlib = createDeflateRaw(DEFLATE_SEGMENT);
    zlib.on("data", (out: Buffer) => {
      if (generation !== this.generation) return;
      const at = this.position;
      this.position += out.length;
      this.writes = this.writes.then(async () => {
        await this.handle.write(out, 0, out.length, at);
      });
      this.writes.catch((error: Error) => (this.failure ??= error));
    });
    zlib.on("error", (error) => (this.failure ??= error));
    this.zlib = zlib;
  }

  /** Hands a piece to zlib; resolves once zlib's queue is short enough again. */
  async write(piece: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.zlib.write(piece);
    if (this.zlib.writableLength > QUEUED) await new Promise((resolve) => this.zlib.once("drain", resolve));
  }

  /** Drops everything deflated so far, as the spool file does at a restart. */
  restart(): void {
    this.zlib.destroy();
    this.position = 0;
    this.start();
  }

  /** Gives the copy up (the answer failed or was discarded): zlib stops, the file is closed. */
  async discard(): Promise<void> {
    this.zlib.destroy();
    await this.writes.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }

  /** Ends the copy with a sync flush and waits until it is on disk. */
  async close(): Promise<void> {
    const zlib = this.zlib;
    await new Promise<void>((resolve, reject) => {
      zlib.once("end", resolve);
      zlib.once("error", reject);
      zlib.end();
      zlib.resume();
    });
    await this.writes;
    if (this.failure) throw this.failure;
    await this.handle.truncate(this.position);
    await this.handle.close();
  }
}
