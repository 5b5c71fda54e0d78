/**
 * An archive entry's size, CRC-32 and SHA-256 from its uncompressed parts, worked out on a thread of
 * its own while the answer's letter is laid out on the main thread. The spooled parts are read back
 * from disk for these sums only (their deflated copies are what the archive holds), and that was
 * the bulk of writing the archive after the pass: 191 MiB read and summed, in fresh 1 MiB pieces
 * that filled the heap's external memory, while nothing else ran (ADR 0006). The thread reads the
 * files through one 1 MiB buffer of its own. The sums are the same as those taken on the main
 * thread (`EntrySums`).
 */
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { crc32 } from "node:zlib";
import { SpooledPart, sizeOf, type EntryPart } from "./entry-parts.server";
import { describeError, log } from "../log.server";

export interface EntryDigest {
  size: number;
  crc: number;
  sha256: string;
}

/** What the thread is given of a part: text or bytes as they are, a spooled file by its path. */
type ThreadPart = string | Uint8Array | { file: string; size: number };

/**
 * Below this many spooled bytes the main thread sums an entry as it writes it: a thread costs about
 * 40 ms of CPU to start and ~14 MB of memory, more than summing a small answer takes.
 */
const DIGEST_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Digest threads alive at once, at most. Archives built on demand (downloads before the stored
 * archive is ready) would each start one, and each costs ~14 MB; past the cap the writer sums its
 * entries itself, as below DIGEST_THREAD_MIN_BYTES.
 */
export const MAX_DIGEST_THREADS = 2;
let threadsAlive = 0;

/** The thread's code: CommonJS with Node's own modules only, so it needs no build step of its own. */
const THREAD_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { createHash } = require("node:crypto");
const { crc32 } = require("node:zlib");
const piece = Buffer.allocUnsafe(1024 * 1024);
parentPort.on("message", ({ id, parts }) => {
  try {
    const hash = createHash("sha256");
    let crc = 0;
    let size = 0;
    const take = (bytes) => {
      hash.update(bytes);
      crc = crc32(bytes, crc);
      size += bytes.length;
    };
    for (const part of parts) {
      if (typeof part === "string") take(Buffer.from(part, "utf8"));
      else if (part instanceof Uint8Array) take(part);
      else {
        const fd = openSync(part.file, "r");
        try {
          let read = 0;
          for (let n; (n = readSync(fd, piece, 0, piece.length, null)) > 0; read += n) take(piece.subarray(0, n));
          if (read !== part.size) throw new Error(part.file + " holds " + read + " bytes, not " + part.size);
        } finally {
          closeSync(fd);
        }
      }
    }
    parentPort.postMessage({ id, digest: { size, crc, sha256: hash.digest("hex") } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

function threadParts(parts: EntryPart[]): ThreadPart[] | null {
  const out: ThreadPart[] = [];
  for (const part of parts) {
    if (!(part instanceof SpooledPart)) out.push(part);
    else if (part.size === 0) continue;
    else if (part.file === undefined) return null;
    else out.push({ file: part.file, size: part.size });
  }
  return out;
}

export interface EntryDigests {
  /**
   * Per entry, in the order given: its sums from the thread (null where the thread ended or was
   * stopped before giving them), or undefined where the writer sums it itself.
   */
  digests: (Promise<EntryDigest | null> | undefined)[];
  /**
   * Ends the thread (the archive is written, failed or given up); the digests not yet made are
   * null. Node closes the files a terminated thread had open (tests/unit/entry-digest.test.ts).
   */
  stop(): Promise<void>;
}

/**
 * Starts summing the entries that hold spooled files, when they hold enough to be worth a thread.
 * The digests are worked out in the order given, so the first entry's is ready first.
 */
export function digestEntries(
  entries: EntryPart[][],
  { minBytes = DIGEST_THREAD_MIN_BYTES }: { minBytes?: number } = {},
): EntryDigests {
  const jobs = entries.map(threadParts);
  let spooled = 0;
  entries.forEach((parts, i) => {
    if (jobs[i]) for (const part of parts) if (part instanceof SpooledPart) spooled += part.size;
  });
  if (spooled === 0 || spooled < minBytes || threadsAlive >= MAX_DIGEST_THREADS)
    return { digests: entries.map(() => undefined), stop: () => Promise.resolve() };

  // No loader of the parent's (tsx in tests and development, a profiler): the code is plain CommonJS.
  const worker = new Worker(THREAD_SOURCE, { eval: true, execArgv: [] });
  threadsAlive++;
  worker.once("exit", () => threadsAlive--);
  const waiting = new Map<number, { resolve: (d: EntryDigest | null) => void; reject: (e: Error) => void }>();
  let stopping = false;
  // A thread that fails or ends early leaves the sums to the writer (`entryDigest` takes them on
  // this thread, as before the thread): the archive does not fail for it.
  const giveUp = (why: unknown) => {
    if (waiting.size > 0 && !stopping)
      log.warn({ error: describeError(why) }, "answers: the entries' sums are taken on the main thread");
    for (const job of waiting.values()) job.resolve(null);
    waiting.clear();
  };
  worker.on("message", ({ id, digest, error }: { id: number; digest?: EntryDigest; error?: string }) => {
    const job = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) job?.reject(new Error(`archive entry digest: ${error}`));
    else job?.resolve(digest!);
    if (waiting.size === 0) void worker.terminate();
  });
  worker.on("error", giveUp);
  worker.on("exit", () => giveUp(new Error("the digest thread ended")));

  const digests = jobs.map((parts, id) => {
    if (!parts || parts.every((part) => typeof part === "string" || part instanceof Uint8Array))
      return undefined;
    const digest = new Promise<EntryDigest | null>((resolve, reject) => waiting.set(id, { resolve, reject }));
    // Awaited when the entry is written, which may never come (the archive given up): not unhandled.
    digest.catch(() => undefined);
    worker.postMessage({ id, parts });
    return digest;
  });
  return {
    digests,
    async stop() {
      stopping = true;
      await worker.terminate();
    },
  };
}

/**
 * An entry's sums for its writer: the thread's, checked against the entry's size, or — where the
 * thread gave none — taken here by reading the spooled parts back.
 */
export async function entryDigest(
  digest: Promise<EntryDigest | null>,
  path: string,
  parts: EntryPart[],
): Promise<EntryDigest> {
  const known = (await digest) ?? (await digestHere(parts));
  const size = sizeOf(parts);
  if (known.size !== size)
    throw new Error(`archive entry ${path}: digest of ${known.size} bytes, not ${size}`);
  return known;
}

/** An entry's sums taken as its bytes go by, on this thread (the writer's, or where the thread gave none). */
export class EntrySums {
  private readonly hash = createHash("sha256");
  private crc = 0;
  private size = 0;

  readonly take = (bytes: Buffer): void => {
    this.hash.update(bytes);
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
  };

  digest(): EntryDigest {
    return { size: this.size, crc: this.crc, sha256: this.hash.digest("hex") };
  }
}

async function digestHere(parts: EntryPart[]): Promise<EntryDigest> {
  const sums = new EntrySums();
  for (const part of parts) {
    if (part instanceof SpooledPart) for await (const bytes of part.raw()) sums.take(bytes);
    else sums.take(typeof part === "string" ? Buffer.from(part, "utf8") : part);
  }
  return sums.digest();
}
