/** What the staff page and the person's case page show about carrying a case out. */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  activityDecisions,
  findingActions,
  findings,
  gatherRuns,
  mailOutbox,
  recipientNotifications,
  requests,
  staffUsers,
} from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import type { Art19ActionKind } from "#app/core/finding-actions";
import { processingActivityById, type ProcessingActivityId } from "#app/core/processing-activities";
import { rectifiableFields } from "./actions.server";
import { earliestArchiveAnswer } from "./archive-offer.server";
import type { ErasureAssessment } from "./erasure-assessment";
import { type ExecutionEnv, assessFinding, ticketClosures } from "./env.server";
import { type ConfiguredRecipient, recipientsOf } from "./recipients.server";

export async function loadExecutionPage(env: ExecutionEnv, requestId: string, now = new Date()) {
  const { db } = env;
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  if (!request) return null;
  const [run] = await db
    .select()
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  const rows = run
    ? await db
        .select()
        .from(findings)
        .where(eq(findings.runId, run.id))
        .orderBy(asc(findings.store), asc(findings.ref))
    : [];
  const closures = await ticketClosures(db, run ? [run.id] : []);
  const actions = await db
    .select()
    .from(findingActions)
    .where(eq(findingActions.requestId, requestId))
    .orderBy(asc(findingActions.createdAt));
  const staffIds = [
    ...new Set(
      actions
        .flatMap((a) => [a.proposedBy, a.approvedBy, a.returnedBy, a.resolvedBy])
        .filter((id): id is string => Boolean(id)),
    ),
  ];
  const decisions = await db
    .select()
    .from(activityDecisions)
    .where(eq(activityDecisions.requestId, requestId));
  for (const d of decisions) staffIds.push(d.decidedBy);
  const names = new Map(
    staffIds.length
      ? (
          await db
            .select({ id: staffUsers.id, name: staffUsers.displayName })
            .from(staffUsers)
            .where(inArray(staffUsers.id, staffIds))
        ).map((s) => [s.id, s.name])
      : [],
  );
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? "") : "");
  const findingRows = rows.map((finding) => ({
    id: finding.id,
    store: finding.store,
    storeKind: finding.storeKind,
    storeTitle: env.stores.get(finding.store)?.title ?? finding.store,
    processingActivityId: finding.processingActivityId,
    ref: finding.ref,
    recordedAt: finding.recordedAt,
    content: finding.content,
    assessment: serializeAssessment(assessFinding(env, finding, now, closures)),
    rectifyFields: [...rectifiableFields(env, finding)],
    actions: actions
      .filter((a) => a.findingId === finding.id)
      .map((a) => ({
        ...a,
        proposedByName: nameOf(a.proposedBy),
        approvedByName: nameOf(a.approvedBy),
        returnedByName: nameOf(a.returnedBy),
        resolvedByName: nameOf(a.resolvedBy),
      })),
  }));
  const activityIds = [...new Set(rows.map((r) => r.processingActivityId))].filter(
    (id): id is ProcessingActivityId => id in processingActivityById,
  );
  // From every gathering, not only the latest: an erasure approved before a re-gather still waits.
  const waiting = await db
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(
      and(
        eq(findingActions.requestId, requestId),
        eq(findingActions.action, "erase"),
        eq(findingActions.status, "archive-offer"),
      ),
    )
    .orderBy(asc(findings.store), asc(findings.ref));
  return {
    today: berlinDayOf(now),
    request: {
      id: request.id,
      reference: request.reference,
      kinds: request.kinds,
      details: request.details,
    },
    hasGathering: Boolean(run),
    findings: findingRows,
    activities: activityIds.map((id) => ({
      id,
      objectionApplies: processingActivityById[id].objectionApplies,
      objectionNote: processingActivityById[id].objectionNote,
      name: processingActivityById[id].name,
    })),
    decisions: decisions.map((d) => ({ ...d, decidedByName: names.get(d.decidedBy) ?? "" })),
    /**
     * Proposals of the latest gathering a DPO sent back, newest first, with the comment for the
     * handler; `proposedAgain` once a later action of the same kind exists for the finding.
     */
    returned: findingRows
      .flatMap((finding) =>
        finding.actions
          .filter((a) => a.status === "returned")
          .map((a) => ({
            ...a,
            storeTitle: finding.storeTitle,
            storeKind: finding.storeKind,
            ref: finding.ref,
            proposedAgain: finding.actions.some(
              (later) => later.action === a.action && later.createdAt > a.createdAt,
            ),
          })),
      )
      .sort((a, b) => (b.returnedAt?.getTime() ?? 0) - (a.returnedAt?.getTime() ?? 0)),
    notifications: await notificationsOf(db, requestId),
    /** Actions the store did not confirm, from every gathering of the case, with the reason: staff retry them or resolve them by hand. */
    failed: await failedActionsOf(env, requestId),
    /** Approved erasures waiting for the archive's answer (§ 23 ThürDSG), with the earliest day it can bear. */
    archiveOffers: waiting.map(({ action, finding }) => ({
      id: action.id,
      storeTitle: env.stores.get(finding.store)?.title ?? finding.store,
      processingActivityId: finding.processingActivityId,
      ref: finding.ref,
      approvedAt: action.approvedAt,
      earliestAnswer: earliestArchiveAnswer(action),
    })),
  };
}

