/**
 * The common part of every store that is a set of line files (web logs, login logs, call records):
 * streaming search with a byte prefilter, erase and sweep by atomic rewrite, legal hold by line hash,
 * references that survive rotation and compression, every change confirmed per reference.
 */
import type { StoreActivityId } from "#app/core/processing-activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindingFlag,
  type FindOptions,
  type JsonObject,
  type MatchedIdentifier,
  noteAffected,
  type RecordState,
  reportProblem,
  ruleFor,
  type ScanProblem,
  type ScanReport,
  type SourceConnector,
  type StoreCheck,
  StoreError,
  type StoreKind,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import {
  decodeLine,
  encodeLikeOriginal,
  foldersChanged,
  HoldList,
  isLeftover,
  lineHash,
  lineNumbersAt,
  lineRef,
  type ListedFolder,
  mayHoldRotatedLines,
  parseLineRef,
  readStoreDirectory,
  removeFile,
  rewriteLineFile,
  rotationBase,
  rotationFamily,
  scanLines,
  scanRecords,
  type StoreFile,
  type StoreListing,
} from "../files.server";
import { type BytePatterns, bytePatterns, unitePatterns } from "../byte-patterns";
import { type Participant, SharedPasses } from "../shared-pass.server";
import { type CompiledSubject, compileSubject } from "../subject";

export interface LineFormat<P> {
  kind: StoreKind;
  activity: StoreActivityId;
  /**
   * Which files of the store directory hold its records, told by the name with every rotation
   * mark taken off (`rotationBase`: access.log for access.log-20251008.gz). Any other file in the
   * directory is reported as not searched.
   */
  baseName: RegExp;
  /**
   * Byte patterns (and expressions) one of which a matching record must contain, searched before
   * a record is parsed; null when every record must be parsed.
   */
  prefilter(subject: CompiledSubject): BytePatterns | null;
  /** True while a record continues on the next line (an open quote of a CSV field holding a line break). */
  continues?(record: Buffer): boolean;
  /** Lines that are not records (a CSV header, also one repeated after rotation); neither findings nor malformed. */
  isHeader?(text: string): boolean;
  /** The parsed record, or null for a malformed line. The text has BOM and CR taken off. */
  parse(text: string): P | null;
  recordedAt(record: P): Date | null;
  match(
    record: P,
    subject: CompiledSubject,
  ): { identifier: MatchedIdentifier; role?: Finding["role"]; flags?: FindingFlag[] } | null;
  content(record: P, raw: string): JsonObject;
  /** Current values of the fields `rectify` may change. */
  fields?(record: P): Record<string, string | null>;
  /** The rewritten line, for stores that allow rectification. */
  rectify?(record: P, changes: Readonly<Record<string, string>>): string;
  rectifyFields?: readonly string[];
  /** Parallel file scans; the fastest setting for big logs is one per core. */
  concurrency?: number;
}

/** Where a reference's record is now. */
interface Located {
  file: StoreFile;
  offset: number;
  record: Buffer;
}

/** A search taking part in a pass over the store: its subject, its own patterns and its own report. */
interface Searcher {
  subject: CompiledSubject;
  patterns: BytePatterns | null;
  report: ScanReport;
  onProgress?: FindOptions["onProgress"];
  /** The files this search has read, by what they are (`fileIdentity`), not by their names. */
  seen: Set<string>;
}

/** How often a search lists the store again for files it has not read before it gives up on them. */
const RELISTS = 3;

interface PassSetup {
  files: StoreFile[];
  problems: ScanProblem[];
  /** The folders as listed, and when the listing began: to tell whether a file was renamed or added since. */
  folders: ListedFolder[];
  listedAt: number;
  holds: HoldList;
  total: number;
}

type Location = { found: Located } | { failure: string } | { absent: true };

interface Wanted {
  ref: string;
  rel: string;
  offset: number;
  hash: string;
}

export class LineStoreConnector<P> implements SourceConnector {
  readonly capabilities: ConnectorCapabilities;

