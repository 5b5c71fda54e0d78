/**
 * The answer's one pass over its findings writes each store's JSON lines to a temporary folder
 * (`rp-answer-…` in the system's temporary directory, removed when the archive is written or
 * given up): the archive's JSON file is then these bytes as they are, and index.html and the CSV
 * file read them back — one JSON.parse per line, not a database query per page and file. What
 * depends on all findings (the summary: counts, which columns a CSV file has) is known only after
 * the pass, so nothing of the archive can be written during it, and the findings need not be held
 * in memory either.
 */
import { createReadStream } from "node:fs";
import { type FileHandle, lstat, mkdtemp, open, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessRunning } from "#db/process-alive";
import { ChunkWriter } from "./chunk-writer";
import { shownRecord, type ShownRecord } from "./record-format";

/** Before every JSON line but the first, as the archive's JSON file separates its records. */
export const RECORD_SEPARATOR = ",\n    ";
const FIRST_RECORD = "\n    ";
const NEWLINE = 0x0a;
const COMMA = 0x2c;
/** The spaces before each record's line (FIRST_RECORD, RECORD_SEPARATOR). */
const INDENT = 4;
const READ_PIECE = 1024 * 1024;
/** Records are handed on in groups: the reader gives the compressor's callbacks a turn after each. */
const GROUP = 64;

/** A file written through 512 KiB pieces. */
class SpoolFile {
  private readonly out = new ChunkWriter();
  records = 0;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  write(text: string): void {
    this.out.write(text);
  }

  /** Writes the completed pieces; awaited once per batch, so the pass never holds more than a piece or two. */
  async flush(): Promise<void> {
    const pieces = this.out.take();
    for (const piece of pieces) await this.handle.write(piece);
  }

  async close(): Promise<void> {
    for (const piece of this.out.end()) await this.handle.write(piece);
    await this.handle.close();
  }
}

export class AnswerSpool {
  private readonly json = new Map<string, SpoolFile>();
  private readonly csv = new Map<string, SpoolFile>();
  private files = 0;

  private constructor(private readonly dir: string) {}

  /** A fresh folder named after this process (`rp-answer-<pid>-…`), so that a crash's leftover can be told. */
  static async create(parent = tmpdir()): Promise<AnswerSpool> {
    const dir = await mkdtemp(join(parent, `rp-answer-${process.pid}-`));
    liveSpools.add(dir);
    return new AnswerSpool(dir);
  }

  private async newFile(): Promise<SpoolFile> {
    const path = join(this.dir, String(++this.files));
    return new SpoolFile(path, await open(path, "wx", 0o600));
  }

  /** Adds one JSON line (exportRecordJson) to the store's records. */
  async addRecord(store: string, line: string): Promise<void> {
    let file = this.json.get(store);
    if (!file) {
      file = await this.newFile();
      this.json.set(store, file);
    }
    file.write(file.records++ === 0 ? FIRST_RECORD : RECORD_SEPARATOR);
    file.write(line);
  }

  /** After each batch of the pass: what is complete goes to disk. */
  async flush(): Promise<void> {
    for (const file of this.json.values()) await file.flush();
  }

  /** The pass is over: every store's records are on disk. */
  async closeRecords(): Promise<void> {
    for (const file of this.json.values()) await file.close();
  }

  /** The store's records as the JSON file lists them (between "[" and "\n  ]"). */
  async *recordBytes(store: string): AsyncGenerator<Buffer> {
    const file = this.json.get(store);
    if (file) yield* createReadStream(file.path, { highWaterMark: READ_PIECE }) as AsyncIterable<Buffer>;
  }

  /**
   * The store's records read back, in groups (the reader gives the event loop a turn after each).
   * Each record is parsed from its own line as its group is needed, so it dies young: parsing a
   * megabyte at once made strings too large for the young generation and kept a thousand records
   * alive across many turns, and the old generation filled with them (ADR 0006, peak RSS).
   */
  async *records(store: string): AsyncGenerator<ShownRecord[]> {
    let group: ShownRecord[] = [];
    let rest: Buffer | null = null;
    for await (const piece of this.recordBytes(store)) {
      const bytes: Buffer = rest ? Buffer.concat([rest, piece]) : piece;
      // Every record starts on a line of its own and JSON.stringify writes no line break.
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
        if (end > start) group.push(parseRecord(bytes, start, end));
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

  /** A file of the store's CSV rows, written while index.html is (both read the records once). */
  async csvFile(store: string): Promise<SpoolFile> {
    const file = await this.newFile();
    this.csv.set(store, file);
    return file;
  }

  async *csvBytes(store: string): AsyncGenerator<Buffer> {
    const file = this.csv.get(store);
    if (!file) throw new Error(`answer spool: no CSV rows of store ${store}`);
    yield* createReadStream(file.path, { highWaterMark: READ_PIECE }) as AsyncIterable<Buffer>;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    liveSpools.delete(this.dir);
  }
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
