/**
 * The answer's one pass over its findings writes, per store, its JSON lines and — for the access
 * archive — its rows of index.html's table and of its CSV file to a temporary folder
 * (`rp-answer-…` in the system's temporary directory, removed when the archive is written or given
 * up), each with a deflated copy made as it is written. The archive's files are then these bytes
 * as they are — copied deflated — between a head and an end made from the summary. What depends on all findings (the summary: counts, which columns a table or CSV file
 * has) is known only after the pass, so nothing of the archive can be written during it; a row made
 * before its store's columns were all known is dropped, and made again from the store's JSON lines
 * after the pass, into a file of its own (`writeStaleRows`).
 */
import { createReadStream } from "node:fs";
import { type FileHandle, lstat, mkdtemp, open, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessRunning } from "#db/process-alive";
import { ChunkWriter } from "./chunk-writer";
import { DeflatedCopy } from "./deflated-copy.server";
import { shownRecord, type ShownRecord } from "./record-format";
import { SpooledPart } from "./entry-parts.server";

/** Before every JSON line but the first, as the archive's JSON file separates its records. */
const RECORD_SEPARATOR = ",\n    ";
const FIRST_RECORD = "\n    ";
const NEWLINE = 0x0a;
const COMMA = 0x2c;
/** The spaces before each record's line (FIRST_RECORD, RECORD_SEPARATOR). */
const INDENT = 4;
const READ_PIECE = 1024 * 1024;
/** Bytes of a spool file on their way to disk before its pass waits for them. */
const WRITING = 4 * 1024 * 1024;
/** Records are handed on in groups: the reader gives the compressor's callbacks a turn after each. */
const GROUP = 64;

/**
 * A file written through 512 KiB pieces, from its start again after `restart`; each piece is also
 * handed to zlib for the file's deflated copy as it goes to disk.
 */
class SpoolFile {
  private out = new ChunkWriter();
  private position = 0;
  private closed = false;
  /** The disk writes handed on, in order; `writing` bytes of them not yet done. */
  private written: Promise<void> = Promise.resolve();
  private writing = 0;

  /** The file's size once closed. */
  get size(): number {
    return this.position;
  }
  /** Records before this one are not in the file (rows: made again from the JSON lines). */
  firstKept = 0;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly deflated: DeflatedCopy,
  ) {}

  write(text: string): void {
    this.out.write(text);
  }

  /** Drops everything written so far: the file holds the records from `firstKept` on. */
  restart(firstKept: number): void {
    // Writes still on their way land before the new end and are cut off at close (truncate).
    this.out = new ChunkWriter();
    this.position = 0;
    this.firstKept = firstKept;
    this.deflated.restart();
  }

  /**
   * Hands the completed pieces (with `all`, also the one begun) to the disk and to zlib; awaited
   * once per batch. The disk writes are not waited for one by one: on the thread pool they queue
   * behind the deflating of the store's three files, and the pass stood still meanwhile. It waits
   * only while more than WRITING bytes are on their way to disk, so memory stays bounded.
   */
  async flush(all = false): Promise<void> {
    for (const piece of all ? this.out.end() : this.out.take()) {
      const at = this.position;
      this.position += piece.length;
      this.writing += piece.length;
      const written = this.written.then(async () => {
        await this.handle.write(piece, 0, piece.length, at);
        this.writing -= piece.length;
      });
      this.written = written;
      // A failed write is thrown by the next flush or close, not left unhandled.
      written.catch(() => undefined);
      await this.deflated.write(piece);
      if (this.writing > WRITING) await this.written;
    }
  }

  async close(): Promise<void> {
    await this.flush(true);
    await this.written;
    // A restart leaves the earlier bytes behind the new end.
    await this.handle.truncate(this.position);
    await this.handle.close();
    await this.deflated.close();
    this.closed = true;
  }

  /** The spool is given up before the file was closed. */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.written.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await this.deflated.discard();
  }
}

