/**
 * File plumbing shared by the file-based connectors: listing a store's files (with every file that
 * is not searched reported, never silently skipped), logrotate's names, streaming records (plain or
 * gzip) with byte offsets and line numbers, stable line references, atomic rewrites that keep mode
 * and owner, leftovers of interrupted rewrites, and the legal hold list kept beside the store.
 */
import { hash as digest, randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  createReadStream,
  createWriteStream,
  type Dirent,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import {
  access,
  chown,
  lstat,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  stat,
  unlink,
} from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { isProcessRunning } from "#db/process-alive";
import type { BytePatterns } from "./byte-patterns";
import { type ScanProblem, StoreError } from "./connector";

export interface StoreFile {
  /** Path relative to the store root, with forward slashes; part of every reference. */
  rel: string;
  abs: string;
  /** gzip content (told by its magic bytes, not only by the name). */
  gz: boolean;
  size: number;
  /** What the file is whatever its name (`fileIdentity`), as listed. */
  identity: string;
  /**
   * Set for the temporary file of an interrupted rewrite whose original is gone: the relative path
   * of that original. Such a file is searched in the original's place (see `readStoreDirectory`).
   */
  orphanOf?: string;
}

export interface ListingOptions {
  /**
   * Files whose caller reads each one whole itself and tells gzip by the magic bytes of what it
   * read (the records management's metadata and scans): they are not opened here to sniff for
   * gzip, their `gz` is their name's, and whether they can be read is asked with `access(R_OK)`
   * (one call where the sniff took three: open, read, close). Every other file is sniffed.
   */
  gzipByContent?: (rel: string) => boolean;
  /**
   * List by blocking calls (readdir, stat, access, the sniff): for a caller on a search thread that
   * reads its files so too (record-files.server.ts). Each asynchronous call is a trip through
   * libuv's thread pool and a wake-up of the event loop, which for a store of many small files
   * (3 148 in the records management of gather-latency's landscape) cost more CPU than the calls.
   */
  blocking?: boolean;
}

export interface StoreListing {
  files: StoreFile[];
  /** Files and links in the store directory that are not searched, or searched in another's place. */
  problems: ScanProblem[];
  /** The folders listed, each as it was before it was read (`foldersChanged`). */
  folders: ListedFolder[];
}

export interface ListedFolder {
  abs: string;
  /** Its change time before it was read: a file created, removed or renamed in it (logrotate) changes it. */
  ctimeMs: number;
}

/**
 * Whether a file may have been created, removed or renamed in one of the folders of a listing
 * begun at `listedAt` (this process's clock) since: a folder's change time differs, the folder is
 * gone, or its change time was too close to the listing to tell a later change by (a file system
 * that keeps whole seconds, a server whose clock is ahead).
 */
export async function foldersChanged(folders: readonly ListedFolder[], listedAt: number): Promise<boolean> {
  for (const folder of folders) {
    if (listedAt - folder.ctimeMs < 2000) return true;
    try {
      if ((await stat(folder.abs)).ctimeMs !== folder.ctimeMs) return true;
    } catch {
      return true;
    }
  }
  return false;
}

const CHUNK = 1 << 20;
const SMALL_CHUNK = 64 << 10;
/** What gunzip hands over at a time. */
const GZIP_CHUNK = 128 << 10;
const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * A read buffer for one file, grown where a line needs more: for a plain file CHUNK, or when smaller
 * its size and a byte more (one read, and the next finds the end); for a gzip file room for one of
 * gunzip's chunks and a line carried over. A megabyte per file and search was most of the garbage
 * collector's work when many persons are searched in stores of small files (a small office's logs,
 * the tests).
 */
function workBuffer(file: StoreFile): Buffer {
  if (file.gz) return Buffer.allocUnsafe(2 * GZIP_CHUNK);
  return Buffer.allocUnsafe(Math.min(CHUNK, Math.max(file.size + 1, SMALL_CHUNK)));
}

const HOLD_FILE = ".legal-hold.json";

// ---------------------------------------------------------------------------------------------
// Names of rotated files

const COMPRESSION = /\.(gz|bz2|xz|zst|lz4|lzma|Z)$/;
const ROTATION_SUFFIXES = [
  /\.\d{1,4}$/, // logrotate's numbered copies: access.log.1
  /-\d{8}(?:\d{2}|-\d{10}|\.\d+)?$/, // dateext: access.log-20251008, -2025100812, -20251008-1759917600
  /[-_.]\d{4}-\d{2}(?:-\d{2})?$/, // access.log.2025-10-08 (logback's and cronolog's dates after the name)
];
// logback and day files: beaus-login-2025-09.log, cdr-2025-10-01.csv, access-20251008.log
const DATE_BEFORE_EXTENSION = /[-_.](?:\d{4}-\d{2}(?:-\d{2})?|\d{8})(?=\.[A-Za-z]+$)/;

