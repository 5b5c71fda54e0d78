/**
 * The common part of every store that is a set of line files (web logs, login logs, call records):
 * streaming search with a byte prefilter, erase and sweep by atomic rewrite, legal hold by line hash.
 */
import type { ProcessingActivityId } from "../activities";
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
  ruleFor,
  type ScanReport,
  type SourceConnector,
  type StoreKind,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import {
  HoldList,
  lineHash,
  lineRef,
  listStoreFiles,
  mergeConcurrent,
  parseLineRef,
  rewriteLineFile,
  scanLines,
  type StoreFile,
} from "../files.server";
import { type CompiledSubject, compileSubject } from "../subject";

export interface LineFormat<P> {
  kind: StoreKind;
  activity: ProcessingActivityId;
  files: RegExp;
  /** Byte patterns a matching line must contain; null when every line must be parsed. */
  prefilter(subject: CompiledSubject): Buffer[] | null;
  /** Lines that are not records (a CSV header); they are neither findings nor malformed. */
  isHeader?(line: string, offset: number): boolean;
  /** The parsed record, or null for a malformed line. */
  parse(line: string): P | null;
  recordedAt(record: P): Date | null;
  match(record: P, subject: CompiledSubject): { identifier: MatchedIdentifier; role?: Finding["role"]; flags?: FindingFlag[] } | null;
  content(record: P, raw: string): JsonObject;
  /** The rewritten line, for stores that allow rectification. */
  rectify?(record: P, changes: Readonly<Record<string, string>>): string;
  rectifyFields?: readonly string[];
  /** Parallel file scans; the fastest setting for big logs is one per core. */
  concurrency?: number;
}

export class LineStoreConnector<P> implements SourceConnector {
  readonly capabilities: ConnectorCapabilities;

  constructor(
    readonly id: string,
    private readonly root: string,
    private readonly format: LineFormat<P>,
  ) {
    this.capabilities = { erase: true, restrict: true, rectifyFields: format.rectifyFields ?? [] };
  }

  get kind(): StoreKind {
    return this.format.kind;
  }

  private files(): Promise<StoreFile[]> {
    return listStoreFiles(this.id, this.root, this.format.files);
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const files = await this.files();
    const report: ScanReport = { unit: "bytes", scanned: 0, total: files.reduce((sum, f) => sum + f.size, 0), findings: 0, malformed: 0, problems: [] };
    if (compiled.isEmpty) {
      options.onReport?.(report);
      return;
    }
    const patterns = this.format.prefilter(compiled);
    if (patterns && patterns.length === 0) {
      report.scanned = report.total ?? 0;
      options.onReport?.(report);
      return;
    }
    const onBytes = (bytes: number) => {
      report.scanned += bytes;
      options.onProgress?.({ unit: "bytes", scanned: report.scanned, total: report.total });
    };
    const perFile = (file: StoreFile) => () => this.scanFile(file, compiled, patterns, options.signal, onBytes, report);
    for await (const finding of mergeConcurrent(files.map(perFile), this.format.concurrency ?? 1)) {
      report.findings++;
      yield finding;
    }
    options.signal?.throwIfAborted();
    options.onReport?.(report);
  }

