/**
 * Carries approved actions out in the stores, through the connectors, and tells who must be told:
 * each recipient of the activity (Art. 19) and the person. After every operation the store is read
 * again (inspect): an action is done only when the store confirms it, otherwise it fails with the
 * reason, for staff to retry or resolve by hand (failed-actions.server.ts). Every connector
 * operation is idempotent, so a run that died half way is simply run again; a row already marked
 * done is not carried out twice.
 */
import { and, eq, inArray, lte } from "drizzle-orm";
import { findingActions, findings, mailOutbox, recipientNotifications, requests } from "#db/schema";
import type { DbOrTx } from "#db/client";
import { processingActivityById, type ProcessingActivityId } from "#app/core/processing-activities";
import { type Art19ActionKind, art19ActionKinds, isIn } from "#app/core/finding-actions";
import type { ChangeResult, RecordState, SourceConnector } from "#app/sources/connector";
import { messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import type { JobContext, JobDefinition } from "../jobs/job";
import { queueMail } from "../mail/outbox.server";
import { dispatchedLetters } from "../print/print-queue.server";
import { queueConfirmation, recordLine } from "./confirmation.server";
import { archiveCheck } from "./erasure-assessment";
import { type ExecutionEnv, type FindingRow, executionEnv, ruleOf } from "./env.server";
import { heldByOthersText, holdsInForce, nameOtherHolders } from "./holds.server";
import { recipientsOf } from "./recipients.server";
import {
  type StoreOperation,
  confirms,
  errorText,
  failureText,
  readAgain,
  rectifiedUnrecorded,
} from "./store-state.server";

type ActionRow = typeof findingActions.$inferSelect;
export interface Work {
  action: ActionRow;
  finding: FindingRow;
}
type Outcome =
  | { status: "done"; at: Date; storeRef?: string }
  | {
      status: "failed";
      error: string;
      storeRef?: string;
      /** The store answered that it did not erase the record: the attempt proves nothing any more. */
      attemptFailed?: true;
    }
  | { status: "waiting" };

export interface CarryOutResult {
  done: number;
  failed: number;
  waiting: number;
  outboxIds: string[];
}

export async function carryOutApproved(
  env: ExecutionEnv,
  options: { requestId?: string; now?: Date } = {},
): Promise<CarryOutResult> {
  const now = options.now ?? new Date();
  const work = await env.db
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(
      and(
        eq(findingActions.status, "approved"),
        options.requestId ? eq(findingActions.requestId, options.requestId) : undefined,
      ),
    );
  const outcomes = new Map<string, Outcome>();
  const byStore = new Map<string, Work[]>();
  for (const item of work)
    byStore.set(item.finding.store, [...(byStore.get(item.finding.store) ?? []), item]);
  for (const [store, items] of byStore) {
    const connector = env.sources.connectors.get(store);
    if (!connector) {
      for (const item of items)
        outcomes.set(item.action.id, {
          status: "failed",
          error: failureText(store, operationOf(item), "the store is not configured or cannot be opened"),
        });
      continue;
    }
    await executeInStore(env, connector, items, now, outcomes);
  }
  const result: CarryOutResult = { done: 0, failed: 0, waiting: 0, outboxIds: [] };
  const byRequest = new Map<string, Work[]>();
  for (const item of work)
    byRequest.set(item.action.requestId, [...(byRequest.get(item.action.requestId) ?? []), item]);
  for (const [requestId, items] of byRequest) {
    result.outboxIds.push(...(await recordOutcomes(env, requestId, items, outcomes, result)));
  }
  return result;
}

function operationOf(item: Work): StoreOperation {
  return item.action.action as StoreOperation;
}

/** The reference the record has in its store now: a rectification may have given it a new one. */
export function storeRefOf(item: Work): string {
  return item.action.storeRef ?? item.finding.ref;
}

async function executeInStore(
  env: ExecutionEnv,
  connector: SourceConnector,
  items: Work[],
  now: Date,
  outcomes: Map<string, Outcome>,
): Promise<void> {
  const of = (action: string) => items.filter((i) => i.action.action === action);
  const fail = (item: Work, why: string, storeRef?: string) =>
    outcomes.set(item.action.id, {
      status: "failed",
      error: failureText(connector.id, operationOf(item), why),
      ...(storeRef ? { storeRef } : {}),
    });
  /** Runs the store operation; a thrown error fails the whole group, per-reference failures fail their own actions. */
  const run = async (group: Work[], operation: () => Promise<ChangeResult>): Promise<Work[]> => {
    if (group.length === 0) return [];
    let result: ChangeResult;
    try {
      result = await operation();
    } catch (error) {
      for (const item of group) fail(item, errorText(error));
      return [];
    }
    const failures = new Map((result.failures ?? []).map((f) => [f.ref, f.reason]));
    const rest: Work[] = [];
    for (const item of group) {
      const failure = failures.get(storeRefOf(item));
      if (failure !== undefined) fail(item, failure);
      else rest.push(item);
    }
    return rest;
  };
  /** Reads the group's records again and marks each done or failed by what the store now shows. */
  const verify = async (group: Work[]) => {
    const states = await readAgain(connector, refsOf(group));
    for (const item of group) {
      const check = confirms(
        operationOf(item),
        states.get(storeRefOf(item))!,
        item.action.changes,
        item.action.requestId,
      );
      if (check.confirmed) outcomes.set(item.action.id, { status: "done", at: now });
      else fail(item, check.why);
    }
    return states;
  };

  // Each case sets and lifts its own hold: the record stays held while another case's remains.
  for (const [holder, group] of byCase(of("restrict")))
    await verify(await run(group, () => connector.restrict(refsOf(group), true, holder)));

  const lifts = of("lift-restriction");
  const told = await sentNotices(env.db, lifts);
  const ready = lifts.filter((item) => told.has(item.action.id));
  for (const item of lifts)
    if (!told.has(item.action.id)) outcomes.set(item.action.id, { status: "waiting" });
  for (const [holder, group] of byCase(ready)) {
    // A hold from before holds had owners goes with the lift: the other cases holding it are named first.
    const unnamed = await nameOtherHolders(env.db, connector, refsOf(group), holder);
    for (const item of group) if (unnamed.has(storeRefOf(item))) fail(item, unnamed.get(storeRefOf(item))!);
    const named = group.filter((item) => !unnamed.has(storeRefOf(item)));
    await verify(await run(named, () => connector.restrict(refsOf(named), false, holder)));
  }

  await erase(env, connector, of("erase"), now, outcomes, fail, run, verify);

  for (const item of of("rectify")) {
    // Changes are stored only where the store accepts them; otherwise the supplementary statement
    // alone is the rectification (Art. 16 sentence 2) and the store is left as it is.
    if (!item.action.changes || Object.keys(item.action.changes).length === 0) {
      outcomes.set(item.action.id, { status: "done", at: now });
      continue;
    }
    const ref = storeRefOf(item);
    // Should this run die between the store's change and its record here, the next must not call
    // the record's absence a failure of the store (`rectifiedUnrecorded`, below with the attempt
    // read before this run, which `item.action` still holds).
    await markAttempted(env, [item], now);
    let result: ChangeResult;
    try {
      result = await connector.rectify(ref, item.action.changes);
    } catch (error) {
      fail(item, errorText(error));
      continue;
    }
    const answered = (why: string, storeRef?: string) => {
      fail(item, why, storeRef);
      forgetAttempt(outcomes, item);
    };
    const failure = (result.failures ?? []).find((f) => f.ref === ref);
    if (failure) {
      answered(failure.reason);
      continue;
    }
    // A rectified log line has a new hash: the record is read again, and found later, under it.
    const newRef = result.moved?.[ref] ?? ref;
    const movedRef = newRef !== item.finding.ref ? newRef : undefined;
    const state = (await readAgain(connector, [newRef])).get(newRef)!;
    const check = confirms("rectify", state, item.action.changes, item.action.requestId);
    if (check.confirmed)
      outcomes.set(item.action.id, { status: "done", at: now, ...(movedRef ? { storeRef: movedRef } : {}) });
    else if (rectifiedUnrecorded("rectify", state, item.action.attemptedAt))
      fail(item, RECTIFIED_BEFORE_ANSWER);
    else if (state.state === "unknown") fail(item, check.why, movedRef);
    else answered(check.why, movedRef);
  }
}

/** Why a rectification asked for before cannot be confirmed (`rectifiedUnrecorded`). */
const RECTIFIED_BEFORE_ANSWER =
  "the record is no longer under its reference: an earlier run asked the store to rectify it and stopped before the store's answer was recorded, and a rectified log line is kept under a new reference; check the store and resolve by hand if it holds the corrected record";

/** Committed before the store is asked: should this run die then, the next knows the store was. */
async function markAttempted(env: ExecutionEnv, items: Work[], now: Date): Promise<void> {
  await env.db
    .update(findingActions)
    .set({ attemptedAt: now })
    .where(
      inArray(
        findingActions.id,
        items.map((i) => i.action.id),
      ),
    );
}

/**
 * Erasure: the records are read before and after. One found gone before it was erased was not
 * erased by us, unless an earlier run of this action asked the store already and never heard its
 * answer (it died, or the store's call broke off); one held by another case's restriction is kept
 * and fails with why. An attempt the store answered — it named the record as not erased, or the
 * record was read again after it — is forgotten: a record missing later under its reference has
 * then left it some other way (a mail client filed the message into another folder) and is not
 * reported as erased.
 */
async function erase(
  env: ExecutionEnv,
  connector: SourceConnector,
  erasures: Work[],
  now: Date,
  outcomes: Map<string, Outcome>,
  fail: (item: Work, why: string) => void,
  run: (group: Work[], operation: () => Promise<ChangeResult>) => Promise<Work[]>,
  verify: (group: Work[]) => Promise<Map<string, RecordState>>,
): Promise<void> {
  if (erasures.length === 0) return;
  // Another case's restriction keeps the record (Art. 18(2): only stored; Art. 17(3)(e)): the
  // erasure waits for its lift, said to staff. A case erasing the record in this run holds it no longer.
  const holds = await holdsInForce(env.db, connector.id, refsOf(erasures));
  const erasing = new Map<string, Set<string>>();
  for (const item of erasures)
    erasing.set(storeRefOf(item), (erasing.get(storeRefOf(item)) ?? new Set()).add(item.action.requestId));
  const free: Work[] = [];
  for (const item of erasures) {
    const ref = storeRefOf(item);
    const others = (holds.get(ref) ?? []).filter((h) => !erasing.get(ref)!.has(h.requestId));
    if (others.length) fail(item, heldByOthersText(others));
    else free.push(item);
  }
  // A hold a case set only to keep the record until its erasure became due is released now: its own.
  for (const [holder, group] of byCase(await pendingErasureHolds(env.db, free))) {
    try {
      await connector.restrict(refsOf(group), false, holder);
    } catch (error) {
      for (const item of free)
        fail(item, `the hold kept until the erasure was due could not be lifted (${errorText(error)})`);
      return;
    }
  }
  const before = await readAgain(connector, refsOf(free));
  const toErase: Work[] = [];
  for (const item of free) {
    const state = before.get(storeRefOf(item))!;
    if (state.state === "unknown") fail(item, state.reason);
    else if (state.state === "absent") {
      if (item.action.attemptedAt) outcomes.set(item.action.id, { status: "done", at: now });
      else
        fail(
          item,
          "the record was not found in the store when read before the erasure (deleted before, for example by the retention sweep, or not there under this reference)",
        );
    } else if (state.held) fail(item, "the record is under a legal hold (restriction) and was kept");
    else toErase.push(item);
  }
  if (toErase.length === 0) return;
  await markAttempted(env, toErase, now);
  let unanswered = false;
  const asked = await run(toErase, async () => {
    try {
      return await connector.erase(refsOf(toErase));
    } catch (error) {
      unanswered = true;
      throw error;
    }
  });
  const after = await verify(asked);
  if (unanswered) return;
  // A record the store could not be read for after the erasure is not an answer either.
  for (const item of toErase)
    if (after.get(storeRefOf(item))?.state !== "unknown") forgetAttempt(outcomes, item);
}

/** A failed action whose store answered: its attempt is forgotten when the outcome is recorded. */
function forgetAttempt(outcomes: Map<string, Outcome>, item: Work): void {
  const outcome = outcomes.get(item.action.id);
  if (outcome?.status === "failed") outcomes.set(item.action.id, { ...outcome, attemptFailed: true });
}

function refsOf(items: Work[]): string[] {
  return [...new Set(items.map(storeRefOf))];
}

/** The items by case: a case is the holder of the holds its actions set and lift. */
function byCase(items: Work[]): Map<string, Work[]> {
  const groups = new Map<string, Work[]>();
  for (const item of items)
    groups.set(item.action.requestId, [...(groups.get(item.action.requestId) ?? []), item]);
  return groups;
}

/** Lift notices that have left the outbox, or gone to the post as a letter: Art. 18(3) asks that the person is told first. */
async function sentNotices(tx: DbOrTx, lifts: Work[]): Promise<Set<string>> {
  const outboxIds = lifts
    .map((l) => l.action.changes?.noticeOutboxId)
    .filter((id): id is string => typeof id === "string");
  if (outboxIds.length === 0) return new Set();
  const sent = await tx
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(inArray(mailOutbox.id, outboxIds), eq(mailOutbox.status, "sent")));
  const ids = new Set([...sent.map((s) => s.id), ...(await dispatchedLetters(tx, outboxIds))]);
  return new Set(
    lifts.filter((l) => ids.has(l.action.changes?.noticeOutboxId ?? "")).map((l) => l.action.id),
  );
}

