/**
 * The states a review moves through, as the database stores them and the staff pages show them:
 * each source store's search job (gather_store_jobs.status), a reviewer's decision on a finding
 * (finding_decisions.decision) and a review round (review_rounds.status).
 */
export const storeJobStates = ["queued", "running", "done", "failed"] as const;
export type StoreJobState = (typeof storeJobStates)[number];

export const findingDecisionKinds = ["release", "withhold", "redact"] as const;
export type FindingDecisionKind = (typeof findingDecisionKinds)[number];

export const reviewRoundStates = ["open", "proposed", "approved", "returned"] as const;
export type ReviewRoundState = (typeof reviewRoundStates)[number];