/**
 * The name of the log a file belongs to, with every rotation mark taken off: access.log for
 * access.log.1, access.log.2.gz, access.log-20251008.gz; beaus-login.log for
 * beaus-login-2025-09.log.gz; cdr.csv for cdr-2025-10-01.csv.gz. Files of one directory with
 * the same base are one rotation family: a line moves only within its family.
 */
export function rotationBase(name: string): { base: string; compression: string | null } {
  const file = basename(name);
  const compressed = COMPRESSION.exec(file);
  let base = compressed ? file.slice(0, compressed.index) : file;
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of ROTATION_SUFFIXES) {
      const next = base.replace(suffix, "");
      if (next !== base && next.length > 0) {
        base = next;
        changed = true;
      }
    }
  }
  base = base.replace(DATE_BEFORE_EXTENSION, "");
  return { base, compression: compressed ? compressed[1]! : null };
}

/**
 * Could a line of file `from` have been moved into file `to` by rotation? Numbered rotation only
 * moves lines to the same or a higher number (access.log → .1 → .2 → .2.gz), so a line of
 * access.log.3.gz is never in access.log.2.gz; for dated names (dateext, day files) and leftovers of
 * rewrites no order is known.
 */
export function mayHoldRotatedLines(from: string, to: string): boolean {
  const age = (rel: string): number | null => {
    const name = rel.slice(rel.lastIndexOf("/") + 1);
    if (TEMP_NAME.test(name)) return null;
    const bare = name.replace(COMPRESSION, "");
    if (bare === rotationBase(name).base) return 0;
    const numbered = /^(.*)\.(\d{1,4})$/.exec(bare);
    return numbered && numbered[1] === rotationBase(name).base ? Number(numbered[2]) : null;
  };
  const a = age(from);
  const b = age(to);
  return a === null || b === null || b >= a;
}

/** "dir/base" — the rotation family of a relative path. */
export function rotationFamily(rel: string): string {
  const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
  const name = rel.slice(dir.length);
  const temp = TEMP_NAME.exec(name);
  return dir + rotationBase(temp ? temp[1]! : name).base;
}

// ---------------------------------------------------------------------------------------------
// Temporary files of rewrites

const TEMP_NAME = /^\.(.+)\.tmp-(\d+)-([0-9a-f]+)$/;
/** Temporary files this process is writing right now; never taken for leftovers. */
const activeTemps = new Set<string>();
/** A leftover whose writer may still be alive (another process) is left alone this long. */
const TEMP_GRACE_MS = 60 * 60_000;

