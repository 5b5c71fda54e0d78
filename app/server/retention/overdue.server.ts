/**
 * Findings older than their store's retention period: the store should have deleted them, so a
 * letter that states the period would contradict the data it delivers. Flagged to staff on the case
 * page, counted per store on /intern/aufbewahrung and on the dashboard. Only the latest gathering of
 * open cases counts: an earlier gathering or a closed case shows the store as it was then, not now.
 * A record under legal hold in its store is shown as held, not as overdue (Art. 18).
 *
 * A case may hold tens of thousands of findings and the case page asks on every view, so the rule is
 * not applied row by row: each rule becomes one cut-off instant (`expiryCutoff`: a record is overdue
 * exactly when its clock started before it), the database counts the records dated by `recordedAt`
 * against it, and the deletion instant is computed only for the records a page lists. Only tickets
 * and files, dated by a closure inside the record, are read (their dates alone) and judged here.
 */
import { type SQL, and, asc, count, eq, gte, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { findings, gatherRuns, requests } from "#db/schema";
import { finalCaseStatuses } from "#app/core/case-status";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import { deletionDue, type RetentionRule, type RetentionRuleId } from "#app/core/retention";
import type { StoreKind } from "#app/core/store-kinds";
import type { StoreConfig } from "#app/sources/config";
import type { Config } from "../config.server";
import { retentionStart } from "../execution/erasure-assessment";
import { ruleOf } from "../execution/env.server";
import { expiryCutoff } from "./cutoff";
import { type EffectiveRules, effectiveRules } from "./rules.server";

export interface RetentionEnv {
  db: Db;
  stores: ReadonlyMap<string, StoreConfig>;
  rules: EffectiveRules;
}

/**
 * The stores come from the configuration loaded at start; the rules are read now, because an
 * administrator may have changed a period since (one small table).
 */
export async function retentionEnv(db: Db, config: Pick<Config, "sources">): Promise<RetentionEnv> {
  return {
    db,
    stores: new Map(config.sources.stores.map((s) => [s.id, s])),
    rules: await effectiveRules(db),
  };
}

export interface OverdueFinding {
  findingId: string;
  requestId: string;
  reference: string | null;
  store: string;
  ref: string;
  recordedAt: string | null;
  ruleId: RetentionRuleId;
  dueAt: string;
  /** Under legal hold in the store: kept lawfully beyond the period (Art. 18). */
  held: boolean;
}

/** Only these kinds count from a date inside the record (a ticket's or file's closure); the rest from `recordedAt`. */
const KINDS_DATED_BY_CONTENT: StoreKind[] = ["servicedesk-db", "records-management"];

/** The latest gathering of each case, restricted to the given cases or to all open ones. */
function latestRunsOf(requestIds: string[] | null) {
  const latest = sql`${gatherRuns.version} = (select max(r2.version) from gather_runs r2 where r2.request_id = ${gatherRuns.requestId})`;
  return requestIds
    ? and(latest, inArray(gatherRuns.requestId, requestIds))
    : and(latest, notInArray(requests.status, [...finalCaseStatuses, "unproven"]));
}

/** The findings one rule applies to: a store's, or one processing activity's where the store's rule depends on it (ruleOf). */
interface RuleScope {
  store: string;
  activity: ProcessingActivityId | null;
  rule: RetentionRule;
  /** A record whose clock started before this instant is overdue now. */
  cutoff: Date;
}

function ruleScopes(env: RetentionEnv, now: Date): RuleScope[] {
  const cutoffs = new Map<RetentionRuleId, Date>();
  const scope = (
    store: string,
    activity: ProcessingActivityId | null,
    rule: RetentionRule | null | undefined,
  ): RuleScope[] => {
    if (!rule) return [];
    if (!cutoffs.has(rule.id)) cutoffs.set(rule.id, expiryCutoff(rule, now));
    return [{ store, activity, rule, cutoff: cutoffs.get(rule.id)! }];
  };
  return [...env.stores.values()].flatMap(({ id, retention }) => {
    if (!retention) return [];
    if (typeof retention === "string") return scope(id, null, env.rules[retention]);
    return (Object.keys(retention) as ProcessingActivityId[]).flatMap((activity) =>
      scope(id, activity, ruleOf(env, id, activity)),
    );
  });
}

const inScope = (scope: RuleScope): SQL =>
  and(
    eq(findings.store, scope.store),
    scope.activity === null ? undefined : eq(findings.processingActivityId, scope.activity),
  )!;
const held = sql<boolean>`'legal-hold' = any(${findings.flags})`;
/** References compared as code units, in the database (collation "C") as here: the pages agree on ties. */
const refOrder = sql`${findings.ref} collate "C"`;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A finding as the lists need it, with the instant its rule's clock started. */
interface DatedRow {
  id: string;
  requestId: string;
  reference: string | null;
  store: string;
  ref: string;
  recordedAt: Date | null;
  held: boolean;
  start: Date;
}

const rowColumns = {
  id: findings.id,
  requestId: gatherRuns.requestId,
  reference: requests.reference,
  store: findings.store,
  ref: findings.ref,
  recordedAt: findings.recordedAt,
  held,
};

/** Instants go to the driver as ISO text: postgres.js cannot bind a Date to an untyped parameter. */
const instant = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** Findings dated by `recordedAt` that their rule's cut-off makes overdue, as the index of their scope (null: not overdue). */
function overdueScopeIndex(scopes: RuleScope[]): SQL<number | null> {
  if (scopes.length === 0) return sql<null>`null::int`;
  const cases = scopes.map(
    (scope, i) =>
      sql`when ${inScope(scope)} and ${findings.recordedAt} < ${instant(scope.cutoff)} then ${i}::int`,
  );
  return sql<
    number | null
  >`case when ${notInArray(findings.storeKind, KINDS_DATED_BY_CONTENT)} then case ${sql.join(cases, sql` `)} end end`;
}

/**
 * The overdue tickets and files, dated by the closure their record names (an article by its
 * ticket's, retentionStart): only those dates are read, not the records.
 */
async function overdueDatedByContent(
  env: RetentionEnv,
  scopes: RuleScope[],
  requestIds: string[] | null,
  where?: SQL,
): Promise<{ scope: RuleScope; row: DatedRow; storeKind: StoreKind; activity: ProcessingActivityId }[]> {
  const member = (key: string) =>
    sql<
      string | null
    >`case when jsonb_typeof(${findings.content} -> ${key}::text) = 'string' then ${findings.content} ->> ${key}::text end`;
  const rows = await env.db
    .select({
      ...rowColumns,
      storeKind: findings.storeKind,
      activity: findings.processingActivityId,
      table: member("table"),
      closedAt: member("closed_at"),
      ticketId: sql<string | null>`${findings.content} ->> 'ticket_id'`,
      fileClosedAt: member("abschlussdatum"),
    })
    .from(findings)
    .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
    .innerJoin(requests, eq(requests.id, gatherRuns.requestId))
    .where(and(latestRunsOf(requestIds), inArray(findings.storeKind, KINDS_DATED_BY_CONTENT), where));
  // A ticket's closure dates its articles: from the tickets found in the same gatherings (as ticketClosures reads them).
  const closures = new Map<string, Date | null>();
  for (const row of rows) {
    if (row.storeKind !== "servicedesk-db" || row.table !== "ticket") continue;
    const closed = row.closedAt === null ? null : new Date(row.closedAt);
    closures.set(row.ref, closed && !Number.isNaN(closed.getTime()) ? closed : null);
  }
  const out: { scope: RuleScope; row: DatedRow; storeKind: StoreKind; activity: ProcessingActivityId }[] = [];
  for (const row of rows) {
    const scope = scopes.find(
      (s) => s.store === row.store && (s.activity === null || s.activity === row.activity),
    );
    if (!scope) continue;
    const content = {
      table: row.table,
      closed_at: row.closedAt,
      ticket_id: row.ticketId ?? undefined,
      abschlussdatum: row.fileClosedAt,
    };
    const start = retentionStart(
      {
        storeKind: row.storeKind,
        ref: row.ref,
        content,
        recordedAt: row.recordedAt,
      },
      closures,
    );
    if (!start || start >= scope.cutoff) continue;
    out.push({
      scope,
      storeKind: row.storeKind,
      activity: row.activity,
      row: {
        id: row.id,
        requestId: row.requestId,
        reference: row.reference,
        store: row.store,
        ref: row.ref,
        recordedAt: row.recordedAt,
        held: row.held,
        start,
      },
    });
  }
  return out;
}

function overdueFinding(scope: RuleScope, row: DatedRow, dueAt: Date): OverdueFinding {
  return {
    findingId: row.id,
    requestId: row.requestId,
    reference: row.reference,
    store: row.store,
    ref: row.ref,
    recordedAt: row.recordedAt?.toISOString() ?? null,
    ruleId: scope.rule.id,
    dueAt: dueAt.toISOString(),
    held: row.held,
  };
}

/** Oldest due first; on the same instant by store and reference. */
function byDue(a: OverdueFinding, b: OverdueFinding): number {
  return a.dueAt.localeCompare(b.dueAt) || byCodeUnits(a.store, b.store) || byCodeUnits(a.ref, b.ref);
}

/** The overdue findings of one scope in the order of their clocks' start: the first `limit`, and those that started in [from, to) by reference. */
interface ScopeRows {
  first(limit: number): Promise<DatedRow[]>;
  between(from: Date, to: Date, limit: number): Promise<DatedRow[]>;
}

/**
 * The `limit` findings of a scope due first (the page's order), computing the deletion instant of
 * no more than twice as many. The due instant grows with the start (expiryCutoff relies on the
 * same), so the first `limit` by start hold everything due before the last of them; of those due
 * at that same instant (a year-end rule makes thousands of them) the first by reference are read.
 */
async function dueFirst(scope: RuleScope, rows: ScopeRows, limit: number): Promise<OverdueFinding[]> {
  const first = (await rows.first(limit)).map((row) => ({
    row,
    dueAt: deletionDue(scope.rule, row.start),
  }));
  const found = (list: { row: DatedRow; dueAt: Date }[]) =>
    list.map(({ row, dueAt }) => overdueFinding(scope, row, dueAt));
  if (first.length < limit) return found(first);
  const lastDue = first[first.length - 1]!.dueAt;
  const due = first.filter((f) => f.dueAt < lastDue);
  // Started from the first of those due at lastDue up to the first start due after it.
  const from = first.find((f) => f.dueAt.getTime() === lastDue.getTime())!.row.start;
  const tied = await rows.between(from, expiryCutoff(scope.rule, lastDue), limit);
  return found([...due, ...tied.map((row) => ({ row, dueAt: lastDue }))]);
}

/** A scope's findings dated by `recordedAt`, read from the database in the order dueFirst asks for. */
function recordedRows(env: RetentionEnv, scope: RuleScope, requestIds: string[]): ScopeRows {
  const read = async (where: SQL, order: SQL[], limit: number) => {
    const query = env.db
      .select(rowColumns)
      .from(findings)
      .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
      .innerJoin(requests, eq(requests.id, gatherRuns.requestId))
      .where(
        and(
          latestRunsOf(requestIds),
          inScope(scope),
          notInArray(findings.storeKind, KINDS_DATED_BY_CONTENT),
          where,
        ),
      )
      .orderBy(...order)
      .$dynamic();
    const rows = await (Number.isFinite(limit) ? query.limit(limit) : query);
    return rows.map((row) => ({ ...row, start: row.recordedAt! }));
  };
  return {
    first: (limit) =>
      read(lt(findings.recordedAt, scope.cutoff), [asc(findings.recordedAt), refOrder], limit),
    between: (from, to, limit) =>
      read(and(gte(findings.recordedAt, from), lt(findings.recordedAt, to))!, [refOrder], limit),
  };
}

/** Findings already read (dated by their content), in the order dueFirst asks for. */
function listedRows(rows: DatedRow[]): ScopeRows {
  const byStart = [...rows].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || byCodeUnits(a.ref, b.ref),
  );
  return {
    first: async (limit) => byStart.slice(0, limit),
    between: async (from, to, limit) =>
      byStart
        .filter((r) => r.start >= from && r.start < to)
        .sort((a, b) => byCodeUnits(a.ref, b.ref))
        .slice(0, limit),
  };
}