  constructor(
    readonly id: string,
    private readonly root: string,
    private readonly format: LineFormat<P>,
  ) {
    this.capabilities = { erase: true, restrict: true, rectifyFields: format.rectifyFields ?? [] };
    this.passes = new SharedPasses<PassSetup, Searcher, Finding>({
      prepare: async () => {
        const listedAt = Date.now();
        const { files, problems, folders } = await this.listing();
        const holds = await HoldList.open(this.root);
        return {
          setup: {
            files,
            problems,
            folders,
            listedAt,
            holds,
            total: files.reduce((sum, f) => sum + f.size, 0),
          },
          units: files.length,
        };
      },
      admit: (setup, searcher) => {
        searcher.report.total = setup.total;
        for (const problem of setup.problems) reportProblem(searcher.report, problem);
      },
      read: (setup, unit, participants, signal) =>
        this.scanFile(setup.files[unit]!, setup.holds, participants, signal),
      concurrency: format.concurrency ?? 1,
    });
  }

  /** Every search of this store that runs at the same time shares one pass over its files (ADR 0021). */
  private readonly passes: SharedPasses<PassSetup, Searcher, Finding>;

  get kind(): StoreKind {
    return this.format.kind;
  }

  private listing(): Promise<StoreListing> {
    return readStoreDirectory(this.id, this.root, (rel) => this.format.baseName.test(rotationBase(rel).base));
  }

  private readonly accepts = (record: Buffer): boolean => this.format.parse(decodeLine(record).text) !== null;

  private records(
    file: StoreFile,
    signal?: AbortSignal,
    onBytes?: (bytes: number) => void,
    onOpened?: (identity: string) => void,
  ) {
    return scanRecords(file, {
      signal,
      onBytes,
      onOpened,
      continues: this.format.continues,
      accepts: this.accepts,
    });
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const patterns = compiled.isEmpty ? bytePatterns([]) : this.format.prefilter(compiled);
    const report: ScanReport = {
      unit: "bytes",
      scanned: 0,
      total: null,
      findings: 0,
      malformed: 0,
      problems: [],
    };
    if (patterns && patterns.patterns.length + patterns.expressions.length === 0) {
      // Nothing this subject could be found by: the store is listed (its problems are still told), not read.
      const { files, problems } = await this.listing();
      report.total = files.reduce((sum, f) => sum + f.size, 0);
      if (!compiled.isEmpty) report.scanned = report.total;
      for (const problem of problems) reportProblem(report, problem);
      options.onReport?.(report);
      return;
    }
    const searcher: Searcher = {
      subject: compiled,
      patterns,
      report,
      onProgress: options.onProgress,
      seen: new Set(),
    };
    const { setup, items } = await this.passes.join(searcher, options.signal);
    for await (const finding of items) {
      report.findings++;
      yield finding;
    }
    options.signal?.throwIfAborted();
    yield* this.unreadFiles(searcher, setup, options.signal);
    options.onReport?.(report);
  }

  /**
   * The files of the store this search has not read, by what they are (`fileIdentity`), read now
   * for it alone. The pass reads the files it listed by their names, and logrotate renames them
   * meanwhile: a search that joined the pass mid-way reads the files before the pass's position
   * last, after beaus-login.log may have become beaus-login.log.1, a name it had read already,
   * and a lone search misses a live log renamed to a name it never listed (a dateext rotation)
   * or one sorted before it (.10 before .9). While a folder of the store changed since it was
   * listed (`foldersChanged`: a file renamed, created or removed in it), the store is listed again
   * and the files the search has not read are read — at most RELISTS times, then the files still
   * new are reported as not searched (a store rewritten faster than it is read). Lines found twice
   * (a rotation copied what the search had read) are found under both names. Unchanged folders
   * cost a stat each: listing a store of 2 100 files took 0.2–0.35 s of CPU, each time.
   */
  private async *unreadFiles(
    searcher: Searcher,
    listed: Pick<PassSetup, "folders" | "listedAt">,
    signal?: AbortSignal,
  ): AsyncGenerator<Finding> {
    let { folders, listedAt } = listed;
    for (let round = 0; await foldersChanged(folders, listedAt); round++) {
      listedAt = Date.now();
      const listing = await this.listing();
      folders = listing.folders;
      const unread = listing.files.filter((file) => !searcher.seen.has(file.identity));
      if (round === RELISTS) {
        for (const file of unread)
          reportProblem(searcher.report, {
            where: file.rel,
            reason: "replaced again and again while the store was searched (log rotation?); not searched",
            unsearched: true,
          });
        return;
      }
      const holds = await HoldList.open(this.root);
      for (const file of unread) {
        searcher.report.total = (searcher.report.total ?? 0) + file.size;
        const found: Finding[] = [];
        const alone = {
          own: searcher,
          left: false,
          deliver: async (finding: Finding) => void found.push(finding),
        };
        await this.scanFile(file, holds, [alone], signal ?? new AbortController().signal);
        for (const finding of found) {
          searcher.report.findings++;
          yield finding;
        }
        signal?.throwIfAborted();
      }
    }
  }

