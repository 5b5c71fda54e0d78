/**
 * Objection (Art. 21) and withdrawal of consent (Art. 7(3)), decided per processing activity with
 * reasons — also where the register says no objection is possible (web and login logs): that
 * refusal is reasoned and recorded like any other. An upheld decision stops the processing: the
 * activity's findings are erased where nothing keeps them, otherwise restricted until their erasure
 * is due (the deferred erasure is recorded at once and carried out on its date).
 */
import { and, eq, inArray, notInArray } from "drizzle-orm";
import { activityDecisions, findingActions, findings, requestMessages, requests } from "#db/schema";
import {
  type ProcessingActivity,
  processingActivityById,
  processingActivityIds,
  type ProcessingActivityId,
} from "#app/core/processing-activities";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { heldErasureStatuses, isIn } from "#app/core/finding-actions";
import { messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { endCaseIfDone, recordFinalNotice } from "../cases/case-end.server";
import type { StaffIdentity } from "../auth/staff.server";
import { complaintRightsNotice } from "../rights-notice";
import { queueMail } from "../mail/outbox.server";
import { findingsWithOpenAction } from "./actions.server";
import { refusalReasonOf } from "./erasure-assessment";
import {
  type ExecutionEnv,
  ExecutionRefused,
  assessFinding,
  latestRunId,
  ticketClosures,
} from "./env.server";

type DecisionKind = "objection" | "withdrawal";

export interface ActivityDecisionInput {
  kind: DecisionKind;
  activityId: string;
  outcome: "upheld" | "rejected";
  reasoning: string;
}

export interface DecisionEffect {
  erase: number;
  restrict: number;
  later: number;
}

const requestKindOf: Record<DecisionKind, RequestKindSlug> = {
  objection: "widerspruch",
  withdrawal: "widerruf",
};

/** Consent is the basis where the register names Art. 6(1)(a): only there can it be withdrawn. */
function isConsentBased(activity: ProcessingActivity): boolean {
  return activity.legalBasis.gdpr.some((basis) => basis.startsWith("Art. 6 Abs. 1 UAbs. 1 Buchst. a"));
}

export async function decideActivity(
  env: ExecutionEnv,
  staff: StaffIdentity,
  requestId: string,
  input: ActivityDecisionInput,
  now = new Date(),
): Promise<{ effect: DecisionEffect | null; outboxId: string }> {
  if (!staff.permissions.has("objection:decide")) throw new ExecutionRefused("not-permitted");
  if (!(processingActivityIds as readonly string[]).includes(input.activityId))
    throw new ExecutionRefused("unknown-activity");
  const activity = processingActivityById[input.activityId as ProcessingActivityId];
  const reasoning = input.reasoning.trim();
  if (reasoning.length < 20) throw new ExecutionRefused("reasoning-required");
  if (input.kind === "objection" && input.outcome === "upheld" && !activity.objectionApplies)
    throw new ExecutionRefused("objection-not-applicable");
  if (input.kind === "withdrawal" && input.outcome === "upheld" && !isConsentBased(activity))
    throw new ExecutionRefused("not-consent-based");

  return env.db.transaction(async (tx) => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
    if (!request) throw new ExecutionRefused("foreign-finding");
    if (!request.kinds.includes(requestKindOf[input.kind])) throw new ExecutionRefused("kind-not-requested");
    const [existing] = await tx
      .select({ id: activityDecisions.id })
      .from(activityDecisions)
      .where(
        and(
          eq(activityDecisions.requestId, requestId),
          eq(activityDecisions.kind, input.kind),
          eq(activityDecisions.processingActivityId, activity.id),
        ),
      );
    if (existing) throw new ExecutionRefused("already-decided");

    let effect: DecisionEffect | null = null;
    if (input.outcome === "upheld") {
      const runId = await latestRunId(tx, requestId);
      const rows = runId
        ? await tx
            .select()
            .from(findings)
            .where(and(eq(findings.runId, runId), eq(findings.processingActivityId, activity.id)))
        : [];
      const closures = await ticketClosures(tx, runId ? [runId] : []);
      const ids = rows.map((r) => r.id);
      const planned = ids.length
        ? await tx
            .select({ findingId: findingActions.findingId, status: findingActions.status })
            .from(findingActions)
            .where(
              and(
                eq(findingActions.requestId, requestId),
                eq(findingActions.action, "erase"),
                inArray(findingActions.findingId, ids),
                notInArray(findingActions.status, ["failed", "returned"]),
              ),
            )
        : [];
      const erasing = new Set(planned.map((p) => p.findingId));
      // An erasure that waits for its date (or for the archive) does not stop the processing meanwhile: a hold does.
      const waiting = new Set(
        planned.filter((p) => isIn(heldErasureStatuses, p.status)).map((p) => p.findingId),
      );
      const holding = await findingsWithOpenAction(tx, requestId, "restrict", ids);
      effect = { erase: 0, restrict: 0, later: 0 };
      // The DPO's decision is the approval: deciding objections is theirs alone (DESIGN: "decides objections").
      const base = { requestId, proposedBy: staff.id, approvedBy: staff.id, approvedAt: now };
      for (const row of rows) {
        if (erasing.has(row.id)) {
          if (waiting.has(row.id) && !holding.has(row.id)) {
            await tx.insert(findingActions).values({
              ...base,
              findingId: row.id,
              action: "restrict",
              status: "approved",
              changes: { purpose: "pending-erasure" },
            });
            effect.restrict++;
          }
          continue;
        }
        const assessment = assessFinding(env, row, now, closures);
        if (assessment.outcome === "erase-now") {
          await tx
            .insert(findingActions)
            .values({ ...base, findingId: row.id, action: "erase", status: "approved" });
          effect.erase++;
          continue;
        }
        if (!holding.has(row.id)) {
          await tx.insert(findingActions).values({
            ...base,
            findingId: row.id,
            action: "restrict",
            status: "approved",
            changes: { purpose: "pending-erasure" },
          });
          effect.restrict++;
        }
        const status =
          assessment.outcome === "archive-offer"
            ? "archive-offer"
            : assessment.dueAt
              ? "deferred"
              : "refused";
        await tx.insert(findingActions).values({
          ...base,
          findingId: row.id,
          action: "erase",
          status,
          refusalReason: refusalReasonOf(assessment),
          dueAt: assessment.outcome === "refuse" ? assessment.dueAt : null,
        });
        effect.later++;
      }
    }
    await tx.insert(activityDecisions).values({
      requestId,
      kind: input.kind,
      processingActivityId: activity.id,
      outcome: input.outcome,
      reasoning,
      effect: effect ? JSON.stringify(effect) : null,
      decidedBy: staff.id,
      decidedAt: now,
    });
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: input.kind === "objection" ? "execution.objection-decided" : "execution.withdrawal-decided",
      reason: reasoning,
      data: {
        activity: activity.id,
        outcome: input.outcome,
        effect,
        consentWithdrawn: input.kind === "withdrawal" && input.outcome === "upheld",
      },
    });
    const lang = request.lang;
    const all = messagesFor(lang);
    const m = all.execution;
    const reference = request.reference ?? request.id;
    const kindLabel = input.kind === "objection" ? m.objection : m.withdrawal;
    const body = [
      m.mail.greeting,
      m.mail.decisionBody(reference, kindLabel, activity.name[lang], m.outcomes[input.outcome], reasoning),
      input.outcome === "rejected" ? complaintRightsNotice(lang, env.config.publicUrl, reference) : "",
      m.mail.signature,
    ]
      .filter(Boolean)
      .join("\n\n");
    await tx
      .insert(requestMessages)
      .values({ requestId, direction: "to-person", body, authorStaffId: staff.id });
    const outboxId = await queueMail(tx, {
      requestId,
      to: request.contactEmail,
      subject: m.mail.decisionSubject(reference),
      text: body,
    });
    // A rejection (or an upheld decision with nothing to carry out) may be the case's last step.
    if (await endCaseIfDone(tx, requestId, now)) await recordFinalNotice(tx, requestId, outboxId);
    return { effect, outboxId };
  });
}