  private async *scanFile(
    file: StoreFile,
    subject: CompiledSubject,
    patterns: Buffer[] | null,
    signal: AbortSignal | undefined,
    onBytes: (bytes: number) => void,
    report: ScanReport,
  ): AsyncGenerator<Finding> {
    try {
      for await (const { line, offset } of scanLines(file, { patterns, signal, onBytes })) {
        const text = line.toString("utf8");
        if (this.format.isHeader?.(text, offset)) continue;
        const record = this.format.parse(text);
        if (!record) {
          report.malformed++;
          continue;
        }
        const hit = this.format.match(record, subject);
        if (!hit) continue;
        yield {
          store: this.id,
          storeKind: this.format.kind,
          processingActivityId: this.format.activity,
          ref: lineRef(file.rel, offset, lineHash(line)),
          matchedIdentifier: hit.identifier,
          unproven: !hit.identifier.proven,
          ...(hit.role ? { role: hit.role } : {}),
          flags: hit.flags ?? [],
          recordedAt: this.format.recordedAt(record),
          content: this.format.content(record, text),
        };
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      report.problems.push(`${file.rel}: ${describeReadError(error)}; the rest of this file was not searched`);
    }
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.changeLines(refs, () => null);
  }

  async rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult> {
    const rectify = this.format.rectify;
    if (!rectify) throw new UnsupportedOperationError(this.id, "rectification");
    const unknown = Object.keys(changes).filter((field) => !this.capabilities.rectifyFields.includes(field));
    if (unknown.length) throw new UnsupportedOperationError(this.id, `changing ${unknown.join(", ")}`);
    return this.changeLines([ref], (line) => {
      const record = this.format.parse(line.toString("utf8"));
      return record ? Buffer.from(rectify(record, changes)) : undefined;
    });
  }

  /**
   * Applies `change` to the referenced lines. A reference names file, offset and line hash; the
   * offset decides between identical lines, and when earlier lines were erased meanwhile (offsets
   * moved) the first line with the hash is taken. Held lines are never changed.
   */
  private async changeLines(refs: readonly string[], change: (line: Buffer) => Buffer | null | undefined): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0 };
    const holds = await HoldList.open(this.root);
    const byFile = new Map<string, { offset: number; hash: string; done: boolean }[]>();
    for (const ref of refs) {
      const parsed = parseLineRef(ref);
      if (!parsed) {
        result.notFound++;
        continue;
      }
      if (holds.has(parsed.hash)) {
        result.skippedOnHold++;
        continue;
      }
      byFile.set(parsed.rel, [...(byFile.get(parsed.rel) ?? []), { ...parsed, done: false }]);
    }
    const files = new Map((await this.files()).map((f) => [f.rel, f]));
    for (const [rel, wanted] of byFile) {
      const file = files.get(rel);
      if (!file) {
        result.notFound += wanted.length;
        continue;
      }
      for (const exact of [true, false]) {
        const open = wanted.filter((w) => !w.done);
        if (open.length === 0) break;
        await rewriteLineFile(this.id, file, (line, offset) => {
          const hash = lineHash(line);
          const target = open.find((w) => !w.done && w.hash === hash && (!exact || w.offset === offset));
          if (!target) return undefined;
          const replacement = change(line);
          if (replacement === undefined) return undefined;
          target.done = true;
          result.changed++;
          return replacement;
        });
      }
      result.notFound += wanted.filter((w) => !w.done).length;
    }
    return result;
  }

  async restrict(refs: readonly string[], hold: boolean): Promise<ChangeResult> {
    // A line is held by its hash, so the hold survives the line moving within its file.
    const hashes = refs.map((ref) => parseLineRef(ref)?.hash).filter((hash): hash is string => hash !== undefined);
    return { changed: await HoldList.update(this.root, hashes, hold), notFound: refs.length - hashes.length, skippedOnHold: 0 };
  }

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, this.format.activity);
    if (!rule) return result;
    const holds = await HoldList.open(this.root);
    for (const file of await this.files()) {
      await rewriteLineFile(
        this.id,
        file,
        (line, offset) => {
          const text = line.toString("utf8");
          if (this.format.isHeader?.(text, offset) || text.length === 0) return undefined;
          const record = this.format.parse(text);
          const at = record ? this.format.recordedAt(record) : null;
          if (!at) {
            result.malformed++;
            return undefined;
          }
          if (!rule.isExpired(at, now)) return undefined;
          if (holds.size && holds.has(lineHash(line))) {
            result.skippedOnHold++;
            return undefined;
          }
          result.deleted++;
          noteAffected(result, at);
          return null;
        },
        { removeIfEmpty: file.gz },
      );
    }
    return result;
  }
}

export function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR" || /unexpected end of file|incorrect header check|invalid/i.test(e.message ?? "")) {
    return `corrupt gzip data (${e.message})`;
  }
  if (e.code === "EACCES") return "no permission to read";
  if (e.code === "ENOENT") return "file disappeared during the search";
  return e.message ?? String(error);
}
