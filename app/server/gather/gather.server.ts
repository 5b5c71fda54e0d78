import { hash } from "node:crypto";
import { and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client";
import { rowsOf } from "#db/statement";
import { findingActions, findings, gatherRuns, gatherStoreJobs, requests } from "#db/schema";
import { canonicalJson } from "#app/core/canonical-json";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { suggestFor } from "#app/core/suggestions";
import {
  type Finding,
  type IndexUse,
  type ScanProblem,
  type ScanProgress,
  type ScanReport,
  isPartial,
} from "#app/sources/connector";
import { SearchThreadLost } from "#app/sources/search-threads.server";
import { appendAuditEvent, appendAuditEvents } from "../audit.server";
import type { Jobs } from "../jobs/index.server";
import type { JobContext, JobDefinition } from "../jobs/job";
import type { Services } from "../services.server";
import { expectedGathering } from "./expected-gathering.server";
import { subjectOfRequest } from "./subject.server";
import { writtenTogether } from "./written-together.server";
import { givenUpOf } from "#app/core/store-given-up";
import { describeError, log } from "../log.server";

/**
 * The parts of the services a gathering uses (ADR 0018); of the jobs only the queueing, so tests
 * can count what is queued.
 */
export type GatherDeps = Pick<Services, "db" | "sources"> & { jobs: Pick<Jobs, "sendWithin" | "wake"> };

/**
 * Starts a gathering of a case: a new version with one job per configured store. Stores that
 * could not even be set up are recorded as failed at once, with their reason. Returns the run id.
 */
export async function startGather(
  deps: GatherDeps,
  requestId: string,
  staffId: string | null,
): Promise<string> {
  const runId = await openGathering(deps, requestId, staffId, false);
  if (!runId) throw new Error(`gather: no case ${requestId}`);
  return runId;
}

/**
 * With `onlyWhileReceived` (the starts without staff: on receipt, and the reconciliation of
 * unstarted gatherings), only a case still "received" is started, so that of two such starts
 * racing for one case the second starts nothing. Null when nothing was started.
 */
async function openGathering(
  deps: GatherDeps,
  requestId: string,
  staffId: string | null,
  onlyWhileReceived: boolean,
): Promise<string | null> {
  const runId = await openTogether(deps.db, { deps, requestId, staffId, onlyWhileReceived });
  if (runId) deps.jobs.wake(gatherStoreJob.queue);
  return runId;
}

interface Opening {
  deps: GatherDeps;
  requestId: string;
  staffId: string | null;
  onlyWhileReceived: boolean;
}

// Gatherings started at once (50 cases sharing one pass, ADR 0021) are written in one transaction,
// each as it would be alone; two starts of one case in two, the second after the first.
const openTogether = writtenTogether(writeOpenings, (o: Opening) => o.requestId);

/** Writes the starts in one transaction; each one's run, or null when it started nothing. */
async function writeOpenings(tx: Tx, openings: Opening[]): Promise<(string | null)[]> {
  // One gathering starts at a time per case: its row lock is taken first, by the same statement
  // that sets the status, and the version is counted under it. The rows are locked in the order of
  // their ids, so that two processes starting overlapping sets of cases wait for each other instead
  // of deadlocking. A start that waited for the lock sees the status the start before it committed
  // (PostgreSQL re-checks a locked row's conditions on its newest version).
  const asked = openings.map((o) => ({ id: o.requestId, only_while_received: o.onlyWhileReceived }));
  const opened = new Set(
    rowsOf<{ id: string }>(
      await tx.execute(sql`
        update ${requests} as r set status = 'gathering'
        from (
          select q.id from ${requests} as q
          join jsonb_to_recordset(${JSON.stringify(asked)}::jsonb) as v(id uuid, only_while_received boolean)
            on q.id = v.id
          where not v.only_while_received or q.status = 'received'
          order by q.id
          for update of q) as locked
        where r.id = locked.id
        returning r.id`),
    ).map((row) => row.id),
  );
  const starting = openings.filter((o) => opened.has(o.requestId));
  if (starting.length === 0) return openings.map(() => null);
  const runs = await tx
    .insert(gatherRuns)
    .values(
      starting.map(({ requestId, staffId }) => ({
        requestId,
        version: sql`(select coalesce(max(${gatherRuns.version}), 0) + 1 from ${gatherRuns} where ${gatherRuns.requestId} = ${requestId})`,
        startedBy: staffId,
      })),
    )
    .returning({ id: gatherRuns.id, version: gatherRuns.version, requestId: gatherRuns.requestId });
  const runOf = new Map(runs.map((run) => [run.requestId, run]));
  const toSearch = starting.flatMap(({ deps, requestId }) =>
    [...deps.sources.connectors.keys()].map((store) => ({ runId: runOf.get(requestId)!.id, store })),
  );
  const queued =
    toSearch.length === 0
      ? []
      : await tx
          .insert(gatherStoreJobs)
          .values(toSearch)
          .returning({ id: gatherStoreJobs.id, store: gatherStoreJobs.store, runId: gatherStoreJobs.runId });
  const failed = starting.flatMap(({ deps, requestId }) =>
    [...deps.sources.failures].map(([store, failure]) => ({
      runId: runOf.get(requestId)!.id,
      store,
      status: "failed" as const,
      error: failure.message,
      finishedAt: new Date(),
    })),
  );
  if (failed.length > 0) await tx.insert(gatherStoreJobs).values(failed);
  // With no store to search (every store failed to start), no job's end would move the case on: it
  // goes to review now, where its stores show as failed and can be started again (ADR 0015).
  const nothingToSearch = starting.filter(({ deps }) => deps.sources.connectors.size === 0);
  if (nothingToSearch.length > 0)
    await moveToReviewWhenEnded(
      tx,
      nothingToSearch.map(({ requestId }) => ({ runId: runOf.get(requestId)!.id, requestId })),
    );
  await appendAuditEvents(
    tx,
    starting.map(({ deps, requestId, staffId }) => ({
      requestId,
      actorType: staffId ? "staff" : "system",
      actorId: staffId,
      action: "gather.started",
      data: {
        runId: runOf.get(requestId)!.id,
        version: runOf.get(requestId)!.version,
        stores: deps.sources.connectors.size,
      },
    })),
  );
  // In the same transaction: a store row saying "queued" without its job would wait for ever.
  // The store is named for the worker's order of starting them (`gatherStoreJob.weight`).
  const jobsOf = new Map(starting.map(({ deps, requestId }) => [runOf.get(requestId)!.id, deps.jobs]));
  for (const { id, store, runId } of queued)
    await jobsOf.get(runId)!.sendWithin(tx, gatherStoreJob.queue, { storeJobId: id, store });
  return openings.map((o) => runOf.get(o.requestId)?.id ?? null);
}

/** Kinds that need no search of the stores: a complaint goes to the supervisory authority. */
export const kindsWithoutGathering: readonly RequestKindSlug[] = ["beschwerde"];

/**
 * Called once a case is received (proven on the web, or entered by staff): gathering starts by
 * itself. It runs after the case was committed; if it cannot start, the case stays as it is, staff
 * can start the gathering from the case page, and the reconciliation of unstarted gatherings
 * (unstarted-gatherings.server.ts) starts it a few minutes later. True when it started; a case no
 * longer "received" (started meanwhile, by staff or that reconciliation) is not started again.
 */
export async function gatherOnReceipt(deps: GatherDeps, requestId: string): Promise<boolean> {
  try {
    const [request] = await deps.db
      .select({ kinds: requests.kinds })
      .from(requests)
      .where(eq(requests.id, requestId));
    if (!request || request.kinds.every((kind) => kindsWithoutGathering.includes(kind))) return false;
    return (await openGathering(deps, requestId, null, true)) !== null;
  } catch (error) {
    log.error({ requestId, error: describeError(error) }, "gather: could not start");
    return false;
  }
}

/** Runs one store's part again after it failed; the other stores are not touched. */
export async function retryStore(
  { db, jobs }: Pick<GatherDeps, "db" | "jobs">,
  requestId: string,
  storeJobId: string,
  staffId: string,
): Promise<boolean> {
  const retried = await db.transaction(async (tx) => {
    const [job] = await tx
      .select({ store: gatherStoreJobs.store, status: gatherStoreJobs.status, frozenAt: gatherRuns.frozenAt })
      .from(gatherStoreJobs)
      .innerJoin(gatherRuns, eq(gatherRuns.id, gatherStoreJobs.runId))
      .where(and(eq(gatherStoreJobs.id, storeJobId), eq(gatherRuns.requestId, requestId)))
      .for("update", { of: gatherStoreJobs });
    // Only a failed store of this case, in a gathering not yet frozen for review.
    if (!job || job.status !== "failed" || job.frozenAt) return false;
    // The retry is a fresh pg-boss job with all its tries, so the tries are counted afresh: a
    // thread that ends mid-search (ADR 0021) is given as many tries after a staff retry as the
    // first time, and is not failed at once because the tries before the retry were counted too.
    // How often staff retried stays in the audit trail (gather.store-retried).
    await tx
      .update(gatherStoreJobs)
      .set({ status: "queued", error: null, finishedAt: null, attempts: 0 })
      .where(eq(gatherStoreJobs.id, storeJobId));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staffId,
      action: "gather.store-retried",
      data: { store: job.store },
    });
    await jobs.sendWithin(tx, gatherStoreJob.queue, { storeJobId, store: job.store });
    return true;
  });
  if (retried) jobs.wake(gatherStoreJob.queue);
  return retried;
}

