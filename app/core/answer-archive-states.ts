/**
 * The life of an answer's archive built at release and stored (ADR 0006): pending until its build
 * ends, then ready (sent from the stored pieces) or failed; deleted when the download period ends.
 * Anything but ready sends a download the on-demand way.
 */
export const answerArchiveStates = ["pending", "ready", "failed", "deleted"] as const;
export type AnswerArchiveState = (typeof answerArchiveStates)[number];

/** Why a stored archive failed or was deleted; kept on its row for logs and staff, in English. */
export type AnswerArchiveReason =
  "no-approved-review" | "changed-since-review" | "build-gave-up" | "download-period-ended";
