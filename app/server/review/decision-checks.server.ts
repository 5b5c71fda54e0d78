import { createHash } from "node:crypto";
import { type SQL, and, asc, count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { findingDecisions, findings, staffUsers } from "#db/schema";
import { decisionToken } from "#app/core/findings-view";
import { ReviewRefused } from "./review-refused";

/**
 * What is ticked is what is decided (issue 15): a decision is written only for findings in the
 * state the reviewer's page showed them, and a decision that would change findings already
 * decided, or give out matches through identifiers the person never proved, is written only after
 * the reviewer saw exactly that and confirmed it.
 */

/** How many rows of a difference the page lists; the rest is counted. */
const DIFFERENCE_LISTED = 50;

/** What the page showed, and what the reviewer confirmed; posted with every decision from the page. */
export interface DecisionGuard {
  /** Ticked findings: each one's decision state as its page showed it (decisionToken), by id. */
  shown?: ReadonlyMap<string, string>;
  /** A group by filter: the group as the page showed it (groupStamp). */
  groupStamp?: string;
  /** The fingerprint of the difference the reviewer was shown and confirmed. */
  confirmChanges?: string;
  /** How many matches through unproven identifiers the reviewer confirmed giving out. */
  confirmUnproven?: number;
}

export interface DifferenceRow {
  findingId: string;
  store: string;
  ref: string;
  unproven: boolean;
  /** The decision as the page showed it ("undecided" as null), where the page named it. */
  shown: string | null;
  /** The decision now. */
  current: {
    decision: string;
    groundId: string | null;
    redactedFields: string[];
    decidedByName: string | null;
    decidedAt: string;
  } | null;
}

export interface DecisionDifference {
  /** How many findings differ (changed since shown, not shown, or about to be changed); the first listed. */
  total: number;
  listed: DifferenceRow[];
  /** Matches through unproven identifiers the decision would give out. */
  unproven: number;
  /** What a confirmation posts back: this difference exactly (null where it cannot be confirmed). */
  fingerprint: string | null;
  /** A group: its size as the page showed it and now. */
  shownSize?: number;
  size?: number;
}

/** The decision as it is stored: what a change is measured against. */
export interface StoredDecision {
  decision: "release" | "withhold" | "redact";
  groundId: string | null;
  reasoning: string | null;
  personReasons: string | null;
  omitReasons: boolean;
  reviewOn: string | null;
  fields: string[];
}

const inRound = (roundId: string) =>
  and(eq(findingDecisions.findingId, findings.id), eq(findingDecisions.roundId, roundId));

async function differenceRows(
  tx: DbOrTx,
  roundId: string,
  where: SQL,
  shown?: ReadonlyMap<string, string>,
): Promise<DifferenceRow[]> {
  const rows = await tx
    .select({
      findingId: findings.id,
      store: findings.store,
      ref: findings.ref,
      unproven: findings.unproven,
      decision: findingDecisions.decision,
      groundId: findingDecisions.groundId,
      redactedFields: findingDecisions.redactedFields,
      decidedAt: findingDecisions.decidedAt,
      decidedByName: staffUsers.displayName,
    })
    .from(findings)
    .leftJoin(findingDecisions, inRound(roundId))
    .leftJoin(staffUsers, eq(staffUsers.id, findingDecisions.decidedBy))
    .where(where)
    .orderBy(asc(findings.store), asc(findings.ref))
    .limit(DIFFERENCE_LISTED);
  return rows.map((r) => ({
    findingId: r.findingId,
    store: r.store,
    ref: r.ref,
    unproven: r.unproven,
    shown: shown ? (shown.get(r.findingId)?.split(".")[0] ?? null) : null,
    current:
      r.decision && r.decidedAt
        ? {
            decision: r.decision,
            groundId: r.groundId,
            redactedFields: r.redactedFields ?? [],
            decidedByName: r.decidedByName,
            decidedAt: r.decidedAt.toISOString(),
          }
        : null,
  }));
}

/**
 * Ticked findings: each must have been on the page (its state posted with it) and still be in the
 * state the page showed. Refuses with the findings that differ.
 */
export async function checkShown(
  tx: DbOrTx,
  roundId: string,
  selected: SQL,
  shown: ReadonlyMap<string, string>,
): Promise<void> {
  const states = await tx
    .select({ id: findings.id, decision: findingDecisions.decision, decidedAt: findingDecisions.decidedAt })
    .from(findings)
    .leftJoin(findingDecisions, inRound(roundId))
    .where(selected);
  const token = (s: (typeof states)[number]) =>
    decisionToken(s.decision && s.decidedAt ? { decision: s.decision, decidedAt: s.decidedAt } : null);
  const unseen = states.filter((s) => !shown.has(s.id)).map((s) => s.id);
  const changed = states.filter((s) => shown.has(s.id) && shown.get(s.id) !== token(s)).map((s) => s.id);
  for (const [reason, ids] of [
    ["not-shown", unseen],
    ["changed-since-shown", changed],
  ] as const) {
    if (ids.length === 0) continue;
    const listed = await differenceRows(
      tx,
      roundId,
      and(
        selected,
        sql`${findings.id} in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      )!,
      shown,
    );
    throw new ReviewRefused(reason, { total: ids.length, listed, unproven: 0, fingerprint: null });
  }
}

/**
 * A group as a page shows it: its size, how many of it are decided, and the time of the latest
 * decision (microseconds). Any decision in the group since changes it.
 */
export async function groupStamp(tx: DbOrTx, roundId: string, group: SQL): Promise<string> {
  const [row] = await tx
    .select({
      n: count(),
      decided: count(findingDecisions.id),
      last: sql<string>`coalesce(floor(extract(epoch from max(${findingDecisions.decidedAt})) * 1000000), 0)::bigint::text`,
    })
    .from(findings)
    .leftJoin(findingDecisions, inRound(roundId))
    .where(group);
  return `${row?.n ?? 0}.${row?.decided ?? 0}.${row?.last ?? "0"}`;
}

/** A group decided by filter must be the group the page showed; refuses with what was decided in it since. */
export async function checkGroup(tx: DbOrTx, roundId: string, group: SQL, shownStamp: string): Promise<void> {
  const now = await groupStamp(tx, roundId, group);
  if (now === shownStamp) return;
  const [shownSize, , shownLast] = shownStamp.split(".");
  const since = /^\d{1,20}$/.test(shownLast ?? "") ? shownLast! : "0";
  const decidedSince = and(
    group,
    sql`${findingDecisions.decidedAt} > to_timestamp(${since}::bigint / 1000000.0)`,
  )!;
  const [changed] = await tx
    .select({ n: count() })
    .from(findings)
    .innerJoin(findingDecisions, inRound(roundId))
    .where(decidedSince);
  throw new ReviewRefused("selection-changed", {
    total: changed?.n ?? 0,
    listed: await differenceRows(tx, roundId, and(decidedSince, sql`${findingDecisions.id} is not null`)!),
    unproven: 0,
    fingerprint: null,
    shownSize: Number(shownSize) || 0,
    size: Number(now.split(".")[0]),
  });
}

/**
 * The new decision would change findings decided before (any stored part differs), or give out
 * (release, redact) matches through identifiers the person never proved: written only when the
 * reviewer confirmed exactly this difference. Refuses with the difference otherwise.
 */
export async function checkConfirmed(
  tx: DbOrTx,
  roundId: string,
  selected: SQL,
  stored: StoredDecision,
  guard: DecisionGuard,
): Promise<void> {
  const fieldArray =
    stored.fields.length > 0
      ? sql`array[${sql.join(
          stored.fields.map((f) => sql`${f}`),
          sql`, `,
        )}]::text[]`
      : sql`'{}'::text[]`;
  const differs = sql`(${findingDecisions.id} is not null and (
    ${findingDecisions.decision} is distinct from ${stored.decision}::text
    or ${findingDecisions.groundId} is distinct from ${stored.groundId}::text
    or ${findingDecisions.reasoning} is distinct from ${stored.reasoning}::text
    or ${findingDecisions.personReasons} is distinct from ${stored.personReasons}::text
    or ${findingDecisions.omitReasons} is distinct from ${stored.omitReasons}::boolean
    or ${findingDecisions.reviewOn} is distinct from ${stored.reviewOn}::timestamptz
    or ${findingDecisions.redactedFields} is distinct from ${fieldArray}))`;
  const givesOut = stored.decision !== "withhold";
  const unprovenOut = givesOut ? sql`${findings.unproven}` : sql`false`;
  const [row] = await tx
    .select({
      changed: sql<number>`count(*) filter (where ${differs})`.mapWith(Number),
      unproven: sql<number>`count(*) filter (where ${unprovenOut})`.mapWith(Number),
      digest: sql<
        string | null
      >`md5(string_agg(${findings.id}::text || ':' || floor(extract(epoch from ${findingDecisions.decidedAt}) * 1000000)::bigint::text, ',' order by ${findings.id}) filter (where ${differs}))`,
    })
    .from(findings)
    .leftJoin(findingDecisions, inRound(roundId))
    .where(selected);
  const changed = row?.changed ?? 0;
  const unproven = row?.unproven ?? 0;
  if (changed === 0 && unproven === 0) return;
  const fingerprint = createHash("sha256")
    .update(`${stored.decision}|${row?.digest ?? ""}|${unproven}`)
    .digest("hex")
    .slice(0, 32);
  const changesConfirmed = changed === 0 || guard.confirmChanges === fingerprint;
  const unprovenConfirmed = unproven === 0 || guard.confirmUnproven === unproven;
  if (changesConfirmed && unprovenConfirmed) return;
  const listed = await differenceRows(tx, roundId, and(selected, sql`(${differs} or ${unprovenOut})`)!);
  throw new ReviewRefused("confirmation-needed", { total: changed, listed, unproven, fingerprint });
}
