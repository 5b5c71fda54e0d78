/**
 * The approved review as the answer reads it: straight from the database, page by page, so that an
 * answer with 100 000 findings is written without ever holding them together in memory (the archive
 * reads them once; see app/server/answers/archive.server.ts).
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { findingDecisions, findings } from "#db/schema";
import { rowsOf } from "#db/statement";
import { redactionReasonOf } from "#app/core/restriction-grounds";
import type { Finding, JsonObject } from "#app/sources/connector";
import type { ReleasedFinding, ReleasedFindings } from "../answers/answer-input";
import { blankRedacted, redactedPaths } from "../answers/redaction";
import { contentHashOf } from "../gather/gather.server";
import { latestApprovedRound } from "../review/review.server";

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

/** Rows per page: two pages of parsed rows are in flight, and small ones die young (5 000 gave neither less time nor less memory than 1 000, ADR 0006). */
const PAGE = 250;

/**
 * One released finding as the database gives it: raw SQL, no ORM mapping, only the columns the
 * answer shows and the hash it was reviewed with (not the id, the stored hash or the suggestions).
 * The time comes as milliseconds since the epoch: drizzle leaves timestamps as text on postgres.js.
 */
interface ReleasedRow {
  store: string;
  store_kind: string;
  processing_activity_id: string;
  ref: string;
  role: string | null;
  flags: string[];
  unproven: boolean;
  matched: unknown;
  recorded_ms: number | null;
  content: JsonObject;
  redacted_fields: string[];
  ground_id: string | null;
  reviewed_hash: string;
}

function releasedFinding(row: ReleasedRow): ReleasedFinding {
  // A path names a member or an element of a list ("cc.2"); a log line's raw text goes with any of its fields.
  const paths = redactedPaths(row.content, row.redacted_fields);
  const content = blankRedacted(
    row.content,
    paths.map((field) => ({ field })),
  );
  const reasonCode = redactionReasonOf(row.ground_id);
  return {
    store: row.store,
    storeKind: row.store_kind as Finding["storeKind"],
    processingActivityId: row.processing_activity_id as Finding["processingActivityId"],
    ref: row.ref,
    matchedIdentifier: row.matched as Finding["matchedIdentifier"],
    unproven: row.unproven,
    role: (row.role ?? undefined) as Finding["role"],
    flags: row.flags as Finding["flags"],
    recordedAt: row.recorded_ms === null ? null : new Date(row.recorded_ms),
    content,
    redactions: paths.map((field) => ({ field, reasonCode })),
  };
}

/**
 * The released (and redacted) findings of the round, ordered by store and reference, read in
 * keyed pages along the unique index (run, store, ref). The answer reads them once (its archive
 * writes every file on that one pass, see app/server/answers/archive.server.ts).
 *
 * A pass over all findings checks each against the hash it was reviewed with — recomputed from
 * the row, not read from it — and throws ChangedSinceReview at the first difference. The findings
 * of a gathering are snapshots the portal never changes, so one check per answer guards against
 * changes behind its back without hashing every record twice.
 */
export function releasedFindingsOf(db: Db, round: ApprovedRound): ReleasedFindings {
  let checked = false;
  const page = async (
    store: string | undefined,
    after: { store: string; ref: string } | null,
  ): Promise<ReleasedRow[]> =>
    rowsOf<ReleasedRow>(
      await db.execute(sql`
        select f.store, f.store_kind, f.processing_activity_id, f.ref, f.role, f.flags, f.unproven,
          f.matched, (extract(epoch from f.recorded_at) * 1000)::float8 as recorded_ms, f.content,
          d.redacted_fields, d.ground_id, d.content_hash as reviewed_hash
        from ${findings} f
        join ${findingDecisions} d on d.finding_id = f.id and d.round_id = ${round.roundId}
        where f.run_id = ${round.runId} and d.decision <> 'withhold'
          ${store === undefined ? sql`` : sql`and f.store = ${store}`}
          ${after ? sql`and (f.store, f.ref) > (${after.store}, ${after.ref})` : sql``}
        order by f.store, f.ref
        limit ${PAGE}`),
    );
  async function* list(store?: string): AsyncGenerator<ReleasedFinding> {
    const check = !checked && store === undefined;
    let next: Promise<ReleasedRow[]> | null = page(store, null);
    while (next) {
      const rows: ReleasedRow[] = await next;
      const last = rows.at(-1);
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
        if (check && row.reviewed_hash !== contentHashOf(row.content)) throw new ChangedSinceReview();
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
