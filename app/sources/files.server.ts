/**
 * File plumbing shared by the file-based connectors: listing a store's files, streaming their
 * lines (plain or gzip) with byte offsets, stable line references, atomic rewrites and the legal
 * hold list kept beside the store.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { StoreError } from "./connector";

export interface StoreFile {
  /** Path relative to the store root, with forward slashes; part of every reference. */
  rel: string;
  abs: string;
  gz: boolean;
  size: number;
}

const CHUNK = 1 << 20;

/** The files of a store whose relative path matches `pattern`; temporary files are never listed. */
export async function listStoreFiles(store: string, root: string, pattern: RegExp): Promise<StoreFile[]> {
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive: true })) as string[];
  } catch (error) {
    throw new StoreError(store, `cannot read the store directory ${root} (${(error as NodeJS.ErrnoException).code ?? "error"})`, {
      cause: error,
    });
  }
  const files: StoreFile[] = [];
  for (const entry of entries.sort()) {
    const rel = entry.split(sep).join("/");
    if (!pattern.test(rel) || rel.includes(".tmp-")) continue;
    const abs = join(root, entry);
    const info = await stat(abs);
    if (info.isFile()) files.push({ rel, abs, gz: rel.endsWith(".gz"), size: info.size });
  }
  return files;
}

