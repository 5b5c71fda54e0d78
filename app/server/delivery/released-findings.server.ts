/**
 * The approved review as the answer reads it: straight from the database, page by page, so that an
 * answer with 100 000 findings is written without ever holding them together in memory (the archive
 * reads them once for its summary and once per file; see app/server/answers/archive.server.ts).
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { findingDecisions, findings } from "#db/schema";
import { redactionReasonOf } from "#app/core/restriction-grounds";
import type { Finding, JsonObject } from "#app/sources/connector";
import type { ReleasedFinding, ReleasedFindings } from "../answers/answer-input";
import { blankRedacted, redactedPaths } from "../answers/redaction";
import { contentHashOf } from "../gather/gather.server";
import { latestApprovedRound } from "../review/review.server";

const PAGE = 1000;

/** A finding differs from the content it was reviewed with: nothing may be released unseen. */
export class ChangedSinceReview extends Error {
  constructor() {
    super("a finding changed since it was reviewed");
    this.name = "ChangedSinceReview";
  }
}

export interface ApprovedRound {
  roundId: string;
  runId: string;
}

/** The latest approved review round of the case: the one its answer rests on. */
export async function approvedRoundOf(db: Db, requestId: string): Promise<ApprovedRound | null> {
  const round = await latestApprovedRound(db, requestId);
  return round && { roundId: round.id, runId: round.runId };
}

/** The columns the answer shows: not the id, run, hash or suggestions, which every pass would parse for nothing. */
const releasedColumns = {
  store: findings.store,
  storeKind: findings.storeKind,
  processingActivityId: findings.processingActivityId,
  ref: findings.ref,
  role: findings.role,
  flags: findings.flags,
  unproven: findings.unproven,
  matched: findings.matched,
  recordedAt: findings.recordedAt,
  content: findings.content,
};

type ReleasedRow = {
  finding: { [K in keyof typeof releasedColumns]: (typeof findings.$inferSelect)[K] };
  redactedFields: string[];
  groundId: string | null;
  reviewedHash: string;
};

function releasedFinding({ finding, redactedFields, groundId }: ReleasedRow): ReleasedFinding {
  // A path names a member or an element of a list ("cc.2"); a log line's raw text goes with any of its fields.
  const paths = redactedPaths(finding.content as JsonObject, redactedFields);
  const content = blankRedacted(
    finding.content as JsonObject,
    paths.map((field) => ({ field })),
  );
  const reasonCode = redactionReasonOf(groundId);
  return {
    store: finding.store,
    storeKind: finding.storeKind as Finding["storeKind"],
    processingActivityId: finding.processingActivityId as Finding["processingActivityId"],
    ref: finding.ref,
    matchedIdentifier: finding.matched as Finding["matchedIdentifier"],
    unproven: finding.unproven,
    role: (finding.role ?? undefined) as Finding["role"],
    flags: finding.flags as Finding["flags"],
    recordedAt: finding.recordedAt,
    content,
    redactions: paths.map((field) => ({ field, reasonCode })),
  };
}

/**
 * The released (and redacted) findings of the round, ordered by store and reference: every call of
 * `list()` runs a keyed, paged query along the unique index (run, store, ref), so the passes of the
 * answer see the same findings in the same order.
 *
 * The first pass over all findings (the answer's summary, made before any byte is sent) also checks
 * each against the hash it was reviewed with — recomputed from the row, not read from it — and
 * throws ChangedSinceReview at the first difference. The findings of a gathering are snapshots the
 * portal never changes, so one check per answer guards against changes behind its back without
 * hashing every record on every pass.
 */
export function releasedFindingsOf(db: Db, round: ApprovedRound): ReleasedFindings {
  let checked = false;
  // async: a drizzle query runs each time it is awaited; the promise runs it once.
  const page = async (
    store: string | undefined,
    after: { store: string; ref: string } | null,
  ): Promise<ReleasedRow[]> =>
    db
      .select({
        finding: releasedColumns,
        redactedFields: findingDecisions.redactedFields,
        groundId: findingDecisions.groundId,
        reviewedHash: findingDecisions.contentHash,
      })
      .from(findings)
      .innerJoin(
        findingDecisions,
        and(eq(findingDecisions.findingId, findings.id), eq(findingDecisions.roundId, round.roundId)),
      )
      .where(
        and(
          eq(findings.runId, round.runId),
          ne(findingDecisions.decision, "withhold"),
          store === undefined ? undefined : eq(findings.store, store),
          after ? sql`(${findings.store}, ${findings.ref}) > (${after.store}, ${after.ref})` : undefined,
        ),
      )
      .orderBy(asc(findings.store), asc(findings.ref))
      .limit(PAGE);
  async function* list(store?: string): AsyncGenerator<ReleasedFinding> {
    const check = !checked && store === undefined;
    let next: Promise<ReleasedRow[]> | null = page(store, null);
    while (next) {
      const rows: ReleasedRow[] = await next;
      const last = rows.at(-1)?.finding;
      // The next page is asked for before this one is handed on: the database answers while the
      // archive formats and compresses, instead of both taking turns.
      next = rows.length === PAGE && last ? page(store, { store: last.store, ref: last.ref }) : null;
      // A page not taken (the reader stopped early) must not end as an unhandled rejection.
      next?.catch(() => {});
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        // Let go of each row once handed on: rows kept until the whole page is done would outlive
        // the young generation and fill the old one with garbage (RSS, not live memory, grows).
        rows[i] = undefined as never;
        if (check && row.reviewedHash !== contentHashOf(row.finding.content)) throw new ChangedSinceReview();
        yield releasedFinding(row);
      }
    }
    if (check) checked = true;
  }
  return { list };
}

/**
 * Fresh planner statistics for the tables the answer pages through. PGlite has no autovacuum, and on
 * PostgreSQL it may not have caught up with a large gathering and review: without statistics the
 * planner may sort the whole round for every page instead of walking the index (measured with
 * 100 000 findings on PostgreSQL: 28 s against 13 s for the download). Run once when an answer is
 * released; it samples, so it takes well under a second.
 */
export async function analyzeAnswerTables(db: Db): Promise<void> {
  await db.execute(sql`analyze ${findings}, ${findingDecisions}`);
}

/** One checking pass over the released findings (see releasedFindingsOf): throws ChangedSinceReview. */
export async function assertUnchangedSinceReview(db: Db, round: ApprovedRound): Promise<void> {
  for await (const _finding of releasedFindingsOf(db, round).list()) {
    // Reading is the check.
  }
}
