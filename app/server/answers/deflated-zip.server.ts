/**
 * The plain archive's writer: each entry is its parts' deflate streams one after another
 * (entry-parts.server.ts), most of them deflated on the answer's pass already. Neither archiver nor
 * zip.js takes deflated data with its CRC and sizes for a plain deflated entry, so the headers are
 * written here, laid out as archiver laid them out before (Unix 4.5, data descriptor with
 * signature, no extra fields, -rw-r--r--). Deterministic: the same entries and date give the same
 * bytes. Without ZIP64: an entry or archive beyond 4 GiB is refused.
 */
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { berlinWallClockAsUtc } from "#app/core/berlin-date";
import { EntrySums, entryDigest } from "./entry-digest.server";
import { deflatedEntry, partsOf } from "./entry-parts.server";
import type { DeflatedEntryInfo, ZipSink } from "./zip-sink.server";

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Unix, ZIP 4.5: as archiver writes it. */
const VERSION_MADE_BY = 0x032d;
const VERSION_NEEDED = 20;
/** CRC and sizes follow the data (bit 3). */
const FLAGS = 0x0008;
const DEFLATED = 8;
/** -rw-r--r-- and MS-DOS's archive bit. */
const EXTERNAL_ATTRIBUTES = ((0o100644 << 16) | 0x20) >>> 0;
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time from the UTC fields (Berlin's wall clock passed as UTC, see plain archives). */
function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    day: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function localHeader(entry: Written, time: number, day: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(FLAGS, 6);
  header.writeUInt16LE(DEFLATED, 8);
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(day, 12);
  // CRC and sizes stay 0 here: they follow in the data descriptor.
  header.writeUInt16LE(entry.name.length, 26);
  return Buffer.concat([header, entry.name]);
}

function dataDescriptor(entry: Written): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
  descriptor.writeUInt32LE(entry.crc, 4);
  descriptor.writeUInt32LE(entry.compressed, 8);
  descriptor.writeUInt32LE(entry.size, 12);
  return descriptor;
}

function centralHeader(entry: Written, time: number, day: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(FLAGS, 8);
  header.writeUInt16LE(DEFLATED, 10);
  header.writeUInt16LE(time, 12);
  header.writeUInt16LE(day, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressed, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name]);
}

/** `onEntry` hears of every entry written, with where its deflated data lie (a stored archive keeps them). */
export function deflatedZipSink(
  out: Writable,
  instant: Date,
  onEntry?: (entry: DeflatedEntryInfo) => void,
): ZipSink {
  // ZIP entry times are wall-clock times without a zone: Berlin's wall clock shows the time the
  // person expects, and gives the same bytes on servers in any zone.
  const { time, day } = dosDateTime(berlinWallClockAsUtc(instant));
  const written: Written[] = [];
  let offset = 0;
  let failure: Error | null = null;
  out.on("error", (error) => (failure ??= error));

  async function emit(bytes: Buffer): Promise<void> {
    if (failure) throw failure;
    if (out.destroyed) throw (failure = new Error("the archive's reader went away"));
    offset += bytes.length;
    if (out.write(bytes)) return;
    // A download broken off destroys `out`, maybe without an error: then no drain ever comes.
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        out.off("drain", settle);
        out.off("error", settle);
        out.off("close", closed);
        if (error) reject(error);
        else resolve();
      };
      const closed = () => settle((failure ??= new Error("the archive's reader went away")));
      out.on("drain", settle);
      out.on("error", settle);
      out.on("close", closed);
    });
  }

  return {
    async add(path, source, digest) {
      const entry: Written = { name: Buffer.from(path, "utf8"), crc: 0, compressed: 0, size: 0, offset };
      const parts = partsOf(source);
      await emit(localHeader(entry, time, day));
      const dataOffset = offset;
      const sums = digest ? null : new EntrySums();
      for await (const bytes of deflatedEntry(parts, sums ? sums.take : null)) {
        entry.compressed += bytes.length;
        await emit(bytes);
      }
      const { crc, size, sha256 } = digest ? await entryDigest(digest, path, parts) : sums!.digest();
      entry.crc = crc;
      entry.size = size;
      if (entry.size > MAX_32 || entry.compressed > MAX_32 || entry.offset > MAX_32)
        throw new Error(`archive entry ${path} needs ZIP64, which this writer does not write`);
      await emit(dataDescriptor(entry));
      written.push(entry);
      onEntry?.({
        name: path,
        offset: dataOffset,
        compressed: entry.compressed,
        size: entry.size,
        crc: entry.crc,
      });
      return { path, bytes: entry.size, sha256 };
    },
    async finish() {
      const start = offset;
      if (written.length > MAX_ENTRIES || start > MAX_32)
        throw new Error("archive needs ZIP64, which this writer does not write");
      for (const entry of written) await emit(centralHeader(entry, time, day));
      const end = Buffer.alloc(22);
      end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
      end.writeUInt16LE(written.length, 8);
      end.writeUInt16LE(written.length, 10);
      end.writeUInt32LE(offset - start, 12);
      end.writeUInt32LE(start, 16);
      await emit(end);
      out.end();
      await finished(out, { readable: false });
      return offset;
    },
    abort(error) {
      failure ??= error;
      out.destroy(error);
    },
  };
}