  /**
   * One file read for every search taking part: the raw bytes are searched for the union of their
   * patterns, each candidate line is parsed once, and each search is offered exactly the lines that
   * hold one of its own patterns — the lines it would have read alone — and matches them by its own
   * rules. Every line, when the format has no prefilter. Where a record may span lines (a quoted
   * CSV field holding a line break) the records are split first and each record's bytes searched
   * before it is parsed: a line found alone could be the middle of a record. A record without a
   * pattern is not the subject's whatever it holds, so it is neither parsed nor, when malformed,
   * reported (as a search through grep would not).
   */
  private async scanFile(
    file: StoreFile,
    holds: HoldList,
    participants: readonly Participant<Searcher, Finding>[],
    signal: AbortSignal,
  ): Promise<void> {
    const prefiltered = participants.every((p) => p.own.patterns);
    const union = prefiltered ? unitePatterns(participants.map((p) => p.own.patterns!)) : null;
    const byRecord = union !== null && this.format.continues !== undefined;
    const single = participants.length === 1;
    // Malformed lines found through the prefilter have no line number yet: counted after the scan.
    const malformed = new Map<Searcher, { offset: number; lineNo?: number; reason?: string }[]>(
      participants.map((p) => [p.own, []]),
    );
    const onBytes = (bytes: number) => {
      for (const { own } of participants) {
        own.report.scanned += bytes;
        own.onProgress?.({ unit: "bytes", scanned: own.report.scanned, total: own.report.total });
      }
    };
    let complete = false;
    try {
      // Every search taking part has read this file, whatever its name is by the end of the pass.
      const onOpened = (identity: string) => {
        for (const { own } of participants) own.seen.add(identity);
      };
      const lines =
        union && !byRecord
          ? scanLines(file, { patterns: union, signal, onBytes, onOpened })
          : this.records(file, signal, onBytes, onOpened);
      for await (const { line, offset, lineNo, overlong } of lines) {
        if (overlong) {
          for (const { own } of participants) {
            own.report.malformed++;
            malformed.get(own)!.push({
              offset,
              lineNo,
              reason: "line too long to be a record (binary data?), not searched",
            });
          }
          continue;
        }
        if (byRecord && !union.occursIn(line)) continue;
        const concerned = participants.filter(
          (p) => !p.left && (single || !p.own.patterns || p.own.patterns.occursIn(line)),
        );
        if (concerned.length === 0) continue;
        const { text } = decodeLine(line);
        if (text.trim() === "" || this.format.isHeader?.(text)) continue;
        const record = this.format.parse(text);
        if (!record) {
          for (const { own } of concerned) {
            own.report.malformed++;
            malformed.get(own)!.push({ offset, lineNo });
          }
          continue;
        }
        // The line's bytes stay valid until the next line is asked for, deliveries included.
        let hash: string | null = null;
        for (const participant of concerned) {
          const hit = this.format.match(record, participant.own.subject);
          if (!hit) continue;
          hash ??= lineHash(line);
          const flags = [...(hit.flags ?? [])];
          if (holds.size && holds.has(hash) && !flags.includes("legal-hold")) flags.push("legal-hold");
          await participant.deliver({
            store: this.id,
            storeKind: this.format.kind,
            processingActivityId: this.format.activity,
            ref: lineRef(file.rel, offset, hash),
            matchedIdentifier: hit.identifier,
            unproven: !hit.identifier.proven,
            ...(hit.role ? { role: hit.role } : {}),
            flags,
            recordedAt: this.format.recordedAt(record),
            content: this.format.content(record, text),
          });
        }
      }
      complete = true;
    } catch (error) {
      if (signal.aborted) throw error;
      for (const { own } of participants)
        reportProblem(own.report, {
          where: file.rel,
          reason: `${describeReadError(error)}; the rest of this file was not searched`,
          unsearched: true,
        });
    }
    let numbers = new Map<number, number>();
    const unnumbered = [...malformed.values()]
      .flat()
      .filter((m) => m.lineNo === undefined)
      .map((m) => m.offset);
    if (unnumbered.length && complete)
      numbers = await lineNumbersAt(file, unnumbered, signal).catch(() => numbers);
    for (const [own, lines] of malformed)
      for (const m of lines) {
        const line = m.lineNo ?? numbers.get(m.offset);
        reportProblem(own.report, {
          where: file.rel,
          ...(line ? { line } : {}),
          reason: m.reason ?? "malformed record, not searched",
          unsearched: false,
        });
      }
  }

