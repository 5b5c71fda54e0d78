/**
 * The one contract every source store is reached through. A connector finds the records of a data
 * subject as a stream (never the whole store in memory), and where the store allows it erases,
 * restricts (legal hold) or rectifies them and sweeps what its retention rule has expired.
 */
import type { StoreKind } from "../core/store-kinds";
import type { StoreActivityId } from "../core/processing-activities";
import type { SubjectIdentifierKind } from "../core/identifier-kinds";

// The kind a finding carries is the core's word (app/core/store-kinds.ts); connectors name it through this contract.
export type { StoreKind };

/** The identifiers a connector matches, in the subject's spelling (app/core/identifier-kinds.ts). */
export type IdentifierKind = SubjectIdentifierKind;

/** One identifier of the subject; `proven` when the person's control of it was verified. */
export interface SubjectIdentifier {
  value: string;
  proven?: boolean;
}

/** An IP address, optionally only within a time window (inclusive): shared addresses need one. */
interface SubjectIp {
  address: string;
  from?: Date;
  to?: Date;
  proven?: boolean;
}

export interface Subject {
  emails: SubjectIdentifier[];
  names: SubjectIdentifier[];
  phones: SubjectIdentifier[];
  userNames: SubjectIdentifier[];
  ips: SubjectIp[];
  /** "YYYY-MM-DD"; narrows name matches of looked-up persons, never matches alone. */
  birthDate?: string;
  postalAddresses: SubjectIdentifier[];
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Facts about a finding that the review must weigh (Art. 15(4), § 21 ThürDSG, § 51 BMG). */
export type FindingFlag =
  "security-authority" | "information-block" | "third-party-data" | "legal-hold" | "consent";

export interface MatchedIdentifier {
  kind: IdentifierKind;
  /** The subject's identifier that matched, as the subject gave it. */
  value: string;
  /** How the record writes it. */
  recordValue: string;
  proven: boolean;
  /**
   * The subject's identifiers that must all be proven for this match to prove the record is the
   * person's (ADR 0007): the matched one for an e-mail address, phone, user name, IP address or a
   * postal address (with the given name written out beside it); the name for a looked-up person
   * whose complete date of birth agrees; none for a name alone, an initial at an address or a date
   * that cannot tell — no proof can make those proven. A proof that arrives after the search
   * re-evaluates the finding by this list (`markFindingsProven`). Absent in findings stored before it.
   */
  provenBy?: { kind: IdentifierKind; value: string }[];
}

export interface Finding {
  store: string;
  storeKind: StoreKind;
  processingActivityId: StoreActivityId;
  /** Stable reference of the record inside its store; what erase/restrict/rectify take. */
  ref: string;
  matchedIdentifier: MatchedIdentifier;
  /** True when the record matched only through identifiers not proven to belong to the subject. */
  unproven: boolean;
  /** The subject's part in the record, where a record concerns several people. */
  role?: "subject" | "requester" | "looked-up" | "sender" | "recipient" | "cc" | "customer";
  flags: FindingFlag[];
  recordedAt: Date | null;
  /** The record's fields, JSON-safe; log lines also as `raw`. */
  content: JsonObject;
}

export interface ScanProgress {
  unit: "bytes" | "records";
  scanned: number;
  total: number | null;
}

/**
 * A part of a store that was not looked at, located for staff: which file (relative to the store's
 * root) or record, which line, and why. Never the record's content.
 */
export interface ScanProblem {
  /** The file relative to the store's root, a message reference or a record id. */
  where: string;
  /** 1-based line number in the (uncompressed) file, where the store has lines. */
  line?: number;
  /** Why, in plain words for the staff who run the store ("malformed record", "symbolic link out of the store", …). */
  reason: string;
  /** True when a whole part (a file, a folder, the rest of a file) was not searched; false for one skipped record. */
  unsearched: boolean;
}

/** How many problems one scan reports one by one; the rest are counted in `problemsOmitted`. */
const MAX_REPORTED_PROBLEMS = 200;

/**
 * How far a table's search index reached (ADR 0020): it covers the rows up to `coveredUpTo` (a row
 * id; null when it covers none yet, and every row is above it); the `newerRows` above it, and the
 * rows up to it noted as written or changed since they were indexed (`changedRows`; absent in
 * reports of retrieval protocols searched before their changes were noted), were read one by one.
 */
interface IndexCoverage {
  coveredUpTo: string | null;
  newerRows: number;
  changedRows?: number;
}

/**
 * How a database store was searched (ADR 0020): through its search index — of its one table, or of
 * each of its `tables` with its own mark, the counts summed over them — or by reading every row,
 * because the store has no index, one of an older key format, one the portal may not read, or one
 * whose record of changes has a gap. Either way every row was searched.
 */
export type IndexUse =
  | ({ via: "index" } & IndexCoverage)
  | { via: "index"; tables: ({ table: string } & IndexCoverage)[]; newerRows: number; changedRows: number }
  | { via: "scan"; reason: "missing" | "outdated" | "unreadable" | "untracked" };

/** How far an indexing run has come: rows indexed by it, of the rows above the mark it started from. */
export interface IndexProgress {
  indexed: number;
  total: number;
  /** The id of the last row indexed. */
  highWater: string;
}

/** What an indexing run did (ADR 0020). */
export interface IndexRun {
  /** Rows filed by this run. */
  indexed: number;
  /** Keys removed of rows the store no longer holds (noted as deleted). */
  pruned: number;
  highWater: string | null;
  /** The run stopped because another run of the same table was under way; that run goes on with the rest. */
  busy?: true;
}

/** What a finished scan reports beside its findings: malformed input and parts not searched. */
export interface ScanReport extends ScanProgress {
  findings: number;
  malformed: number;
  problems: ScanProblem[];
  /** Problems beyond MAX_REPORTED_PROBLEMS, counted only. */
  problemsOmitted?: number;
  /** Database stores with a search index: whether it was used, and how far it reached. */
  index?: IndexUse;
}

export function reportProblem(report: ScanReport, problem: ScanProblem): void {
  if (report.problems.length < MAX_REPORTED_PROBLEMS) report.problems.push(problem);
  else report.problemsOmitted = (report.problemsOmitted ?? 0) + 1;
}

/** A scan that left part of its store unsearched is partial: its findings may be incomplete. */
export function isPartial(report: ScanReport | null): boolean {
  return Boolean(report && (report.problems.some((p) => p.unsearched) || (report.problemsOmitted ?? 0) > 0));
}

export interface FindOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  onReport?: (report: ScanReport) => void;
}