async function failedActionsOf(env: Pick<ExecutionEnv, "db" | "stores">, requestId: string) {
  const rows = await env.db
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(and(eq(findingActions.requestId, requestId), eq(findingActions.status, "failed")))
    .orderBy(asc(findings.store), asc(findings.ref), asc(findingActions.createdAt));
  return rows.map(({ action, finding }) => ({
    id: action.id,
    action: action.action,
    store: finding.store,
    storeTitle: env.stores.get(finding.store)?.title ?? finding.store,
    processingActivityId: finding.processingActivityId,
    ref: action.storeRef ?? finding.ref,
    error: action.error ?? "",
    attemptedAt: action.attemptedAt,
  }));
}

function serializeAssessment(a: ErasureAssessment) {
  if (a.outcome === "erase-now") return { outcome: a.outcome } as const;
  return {
    outcome: a.outcome,
    code: a.code,
    legalReference: a.legalReference,
    dueAt: a.outcome === "refuse" ? a.dueAt : null,
  };
}

async function notificationsOf(db: Db, requestId: string) {
  return db
    .select({
      id: recipientNotifications.id,
      processingActivityId: recipientNotifications.processingActivityId,
      recipient: recipientNotifications.recipient,
      action: recipientNotifications.action,
      omittedReason: recipientNotifications.omittedReason,
      createdAt: recipientNotifications.createdAt,
      mailStatus: mailOutbox.status,
    })
    .from(recipientNotifications)
    .leftJoin(mailOutbox, eq(mailOutbox.id, recipientNotifications.outboxId))
    .where(eq(recipientNotifications.requestId, requestId))
    .orderBy(asc(recipientNotifications.createdAt));
}

export interface CaseRecipients {
  processingActivityId: ProcessingActivityId;
  /** The recipients as the register names them, for the person (Art. 15(1)(c), 19 sentence 2). */
  named: { de: string; en: string }[];
  /** Those told of a change, by name (no addresses), and what they were told of. */
  told: { recipient: string; action: Art19ActionKind; at: Date; omittedReason: string | null }[];
  configured: Pick<ConfiguredRecipient, "name">[];
}

/**
 * Art. 19 sentence 2: the person may learn who received their data. One entry per activity of the
 * case's latest gathering; for the person's case page.
 */
export async function caseRecipients(
  env: Pick<ExecutionEnv, "db" | "config">,
  requestId: string,
): Promise<CaseRecipients[]> {
  const [run] = await env.db
    .select({ id: gatherRuns.id })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  if (!run) return [];
  const activities = await env.db
    .selectDistinct({ id: findings.processingActivityId })
    .from(findings)
    .where(eq(findings.runId, run.id));
  const told = await env.db
    .select()
    .from(recipientNotifications)
    .where(and(eq(recipientNotifications.requestId, requestId)))
    .orderBy(asc(recipientNotifications.createdAt));
  return activities
    .map((a) => a.id)
    .filter((id): id is ProcessingActivityId => id in processingActivityById)
    .sort()
    .map((id) => ({
      processingActivityId: id,
      named: processingActivityById[id].recipients,
      configured: recipientsOf(env.config.recipients, id).map((r) => ({ name: r.name })),
      told: told
        .filter((t) => t.processingActivityId === id)
        .map((t) => ({
          recipient: t.recipient,
          action: t.action,
          at: t.createdAt,
          omittedReason: t.omittedReason,
        })),
    }));
}

/**
 * For the person's case page (Art. 19 sentence 2): the recipients told of a rectification, erasure
 * or restriction in this case, and those not told with the reason. Only executed, reviewed changes
 * appear here, so the list reveals nothing the review has not released.
 */
export async function recipientsToldOf(db: Db, requestId: string) {
  return db
    .select({
      recipient: recipientNotifications.recipient,
      action: recipientNotifications.action,
      processingActivityId: recipientNotifications.processingActivityId,
      at: recipientNotifications.createdAt,
      omittedReason: recipientNotifications.omittedReason,
    })
    .from(recipientNotifications)
    .where(eq(recipientNotifications.requestId, requestId))
    .orderBy(asc(recipientNotifications.createdAt));
}
