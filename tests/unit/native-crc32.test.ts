import { randomBytes } from "node:crypto";
import crc32 from "crc-32";
import { describe, expect, it } from "vitest";
import { installNativeCrc32 } from "#app/server/answers/native-crc32.server";

/** CRC-32 (IEEE 802.3) bit by bit, as the reference: slow, but obviously right. */
function referenceCrc32(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe("native CRC-32 for archiver", () => {
  it("keeps crc-32's contract: running checksums, signed results", () => {
    installNativeCrc32();
    expect(crc32.buf(Buffer.from("123456789")) >>> 0).toBe(0xcbf43926);
    expect(crc32.buf(Buffer.from("123456789"))).toBe(0xcbf43926 | 0);

    // The way crc32-stream uses it: the running value, made unsigned, fed back in.
    const pieces = [randomBytes(1), randomBytes(7_000), Buffer.alloc(0), randomBytes(5)];
    const native = pieces.reduce((sum, piece) => crc32.buf(piece, sum) >>> 0, 0);
    const reference = pieces.reduce((sum, piece) => referenceCrc32(piece, sum), 0);
    expect(native).toBe(reference);
    expect(crc32.buf([0x31, 0x32, 0x33]) >>> 0).toBe(referenceCrc32(Uint8Array.from([0x31, 0x32, 0x33])));
  });
});
