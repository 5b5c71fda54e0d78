/**
 * What a case asks to be done to a finding in its store (Art. 16–18), and where each such action
 * stands, defined once: the database columns, the execution page, the case's end, the Art. 19
 * notices and their texts use these words.
 */

const findingActionKinds = ["erase", "restrict", "lift-restriction", "rectify"] as const;
export type FindingActionKind = (typeof findingActionKinds)[number];

/**
 * What a handler may propose: the kinds, and a restriction instead of erasure under § 22 ThürDSG
 * ("restrict-instead"), which is stored as a restriction with its ground.
 */
export const proposalKinds = [...findingActionKinds, "restrict-instead"] as const;
export type ProposalKind = (typeof proposalKinds)[number];

export const findingActionStatuses = [
  "proposed",
  /** Sent back by the second pair of eyes: proposing again is how the handler answers it. */
  "returned",
  /** Approved; a job carries it out. */
  "approved",
  /** Carried out and confirmed by reading the store again. */
  "done",
  /** Erasure refused for good (Art. 17(3)). */
  "refused",
  /** Erasure refused until a date (a retention duty): a job carries it out then. */
  "deferred",
  /** Erasure waits for the state archive's answer to the offer of the records. */
  "archive-offer",
  /** The store refused or could not be read again: retried, or resolved by hand. */
  "failed",
] as const;
export type FindingActionStatus = (typeof findingActionStatuses)[number];

/** Still under way: a second action of the same kind on the same finding would do it twice. */
export const openActionStatuses = [
  "proposed",
  "approved",
  "deferred",
  "archive-offer",
] as const satisfies readonly FindingActionStatus[];

/** Still to be decided or carried out: while one exists, nothing has been carried out in full. */
export const unsettledActionStatuses = [
  "proposed",
  "approved",
  "failed",
] as const satisfies readonly FindingActionStatus[];

/** Erasures whose outcome the person has been told: erased, kept (Art. 17(3)), due on a date, offered to the archive. */
export const settledErasureStatuses = [
  "done",
  "refused",
  "deferred",
  "archive-offer",
] as const satisfies readonly FindingActionStatus[];

/** Erasures that will still happen: the case keeps its data until they have. */
export const laterErasureStatuses = [
  "deferred",
  "archive-offer",
] as const satisfies readonly FindingActionStatus[];

/** Erasures not carried out now, each with the reason the person is told. */
export const heldErasureStatuses = [
  "deferred",
  "archive-offer",
  "refused",
] as const satisfies readonly FindingActionStatus[];

/** The actions whose recipients Art. 19 says must be told: all but lifting a restriction. */
export const art19ActionKinds = [
  "erase",
  "restrict",
  "rectify",
] as const satisfies readonly FindingActionKind[];
export type Art19ActionKind = (typeof art19ActionKinds)[number];

/** Whether a status or kind read from the database is one of the set: `isIn(openActionStatuses, action.status)`. */
export function isIn<S extends string>(set: readonly S[], value: string): value is S {
  return (set as readonly string[]).includes(value);
}

/** The archive's answers to an offer (§ 23 ThürDSG): it does not want the record, or has taken it over. */
export const archiveDecisions = ["not-archival", "transferred"] as const;
export type ArchiveDecision = (typeof archiveDecisions)[number];

/** Objection (Art. 21) and withdrawal of consent (Art. 7(3)), decided per processing activity. */
export const activityDecisionKinds = ["objection", "withdrawal"] as const;
export type ActivityDecisionKind = (typeof activityDecisionKinds)[number];

/** upheld: the processing stops; rejected: compelling grounds, a legal duty, legal claims. */
export const activityDecisionOutcomes = ["upheld", "rejected"] as const;
export type ActivityDecisionOutcome = (typeof activityDecisionOutcomes)[number];

/** Why the execution page refused what a member of staff asked for (texts: execution.errors). */
export type ExecutionRefusal =
  | "no-gathering"
  | "foreign-finding"
  | "foreign-action"
  | "already-open"
  | "kind-not-requested"
  | "section-22-ground-required"
  | "section-22-not-erasure"
  | "not-permitted"
  | "own-proposal"
  | "not-proposed"
  | "comment-required"
  | "changes-required"
  | "unknown-field"
  | "statement-required"
  | "not-restricted"
  | "reasoning-required"
  | "objection-not-applicable"
  | "not-consent-based"
  | "already-decided"
  | "unknown-activity"
  | "not-awaiting-archive"
  | "unknown-archive-decision"
  | "archive-date-invalid"
  | "archive-date-future"
  | "archive-date-before-approval"
  | "not-failed"
  | "note-required";

/** Every refusal the execution page words: a form it could not read, a store that did not confirm, and the refusals above. */
export type ExecutionPageError = ExecutionRefusal | "invalid" | "store-disagrees" | "store-unavailable";
