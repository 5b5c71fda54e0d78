import { type SQL, and, asc, count, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  findingDecisions,
  findings,
  requestIdentifiers,
  requests,
  reviewRounds,
  staffUsers,
} from "#db/schema";
import {
  type FindingState,
  type FindingsView,
  findingStates,
  suggestionFilterValues,
} from "#app/core/findings-view";
import type { Lang } from "#app/i18n";
import type { AssuranceLevel, ProofSource } from "#app/core/identity-proof";
import { isIdentifierKind, subjectKindOf } from "#app/core/identifier-kinds";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { compareWithPrevious, gatherProgress } from "../gather/gather.server";
import { printJobsOf } from "../print/print-queue.server";
import { findingsWhere } from "../review/review.server";

/**
 * Findings shown on one page. Larger cases are paged and filtered (by store, by suggestion, by the
 * state of the decision), and decided in groups: a decision for all findings a filter matches.
 * 100, not more: each row renders its record's fields, and 500 rows made a page of 3.7 MB that took
 * seconds to render (npm run bench -- review-20k).
 */
export const findingsPageSize = 100;

/** Why the findings of a view cannot be shown: a value the page does not offer, or a store the case does not have. */
type FindingsViewError = "invalid-filter" | "unknown-store";

/**
 * Everything the staff case page shows, with the findings of one view: a page of the findings the
 * view's filter matches, and the counts to choose the next view by. A null view is a query the
 * page could not read.
 */
export async function loadStaffCase(db: Db, requestId: string, view: FindingsView | null) {
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  if (!request || !request.reference) return null;
  const identifiers = await db
    .select()
    .from(requestIdentifiers)
    .where(eq(requestIdentifiers.requestId, requestId))
    .orderBy(asc(requestIdentifiers.createdAt));
  const gathering = await gatherProgress(db, requestId);
  const [round] = gathering
    ? await db
        .select()
        .from(reviewRounds)
        .where(eq(reviewRounds.runId, gathering.run.id))
        .orderBy(desc(reviewRounds.createdAt))
        .limit(1)
    : [];
  const { rows, ...listing } = await findingsOfView(db, gathering?.run.id ?? null, round?.id ?? null, view);
  const decisions =
    round && rows.length > 0
      ? await db
          .select()
          .from(findingDecisions)
          .where(
            and(
              eq(findingDecisions.roundId, round.id),
              inArray(
                findingDecisions.findingId,
                rows.map((r) => r.id),
              ),
            ),
          )
      : [];
  const names = await db.select({ id: staffUsers.id, displayName: staffUsers.displayName }).from(staffUsers);
  const nameOf = (id: string | null) => names.find((n) => n.id === id)?.displayName ?? null;
  return {
    request,
    assignee: nameOf(request.assigneeId),
    identifiers,
    gathering,
    comparison: gathering ? await compareWithPrevious(db, requestId, gathering.run.version) : null,
    round: round
      ? { ...round, proposedByName: nameOf(round.proposedBy), decidedByName: nameOf(round.decidedBy) }
      : null,
    listing,
    findings: rows.map((row) => ({
      ...row,
      decision: decisions.find((d) => d.findingId === row.id) ?? null,
      proof: proofBehind(row.matched, identifiers),
    })),
    /** Letters to a person who wrote by post: until staff record the dispatch day, nothing was sent (ADR 0009). */
    letters: await printJobsOf(db, requestId),
  };
}

/**
 * What proves the identifier a proven match came through (issue 19): the review shows whether an
 * e-mail code, the identity provider (with its level) or a staff check backs it. Null for a match
 * that proves nothing (held back as "identity unconfirmed").
 */
function proofBehind(
  matched: unknown,
  identifiers: readonly (typeof requestIdentifiers.$inferSelect)[],
): { source: ProofSource; level: AssuranceLevel | null } | null {
  const match = matched as { kind?: string; value?: string; proven?: boolean } | null;
  if (!match?.proven) return null;
  const identifier = identifiers.find(
    (i) => isIdentifierKind(i.kind) && subjectKindOf[i.kind] === match.kind && i.value === match.value,
  );
  return identifier?.proofSource ? { source: identifier.proofSource, level: identifier.proofLevel } : null;
}

/**
 * The counts of a run's findings (in all, per store, per decision state, per suggestion), how many
 * the view's filter matches, and the view's page of them. A page beyond the last is empty: after a
 * group decision the findings of an "undecided" view move out of it.
 */