async function pendingErasureHolds(tx: DbOrTx, erasures: Work[]): Promise<Work[]> {
  if (erasures.length === 0) return [];
  const holds = await tx
    .select({
      findingId: findingActions.findingId,
      requestId: findingActions.requestId,
      changes: findingActions.changes,
    })
    .from(findingActions)
    .where(
      and(
        eq(findingActions.action, "restrict"),
        eq(findingActions.status, "done"),
        inArray(
          findingActions.findingId,
          erasures.map((e) => e.finding.id),
        ),
      ),
    );
  const placeholder = new Set(
    holds.filter((h) => h.changes?.purpose === "pending-erasure").map((h) => `${h.requestId} ${h.findingId}`),
  );
  return erasures.filter((e) => placeholder.has(`${e.action.requestId} ${e.finding.id}`));
}

/** Marks the outcomes and tells the recipients and the person of what the stores confirmed, in one transaction per case. */
async function recordOutcomes(
  env: ExecutionEnv,
  requestId: string,
  items: Work[],
  outcomes: Map<string, Outcome>,
  result: CarryOutResult,
): Promise<string[]> {
  return env.db.transaction(async (tx) => {
    const changed: Work[] = [];
    for (const item of items) {
      const outcome = outcomes.get(item.action.id);
      if (!outcome || outcome.status === "waiting") {
        result.waiting++;
        continue;
      }
      const storeRef = outcome.storeRef ?? item.action.storeRef;
      const set =
        outcome.status === "done"
          ? { status: "done" as const, executedAt: outcome.at, error: null, storeRef }
          : {
              status: "failed" as const,
              error: outcome.error,
              storeRef,
              ...(outcome.attemptFailed ? { attemptedAt: null } : {}),
            };
      // Guarded by the status: a second run that raced this one changes nothing twice.
      const updated = await tx
        .update(findingActions)
        .set(set)
        .where(and(eq(findingActions.id, item.action.id), eq(findingActions.status, "approved")))
        .returning({ id: findingActions.id });
      if (updated.length === 0) continue;
      if (outcome.status === "done") result.done++;
      else result.failed++;
      changed.push({ action: { ...item.action, ...set } as ActionRow, finding: item.finding });
    }
    if (changed.length === 0) return [];
    await appendAuditEvent(tx, {
      requestId,
      actorType: "system",
      action: "execution.carried-out",
      data: {
        actions: changed.map((c) => ({
          id: c.action.id,
          kind: c.action.action,
          status: c.action.status,
          store: c.finding.store,
        })),
      },
    });
    return tellOfConfirmed(
      tx,
      env,
      requestId,
      changed.filter((c) => c.action.status === "done"),
    );
  });
}