  // -------------------------------------------------------------------------------------------
  // Finding a reference again

  /**
   * Where each reference's record is now. A reference names file, offset and hash of the record:
   * the offset decides between identical records; when earlier records were erased meanwhile (the
   * offset moved) the first record with the hash is taken; when the file was rotated or compressed
   * (access.log → access.log.1 → access.log.2.gz, or a dateext name), the record is looked for by
   * its hash in the other files of the rotation family it can have been moved to. A reference that no readable file holds is
   * absent; if a file it could be in cannot be read, its state is a failure, never "absent".
   */
  private async locate(
    wanted: readonly Wanted[],
    files: readonly StoreFile[],
  ): Promise<Map<string, Location>> {
    const result = new Map<string, Location>();
    const byRel = new Map(files.map((f) => [f.rel, f]));
    const open = new Map<string, Wanted>(wanted.map((w) => [w.ref, w]));
    const taken = new Set<string>();
    const unreadable = new Map<string, string>();

    // With `exact`, only the records at the references' offsets are hashed (the usual case: nothing
    // moved since the search); every record is hashed only when one was not found there.
    const search = async (file: StoreFile, wants: Wanted[], exact: boolean): Promise<void> => {
      const hashes = new Set(wants.map((w) => w.hash));
      const offsets = new Set(wants.map((w) => w.offset));
      const atOffset = new Map<string, Located>();
      const firstByHash = new Map<string, Located[]>();
      try {
        for await (const { line, offset } of this.records(file)) {
          if (exact && !offsets.has(offset)) continue;
          const hash = lineHash(line);
          if (!hashes.has(hash)) continue;
          const located = { file, offset, record: Buffer.from(line) };
          atOffset.set(`${offset}:${hash}`, located);
          firstByHash.set(hash, [...(firstByHash.get(hash) ?? []), located]);
        }
      } catch (error) {
        unreadable.set(file.rel, describeReadError(error));
        return;
      }
      const assign = (w: Wanted, located: Located | undefined) => {
        if (!located) return;
        result.set(w.ref, { found: located });
        taken.add(`${located.file.rel}:${located.offset}`);
        open.delete(w.ref);
      };
      if (exact) {
        for (const w of wants) assign(w, atOffset.get(`${w.offset}:${w.hash}`));
        const moved = wants.filter((w) => open.has(w.ref));
        if (moved.length) await search(file, moved, false);
        return;
      }
      for (const w of wants) {
        if (!open.has(w.ref)) continue;
        assign(
          w,
          (firstByHash.get(w.hash) ?? []).find((l) => !taken.has(`${l.file.rel}:${l.offset}`)),
        );
      }
    };

    const byFile = new Map<string, Wanted[]>();
    for (const w of wanted) byFile.set(w.rel, [...(byFile.get(w.rel) ?? []), w]);
    for (const [rel, wants] of byFile) {
      const file = byRel.get(rel);
      if (file) await search(file, wants, true);
    }
    const byFamily = new Map<string, Wanted[]>();
    for (const w of open.values()) {
      if (unreadable.has(w.rel)) continue;
      const family = rotationFamily(w.rel);
      byFamily.set(family, [...(byFamily.get(family) ?? []), w]);
    }
    for (const [family, wants] of byFamily) {
      for (const file of files) {
        // Each file once more, for the references of the family that name another file.
        const rest = wants.filter(
          (w) => open.has(w.ref) && w.rel !== file.rel && mayHoldRotatedLines(w.rel, file.rel),
        );
        if (rest.length === 0 || rotationFamily(file.rel) !== family || unreadable.has(file.rel)) continue;
        await search(file, rest, false);
      }
    }
    for (const w of open.values()) {
      const ownFailure = unreadable.get(w.rel);
      const familyFailure = [...unreadable].find(
        ([rel]) => rotationFamily(rel) === rotationFamily(w.rel) && mayHoldRotatedLines(w.rel, rel),
      );
      if (ownFailure) result.set(w.ref, { failure: `${w.rel} cannot be read (${ownFailure})` });
      else if (familyFailure)
        result.set(w.ref, {
          failure: `not found in the readable files; ${familyFailure[0]} cannot be read (${familyFailure[1]})`,
        });
      else result.set(w.ref, { absent: true });
    }
    return result;
  }