/**
 * The overdue findings of one case's latest gathering, oldest due first: how many (held ones too),
 * and the first `shown` of them (all without a limit).
 */
export async function overdueOfCase(
  env: RetentionEnv,
  requestId: string,
  now = new Date(),
  shown = Number.POSITIVE_INFINITY,
): Promise<{ shown: OverdueFinding[]; total: number }> {
  const scopes = ruleScopes(env, now);
  const scopeIndex = overdueScopeIndex(scopes);
  const [counts, byContent] = await Promise.all([
    env.db
      .select({ scope: scopeIndex, n: count() })
      .from(findings)
      .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
      .innerJoin(requests, eq(requests.id, gatherRuns.requestId))
      .where(latestRunsOf([requestId]))
      .groupBy(sql`1`),
    overdueDatedByContent(env, scopes, [requestId]),
  ]);
  let total = byContent.length;
  const listed: Promise<OverdueFinding[]>[] = [];
  for (const { scope, n } of counts) {
    if (scope === null) continue;
    total += n;
    listed.push(dueFirst(scopes[scope]!, recordedRows(env, scopes[scope]!, [requestId]), shown));
  }
  for (const scope of scopes) {
    const rows = byContent.filter((f) => f.scope === scope).map((f) => f.row);
    if (rows.length) listed.push(dueFirst(scope, listedRows(rows), shown));
  }
  return {
    shown: (await Promise.all(listed)).flat().sort(byDue).slice(0, shown),
    total,
  };
}