async function findingsOfView(
  db: Db,
  runId: string | null,
  roundId: string | null,
  view: FindingsView | null,
) {
  const filter = view?.filter ?? {};
  const page = view?.page ?? 1;
  const stores: { store: string; total: number; undecided: number }[] = [];
  const states = Object.fromEntries(findingStates.map((state) => [state, 0])) as Record<FindingState, number>;
  const suggestions: { value: (typeof suggestionFilterValues)[number]; count: number }[] = [];
  const result = (
    error: FindingsViewError | null,
    matching = 0,
    rows: (typeof findings.$inferSelect)[] = [],
  ) => ({
    filter,
    page,
    pageSize: findingsPageSize,
    pageCount: Math.max(1, Math.ceil(matching / findingsPageSize)),
    matching,
    total: stores.reduce((sum, s) => sum + s.total, 0),
    undecided: states.undecided,
    stores,
    states,
    suggestions,
    error,
    rows,
  });
  if (!runId) return result(view === null ? "invalid-filter" : filter.store ? "unknown-store" : null);

  // Every count the page shows, in one pass over the run: the findings per store, decision state and
  // the suggestion filters each one meets (tested as findingsWhere tests them, so a count is the size
  // of the group its filter then decides). The view's own count is summed from the same groups.
  const marked = db
    .select({
      store: findings.store,
      state: sql<string>`coalesce(${findingDecisions.decision}, 'undecided')`.as("state"),
      ...Object.fromEntries(
        suggestionFilterValues.map((value, i) => [
          `s${i}`,
          sql<boolean>`${findingsWhere(runId, roundId, { suggestion: value })}`.as(`s${i}`),
        ]),
      ),
    })
    .from(findings)
    .leftJoin(
      findingDecisions,
      and(
        eq(findingDecisions.findingId, findings.id),
        roundId ? eq(findingDecisions.roundId, roundId) : sql`false`,
      ),
    )
    .where(eq(findings.runId, runId))
    .as("marked");
  const markColumns = suggestionFilterValues.map(
    (_, i) => (marked as unknown as Record<string, SQL.Aliased<boolean>>)[`s${i}`]!,
  );
  const groups = await db
    .select({
      store: marked.store,
      state: marked.state,
      marks: sql<boolean[]>`array[${sql.join(markColumns, sql`, `)}]`,
      n: count(),
    })
    .from(marked)
    .groupBy(marked.store, marked.state, ...markColumns)
    .orderBy(marked.store);
  const suggestionCounts = new Map<string, number>();
  let matching = 0;
  for (const { store, state, marks, n } of groups) {
    let entry = stores.find((s) => s.store === store);
    if (!entry) stores.push((entry = { store, total: 0, undecided: 0 }));
    entry.total += n;
    if (state === "undecided") entry.undecided += n;
    if (state in states) states[state as FindingState] += n;
    suggestionFilterValues.forEach((value, i) => {
      if (marks[i]) suggestionCounts.set(value, (suggestionCounts.get(value) ?? 0) + n);
    });
    const suggestionMet = !filter.suggestion || marks[suggestionFilterValues.indexOf(filter.suggestion)];
    if (
      (!filter.store || filter.store === store) &&
      (!filter.state || filter.state === state) &&
      suggestionMet
    )
      matching += n;
  }
  for (const value of suggestionFilterValues)
    suggestions.push({ value, count: suggestionCounts.get(value) ?? 0 });

  if (view === null) return result("invalid-filter");
  if (filter.store && !stores.some((s) => s.store === filter.store)) return result("unknown-store");
  const where = findingsWhere(runId, roundId, filter);
  // Store and reference are unique within a run: the order is total, the pages do not overlap.
  const order = [asc(findings.store), asc(findings.recordedAt), asc(findings.ref)];
  // The page is chosen on narrow rows and only its findings are read whole: sorting 20 000 rows
  // with their records spilled to disk and took 0.4 s for a late page.
  const pageIds = db
    .select({ id: findings.id })
    .from(findings)
    .where(where)
    .orderBy(...order)
    .limit(findingsPageSize)
    .offset((page - 1) * findingsPageSize);
  const rows = await db
    .select()
    .from(findings)
    .where(inArray(findings.id, pageIds))
    .orderBy(...order);
  return result(null, matching, rows);
}

/** The language the person's letters are written in. */
export async function caseLanguage(db: Db, requestId: string): Promise<Lang> {
  const [row] = await db.select({ lang: requests.lang }).from(requests).where(eq(requests.id, requestId));
  return row?.lang ?? "de";
}

/** Received cases only: an unproven request is nobody's work yet. */
export async function caseExists(db: Db, requestId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.id, requestId), isNotNull(requests.reference)));
  return Boolean(row);
}

export async function assignCase(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  assigneeId: string | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (assigneeId) {
      const [exists] = await tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(eq(staffUsers.id, assigneeId));
      if (!exists) return false;
    }
    const updated = await tx
      .update(requests)
      .set({ assigneeId })
      .where(eq(requests.id, requestId))
      .returning({ id: requests.id });
    if (updated.length === 0) return false;
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "case.assigned",
      data: { assigneeId },
    });
    return true;
  });
}