  async inspect(refs: readonly string[]): Promise<Map<string, RecordState>> {
    const states = new Map<string, RecordState>();
    const holds = await HoldList.open(this.root);
    const wanted: Wanted[] = [];
    for (const ref of refs) {
      const parsed = parseLineRef(ref);
      if (parsed) wanted.push({ ref, ...parsed });
      else states.set(ref, { state: "unknown", reason: "not a reference of this store" });
    }
    let files: StoreFile[];
    try {
      files = (await this.listing()).files;
    } catch (error) {
      for (const w of wanted) states.set(w.ref, { state: "unknown", reason: (error as Error).message });
      return states;
    }
    const locations = await this.locate(wanted, files);
    for (const w of wanted) {
      const location = locations.get(w.ref)!;
      const held = holds.holdOf(w.hash);
      if ("failure" in location) states.set(w.ref, { state: "unknown", reason: location.failure });
      else if ("absent" in location) states.set(w.ref, { state: "absent", ...held });
      else {
        const record = this.format.parse(decodeLine(location.found.record).text);
        const fields = record && this.format.fields ? this.format.fields(record) : {};
        states.set(w.ref, { state: "present", ...held, fields });
      }
    }
    return states;
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.changeRecords(refs, () => null);
  }

  async rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult> {
    const rectify = this.format.rectify;
    if (!rectify) throw new UnsupportedOperationError(this.id, "rectification");
    const unknown = Object.keys(changes).filter((field) => !this.capabilities.rectifyFields.includes(field));
    if (unknown.length) throw new UnsupportedOperationError(this.id, `changing ${unknown.join(", ")}`);
    return this.changeRecords([ref], (record) => {
      const parsed = this.format.parse(decodeLine(record).text);
      if (!parsed) return { failure: "the record cannot be read, so it cannot be rectified" };
      return encodeLikeOriginal(record, rectify(parsed, changes));
    });
  }