/** The sweep's view of a retention rule of the core (app/core/retention.ts): is a record whose period started at `start` expired? */
export interface SweepRule {
  isExpired(start: Date, now: Date): boolean;
}

/** One rule for the whole store, or one per processing activity (a ticket store holds two). */
export type SweepRules = SweepRule | Partial<Record<StoreActivityId, SweepRule>>;

export interface SweepResult {
  deleted: number;
  skippedOnHold: number;
  /** Expired records that must first be offered to the public archive (§ 23 ThürDSG). */
  skippedPendingArchive: number;
  /** Records whose date could not be read; they are kept. */
  malformed: number;
  oldestAffected: Date | null;
  newestAffected: Date | null;
}

export interface ChangeResult {
  changed: number;
  notFound: number;
  skippedOnHold: number;
  /** References the store could not change (a corrupt file, a file that changed meanwhile), each with its reason; the rest of the batch was still done. */
  failures: { ref: string; reason: string }[];
  /** Old reference → new one, where the change gave the record a new reference (a rectified log line has a new hash). */
  moved?: Record<string, string>;
}

/**
 * What a store holds under a reference now, read again from the store: "done" is reported only
 * when this confirms it. `unknown` when the store could not tell (a corrupt file, no access).
 */
export type RecordState =
  | ({ state: "present"; fields: Readonly<Record<string, string | null>> } & Hold)
  | ({ state: "absent" } & Hold)
  | { state: "unknown"; reason: string };

/**
 * A record's legal hold: `held` while anyone holds it; `holders` names the cases that do (a hold
 * set before holds had owners is held by nobody named).
 */
export interface Hold {
  held: boolean;
  holders: readonly string[];
}

/** Whether a store can be reached and read, for staff and at start. */
export type StoreCheck = { ok: true; detail: string } | { ok: false; reason: string };

export interface ConnectorCapabilities {
  erase: boolean;
  restrict: boolean;
  /** Fields `rectify` may change; empty when the store does not allow rectification. */
  rectifyFields: readonly string[];
}

export interface SourceConnector {
  readonly id: string;
  readonly kind: StoreKind;
  readonly capabilities: ConnectorCapabilities;
  find(subject: Subject, options?: FindOptions): AsyncIterable<Finding>;
  erase(refs: readonly string[]): Promise<ChangeResult>;
  /**
   * Sets (`hold` true) or lifts `holder`'s legal hold (`holder`: the case's id); held records
   * survive every sweep and erase. A record stays held while any holder's hold remains: lifting
   * removes the lifter's own and an unowned one (set before holds had owners), never another's.
   */
  restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult>;
  rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult>;
  sweep(now: Date, rules: SweepRules): Promise<SweepResult>;
  /**
   * Reads the referenced records again, one state per reference (every reference of the call is a
   * key of the result). A record is found under its reference also after the store's normal life
   * moved it (log rotation and compression, a mail moved from new/ to cur/, a document file named
   * other than its id). `fields` holds the current values of the fields `rectify` may change.
   */
  inspect(refs: readonly string[]): Promise<Map<string, RecordState>>;
  /** Can the store be reached and read? Never throws. */
  check(): Promise<StoreCheck>;
  /**
   * Database stores: files the rows above the search index's mark under their search keys,
   * resumable (ADR 0020). Returns the rows indexed by this run, the keys of rows the store no
   * longer holds that were removed, and the mark (null: the index covers no row, the table is empty).
   */
  buildIndex?(options?: {
    signal?: AbortSignal;
    onProgress?: (progress: IndexProgress) => void;
  }): Promise<IndexRun>;
  /** Releases connections and handles; the connector is not used afterwards. */
  close(): Promise<void>;
}

/** A store-level failure with a message fit for the staff who run the store. */
export class StoreError extends Error {
  constructor(
    readonly store: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`store "${store}": ${message}`, options);
    this.name = "StoreError";
  }
}

export class UnsupportedOperationError extends StoreError {
  constructor(store: string, operation: string) {
    super(store, `${operation} is not possible in this store`);
    this.name = "UnsupportedOperationError";
  }
}

export function ruleFor(rules: SweepRules, activity: StoreActivityId): SweepRule | undefined {
  if ("isExpired" in rules && typeof rules.isExpired === "function") return rules as SweepRule;
  return (rules as Partial<Record<StoreActivityId, SweepRule>>)[activity];
}

export function emptySweepResult(): SweepResult {
  return {
    deleted: 0,
    skippedOnHold: 0,
    skippedPendingArchive: 0,
    malformed: 0,
    oldestAffected: null,
    newestAffected: null,
  };
}

export function noteAffected(result: SweepResult, at: Date): void {
  if (!result.oldestAffected || at < result.oldestAffected) result.oldestAffected = at;
  if (!result.newestAffected || at > result.newestAffected) result.newestAffected = at;
}
