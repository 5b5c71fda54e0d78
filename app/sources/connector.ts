/**
 * The one contract every source store is reached through. A connector finds the records of a data
 * subject as a stream (never the whole store in memory), and where the store allows it erases,
 * restricts (legal hold) or rectifies them and sweeps what its retention rule has expired.
 */
import type { ProcessingActivityId } from "./activities";

export const STORE_KINDS = [
  "nginx-access-log",
  "login-jsonl",
  "retrieval-protocol-db",
  "servicedesk-db",
  "maildir",
  "call-records-csv",
  "records-management",
] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export type IdentifierKind = "email" | "name" | "phone" | "userName" | "ip" | "birthDate" | "postalAddress";

/** One identifier of the subject; `proven` when the person's control of it was verified. */
export interface SubjectIdentifier {
  value: string;
  proven?: boolean;
}

/** An IP address, optionally only within a time window (inclusive): shared addresses need one. */
export interface SubjectIp {
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
  | "security-authority"
  | "information-block"
  | "third-party-data"
  | "legal-hold"
  | "consent";

export interface MatchedIdentifier {
  kind: IdentifierKind;
  /** The subject's identifier that matched, as the subject gave it. */
  value: string;
  /** How the record writes it. */
  recordValue: string;
  proven: boolean;
}

export interface Finding {
  store: string;
  storeKind: StoreKind;
  processingActivityId: ProcessingActivityId;
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

/** What a finished scan reports beside its findings: malformed input and per-part problems. */
export interface ScanReport extends ScanProgress {
  findings: number;
  malformed: number;
  /** Clear messages for parts of the store that could not be read (a corrupt gzip file, …). */
  problems: string[];
}

export interface FindOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  onReport?: (report: ScanReport) => void;
}

/** A retention rule as the sweep needs it: is a record whose period started at `start` expired? */
export interface RetentionRule {
  isExpired(start: Date, now: Date): boolean;
}

/** One rule for the whole store, or one per processing activity (a ticket store holds two). */
export type SweepRules = RetentionRule | Partial<Record<ProcessingActivityId, RetentionRule>>;

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
}

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
  /** Sets (`hold` true) or lifts a legal hold; held records survive every sweep and erase. */
  restrict(refs: readonly string[], hold: boolean): Promise<ChangeResult>;
  rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult>;
  sweep(now: Date, rules: SweepRules): Promise<SweepResult>;
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

export function ruleFor(rules: SweepRules, activity: ProcessingActivityId): RetentionRule | undefined {
  if ("isExpired" in rules && typeof rules.isExpired === "function") return rules as RetentionRule;
  return (rules as Partial<Record<ProcessingActivityId, RetentionRule>>)[activity];
}

export function emptySweepResult(): SweepResult {
  return { deleted: 0, skippedOnHold: 0, skippedPendingArchive: 0, malformed: 0, oldestAffected: null, newestAffected: null };
}

export function noteAffected(result: SweepResult, at: Date): void {
  if (!result.oldestAffected || at < result.oldestAffected) result.oldestAffected = at;
  if (!result.newestAffected || at > result.newestAffected) result.newestAffected = at;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
