import { Writable } from "node:stream";

/** A Writable that keeps what is written to it, for writers tested without a file. */
export function collectedBytes(): { out: Writable; bytes(): Buffer<ArrayBuffer> } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}