export function lineHash(line: Buffer | string): string {
  return createHash("sha256").update(line).digest("hex").slice(0, 16);
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

export interface LineScanOptions {
  /** Only lines containing one of these byte patterns are yielded; null yields every line. */
  patterns: readonly Buffer[] | null;
  signal?: AbortSignal;
  /** Bytes read from disk (compressed bytes for gzip files) since the last call. */
  onBytes?: (bytes: number) => void;
}

export interface ScannedLine {
  line: Buffer;
  /** Offset of the line's first byte in the uncompressed file. */
  offset: number;
}

async function* plainChunks(file: StoreFile, options: LineScanOptions): AsyncGenerator<Buffer> {
  const handle = await open(file.abs, "r");
  try {
    let position = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      options.onBytes?.(bytesRead);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function* gzipChunks(file: StoreFile, options: LineScanOptions): AsyncGenerator<Buffer> {
  const source = createReadStream(file.abs, { highWaterMark: 128 * 1024 });
  source.on("data", (chunk) => options.onBytes?.(chunk.length));
  const gunzip = createGunzip({ chunkSize: 128 * 1024 });
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

export function fileChunks(file: StoreFile, options: LineScanOptions): AsyncGenerator<Buffer> {
  return file.gz ? gzipChunks(file, options) : plainChunks(file, options);
}

const NEWLINE = 0x0a;

/**
 * Streams the lines of one file. With patterns, the raw bytes are searched for them first and only
 * the lines around a hit are cut out: most of a large log is never split into lines at all. One
 * work buffer per file is reused for every read, so memory stays flat whatever the file size; a
 * yielded line is only valid until the next one is requested.
 */
export async function* scanLines(file: StoreFile, options: LineScanOptions): AsyncGenerator<ScannedLine> {
  let buffer = Buffer.allocUnsafe(CHUNK);
  let carry = 0;
  let base = 0;
  const ensure = (needed: number) => {
    if (needed <= buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(needed, buffer.length * 2));
    buffer.copy(bigger, 0, 0, carry);
    buffer = bigger;
  };
  function* complete(end: number): Generator<ScannedLine> {
    const region = buffer.subarray(0, end);
    const lastNewline = region.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      carry = end;
      return;
    }
    yield* linesOf(region.subarray(0, lastNewline + 1), base, options.patterns);
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
      for (let position = 0; ; ) {
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
  if (carry > 0) yield* linesOf(buffer.subarray(0, carry), base, options.patterns);
}

function* linesOf(region: Buffer, base: number, patterns: readonly Buffer[] | null): Generator<ScannedLine> {
  if (!patterns) {
    let start = 0;
    while (start < region.length) {
      let end = region.indexOf(NEWLINE, start);
      if (end === -1) end = region.length;
      if (end > start) yield { line: region.subarray(start, end), offset: base + start };
      start = end + 1;
    }
    return;
  }
  const starts = new Set<number>();
  for (const pattern of patterns) {
    let hit = region.indexOf(pattern);
    while (hit !== -1) {
      const start = region.lastIndexOf(NEWLINE, hit) + 1;
      let end = region.indexOf(NEWLINE, hit);
      if (end === -1) end = region.length;
      starts.add(start);
      hit = region.indexOf(pattern, end + 1);
    }
  }
  for (const start of [...starts].sort((a, b) => a - b)) {
    let end = region.indexOf(NEWLINE, start);
    if (end === -1) end = region.length;
    yield { line: region.subarray(start, end), offset: base + start };
  }
}

/** Runs several async iterables at once (a file per core) and yields their items as they come. */
export async function* mergeConcurrent<T>(sources: Iterable<() => AsyncIterable<T>>, concurrency: number): AsyncGenerator<T> {
  const pending = [...sources];
  type Slot = { iterator: AsyncIterator<T>; next: Promise<{ slot: Slot; result: IteratorResult<T> }> };
  const active = new Set<Slot>();
  const start = () => {
    const factory = pending.shift();
    if (!factory) return;
    const slot = { iterator: factory()[Symbol.asyncIterator]() } as Slot;
    slot.next = slot.iterator.next().then((result) => ({ slot, result }));
    active.add(slot);
  };
  for (let i = 0; i < concurrency; i++) start();
  try {
    while (active.size > 0) {
      const { slot, result } = await Promise.race([...active].map((s) => s.next));
      if (result.done) {
        active.delete(slot);
        start();
        continue;
      }
      slot.next = slot.iterator.next().then((r) => ({ slot, result: r }));
      yield result.value;
    }
  } finally {
    for (const slot of active) {
      slot.next.catch(() => undefined);
      await slot.iterator.return?.();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Atomic rewrite

/** What to do with a line: keep it (undefined), drop it (null) or replace it (the new bytes). */
export type LineDecision = Buffer | null | undefined;

export interface RewriteOutcome {
  dropped: number;
  replaced: number;
  kept: number;
}

/**
 * Rewrites a line file: the new content is written beside it, fsynced and renamed over it, so a
 * process killed in the middle leaves the old or the new file, never half of one. Lines the
 * decision keeps are copied byte for byte. Nothing is written when nothing changes, which makes
 * a repeated erase a no-op. A file that grew meanwhile (a live log) is left alone with an error.
 * `removeIfEmpty` deletes a rotated file once no line is left in it.
 */
export async function rewriteLineFile(
  store: string,
  file: StoreFile,
  decide: (line: Buffer, offset: number) => LineDecision,
  options: { removeIfEmpty?: boolean } = {},
): Promise<RewriteOutcome> {
  const before = await stat(file.abs);
  const outcome: RewriteOutcome = { dropped: 0, replaced: 0, kept: 0 };
  const tmp = join(dirname(file.abs), `.${basename(file.abs)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);

  async function* output(): AsyncGenerator<Buffer> {
    let carry: Buffer | null = null;
    let offset = 0;
    const handle = (region: Buffer, last: boolean): Buffer => {
      const parts: Buffer[] = [];
      let start = 0;
      while (start < region.length) {
        let end = region.indexOf(NEWLINE, start);
        const terminated = end !== -1;
        if (!terminated) end = region.length;
        const line = region.subarray(start, end);
        const decision = decide(line, offset + start);
        const newline = terminated ? region.subarray(end, end + 1) : Buffer.alloc(0);
        if (decision === undefined) {
          outcome.kept++;
          parts.push(region.subarray(start, terminated ? end + 1 : end));
        } else if (decision === null) {
          outcome.dropped++;
        } else {
          outcome.replaced++;
          parts.push(decision, newline);
        }
        start = end + 1;
      }
      if (!last) offset += region.length;
      return Buffer.concat(parts);
    };
    for await (const chunk of fileChunks(file, { patterns: null })) {
      const buffer: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const lastNewline = buffer.lastIndexOf(NEWLINE);
      if (lastNewline === -1) {
        carry = buffer;
        continue;
      }
      yield handle(buffer.subarray(0, lastNewline + 1), false);
      carry = lastNewline + 1 < buffer.length ? buffer.subarray(lastNewline + 1) : null;
    }
    if (carry) yield handle(carry, true);
  }

  const sink = createWriteStream(tmp, { flags: "wx" });
  try {
    if (file.gz) await pipeline(Readable.from(output()), createGzip(), sink);
    else await pipeline(Readable.from(output()), sink);
    if (outcome.dropped === 0 && outcome.replaced === 0) {
      await unlink(tmp);
      return outcome;
    }
    const after = await stat(file.abs);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new StoreError(store, `${file.rel} changed while it was rewritten; nothing was changed, try again`);
    }
    if (options.removeIfEmpty && outcome.kept === 0 && outcome.replaced === 0) {
      await unlink(tmp);
      await unlink(file.abs);
      await syncDirectory(dirname(file.abs));
      return outcome;
    }
    await syncAndReplace(tmp, file.abs);
    return outcome;
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** fsync the new file, rename it over the old one, fsync the directory so the rename is durable. */
export async function syncAndReplace(tmp: string, target: string): Promise<void> {
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

/** Writes a whole (small) file atomically. */
export async function writeFileAtomic(target: string, data: string | Buffer): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const handle = await open(tmp, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, target);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(target));
}

// ---------------------------------------------------------------------------------------------
// Legal hold list beside a file store

const HOLD_FILE = ".legal-hold.json";

/** Held record keys (a line hash, a message or document id) with the time the hold was set. */
export class HoldList {
  private constructor(
    private readonly path: string,
    private readonly holds: Map<string, string>,
  ) {}

  static async open(root: string): Promise<HoldList> {
    const path = join(root, HOLD_FILE);
    try {
      const parsed = JSON.parse(await readFile(path, "utf8")) as { holds?: { key: string; since: string }[] };
      return new HoldList(path, new Map((parsed.holds ?? []).map((h) => [h.key, h.since])));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new HoldList(path, new Map());
      throw error;
    }
  }

  /** Sets or lifts the hold on each key and saves once; returns how many changed. */
  static async update(root: string, keys: readonly string[], hold: boolean, now = new Date()): Promise<number> {
    const list = await HoldList.open(root);
    let changed = 0;
    for (const key of keys) if (list.set(key, hold, now)) changed++;
    if (changed) await list.save();
    return changed;
  }

  has(key: string): boolean {
    return this.holds.has(key);
  }

  get size(): number {
    return this.holds.size;
  }

  /** Returns whether anything changed. */
  set(key: string, hold: boolean, since: Date): boolean {
    if (hold === this.holds.has(key)) return false;
    if (hold) this.holds.set(key, since.toISOString());
    else this.holds.delete(key);
    return true;
  }

  async save(): Promise<void> {
    const holds = [...this.holds].sort(([a], [b]) => a.localeCompare(b)).map(([key, since]) => ({ key, since }));
    await writeFileAtomic(this.path, `${JSON.stringify({ holds }, null, 2)}\n`);
  }
}
