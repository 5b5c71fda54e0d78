/**
 * The lifecycle of a case (German: Vorgang), defined once: the database column, the staff filter,
 * the person's page, reminders and the dashboard all use these words. ADR 0015 explains the final
 * states per request kind.
 */
import type { RequestKindSlug } from "./request-kinds";

export const caseStatuses = [
  /** Submitted on the web, e-mail address not yet proven: not a case yet. */
  "unproven",
  /** Proven or taken in by staff: a case with a reference and a deadline. */
  "received",
  "gathering",
  "review",
  /** The review round was approved; the answer is not yet released. */
  "approved",
  /** Final: the answer (Art. 15, 20) was released to the person. */
  "answered",
  /** Final: what the case asked to be done (Art. 7(3), 16, 17, 18, 21) was decided, done and confirmed. */
  "carried-out",
  /** Final: the complaint (Art. 77) was forwarded to the supervisory authority, which answers it. */
  "forwarded",
  /** Final: refused as manifestly unfounded or excessive (Art. 12(5)). */
  "refused",
  /** Final: withdrawn by the person. */
  "withdrawn",
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** The states a case ends in, each reached by one defined action. */
export const finalCaseStatuses = [
  "answered",
  "carried-out",
  "forwarded",
  "refused",
  "withdrawn",
] as const satisfies readonly CaseStatus[];
export type FinalCaseStatus = (typeof finalCaseStatuses)[number];

/** Ended: the person can no longer add to or withdraw it, no deadline runs, the dashboard counts it closed. */
export function isFinalStatus(status: string): status is FinalCaseStatus {
  return (finalCaseStatuses as readonly string[]).includes(status);
}

/** What ends each request kind's part of a case. */
export type KindEnding = "answer" | "carry-out" | "forward";
const kindEnding: Readonly<Record<RequestKindSlug, KindEnding>> = {
  auskunft: "answer",
  datenuebertragung: "answer",
  berichtigung: "carry-out",
  loeschung: "carry-out",
  einschraenkung: "carry-out",
  widerspruch: "carry-out",
  widerruf: "carry-out",
  beschwerde: "forward",
};

/** Which parts of a case are done, as the database shows them. */
export type CaseProgress = Readonly<Record<KindEnding, boolean>>;

/**
 * The state a case ends in once every kind it asks for is done, or null while one is not. A case of
 * several kinds is named by the weightiest action: carrying out over answering over forwarding.
 */
export function finalStatusOf(
  kinds: readonly string[],
  progress: CaseProgress,
): Extract<FinalCaseStatus, "answered" | "carried-out" | "forwarded"> | null {
  const endings = new Set(
    kinds.filter((k): k is RequestKindSlug => k in kindEnding).map((k) => kindEnding[k]),
  );
  if (endings.size === 0) return null;
  for (const ending of endings) if (!progress[ending]) return null;
  if (endings.has("carry-out")) return "carried-out";
  if (endings.has("answer")) return "answered";
  return "forwarded";
}

/** Whether any kind of the case ends in this way (a case of several kinds may end in several). */
export function caseAsksFor(kinds: readonly string[], ending: KindEnding): boolean {
  return kinds.some((k) => k in kindEnding && kindEnding[k as RequestKindSlug] === ending);
}