/** One store's files: its JSON lines, and for the access archive its table's and CSV file's rows. */
export interface StoreFiles {
  json: SpoolFile;
  html: SpoolFile | null;
  csv: SpoolFile | null;
  /** The rows the pass dropped, made again after it (writeStaleRows). */
  stale: { html: SpoolFile | null; csv: SpoolFile | null };
  records: number;
}

export class AnswerSpool {
  private readonly stores = new Map<string, StoreFiles>();
  /** The store written last: the others' begun pieces go to disk, so that only its buffers are held. */
  private current: StoreFiles | null = null;
  private files = 0;

  private constructor(
    private readonly dir: string,
    private readonly rows: boolean,
  ) {}

  /**
   * A fresh folder named after this process (`rp-answer-<pid>-…`), so that a crash's leftover can
   * be told; with `rows`, every store also gets files for its table's and its CSV file's rows.
   * Every file gets a deflated copy made on the pass (DeflatedCopy).
   */
  static async create(parent = tmpdir(), { rows = false } = {}): Promise<AnswerSpool> {
    const dir = await mkdtemp(join(parent, `rp-answer-${process.pid}-`));
    liveSpools.add(dir);
    return new AnswerSpool(dir, rows);
  }

  private async newFile(): Promise<SpoolFile> {
    const path = join(this.dir, String(++this.files));
    const handle = await open(path, "wx", 0o600);
    const copy = `${path}.deflated`;
    return new SpoolFile(path, handle, new DeflatedCopy(copy, await open(copy, "wx", 0o600)));
  }

  /** The store's files, made at its first record. */
  async store(store: string): Promise<StoreFiles> {
    let files = this.stores.get(store);
    if (!files) {
      files = {
        json: await this.newFile(),
        html: this.rows ? await this.newFile() : null,
        csv: this.rows ? await this.newFile() : null,
        stale: { html: null, csv: null },
        records: 0,
      };
      this.stores.set(store, files);
    }
    if (files !== this.current) {
      if (this.current) await flushFiles(this.current, true);
      this.current = files;
    }
    return files;
  }

  /** Adds one JSON line (exportRecordJson) to the store's records. */
  addRecord(files: StoreFiles, line: string): void {
    files.json.write(files.records++ === 0 ? FIRST_RECORD : RECORD_SEPARATOR);
    files.json.write(line);
  }

  /** After each batch of the pass: what is complete goes to disk. */
  async flush(): Promise<void> {
    if (this.current) await flushFiles(this.current, false);
  }

  /** The pass is over: every store's records are on disk. */
  async closeRecords(): Promise<void> {
    for (const files of this.stores.values()) {
      await files.json.close();
      await files.html?.close();
      await files.csv?.close();
    }
  }

  /** The store's records as the JSON file lists them (between "[" and "\n  ]"). */
  recordBytes(store: string): AsyncGenerator<Buffer> {
    return bytesOf(this.stores.get(store)?.json);
  }

  /** The same, as an archive entry's part (with its deflated copy). */
  recordPart(store: string): SpooledPart {
    return spooledPart(this.stores.get(store)?.json);
  }

  /**
   * After the pass: the rows it dropped (made before the store's columns were all known) made
   * again from the store's first JSON lines, into a file of their own that goes before the kept
   * rows (`staleRowPart`). Almost always the first record or two, or none.
   */
  async writeStaleRows(
    store: string,
    kind: "html" | "csv",
    row: (record: ShownRecord, n: number) => string,
  ): Promise<void> {
    const files = this.stores.get(store);
    const stale = files?.[kind]?.firstKept ?? 0;
    if (!files || stale === 0) return;
    const file = await this.newFile();
    files.stale[kind] = file;
    let n = 0;
    for await (const records of this.records(store, stale)) {
      for (const record of records) file.write(row(record, ++n));
      await file.flush();
    }
    await file.close();
  }

  /** The rows writeStaleRows made (none where the pass kept them all). */
  staleRowPart(store: string, kind: "html" | "csv"): SpooledPart {
    return spooledPart(this.stores.get(store)?.stale[kind]);
  }

