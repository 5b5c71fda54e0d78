/**
 * Packs many small strings into UTF-8 buffers of 512 KiB on their way to the compressor: encoding
 * straight into a buffer leaves no large strings behind for the garbage collector, and zlib gets
 * pieces large enough that handing them over costs little against compressing them.
 */
const CHUNK = 512 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3;

export class ChunkWriter {
  /** Made at the first write after a piece is handed on: a writer at rest holds no piece. */
  private buffer: Buffer | null = null;
  private used = 0;
  private full: Buffer[] = [];

  write(text: string): void {
    if (text.length * MAX_BYTES_PER_UNIT > CHUNK - this.used) {
      this.flush();
      if (text.length * MAX_BYTES_PER_UNIT > CHUNK) {
        this.full.push(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.buffer ??= Buffer.allocUnsafe(CHUNK);
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  /** The pieces completed so far. */
  take(): Buffer[] {
    const pieces = this.full;
    this.full = [];
    return pieces;
  }

  /** Everything still held, the last piece included. */
  end(): Buffer[] {
    this.flush();
    return this.take();
  }

  private flush(): void {
    if (this.buffer === null || this.used === 0) return;
    this.full.push(this.buffer.subarray(0, this.used));
    this.buffer = null;
    this.used = 0;
  }
}