/**
 * SHA-256 of the content's canonical JSON (RFC 8785): what a review decision is bound to. The
 * one-shot `crypto.hash` (Node 20.12): every download hashes each released finding again, and a
 * Hash object per finding cost ~0.23 s per 100 000 against ~0.09 s (ADR 0006).
 */
export function contentHashOf(content: unknown): string {
  return hash("sha256", canonicalJson(content) ?? "", "hex");
}

const batchSize = 200;
const progressEveryMs = 1000;

/**
 * One store's search for one case. Findings are inserted in batches keyed by (run, store, ref), so
 * a job that is run again after its worker died adds nothing twice.
 */
export async function runStoreJob(
  { db, sources }: Pick<JobContext, "db" | "sources">,
  storeJobId: string,
  signal?: AbortSignal,
): Promise<void> {
  const job = await takeTogether(db, storeJobId);
  if (!job) return;
  const started = performance.now();
  const connector = sources.connectors.get(job.store);
  if (!connector) {
    await finish(db, job, {
      status: "failed",
      error: sources.failures.get(job.store)?.message ?? "store is no longer configured",
    });
    return;
  }
  let report = null as ScanReport | null;
  try {
    const subject = await subjectOfRequest(db, job.requestId);
    let batch: Finding[] = [];
    for await (const finding of connector.find(subject, {
      signal,
      onProgress: (progress) => noteProgress(db, storeJobId, progress),
      // Written with the job's outcome (`finish`), not a statement of its own.
      onReport: (r) => (report = r),
    })) {
      batch.push(finding);
      if (batch.length >= batchSize) {
        await insertFindings(db, job.runId, batch);
        batch = [];
      }
    }
    await insertFindings(db, job.runId, batch);
  } catch (error) {
    // The worker stops: the job stays running and pg-boss hands it to its next try.
    if (signal?.aborted) throw error;
    // The thread searching the store ended mid-search (ADR 0021): the store was not searched to its
    // end, so the job stays running for pg-boss's next try, as after a dead worker; its findings so
    // far are kept and not added twice. After the last try it fails below, never "done".
    // `attempts` counts the tries since the gathering started or staff last retried the store
    // (`retryStore` sets it to 0 and sends a fresh job), as pg-boss counts the tries of that job.
    if (error instanceof SearchThreadLost && job.attempts <= (gatherStoreJob.retryLimit ?? 0)) throw error;
    // The message names the store and the reason (a missing folder, a refused connection); the
    // connectors put no record contents into their errors.
    await finish(db, job, {
      status: "failed",
      error: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  lastSecondsOf(sources).set(job.store, (performance.now() - started) / 1000);
  logProblems(job, report);
  // Outside the search's failures: when writing the end fails, it may still have committed (a lost
  // answer to COMMIT). The job goes to pg-boss's next try, whose take leaves a store that is done
  // and searches one that is not again (its findings are not added twice); a "failed" written here
  // could overwrite the end and log the store's end twice.
  await finish(db, job, {
    status: "done",
    malformed: report?.malformed ?? 0,
    problems: report?.problems ?? [],
    problemsOmitted: report?.problemsOmitted ?? 0,
    partial: isPartial(report),
    searchIndex: report?.index ?? null,
    ...(report ? { progress: { unit: report.unit, scanned: report.scanned, total: report.total } } : {}),
  });
}

/**
 * Marks store jobs running, in one statement: not for a frozen run, nor once done (a job handed on
 * after its worker died). Each one's row, or null when it was not taken.
 */
async function takeStoreJobs(tx: Tx, storeJobIds: string[]) {
  const taken = await tx
    .update(gatherStoreJobs)
    // The database's clock, as pg-boss's: a store whose job pg-boss gave up on after this try is
    // told apart from one retried by staff since (abandoned-store-jobs.server.ts). Milliseconds, as a
    // Date holds them, so that the try can be named by its start.
    .set({
      status: "running",
      startedAt: sql`date_trunc('milliseconds', now())`,
      attempts: sql`${gatherStoreJobs.attempts} + 1`,
    })
    .from(gatherRuns)
    .where(
      and(
        inArray(gatherStoreJobs.id, storeJobIds),
        eq(gatherRuns.id, gatherStoreJobs.runId),
        isNull(gatherRuns.frozenAt),
        ne(gatherStoreJobs.status, "done"),
      ),
    )
    .returning({
      id: gatherStoreJobs.id,
      store: gatherStoreJobs.store,
      runId: gatherStoreJobs.runId,
      requestId: gatherRuns.requestId,
      attempts: gatherStoreJobs.attempts,
    });
  const byId = new Map(taken.map((job) => [job.id, job]));
  return storeJobIds.map((id) => byId.get(id) ?? null);
}

// The jobs of one fetch start in the same turn and are taken together (ADR 0021); a job taken twice
// at once (handed on while its try still runs here) is taken twice, the second after the first.
const takeTogether = writtenTogether(takeStoreJobs, (storeJobId: string) => storeJobId);

/** The latest progress of running store jobs not yet written, per database. */
const unwritten = new Map<Db, Map<string, ScanProgress>>();
let progressTimer: NodeJS.Timeout | null = null;

/**
 * Progress is written for every running store job of the process in one statement a second: jobs
 * sharing a pass over a store (ADR 0021) report together, and one update per job and second would
 * cost the embedded database more than the pass itself.
 */
function noteProgress(db: Db, storeJobId: string, progress: ScanProgress): void {
  const jobs = unwritten.get(db) ?? new Map<string, ScanProgress>();
  unwritten.set(db, jobs.set(storeJobId, { ...progress }));
  progressTimer ??= setTimeout(writeProgress, progressEveryMs).unref();
}

function writeProgress(): void {
  progressTimer = null;
  const all = [...unwritten];
  unwritten.clear();
  for (const [db, jobs] of all) {
    const rows = [...jobs].map(
      ([id, p]) => sql`(${id}::uuid, ${p.unit}::text, ${p.scanned}::bigint, ${p.total}::bigint)`,
    );
    void db
      .execute(
        sql`update gather_store_jobs as j set progress_unit = v.unit, progress_scanned = v.scanned, progress_total = v.total
            from (values ${sql.join(rows, sql`, `)}) as v(id, unit, scanned, total)
            where j.id = v.id and j.status = 'running'`,
      )
      .catch(() => {});
  }
}

/**
 * The gathering log: one line per located problem, so that operators see what was not looked at —
 * request id, store id, file or record id, line, reason; never a record's content.
 */
function logProblems(job: { requestId: string; store: string }, report: ScanReport | null): void {
  if (!report) return;
  for (const problem of report.problems) {
    const where = problem.line !== undefined ? `${problem.where}:${problem.line}` : problem.where;
    console.warn(
      `[gather] request ${job.requestId} store ${job.store}: ${where}: ${problem.reason}${problem.unsearched ? " (not searched)" : ""}`,
    );
  }
  if (report.problemsOmitted)
    console.warn(
      `[gather] request ${job.requestId} store ${job.store}: ${report.problemsOmitted} further problems not listed`,
    );
}

/** The columns a gathering writes; the others keep their defaults. */
const FINDING_COLUMNS = sql.raw(
  "run_id, store, store_kind, processing_activity_id, ref, role, flags, unproven, matched, recorded_at, content, content_hash, suggestions",
);

async function insertFindings(db: Db, runId: string, batch: Finding[]): Promise<void> {
  if (batch.length === 0) return;
  // One statement with the batch as one JSON parameter: drizzle's multi-row insert builds a
  // parameter for every value, which cost more CPU than the database's own work (~0.09 ms a row).
  const rows = batch.map((f) => ({
    run_id: runId,
    store: f.store,
    store_kind: f.storeKind,
    processing_activity_id: f.processingActivityId,
    ref: f.ref,
    role: f.role ?? null,
    flags: f.flags,
    unproven: f.unproven,
    matched: f.matchedIdentifier,
    recorded_at: f.recordedAt,
    content: f.content,
    content_hash: contentHashOf(f.content),
    suggestions: suggestFor(f),
  }));
  await db.execute(
    sql`insert into ${findings} (${FINDING_COLUMNS}) select ${FINDING_COLUMNS} from jsonb_populate_recordset(null::${findings}, ${JSON.stringify(rows)}::jsonb) on conflict do nothing`,
  );
}

/** A store job to finish: which one, and with `unchanged` the state it must still be in. */
interface FinishingJob {
  id: string;
  runId: string;
  store: string;
  requestId: string;
  unchanged?: { status: "running"; startedAt: Date } | { status: "queued" };
}

interface StoreOutcome {
  status: "done" | "failed";
  error?: string;
  malformed?: number;
  problems?: ScanProblem[];
  problemsOmitted?: number;
  partial?: boolean;
  searchIndex?: IndexUse | null;
  /** The scan's last progress, which the gathering table shows. */
  progress?: { unit: ScanReport["unit"]; scanned: number; total: number | null };
  /** What the audit trail adds to a failure (no record contents). */
  audit?: Record<string, unknown>;
}

interface Finishing {
  job: FinishingJob;
  outcome: StoreOutcome;
  finishedAt: Date;
}

/**
 * Records a store's outcome and moves the case on when it was the last. With `unchanged`, only a
 * store still in that state is changed (false otherwise): a store whose job pg-boss gave up on,
 * which may meanwhile have ended or been retried — still running the try that started then, or
 * still queued. Stores that finish together (the jobs of many cases ending with their shared
 * pass) are written in one transaction, each as it would be alone (written-together.server.ts).
 */
export function finish(db: Db, job: FinishingJob, outcome: StoreOutcome): Promise<boolean> {
  return finishTogether(db, { job, outcome, finishedAt: new Date() });
}

// A store finished twice at once (its job's end and the reconciliation's) is written in two
// transactions, so that the second one's `unchanged` sees the first one's outcome.
const finishTogether = writtenTogether(writeFinishes, (f: Finishing) => f.job.id);

/** Writes the finishes in one transaction; whether each store was changed, in their order. */
async function writeFinishes(tx: Tx, together: Finishing[]): Promise<boolean[]> {
  // Stores of a run finish side by side: the case's row lock orders them, so that the last one
  // sees every other one finished and moves the case on. It is taken first, before the audit
  // trail's lock, as every use case that changes a case takes it: holding the audit lock while
  // waiting for the case's row deadlocks with a person or staff action on the same case. The rows
  // of several cases are locked in the order of their ids, so that two processes finishing
  // overlapping sets of cases wait for each other instead of deadlocking.
  const cases = [...new Set(together.map((f) => f.job.requestId))];
  await tx
    .select({ id: requests.id })
    .from(requests)
    .where(inArray(requests.id, cases))
    .orderBy(requests.id)
    .for("update");
  // All outcomes in one statement, as one JSON parameter, the findings counted in it: on the
  // embedded database each statement costs more than the rows it writes (ADR 0021).
  const outcomes = together.map(({ job, outcome, finishedAt }, i) => ({
    i,
    id: job.id,
    status: outcome.status,
    error: outcome.error ?? null,
    malformed: outcome.malformed ?? 0,
    problems: outcome.problems ?? [],
    problems_omitted: outcome.problemsOmitted ?? 0,
    partial: outcome.partial ?? false,
    search_index: outcome.searchIndex ?? null,
    progress: outcome.progress !== undefined,
    progress_unit: outcome.progress?.unit ?? null,
    progress_scanned: outcome.progress?.scanned ?? 0,
    progress_total: outcome.progress?.total ?? null,
    finished_at: finishedAt.toISOString(),
    unchanged_status: job.unchanged?.status ?? null,
    unchanged_started_at: job.unchanged?.status === "running" ? job.unchanged.startedAt.toISOString() : null,
  }));
  const found = rowsOf<{ i: number; findings: number }>(
    await tx.execute(sql`
      update ${gatherStoreJobs} as j set
        status = v.status, error = v.error, malformed = v.malformed, problems = v.problems,
        problems_omitted = v.problems_omitted, partial = v.partial, search_index = v.search_index,
        progress_unit = case when v.progress then v.progress_unit else j.progress_unit end,
        progress_scanned = case when v.progress then v.progress_scanned else j.progress_scanned end,
        progress_total = case when v.progress then v.progress_total else j.progress_total end,
        findings = (select count(*)::int from ${findings} as f where f.run_id = j.run_id and f.store = j.store),
        finished_at = v.finished_at
      from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as v(
        i int, id uuid, status text, error text, malformed int, problems jsonb, problems_omitted int,
        partial boolean, search_index jsonb, progress boolean, progress_unit text, progress_scanned bigint,
        progress_total bigint, finished_at timestamptz, unchanged_status text, unchanged_started_at timestamptz)
      where j.id = v.id
        and (v.unchanged_status is null or j.status = v.unchanged_status)
        and (v.unchanged_started_at is null or j.started_at = v.unchanged_started_at)
      returning v.i, j.findings`),
  );
  const findingsOf = new Map(found.map((row) => [row.i, row.findings]));
  const changed = together.flatMap((f, i) =>
    findingsOf.has(i) ? [{ ...f, findings: findingsOf.get(i)! }] : [],
  );
  if (changed.length === 0) return together.map(() => false);
  await appendAuditEvents(
    tx,
    changed.map(({ job, outcome, findings }) => ({
      requestId: job.requestId,
      actorType: "system",
      action: outcome.status === "done" ? "gather.store-done" : "gather.store-failed",
      data: {
        runId: job.runId,
        store: job.store,
        findings,
        ...(outcome.status === "done"
          ? {
              partial: outcome.partial ?? false,
              problems: (outcome.problems?.length ?? 0) + (outcome.problemsOmitted ?? 0),
            }
          : (outcome.audit ?? {})),
      },
    })),
  );
  // The last store of a run to finish moves its case on to review.
  await moveToReviewWhenEnded(
    tx,
    changed.map(({ job }) => ({ runId: job.runId, requestId: job.requestId })),
  );
  return together.map((_, i) => findingsOf.has(i));
}

/**
 * Moves each run's case from gathering on to review once none of the run's stores is queued or
 * running — only for the case's newest run: when staff started the gathering again while an older
 * run still searched, the older run's end says nothing about the search the review will show.
 */
async function moveToReviewWhenEnded(tx: Tx, runs: { runId: string; requestId: string }[]): Promise<void> {
  const distinct = [...new Map(runs.map((run) => [run.runId, run])).values()];
  await tx.execute(sql`
    update ${requests} as r set status = 'review'
    from jsonb_to_recordset(${JSON.stringify(distinct.map((run) => ({ run_id: run.runId, request_id: run.requestId })))}::jsonb)
      as v(run_id uuid, request_id uuid)
    where r.id = v.request_id and r.status = 'gathering'
      and v.run_id = (select g.id from ${gatherRuns} as g where g.request_id = v.request_id order by g.version desc limit 1)
      and not exists (select 1 from ${gatherStoreJobs} as s where s.run_id = v.run_id and s.status in ('queued', 'running'))`);
}

/** Wall seconds of each store's last search to its end, per set of connectors (of this process). */
const lastStoreSeconds = new WeakMap<JobContext["sources"], Map<string, number>>();
/** Each store's expected seconds by the model of its configured size (ADR 0023), per configuration. */
const modelSeconds = new WeakMap<JobContext["config"], Map<string, number>>();

function lastSecondsOf(sources: JobContext["sources"]): Map<string, number> {
  let last = lastStoreSeconds.get(sources);
  if (!last) lastStoreSeconds.set(sources, (last = new Map()));
  return last;
}

/**
 * How long a store's job is expected to take: its last search through these connectors, else the
 * model's estimate from its configured size (ADR 0023), else 0.
 */
export function expectedStoreSeconds(
  { config, sources }: Pick<JobContext, "config" | "sources">,
  store: string,
): number {
  const last = lastSecondsOf(sources).get(store);
  if (last !== undefined) return last;
  let model = modelSeconds.get(config);
  if (!model) {
    model = new Map(expectedGathering(config.sources.stores).stores.map((s) => [s.id, s.seconds]));
    modelSeconds.set(config, model);
  }
  return model.get(store) ?? 0;
}

/**
 * A case's store jobs run side by side, and the jobs of many cases for one file store share one
 * pass over it (ADR 0021): a worker holds up to GATHER_JOBS_PER_WORKER of them at once, and starts
 * those it fetched together the longest expected first (gather-latency): its database work, its
 * search thread (search-threads.server.ts places by the same kind of figure) and the cores go to
 * the store the case waits for longest before the short ones.
 */
export const gatherStoreJob: JobDefinition<{ storeJobId?: unknown; store?: unknown }> = {
  queue: "gather-store",
  retryLimit: 3,
  concurrency: (context) => context.config.gatherJobsPerWorker,
  weight: (context, data) => (typeof data.store === "string" ? expectedStoreSeconds(context, data.store) : 0),
  async run(context, data, signal) {
    if (typeof data.storeJobId === "string") await runStoreJob(context, data.storeJobId, signal);
  },
};

/** A problem as the case page shows it; rows written before problems were located hold plain strings. */
export interface ShownProblem {
  where: string | null;
  line: number | null;
  reason: string;
  unsearched: boolean;
}

function shownProblems(stored: unknown): ShownProblem[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((p): ShownProblem[] => {
    if (typeof p === "string") return [{ where: null, line: null, reason: p, unsearched: false }];
    if (!p || typeof p !== "object" || typeof (p as ScanProblem).reason !== "string") return [];
    const problem = p as Partial<ScanProblem>;
    return [
      {
        where: typeof problem.where === "string" ? problem.where : null,
        line: typeof problem.line === "number" ? problem.line : null,
        reason: problem.reason!,
        unsearched: problem.unsearched === true,
      },
    ];
  });
}

/**
 * What the case page shows of the stores: the latest gathering with, per store, its state,
 * progress and located problems; and the actions the stores did not confirm, for staff to settle
 * on the execution page.
 */
export async function gatherProgress(db: Db, requestId: string) {
  const [run] = await db
    .select()
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  if (!run) return null;
  const rows = await db
    .select()
    .from(gatherStoreJobs)
    .where(eq(gatherStoreJobs.runId, run.id))
    .orderBy(gatherStoreJobs.store);
  // A store whose job pg-boss gave up on: the page says so in the reader's language.
  const stores = rows.map((row) => ({
    ...row,
    problems: shownProblems(row.problems),
    givenUp: row.status === "failed" ? givenUpOf(row.error) : null,
  }));
  const failedActions = await db
    .select({
      id: findingActions.id,
      action: findingActions.action,
      store: findings.store,
      ref: findings.ref,
      storeRef: findingActions.storeRef,
      error: findingActions.error,
    })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(and(eq(findingActions.requestId, requestId), eq(findingActions.status, "failed")))
    .orderBy(findings.store, findings.ref);
  return {
    run,
    stores,
    failedActions: failedActions.map(({ storeRef, ...a }) => ({
      ...a,
      ref: storeRef ?? a.ref,
      error: a.error ?? "",
    })),
  };
}

/**
 * A re-gather against the version before it: records that are new, gone, or whose content changed
 * (matched by store and reference, compared by content hash).
 */
export async function compareWithPrevious(db: Db, requestId: string, version: number) {
  if (version <= 1) return null;
  const [current, previous] = await Promise.all(
    [version, version - 1].map(async (v) => {
      const rows = await db
        .select({ key: sql<string>`${findings.store} || ' ' || ${findings.ref}`, hash: findings.contentHash })
        .from(findings)
        .innerJoin(gatherRuns, eq(gatherRuns.id, findings.runId))
        .where(and(eq(gatherRuns.requestId, requestId), eq(gatherRuns.version, v)));
      return new Map(rows.map((r) => [r.key, r.hash]));
    }),
  );
  let added = 0;
  let changed = 0;
  for (const [key, hash] of current!) {
    const before = previous!.get(key);
    if (before === undefined) added++;
    else if (before !== hash) changed++;
  }
  const removed = [...previous!.keys()].filter((key) => !current!.has(key)).length;
  return { previousVersion: version - 1, added, removed, changed };
}