  /** The store's rows of index.html's table or of its CSV file from the first kept one on. */
  rowPart(store: string, kind: "html" | "csv"): SpooledPart {
    const file = this.stores.get(store)?.[kind];
    if (file === null) throw new Error(`answer spool: no ${kind} rows of store ${store}`);
    return spooledPart(file);
  }

  /**
   * The store's first `limit` records read back, in groups (the reader gives the event loop a turn
   * after each). Each record is parsed from its own line as its group is needed, so it dies young:
   * parsing a megabyte at once made strings too large for the young generation and kept a thousand
   * records alive across many turns, and the old generation filled with them (ADR 0006, peak RSS).
   */
  async *records(store: string, limit: number): AsyncGenerator<ShownRecord[]> {
    let group: ShownRecord[] = [];
    let rest: Buffer | null = null;
    let taken = 0;
    if (limit <= 0) return;
    for await (const piece of this.recordBytes(store)) {
      const bytes: Buffer = rest ? Buffer.concat([rest, piece]) : piece;
      // Every record starts on a line of its own and JSON.stringify writes no line break.
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
        if (end > start) {
          group.push(parseRecord(bytes, start, end));
          if (++taken === limit) {
            yield group;
            return;
          }
        }
        start = end + 1;
        if (group.length === GROUP) {
          yield group;
          group = [];
        }
      }
      rest = bytes.subarray(start);
    }
    if (rest && rest.length > 0) group.push(parseRecord(rest, 0, rest.length));
    if (group.length > 0) yield group;
  }

  async remove(): Promise<void> {
    for (const files of this.stores.values())
      for (const file of [files.json, files.html, files.csv, files.stale.html, files.stale.csv])
        await file?.discard();
    await rm(this.dir, { recursive: true, force: true });
    liveSpools.delete(this.dir);
  }
}

async function flushFiles(files: StoreFiles, all: boolean): Promise<void> {
  await files.json.flush(all);
  await files.html?.flush(all);
  await files.csv?.flush(all);
}

async function* bytesOf(file: { path: string } | null | undefined): AsyncGenerator<Buffer> {
  if (file) yield* createReadStream(file.path, { highWaterMark: READ_PIECE }) as AsyncIterable<Buffer>;
}

/** A store that had no record of the kind has no file: its part is empty. */
function spooledPart(file: SpoolFile | null | undefined): SpooledPart {
  if (!file)
    return new SpooledPart(
      0,
      () => bytesOf(null),
      () => bytesOf(null),
    );
  return new SpooledPart(
    file.size,
    () => bytesOf(file),
    () => bytesOf(file.deflated),
    file.path,
  );
}

/** The spools this process has open: never taken for a crash's leftovers. */
const liveSpools = new Set<string>();
const SPOOL_NAME = /^rp-answer-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Removes the spool folders of processes that ended without removing theirs (a crash or kill -9
 * during a download): at start-up, like the upload spool's folders (removeEndedProcessFolders).
 * A folder of a process still running is left alone, and so is any of this process's open spools;
 * a folder named after this process but not open is a leftover too (a restarted container's
 * process often has the crashed one's pid). Only the folders of this user are touched, never a
 * symbolic link. Returns how many were removed.
 */
export async function removeCrashedAnswerSpools(parent = tmpdir()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = SPOOL_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const dir = join(parent, name);
    if (liveSpools.has(dir) || (pid !== process.pid && isProcessRunning(pid))) continue;
    try {
      const info = await lstat(dir);
      if (!info.isDirectory() || info.uid !== process.getuid?.()) continue;
      await rm(dir, { recursive: true, force: true });
      removed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}

/** One record's line between `start` and `end`: the indent before it, a comma after all but the last. */
function parseRecord(bytes: Buffer, start: number, end: number): ShownRecord {
  const last = bytes[end - 1] === COMMA ? end - 1 : end;
  return shownRecord(
    JSON.parse(bytes.toString("utf8", start + INDENT, last)) as Parameters<typeof shownRecord>[0],
  );
}