  /**
   * Applies `change` to the referenced records, file by file: one file that cannot be read or
   * rewritten fails its references alone (named in `failures`), the others are still changed.
   * Held records are never changed. A reference counts as changed only once the rewritten file
   * has replaced the old one; one not found counts as not found.
   */
  private async changeRecords(
    refs: readonly string[],
    change: (record: Buffer) => Buffer | null | { failure: string },
  ): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    const holds = await HoldList.open(this.root);
    const wanted: Wanted[] = [];
    for (const ref of [...new Set(refs)]) {
      const parsed = parseLineRef(ref);
      if (!parsed) result.notFound++;
      else if (holds.has(parsed.hash)) result.skippedOnHold++;
      else wanted.push({ ref, ...parsed });
    }
    if (wanted.length === 0) return result;
    const { files } = await this.listing();
    const locations = await this.locate(wanted, files);
    const perFile = new Map<
      string,
      {
        file: StoreFile;
        targets: Map<number, { ref: string; hash: string; replacement: Buffer | null; done: boolean }>;
      }
    >();
    for (const w of wanted) {
      const location = locations.get(w.ref)!;
      if ("failure" in location) {
        result.failures.push({ ref: w.ref, reason: location.failure });
        continue;
      }
      if ("absent" in location) {
        result.notFound++;
        continue;
      }
      const { file, offset, record } = location.found;
      const replacement = change(record);
      if (replacement && !Buffer.isBuffer(replacement)) {
        result.failures.push({ ref: w.ref, reason: replacement.failure });
        continue;
      }
      if (replacement && replacement.equals(record)) continue; // already so: nothing to write
      const entry = perFile.get(file.rel) ?? { file, targets: new Map() };
      entry.targets.set(offset, { ref: w.ref, hash: w.hash, replacement, done: false });
      perFile.set(file.rel, entry);
    }
    for (const { file, targets } of perFile.values()) {
      try {
        await rewriteLineFile(
          this.id,
          file,
          (record, offset) => {
            const target = targets.get(offset);
            if (!target || target.done || lineHash(record) !== target.hash) return undefined;
            target.done = true;
            return target.replacement;
          },
          { continues: this.format.continues, accepts: this.accepts },
        );
        for (const [offset, target] of targets) {
          if (!target.done) {
            result.failures.push({
              ref: target.ref,
              reason: `${file.rel} changed while it was rewritten; try again`,
            });
            continue;
          }
          result.changed++;
          if (target.replacement) {
            result.moved = {
              ...(result.moved ?? {}),
              [target.ref]: lineRef(file.rel, offset, lineHash(target.replacement)),
            };
          }
        }
      } catch (error) {
        const reason =
          error instanceof StoreError
            ? error.message.replace(/^store "[^"]*": /, "")
            : `${file.rel}: ${describeReadError(error)}`;
        for (const target of targets.values()) result.failures.push({ ref: target.ref, reason });
      }
    }
    return result;
  }

  /**
   * A line is held by its hash, so the hold survives the line moving within its file or to a
   * rotated one. A hold is set only on a record the store holds; lifting needs no record.
   */
  async restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    const holds = await HoldList.open(this.root);
    const wanted: Wanted[] = [];
    for (const ref of [...new Set(refs)]) {
      const parsed = parseLineRef(ref);
      if (!parsed) result.notFound++;
      else if (!hold && holds.set(parsed.hash, false, holder, new Date())) result.changed++;
      else wanted.push({ ref, ...parsed });
    }
    if (wanted.length) {
      const locations = await this.locate(wanted, (await this.listing()).files);
      for (const w of wanted) {
        const location = locations.get(w.ref)!;
        if ("failure" in location) result.failures.push({ ref: w.ref, reason: location.failure });
        else if ("absent" in location) result.notFound++;
        else if (hold && holds.set(w.hash, true, holder, new Date())) result.changed++;
      }
    }
    if (result.changed) await holds.save();
    return result;
  }

  /**
   * Deletes the expired records of every file. A file that cannot be read or rewritten is left as
   * it is and named in the error thrown after all other files were swept. Leftovers of interrupted
   * rewrites are removed (a leftover searched in its missing original's place too).
   */
  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, this.format.activity);
    if (!rule) return result;
    const holds = await HoldList.open(this.root);
    const failed: string[] = [];
    for (const file of (await this.listing()).files) {
      if (file.orphanOf) {
        if (await isLeftover(file.abs))
          await removeFile(file.abs).catch((error) =>
            failed.push(`${file.rel}: ${describeReadError(error)}`),
          );
        continue;
      }
      try {
        await rewriteLineFile(
          this.id,
          file,
          (record) => {
            const { text } = decodeLine(record);
            if (text.trim() === "" || this.format.isHeader?.(text)) return undefined;
            const parsed = this.format.parse(text);
            const at = parsed ? this.format.recordedAt(parsed) : null;
            if (!at) {
              result.malformed++;
              return undefined;
            }
            if (!rule.isExpired(at, now)) return undefined;
            if (holds.size && holds.has(lineHash(record))) {
              result.skippedOnHold++;
              return undefined;
            }
            result.deleted++;
            noteAffected(result, at);
            return null;
          },
          {
            removeIfEmpty: rotationBase(file.rel).base !== file.rel.replace(/^.*\//, ""),
            continues: this.format.continues,
            accepts: this.accepts,
          },
        );
      } catch (error) {
        failed.push(
          error instanceof StoreError
            ? error.message.replace(/^store "[^"]*": /, "")
            : `${file.rel}: ${describeReadError(error)}`,
        );
      }
    }
    if (failed.length) {
      throw new StoreError(
        this.id,
        `sweep deleted ${result.deleted} expired records, but these files were not swept: ${failed.join("; ")}`,
      );
    }
    return result;
  }

  async check(): Promise<StoreCheck> {
    try {
      const { files, problems } = await this.listing();
      const compressed = files.filter((f) => f.gz).length;
      const unsearched = problems.filter((p) => p.unsearched).length;
      return {
        ok: true,
        detail: `${files.length} files (${compressed} compressed)${unsearched ? `, ${unsearched} files or links not searched` : ""}`,
      };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }

  async close(): Promise<void> {}
}

function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (
    e.code === "Z_DATA_ERROR" ||
    e.code === "Z_BUF_ERROR" ||
    /unexpected end of file|incorrect header check|invalid/i.test(e.message ?? "")
  ) {
    return `corrupt gzip data (${e.message})`;
  }
  if (e.code === "EACCES") return "no permission to read";
  if (e.code === "ENOENT") return "file disappeared during the search";
  return e.message ?? String(error);
}