/**
 * Tells the recipients (Art. 19) and the person of actions the stores confirmed, and only of them;
 * when nothing was confirmed nobody is written to: a failed action is for staff to settle.
 */
export async function tellOfConfirmed(
  tx: DbOrTx,
  env: ExecutionEnv,
  requestId: string,
  confirmed: Work[],
): Promise<string[]> {
  if (confirmed.length === 0) return [];
  const [request] = await tx.select().from(requests).where(eq(requests.id, requestId));
  const outboxIds = await notifyRecipients(tx, env, request!, confirmed);
  outboxIds.push(await queueConfirmation(tx, env, request!));
  return outboxIds;
}

/** Art. 19: one notice per recipient of each affected activity and action; recipients without address recorded as omitted. */
async function notifyRecipients(
  tx: DbOrTx,
  env: ExecutionEnv,
  request: typeof requests.$inferSelect,
  done: Work[],
): Promise<string[]> {
  const groups = new Map<
    string,
    { activityId: ProcessingActivityId; action: Art19ActionKind; items: Work[] }
  >();
  for (const item of done) {
    const action = item.action.action;
    if (!isIn(art19ActionKinds, action)) continue;
    const activityId = item.finding.processingActivityId;
    const key = `${activityId} ${action}`;
    const group = groups.get(key) ?? { activityId, action, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  const m = messagesFor("de").execution;
  const reference = request.reference ?? request.id;
  const outboxIds: string[] = [];
  for (const { activityId, action, items } of groups.values()) {
    const activityName = processingActivityById[activityId].name.de;
    const records = items.map((i) => `- ${recordLine(env, i.finding, "de")}`).join("\n");
    for (const recipient of recipientsOf(env.config.recipients, activityId)) {
      if (!recipient.email) {
        await tx.insert(recipientNotifications).values({
          requestId: request.id,
          processingActivityId: activityId,
          recipient: recipient.name,
          action,
          omittedReason: recipient.omittedReason ?? m.noRecipientAddress,
        });
        continue;
      }
      const outboxId = await queueMail(tx, {
        requestId: request.id,
        to: recipient.email,
        subject: m.notice.subject(reference),
        text: m.notice.body(recipient.name, reference, m.notice.actions[action], activityName, records),
      });
      await tx.insert(recipientNotifications).values({
        requestId: request.id,
        processingActivityId: activityId,
        recipient: recipient.name,
        action,
        outboxId,
      });
      outboxIds.push(outboxId);
    }
  }
  if (groups.size > 0) {
    await appendAuditEvent(tx, {
      requestId: request.id,
      actorType: "system",
      action: "execution.recipients-notified",
      data: { groups: [...groups.keys()] },
    });
  }
  return outboxIds;
}

/**
 * Erasures refused only until their retention duty ended are carried out once that day has come;
 * a record that must first be offered to the archive waits for the archive instead.
 */
export async function runDueErasures(env: ExecutionEnv, now = new Date()): Promise<CarryOutResult> {
  const due = await env.db
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(
      and(
        eq(findingActions.action, "erase"),
        eq(findingActions.status, "deferred"),
        lte(findingActions.dueAt, now),
      ),
    );
  for (const { action, finding } of due) {
    const rule = ruleOf(env, finding.store, finding.processingActivityId);
    const assessment = rule
      ? archiveCheck({ ...finding, content: finding.content }, rule)
      : ({ outcome: "erase-now" } as const);
    const status = assessment.outcome === "archive-offer" ? "archive-offer" : "approved";
    await env.db.transaction(async (tx) => {
      const moved = await tx
        .update(findingActions)
        .set({
          status,
          refusalReason:
            assessment.outcome === "archive-offer" ? `archive-offer:${rule!.id}` : action.refusalReason,
        })
        .where(and(eq(findingActions.id, action.id), eq(findingActions.status, "deferred")))
        .returning({ id: findingActions.id });
      if (moved.length)
        await appendAuditEvent(tx, {
          requestId: action.requestId,
          actorType: "system",
          action: "execution.deferred-due",
          reason: status,
          data: { action: action.id },
        });
    });
  }
  return carryOutApproved(env, { now });
}

async function envOf(context: JobContext): Promise<ExecutionEnv> {
  return executionEnv({ db: context.db, config: context.config, sources: context.sources });
}

/** Sent after an approval or a decision; also picks up whatever an earlier run left approved. */
export const carryOutJob: JobDefinition<{ requestId?: unknown }> = {
  queue: "execution-carry-out",
  async run(context, data) {
    const env = await envOf(context);
    await carryOutApproved(env, {
      requestId: typeof data.requestId === "string" ? data.requestId : undefined,
    });
  },
};

export const dueErasuresJob: JobDefinition = {
  queue: "execution-due-erasures",
  // Hourly: an erasure due at midnight Berlin time happens in the first hour of its day.
  schedule: "7 * * * *",
  async run(context) {
    await runDueErasures(await envOf(context));
  },
};
