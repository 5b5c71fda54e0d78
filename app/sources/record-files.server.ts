/**
 * Reading the many small files of the record stores — Maildir messages, the records management's
 * metadata — during a search (issue 17 point 3, ADR 0021). Measured over the gather-latency
 * landscape, opening, reading and closing each file through fs/promises (three trips through
 * libuv's thread pool, each a promise and a wake-up of the event loop) cost more CPU than
 * everything the connectors do with the bytes. On a search thread the files are therefore read
 * with blocking calls: the thread exists to search, and between two units of a pass it yields
 * (`yieldBetweenUnits`) so that an abort, another store's pass on the same thread and the
 * findings' hand-over still come through. On the main thread (GATHER_SEARCH_THREADS=0) they are
 * read as before, without blocking, so the portal stays responsive. The bytes read are the same
 * either way.
 */
import { closeSync, constants, openSync, readFileSync, readSync } from "node:fs";
import { type FileHandle, open, readFile } from "node:fs/promises";
import { isMainThread } from "node:worker_threads";

/** Whether a connector made here reads its record files with blocking calls: on a search thread. */
export const BLOCKING_READS_DEFAULT = !isMainThread;

/** An open record file: reads at a position, then closed. */
export interface RecordFile {
  /** Bytes read into `buffer` from `position` of the file (0 at its end). */
  read(buffer: Buffer, position: number): Promise<number>;
  close(): Promise<void>;
}

class BlockingFile implements RecordFile {
  constructor(private readonly fd: number) {}
  async read(buffer: Buffer, position: number): Promise<number> {
    return readSync(this.fd, buffer, 0, buffer.length, position);
  }
  async close(): Promise<void> {
    closeSync(this.fd);
  }
}

class AsyncFile implements RecordFile {
  constructor(private readonly handle: FileHandle) {}
  async read(buffer: Buffer, position: number): Promise<number> {
    return (await this.handle.read(buffer, 0, buffer.length, position)).bytesRead;
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Opens a file for reading without following a symbolic link (ELOOP for a link). */
export async function openRecordFile(abs: string, blocking: boolean): Promise<RecordFile> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW;
  return blocking ? new BlockingFile(openSync(abs, flags)) : new AsyncFile(await open(abs, flags));
}

/** The whole file. */
export async function readRecordFile(abs: string, blocking: boolean): Promise<Buffer> {
  return blocking ? readFileSync(abs) : readFile(abs);
}

/** Lets the event loop run (timers, messages, other passes) before the next unit of blocking reads. */
export function yieldBetweenUnits(blocking: boolean): Promise<void> | undefined {
  return blocking ? new Promise((resolve) => setImmediate(resolve)) : undefined;
}