/** All overdue findings of one case's latest gathering, oldest due first. */
export async function overdueFindingsOfCase(
  env: RetentionEnv,
  requestId: string,
  now = new Date(),
): Promise<OverdueFinding[]> {
  return (await overdueOfCase(env, requestId, now)).shown;
}

/** Overdue findings of one store, processing activity, rule and hold: how many, and the oldest record's date. */
export interface OverdueGroup {
  store: string;
  storeKind: StoreKind;
  activity: ProcessingActivityId;
  ruleId: RetentionRuleId;
  held: boolean;
  count: number;
  /** The earliest `recordedAt` among them; a record without one counts with its deletion instant. */
  oldest: Date;
}

/**
 * The overdue findings of one case's latest gathering counted per store, activity, rule and hold,
 * restricted by `where` (the answer's letter: the released findings of its review round). The
 * database counts the findings dated by `recordedAt` (one row per group comes back, not one per
 * finding: a case with 100 000 findings may have 50 000 overdue); only tickets and files, dated by
 * a closure inside the record, are read one by one (their dates alone), as overdueOfCase does.
 */
export async function overdueGroupsOfCase(
  env: RetentionEnv,
  requestId: string,
  now: Date,
  where?: SQL,
): Promise<OverdueGroup[]> {
  const scopes = ruleScopes(env, now);
  const [counted, byContent] = await Promise.all([
    env.db
      .select({
        scope: overdueScopeIndex(scopes),
        storeKind: findings.storeKind,
        activity: findings.processingActivityId,
        held,
        n: count(),
        oldest: sql<number>`(extract(epoch from min(${findings.recordedAt})) * 1000)::float8`.mapWith(Number),
      })
      .from(findings)
      .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
      .where(and(latestRunsOf([requestId]), where))
      .groupBy(sql`1, 2, 3, 4`),
    overdueDatedByContent(env, scopes, [requestId], where),
  ]);
  const groups = new Map<string, OverdueGroup>();
  const add = (
    scope: RuleScope,
    g: { storeKind: StoreKind; activity: ProcessingActivityId; held: boolean },
    n: number,
    oldest: Date,
  ) => {
    const key = [scope.store, g.activity, scope.rule.id, g.held].join("\u0000");
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        store: scope.store,
        storeKind: g.storeKind,
        activity: g.activity,
        ruleId: scope.rule.id,
        held: g.held,
        count: n,
        oldest,
      });
    } else {
      group.count += n;
      if (oldest < group.oldest) group.oldest = oldest;
    }
  };
  for (const c of counted) if (c.scope !== null) add(scopes[c.scope]!, c, c.n, new Date(c.oldest));
  for (const { scope, row, storeKind, activity } of byContent)
    add(
      scope,
      { storeKind, activity, held: row.held },
      1,
      row.recordedAt ?? deletionDue(scope.rule, row.start),
    );
  return [...groups.values()];
}