function tempPathFor(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** Is this temporary file a leftover (its writer gone), rather than a rewrite in progress? */
export async function isLeftover(abs: string): Promise<boolean> {
  if (activeTemps.has(abs)) return false;
  const match = TEMP_NAME.exec(basename(abs));
  if (!match) return false;
  const writer = Number(match[2]);
  // Ours but not being written (not in activeTemps): left by a rewrite of this process that failed.
  if (writer === process.pid || !isProcessRunning(writer)) return true;
  try {
    return Date.now() - (await lstat(abs)).mtimeMs > TEMP_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the leftovers of interrupted rewrites of `abs` (`.<name>.tmp-<pid>-<hex>` beside it).
 * Returns how many were removed.
 */
export async function removeLeftoverTemps(abs: string): Promise<number> {
  const dir = dirname(abs);
  const prefix = `.${basename(abs)}.tmp-`;
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (!name.startsWith(prefix) || !TEMP_NAME.test(name) || !(await isLeftover(path))) continue;
    try {
      await unlink(path);
      removed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Listing a store

/** gzip's magic bytes (RFC 1952) at the start of `bytes`: how a store file is told gzip, whatever its name. */
export function startsAsGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function sniffGzip(abs: string): Promise<boolean> {
  const handle = await open(abs, "r");
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return startsAsGzip(magic.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function sniffGzipSync(abs: string): boolean {
  const fd = openSync(abs, "r");
  try {
    const magic = Buffer.alloc(2);
    return startsAsGzip(magic.subarray(0, readSync(fd, magic, 0, 2, 0)));
  } finally {
    closeSync(fd);
  }
}

/** The calls a listing makes, asynchronous or blocking (`ListingOptions.blocking`). */
interface ListingCalls {
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<Dirent[]>;
  stat(
    path: string,
  ): Promise<{ size: number; dev: number; ino: number; birthtimeMs: number; ctimeMs: number }>;
  readable(path: string): Promise<void>;
  isGzip(path: string): Promise<boolean>;
}

const ASYNC_LISTING: ListingCalls = {
  realpath: (path) => realpath(path),
  readdir: (path) => readdir(path, { withFileTypes: true }),
  stat: (path) => stat(path),
  readable: (path) => access(path, constants.R_OK),
  isGzip: sniffGzip,
};

const BLOCKING_LISTING: ListingCalls = {
  realpath: async (path) => realpathSync.native(path),
  readdir: async (path) => readdirSync(path, { withFileTypes: true }),
  stat: async (path) => statSync(path),
  readable: async (path) => accessSync(path, constants.R_OK),
  isGzip: async (path) => sniffGzipSync(path),
};

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "error";
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}

/**
 * Lists a store directory (recursively). Every entry is accounted for:
 * - a regular file `recognise` accepts is a store file (gzip told by its magic bytes, or by the
 *   caller from the content it reads: `options.gzipByContent`); a name with
 *   a compression the portal cannot read (.bz2, .xz, .zst, …) is reported as not searched;
 * - any other file is reported as "not recognised; not searched" — a file nobody looks at may hold
 *   a person's data, so staff must be told. Only the hold list is clearly not data;
 * - symbolic links are never followed: a link out of the store or a dangling one is reported as
 *   not searched; a link to a file inside the store is reported (its target is searched under its
 *   own name, so following it would find the same records twice, and rewriting through it would
 *   replace the link by a copy);
 * - temporary files of a rewrite (`.<name>.tmp-<pid>-<hex>`). The rename of a rewrite is its commit
 *   point: while the original exists, the original is authoritative and its leftover is an
 *   uncommitted copy of (part of) the same lines — not searched, reported, and removed by the next
 *   rewrite of that file or the next sweep. When the original is gone (rotated away or deleted
 *   while the rewrite was killed), the leftover may be the only copy of its lines: it is searched in
 *   the original's place until a sweep removes it. A rewrite still running in this process is
 *   neither listed nor reported.
 * A file that cannot be examined (vanished, no permission) is reported and the rest listed; only an
 * unreadable store root fails the store.
 */
export async function readStoreDirectory(
  store: string,
  root: string,
  recognise: (rel: string) => boolean,
  options: ListingOptions = {},
): Promise<StoreListing> {
  const calls = options.blocking ? BLOCKING_LISTING : ASYNC_LISTING;
  let realRoot: string;
  try {
    realRoot = await calls.realpath(root);
    await calls.readdir(realRoot);
  } catch (error) {
    throw new StoreError(store, `cannot read the store directory ${root} (${errorCode(error)})`, {
      cause: error,
    });
  }
  const files: StoreFile[] = [];
  const problems: ScanProblem[] = [];
  const folders: ListedFolder[] = [];
  const temps: { rel: string; abs: string; original: string }[] = [];
  const problem = (where: string, reason: string, unsearched = true) =>
    problems.push({ where, reason, unsearched });

  const walk = async (dirRel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      const abs = join(root, dirRel);
      folders.push({ abs, ctimeMs: (await calls.stat(abs)).ctimeMs });
      entries = await calls.readdir(abs);
    } catch (error) {
      problem(dirRel || ".", `folder cannot be read (${errorCode(error)}); not searched`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const abs = join(root, rel);
      if (entry.name === HOLD_FILE) continue;
      const temp = TEMP_NAME.exec(entry.name);
      if (temp) {
        if (temp[1] === HOLD_FILE || activeTemps.has(abs)) continue;
        temps.push({ rel, abs, original: dirRel ? `${dirRel}/${temp[1]}` : temp[1]! });
        continue;
      }
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await calls.realpath(abs);
        } catch {
          problem(rel, "dangling symbolic link; not searched");
          continue;
        }
        if (!isInside(realRoot, target)) problem(rel, "symbolic link out of the store; not followed");
        else
          problem(
            rel,
            `symbolic link to ${relative(realRoot, target).split(sep).join("/")} in the store, which is searched under its own name`,
            false,
          );
        continue;
      }
      if (entry.isDirectory()) {
        await walk(rel);
        continue;
      }
      if (!entry.isFile()) {
        problem(rel, "not a regular file; not searched");
        continue;
      }
      if (!recognise(rel)) {
        problem(rel, "not recognised as a file of this store; not searched");
        continue;
      }
      const found = await examine(rel, abs);
      if (found) files.push(found);
    }
  };

  const examine = async (rel: string, abs: string): Promise<StoreFile | null> => {
    const compression = rotationBase(rel).compression;
    if (compression && compression !== "gz") {
      problem(rel, `compressed with ${compression}, which the portal cannot read; not searched`);
      return null;
    }
    try {
      const info = await calls.stat(abs);
      let gz = compression === "gz";
      if (options.gzipByContent?.(rel)) await calls.readable(abs);
      else gz ||= info.size > 0 && (await calls.isGzip(abs));
      return { rel, abs, gz, size: info.size, identity: fileIdentity(info) };
    } catch (error) {
      problem(
        rel,
        errorCode(error) === "ENOENT"
          ? "disappeared before it could be searched"
          : `cannot be read (${errorCode(error)}); not searched`,
      );
      return null;
    }
  };

  await walk("");
  const listed = new Set(files.map((f) => f.rel));
  for (const temp of temps) {
    if (listed.has(temp.original)) {
      problem(
        temp.rel,
        `left by an interrupted rewrite of ${temp.original}, which is searched; removed by the next rewrite or sweep`,
        false,
      );
    } else if (recognise(temp.original)) {
      const found = await examine(temp.rel, temp.abs);
      if (!found) continue;
      files.push({ ...found, gz: found.gz || temp.original.endsWith(".gz"), orphanOf: temp.original });
      problem(
        temp.rel,
        `left by an interrupted rewrite of ${temp.original}, which is missing; searched in its place until the next sweep removes it`,
        false,
      );
    } else {
      problem(temp.rel, "not recognised as a file of this store; not searched");
    }
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, problems, folders };
}

// ---------------------------------------------------------------------------------------------
// References

export function lineHash(line: Buffer | string): string {
  // One-shot hashing: half the cost of createHash per line, which matters when a whole log is hashed.
  return digest("sha256", line, "hex").slice(0, 16);
}

/** "<file>:<byte offset in the uncompressed file>:<hash of the line>". */
export function lineRef(rel: string, offset: number, hash: string): string {
  return `${rel}:${offset}:${hash}`;
}

export function parseLineRef(ref: string): { rel: string; offset: number; hash: string } | null {
  const match = /^(.+):(\d+):([0-9a-f]{16})$/.exec(ref);
  if (!match) return null;
  return { rel: match[1]!, offset: Number(match[2]), hash: match[3]! };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Longer lines are not records (binary garbage, a block of NULs after a crash): skipped, or refused by a rewrite. */
const MAX_LINE_BYTES = 16 << 20;

export interface LineScanOptions {
  /** Only lines containing one of these byte patterns are yielded; null yields every line. */
  patterns: BytePatterns | null;
  /**
   * What a line longer than MAX_LINE_BYTES does: "skip" yields it as an empty line marked
   * `overlong` (the default), "fail" throws — a rewrite must copy every byte or change nothing.
   */
  overlong?: "skip" | "fail";
  signal?: AbortSignal;
  /** Bytes read from disk (compressed bytes for gzip files) since the last call. */
  onBytes?: (bytes: number) => void;
  /** The identity (`fileIdentity`) of the file opened under the path, before it is read. */
  onOpened?: (identity: string) => void;
}

/**
 * What a file is, whatever its name: device and inode, which a rename (logrotate moving
 * access.log to access.log.1) keeps, and the birth time where the file system records one, so
 * that a new file given the inode of a deleted one is another file. A copy (copytruncate, gzip) is
 * another file.
 */
function fileIdentity(info: { dev: number; ino: number; birthtimeMs: number }): string {
  return `${info.dev}:${info.ino}:${info.birthtimeMs}`;
}

export interface ScannedLine {
  /** The line's bytes without its "\n" (a "\r" of CRLF stays: it is part of the line's hash). */
  line: Buffer;
  /** Offset of the line's first byte in the uncompressed file. */
  offset: number;
  /** 1-based line number; only known when every line is scanned (no patterns). */
  lineNo?: number;
  /** False for a last line without "\n". */
  terminated: boolean;
  /** A line longer than MAX_LINE_BYTES, not read (its `line` is empty). */
  overlong?: boolean;
}

async function* gzipChunks(
  file: StoreFile,
  options: Pick<LineScanOptions, "signal" | "onBytes" | "onOpened">,
): AsyncGenerator<Buffer> {
  const handle = await open(file.abs, "r");
  try {
    options.onOpened?.(fileIdentity(await handle.stat()));
  } catch (error) {
    await handle.close();
    throw error;
  }
  // The stream closes the handle when it is destroyed.
  const source = createReadStream("", { fd: handle, highWaterMark: GZIP_CHUNK });
  source.on("data", (chunk) => options.onBytes?.(chunk.length));
  const gunzip = createGunzip({ chunkSize: GZIP_CHUNK });
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      options.signal?.throwIfAborted();
      yield chunk as Buffer;
    }
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/**
 * Streams the lines of one file. With patterns, the raw bytes are searched for them first and only
 * the lines around a hit are cut out: most of a large log is never split into lines at all. One
 * work buffer per file is reused for every read, so memory stays flat whatever the file size; a
 * yielded line is only valid until the next one is requested. Without patterns every line is
 * yielded, empty ones included, numbered.
 */
export async function* scanLines(file: StoreFile, options: LineScanOptions): AsyncGenerator<ScannedLine> {
  let buffer = workBuffer(file);
  let carry = 0;
  let base = 0;
  const counter = { lineNo: 0 };
  const ensure = (needed: number) => {
    if (needed <= buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(needed, buffer.length * 2));
    buffer.copy(bigger, 0, 0, carry);
    buffer = bigger;
  };
  let skipping = false;
  function* complete(end: number): Generator<ScannedLine> {
    if (skipping) {
      const newline = buffer.subarray(0, end).indexOf(NEWLINE);
      const dropped = newline === -1 ? end : newline + 1;
      buffer.copy(buffer, 0, dropped, end);
      base += dropped;
      end -= dropped;
      carry = end;
      if (newline === -1) return;
      skipping = false;
    }
    const region = buffer.subarray(0, end);
    const lastNewline = region.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      carry = end;
      if (end > MAX_LINE_BYTES) {
        if (options.overlong === "fail")
          throw new Error(`${file.rel}: a line at byte ${base} is longer than ${MAX_LINE_BYTES} bytes`);
        yield {
          line: Buffer.alloc(0),
          offset: base,
          ...(options.patterns ? {} : { lineNo: ++counter.lineNo }),
          terminated: true,
          overlong: true,
        };
        base += end;
        carry = 0;
        skipping = true;
      }
      return;
    }
    yield* linesOf(region.subarray(0, lastNewline + 1), base, options, counter, file.rel);
    buffer.copy(buffer, 0, lastNewline + 1, end);
    carry = end - lastNewline - 1;
    base += lastNewline + 1;
  }
  if (file.gz) {
    for await (const chunk of gzipChunks(file, options)) {
      ensure(carry + chunk.length);
      chunk.copy(buffer, carry);
      yield* complete(carry + chunk.length);
    }
  } else {
    const handle = await open(file.abs, "r");
    try {
      options.onOpened?.(fileIdentity(await handle.stat()));
      for (let position = 0; ;) {
        options.signal?.throwIfAborted();
        if (carry > buffer.length / 2) ensure(buffer.length * 2);
        const { bytesRead } = await handle.read(buffer, carry, buffer.length - carry, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        options.onBytes?.(bytesRead);
        yield* complete(carry + bytesRead);
      }
    } finally {
      await handle.close();
    }
  }
  if (carry > 0) yield* linesOf(buffer.subarray(0, carry), base, options, counter, file.rel);
}

function* linesOf(
  region: Buffer,
  base: number,
  options: LineScanOptions,
  counter: { lineNo: number },
  rel: string,
): Generator<ScannedLine> {
  const { patterns } = options;
  const line = (start: number, end: number, terminated: boolean, lineNo?: number): ScannedLine => {
    if (end - start <= MAX_LINE_BYTES)
      return {
        line: region.subarray(start, end),
        offset: base + start,
        ...(lineNo ? { lineNo } : {}),
        terminated,
      };
    if (options.overlong === "fail")
      throw new Error(`${rel}: a line at byte ${base + start} is longer than ${MAX_LINE_BYTES} bytes`);
    return {
      line: Buffer.alloc(0),
      offset: base + start,
      ...(lineNo ? { lineNo } : {}),
      terminated,
      overlong: true,
    };
  };
  if (!patterns) {
    let start = 0;
    while (start < region.length) {
      let end = region.indexOf(NEWLINE, start);
      const terminated = end !== -1;
      if (!terminated) end = region.length;
      yield line(start, end, terminated, ++counter.lineNo);
      start = end + 1;
    }
    return;
  }
  let starts = patterns.lineStarts(region);
  // Only a region grown for a long line can hold a line too long to be a record: walked only then.
  if (region.length > MAX_LINE_BYTES) {
    const all = new Set(starts);
    for (let start = 0; start < region.length;) {
      let end = region.indexOf(NEWLINE, start);
      if (end === -1) end = region.length;
      if (end - start > MAX_LINE_BYTES) all.add(start);
      start = end + 1;
    }
    starts = [...all].sort((a, b) => a - b);
  }
  for (const start of starts) {
    let end = region.indexOf(NEWLINE, start);
    const terminated = end !== -1;
    if (!terminated) end = region.length;
    yield line(start, end, terminated);
  }
}

export interface ScannedRecord extends ScannedLine {
  /** Physical lines the record spans when more than one (a quoted field holding a line break). */
  lines?: number;
}

/** How many physical lines one record may span before its first line is taken as broken. */
const MAX_RECORD_LINES = 50;

/**
 * The records of a file, every line scanned. With `continues`, a record whose line ends inside an
 * open quote takes the following lines (a CSV field holding a line break is one record, referenced
 * by its first line's offset and hashed over all its bytes). If the joined record still does not
 * close, or `accepts` rejects it, its first line is yielded alone (to be reported as malformed) and
 * reading starts again with the line after it: a cut line never swallows the records behind it.
 */
export async function* scanRecords(
  file: StoreFile,
  options: Omit<LineScanOptions, "patterns"> & {
    continues?: (record: Buffer) => boolean;
    accepts?: (record: Buffer) => boolean;
  },
): AsyncGenerator<ScannedRecord> {
  const { continues, accepts } = options;
  if (!continues) {
    yield* scanLines(file, { ...options, patterns: null });
    return;
  }
  // Lines held back while a record is open, copied (the scanner reuses its buffer).
  const pending: ScannedLine[] = [];
  const joined = (count: number): Buffer => {
    const parts: Buffer[] = [];
    for (let i = 0; i < count; i++)
      parts.push(pending[i]!.line, ...(i < count - 1 ? [Buffer.from("\n")] : []));
    return Buffer.concat(parts);
  };
  // Resolves the pending lines as far as possible; `final` when no more lines follow.
  function* drain(final: boolean): Generator<ScannedRecord> {
    while (pending.length > 0) {
      let taken = 0;
      for (let count = 1; count <= pending.length; count++) {
        const record = count === 1 ? pending[0]!.line : joined(count);
        if (!continues!(record)) {
          taken = accepts && count > 1 && !accepts(record) ? -1 : count;
          break;
        }
      }
      if (taken === 0 && !final && pending.length < MAX_RECORD_LINES) return;
      const count = taken > 0 ? taken : 1;
      const last = pending[count - 1]!;
      yield {
        line: count === 1 ? pending[0]!.line : joined(count),
        offset: pending[0]!.offset,
        lineNo: pending[0]!.lineNo,
        terminated: last.terminated,
        lines: count,
      };
      pending.splice(0, count);
    }
  }
  for await (const line of scanLines(file, { ...options, patterns: null })) {
    if (pending.length === 0 && !continues(line.line)) {
      yield line;
      continue;
    }
    pending.push({ ...line, line: Buffer.from(line.line) });
    yield* drain(false);
  }
  yield* drain(true);
}

/** 1-based line numbers of the given offsets (line starts) of a file, counted in one more pass. */
export async function lineNumbersAt(
  file: StoreFile,
  offsets: readonly number[],
  signal?: AbortSignal,
): Promise<Map<number, number>> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const result = new Map<number, number>();
  if (wanted.length === 0) return result;
  let lineNo = 1;
  let base = 0;
  let next = 0;
  const chunks = file.gz ? gzipChunks(file, { signal }) : plainChunks(file, signal);
  for await (const chunk of chunks) {
    for (let i = chunk.indexOf(NEWLINE); ; i = chunk.indexOf(NEWLINE, i + 1)) {
      const position = i === -1 ? base + chunk.length : base + i;
      while (next < wanted.length && wanted[next]! <= position) result.set(wanted[next++]!, lineNo);
      if (i === -1 || next === wanted.length) break;
      lineNo++;
    }
    if (next === wanted.length) return result;
    base += chunk.length;
  }
  return result;
}

async function* plainChunks(file: StoreFile, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const handle = await open(file.abs, "r");
  try {
    for (let position = 0; ;) {
      signal?.throwIfAborted();
      const buffer = workBuffer(file);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The text of a line as a store wrote it: a UTF-8 byte-order mark and the "\r" of CRLF taken off,
 * UTF-8 where the bytes are valid UTF-8, else ISO-8859-1 (old syslog relays and Windows tools
 * write Latin-1; decoding it as UTF-8 would turn "Kühn" into "K\uFFFDhn" and lose the match).
 */
export function decodeLine(line: Buffer): { text: string; latin1: boolean } {
  let bytes = line;
  if (bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2])
    bytes = bytes.subarray(3);
  if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  try {
    return { text: utf8.decode(bytes), latin1: false };
  } catch {
    return { text: bytes.toString("latin1"), latin1: true };
  }
}

/**
 * The bytes of a replaced line in the original's dress: its byte-order mark, its CRLF, and Latin-1
 * where the original was Latin-1 and the new text fits it.
 */
export function encodeLikeOriginal(original: Buffer, text: string): Buffer {
  const { latin1 } = decodeLine(original);
  const hasBom = original.subarray(0, 3).equals(BOM);
  const crlf = original.length > 0 && original[original.length - 1] === CR;
  const body =
    latin1 && /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
  return Buffer.concat([hasBom ? BOM : Buffer.alloc(0), body, crlf ? Buffer.from("\r") : Buffer.alloc(0)]);
}

// ---------------------------------------------------------------------------------------------
// Atomic rewrite

/** What to do with a record: keep it (undefined), drop it (null) or replace it (the new bytes). */
export type LineDecision = Buffer | null | undefined;

export interface RewriteOutcome {
  dropped: number;
  replaced: number;
  kept: number;
  /** The file was removed (nothing left in a rotated file). */
  removed: boolean;
}

/**
 * Rewrites a line file: the new content is written beside it (mode 0600 while it is written, then
 * the original's mode and owner), fsynced and renamed over it, so a process killed in the middle
 * leaves the old or the new file, never half of one, and never a file more widely readable than
 * before. Records the decision keeps are copied byte for byte. Nothing is written when nothing
 * changes, which makes a repeated erase a no-op. A file that grew meanwhile (a live log) is left
 * alone with an error. Leftovers of earlier interrupted rewrites of the file are removed first.
 * `removeIfEmpty` deletes the file once no record is left in it.
 */
export async function rewriteLineFile(
  store: string,
  file: StoreFile,
  decide: (record: Buffer, offset: number) => LineDecision,
  options: {
    removeIfEmpty?: boolean;
    continues?: (record: Buffer) => boolean;
    accepts?: (record: Buffer) => boolean;
  } = {},
): Promise<RewriteOutcome> {
  const target = file.abs;
  if (!file.orphanOf) await removeLeftoverTemps(target);
  const before = await stat(target);
  const outcome: RewriteOutcome = { dropped: 0, replaced: 0, kept: 0, removed: false };
  const tmp = tempPathFor(target);

  // Records are copied into one output buffer at a time (the scanner reuses its own), handed on when full.
  async function* output(): AsyncGenerator<Buffer> {
    let out = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    const full: Buffer[] = [];
    const put = (bytes: Buffer, newline: boolean) => {
      const needed = bytes.length + (newline ? 1 : 0);
      if (position + needed > out.length) {
        if (position > 0) full.push(out.subarray(0, position));
        out = Buffer.allocUnsafe(Math.max(CHUNK, needed));
        position = 0;
      }
      position += bytes.copy(out, position);
      if (newline) out[position++] = NEWLINE;
    };
    for await (const record of scanRecords(file, {
      continues: options.continues,
      accepts: options.accepts,
      overlong: "fail",
    })) {
      const decision = decide(record.line, record.offset);
      if (decision === undefined) {
        outcome.kept++;
        put(record.line, record.terminated);
      } else if (decision === null) {
        outcome.dropped++;
      } else {
        outcome.replaced++;
        put(decision, record.terminated);
      }
      if (full.length) yield* full.splice(0);
    }
    if (position > 0) yield out.subarray(0, position);
  }

  activeTemps.add(tmp);
  try {
    const sink = createWriteStream(tmp, { flags: "wx", mode: 0o600 });
    if (file.gz) await pipeline(Readable.from(output()), createGzip(), sink);
    else await pipeline(Readable.from(output()), sink);
    if (outcome.dropped === 0 && outcome.replaced === 0) {
      await unlink(tmp);
      return outcome;
    }
    const after = await stat(target);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new StoreError(
        store,
        `${file.rel} changed while it was rewritten; nothing was changed, try again`,
      );
    }
    if (options.removeIfEmpty && outcome.kept === 0 && outcome.replaced === 0) {
      await unlink(tmp);
      await unlink(target);
      await syncDirectory(dirname(target));
      outcome.removed = true;
      return outcome;
    }
    await keepModeAndOwner(store, file.rel, tmp, before);
    await syncAndReplace(tmp, target);
    return outcome;
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    activeTemps.delete(tmp);
  }
}

/** Gives the new file the original's permission bits and owner before it replaces the original. */
async function keepModeAndOwner(
  store: string,
  rel: string,
  tmp: string,
  original: { mode: number; uid: number; gid: number },
): Promise<void> {
  const handle = await open(tmp, "r+");
  try {
    const current = await handle.stat();
    if (current.uid !== original.uid || current.gid !== original.gid) {
      try {
        await handle.chown(original.uid, original.gid);
      } catch (error) {
        throw new StoreError(
          store,
          `${rel} cannot be rewritten with its owner kept (${errorCode(error)}); nothing was changed`,
          { cause: error },
        );
      }
    }
    await handle.chmod(original.mode & 0o7777);
  } finally {
    await handle.close();
  }
}

/** fsync the new file, rename it over the old one, fsync the directory so the rename is durable. */
async function syncAndReplace(tmp: string, target: string): Promise<void> {
  const handle = await open(tmp, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, target);
  await syncDirectory(dirname(target));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Deletes a file (a leftover searched in its original's place, or an emptied one) durably. */
export async function removeFile(abs: string): Promise<void> {
  await unlink(abs);
  await syncDirectory(dirname(abs));
}

/** Writes a whole (small) file atomically; an existing file keeps its mode and owner. */
export async function writeFileAtomic(target: string, data: string | Buffer): Promise<void> {
  const tmp = tempPathFor(target);
  const original = await stat(target).catch(() => null);
  activeTemps.add(tmp);
  try {
    const handle = await open(tmp, "wx", original ? 0o600 : 0o644);
    try {
      await handle.writeFile(data);
      if (original) {
        const current = await handle.stat();
        if (current.uid !== original.uid || current.gid !== original.gid)
          await chown(tmp, original.uid, original.gid);
        await handle.chmod(original.mode & 0o7777);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    activeTemps.delete(tmp);
  }
  await syncDirectory(dirname(target));
}

// ---------------------------------------------------------------------------------------------
// Legal hold list beside a file store

/**
 * One record's hold: the cases that hold it (`holders`), and `unowned` for a hold written before
 * holds had owners (an entry of an old list has no `holders`). The record is held while either
 * remains, so one case lifting its restriction never lifts another's (Art. 18, ADR 0003).
 */
interface Hold {
  since: string;
  holders: string[];
  unowned: boolean;
}

/** Held record keys (a line hash, a message or document id) with the time the hold was set and who holds it. */
export class HoldList {
  private constructor(
    private readonly path: string,
    private readonly holds: Map<string, Hold>,
  ) {}

  static async open(root: string): Promise<HoldList> {
    const path = join(root, HOLD_FILE);
    try {
      const parsed = JSON.parse(await readFile(path, "utf8")) as {
        holds?: { key: string; since: string; holders?: string[]; unowned?: boolean }[];
      };
      return new HoldList(
        path,
        new Map(
          (parsed.holds ?? []).map((h) => [
            h.key,
            {
              since: h.since,
              holders: h.holders ?? [],
              unowned: h.holders === undefined || h.unowned === true,
            },
          ]),
        ),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new HoldList(path, new Map());
      throw error;
    }
  }

  /** Sets or lifts `holder`'s hold on each key and saves once; returns how many changed. */
  static async update(
    root: string,
    keys: readonly string[],
    hold: boolean,
    holder: string,
    now = new Date(),
  ): Promise<number> {
    const list = await HoldList.open(root);
    let changed = 0;
    for (const key of keys) if (list.set(key, hold, holder, now)) changed++;
    if (changed) await list.save();
    return changed;
  }

  /** Is the record held, by anyone? */
  has(key: string): boolean {
    return this.holds.has(key);
  }

  /** Whether the record is held, and the cases holding it by name (an unowned hold names none). */
  holdOf(key: string): { held: boolean; holders: readonly string[] } {
    const entry = this.holds.get(key);
    return { held: entry !== undefined, holders: entry?.holders ?? [] };
  }

  /** Does `holder` hold the record (set), or has its hold and any unowned one gone (lift)? */
  shows(key: string, hold: boolean, holder: string): boolean {
    const entry = this.holds.get(key);
    if (hold) return entry?.holders.includes(holder) ?? false;
    return !entry || (!entry.unowned && !entry.holders.includes(holder));
  }

  get size(): number {
    return this.holds.size;
  }

  /**
   * Sets or lifts `holder`'s hold; returns whether anything changed. Lifting also drops an unowned
   * hold: the caller names beforehand every case that still restricts the record (carry-out
   * adopts them), so what stays unowned is nobody's any more. The record stays held while another
   * holder remains.
   */
  set(key: string, hold: boolean, holder: string, since: Date): boolean {
    const entry = this.holds.get(key);
    if (hold) {
      if (entry?.holders.includes(holder)) return false;
      if (entry) entry.holders.push(holder);
      else this.holds.set(key, { since: since.toISOString(), holders: [holder], unowned: false });
      return true;
    }
    if (!entry || (!entry.unowned && !entry.holders.includes(holder))) return false;
    entry.holders = entry.holders.filter((h) => h !== holder);
    entry.unowned = false;
    if (entry.holders.length === 0) this.holds.delete(key);
    return true;
  }

  async save(): Promise<void> {
    const holds = [...this.holds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, { since, holders, unowned }]) => ({
        key,
        since,
        holders: [...holders].sort(),
        ...(unowned ? { unowned: true } : {}),
      }));
    await writeFileAtomic(this.path, `${JSON.stringify({ holds }, null, 2)}\n`);
  }
}
