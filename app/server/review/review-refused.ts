import type { DecisionDifference } from "./decision-checks.server";

export type ReviewError =
  | "no-gathering"
  | "not-open"
  | "foreign-finding"
  | "unknown-ground"
  | "reasoning-required"
  | "review-date-required"
  | "reasons-not-omissible"
  | "unknown-field"
  | "undecided-findings"
  | "unknown-store"
  | "no-matching-findings"
  | "selection-changed"
  | "not-shown"
  | "changed-since-shown"
  | "confirmation-needed"
  | "not-proposed"
  | "own-proposal"
  | "own-decisions"
  | "stores-unsearched"
  | "gathering-running"
  | "nothing-unsearched"
  | "unknown-identifier"
  | "not-permitted";

/**
 * A review step the rules refuse. `difference` says what differs from what the reviewer saw or
 * what the decision would change, where that is the reason: the page shows it.
 */
export class ReviewRefused extends Error {
  constructor(
    readonly reason: ReviewError,
    readonly difference: DecisionDifference | null = null,
  ) {
    super(reason);
  }
}