export interface OverdueByStore {
  store: string;
  ruleId: RetentionRuleId;
  count: number;
  held: number;
  oldestDueAt: string;
  cases: { id: string; reference: string | null }[];
}

/**
 * Across open cases, per store and rule: how many findings are overdue, the oldest, which cases
 * (the case with the oldest due first). Counted by the database per scope and case.
 */
export async function overdueSummary(
  env: RetentionEnv,
  now = new Date(),
): Promise<{ total: number; cases: number; stores: OverdueByStore[] }> {
  const scopes = ruleScopes(env, now);
  const dated = env.db
    .select({
      scope: overdueScopeIndex(scopes).as("scope"),
      requestId: gatherRuns.requestId,
      reference: requests.reference,
      held: held.as("held"),
      recordedAt: findings.recordedAt,
    })
    .from(findings)
    .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
    .innerJoin(requests, eq(requests.id, gatherRuns.requestId))
    .where(latestRunsOf(null))
    .as("dated");
  const [counted, byContent] = await Promise.all([
    env.db
      .select({
        scope: dated.scope,
        requestId: dated.requestId,
        reference: dated.reference,
        n: count(),
        held: sql<number>`count(*) filter (where ${dated.held})`.mapWith(Number),
        oldest: sql<string>`min(${dated.recordedAt})::text`,
      })
      .from(dated)
      .where(sql`${dated.scope} is not null`)
      .groupBy(dated.scope, dated.requestId, dated.reference),
    overdueDatedByContent(env, scopes, null),
  ]);
  // Per scope and case: how many, held among them, and the earliest start.
  const perCase: {
    scope: RuleScope;
    requestId: string;
    reference: string | null;
    n: number;
    held: number;
    oldest: Date;
  }[] = counted.map((c) => ({
    scope: scopes[c.scope!]!,
    requestId: c.requestId,
    reference: c.reference,
    n: c.n,
    held: c.held,
    oldest: new Date(c.oldest),
  }));
  for (const { scope, row } of byContent) {
    const entry = perCase.find((c) => c.scope === scope && c.requestId === row.requestId);
    if (!entry)
      perCase.push({
        scope,
        requestId: row.requestId,
        reference: row.reference,
        n: 1,
        held: Number(row.held),
        oldest: row.start,
      });
    else {
      entry.n++;
      entry.held += Number(row.held);
      if (row.start < entry.oldest) entry.oldest = row.start;
    }
  }
  const byStore = new Map<string, OverdueByStore & { caseDue: Map<string, string> }>();
  const unheldCases = new Set<string>();
  let total = 0;
  for (const c of perCase) {
    const dueAt = deletionDue(c.scope.rule, c.oldest).toISOString();
    const key = `${c.scope.store}\u0000${c.scope.rule.id}`;
    const entry = byStore.get(key) ?? {
      store: c.scope.store,
      ruleId: c.scope.rule.id,
      count: 0,
      held: 0,
      oldestDueAt: dueAt,
      cases: [] as OverdueByStore["cases"],
      caseDue: new Map<string, string>(),
    };
    entry.count += c.n;
    entry.held += c.held;
    if (dueAt < entry.oldestDueAt) entry.oldestDueAt = dueAt;
    const caseDue = entry.caseDue.get(c.requestId);
    if (!caseDue) entry.cases.push({ id: c.requestId, reference: c.reference });
    if (!caseDue || dueAt < caseDue) entry.caseDue.set(c.requestId, dueAt);
    byStore.set(key, entry);
    total += c.n - c.held;
    if (c.n > c.held) unheldCases.add(c.requestId);
  }
  const stores = [...byStore.values()].map(({ caseDue, ...entry }) => ({
    ...entry,
    cases: entry.cases.sort(
      (a, b) =>
        caseDue.get(a.id)!.localeCompare(caseDue.get(b.id)!) ||
        byCodeUnits(a.reference ?? "", b.reference ?? ""),
    ),
  }));
  return {
    total,
    cases: unheldCases.size,
    stores: stores.sort(
      (a, b) => a.store.localeCompare(b.store) || a.oldestDueAt.localeCompare(b.oldestDueAt),
    ),
  };
}
