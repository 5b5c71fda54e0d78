/**
 * Proposing and approving what is done to a case's findings (Art. 16–18). A handler proposes; a
 * DPO who did not propose approves (four eyes) or sends the proposal back with a comment. Approving
 * an erasure assesses it afresh: it is then carried out, deferred to the date its retention duty
 * ends, refused, or held for the archive offer (the archive's answer is recorded in
 * archive-offer.server.ts).
 */
import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { findingActions, findings, requestMessages, requests } from "#db/schema";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { type FindingActionKind, openActionStatuses } from "#app/core/finding-actions";
import { messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { queueMail } from "../mail/outbox.server";
import { queueConfirmation, recordLine } from "./confirmation.server";
import { answersErasure, isSection22Ground, refusalReasonOf, section22Reason } from "./erasure-assessment";
import { minReturnComment } from "./intents";
import {
  type ExecutionEnv,
  ExecutionRefused,
  type FindingRow,
  assessFinding,
  caseFindings,
  ticketClosures,
} from "./env.server";

export type Proposal =
  | { action: "erase" | "lift-restriction"; findingIds: string[] }
  /** With `section22Ground` (even empty): a restriction instead of erasure under § 22 ThürDSG, on an erasure request only. */
  | { action: "restrict"; findingIds: string[]; section22Ground?: string }
  | { action: "rectify"; findingId: string; changes: Record<string, string>; statement?: string };

/** Which request kinds allow which action: restriction also while accuracy or an objection is examined (Art. 18(1)(a), (d)). */
const kindsAllowing: Record<FindingActionKind, RequestKindSlug[]> = {
  erase: ["loeschung"],
  restrict: ["einschraenkung", "berichtigung", "widerspruch"],
  "lift-restriction": ["einschraenkung", "berichtigung", "widerspruch"],
  rectify: ["berichtigung"],
};

export async function lockedRequest(tx: DbOrTx, requestId: string) {
  const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
  if (!request) throw new ExecutionRefused("foreign-finding");
  return request;
}

/** The fields a store lets us change in this record; a ticket store rectifies tickets, not messages. */
export function rectifiableFields(
  env: Pick<ExecutionEnv, "sources">,
  finding: Pick<FindingRow, "store" | "storeKind" | "ref">,
): readonly string[] {
  const connector = env.sources.connectors.get(finding.store);
  if (!connector) return [];
  if (finding.storeKind === "servicedesk-db" && !finding.ref.startsWith("ticket/")) return [];
  return connector.capabilities.rectifyFields;
}

export async function propose(
  env: ExecutionEnv,
  staff: StaffIdentity,
  requestId: string,
  proposal: Proposal,
  now = new Date(),
): Promise<string[]> {
  if (!staff.permissions.has("finding:propose")) throw new ExecutionRefused("not-permitted");
  return env.db.transaction(async (tx) => {
    const request = await lockedRequest(tx, requestId);
    const ids = proposal.action === "rectify" ? [proposal.findingId] : proposal.findingIds;
    const rows = await caseFindings(tx, requestId, ids);
    const section22 =
      proposal.action === "restrict" && proposal.section22Ground !== undefined
        ? section22GroundFor(request, proposal.section22Ground)
        : null;
    if (!section22 && !kindsAllowing[proposal.action].some((kind) => request.kinds.includes(kind)))
      throw new ExecutionRefused("kind-not-requested");
    const open = await tx
      .select({ action: findingActions.action, refusalReason: findingActions.refusalReason })
      .from(findingActions)
      .where(
        and(
          eq(findingActions.requestId, requestId),
          inArray(findingActions.findingId, ids),
          inArray(findingActions.status, [...openActionStatuses]),
        ),
      );
    // A restriction under § 22 answers the erasure request: it and an erasure exclude each other on a record.
    const answersTheErasure = section22 !== null || proposal.action === "erase";
    if (open.some((a) => a.action === proposal.action || (answersTheErasure && answersErasure(a))))
      throw new ExecutionRefused("already-open");

    const values: (typeof findingActions.$inferInsert)[] = [];
    if (proposal.action === "erase") {
      const closures = await ticketClosures(tx, [...new Set(rows.map((r) => r.runId))]);
      for (const row of rows) {
        // The handler sees the assessment with the proposal; the approval assesses again.
        const assessment = assessFinding(env, row, now, closures);
        values.push({
          requestId,
          findingId: row.id,
          action: "erase",
          refusalReason: refusalReasonOf(assessment),
          dueAt: assessment.outcome === "refuse" ? assessment.dueAt : null,
          proposedBy: staff.id,
        });
      }
    } else if (proposal.action === "restrict") {
      const refusalReason = section22 ? section22Reason(section22) : null;
      for (const row of rows)
        values.push({
          requestId,
          findingId: row.id,
          action: "restrict",
          refusalReason,
          proposedBy: staff.id,
        });
    } else if (proposal.action === "lift-restriction") {
      await requireRestricted(tx, requestId, ids);
      const outboxId = await queueRecordsNotice(tx, env, request, rows, staff.id, liftNotice);
      // Art. 18(3): the person is told before the hold goes; the job lifts it only once this mail is sent.
      for (const row of rows)
        values.push({
          requestId,
          findingId: row.id,
          action: "lift-restriction",
          changes: { noticeOutboxId: outboxId },
          proposedBy: staff.id,
        });
    } else if (proposal.action === "rectify") {
      values.push(rectification(env, rows[0]!, proposal, requestId, staff.id));
    }
    const inserted = await tx.insert(findingActions).values(values).returning({ id: findingActions.id });
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.proposed",
      reason: section22 ? "restrict-instead" : proposal.action,
      data: { actions: inserted.map((r) => r.id), findings: ids, ...(section22 ? { section22 } : {}) },
    });
    return inserted.map((r) => r.id);
  });
}

/** § 22 ThürDSG replaces an erasure: it needs an erasure request and one of the statute's grounds. */
function section22GroundFor(request: { kinds: string[] }, ground: string) {
  if (!request.kinds.includes("loeschung")) throw new ExecutionRefused("section-22-not-erasure");
  if (!isSection22Ground(ground)) throw new ExecutionRefused("section-22-ground-required");
  return ground;
}

function rectification(
  env: ExecutionEnv,
  finding: FindingRow,
  proposal: Extract<Proposal, { action: "rectify" }>,
  requestId: string,
  staffId: string,
): typeof findingActions.$inferInsert {
  const changes = Object.fromEntries(
    Object.entries(proposal.changes)
      .map(([k, v]) => [k.trim(), v.trim()])
      .filter(([k, v]) => k && v),
  );
  const statement = proposal.statement?.trim() ?? "";
  const allowed = rectifiableFields(env, finding);
  // The page offers only the fields the store can change: any other name is a forged form.
  if (Object.keys(changes).some((field) => !allowed.includes(field)))
    throw new ExecutionRefused("unknown-field");
  if (Object.keys(changes).length > 0)
    return {
      requestId,
      findingId: finding.id,
      action: "rectify",
      changes,
      supplementaryStatement: statement || null,
      proposedBy: staffId,
    };
  // Art. 16 sentence 2: where the store cannot be changed, a supplementary statement completes the data.
  if (statement.length < 10)
    throw new ExecutionRefused(
      Object.keys(changes).length === 0 && !statement ? "changes-required" : "statement-required",
    );
  return {
    requestId,
    findingId: finding.id,
    action: "rectify",
    changes: null,
    supplementaryStatement: statement,
    proposedBy: staffId,
  };
}

async function requireRestricted(tx: DbOrTx, requestId: string, findingIds: string[]): Promise<void> {
  const held = await tx
    .select({ findingId: findingActions.findingId })
    .from(findingActions)
    .where(
      and(
        eq(findingActions.requestId, requestId),
        eq(findingActions.action, "restrict"),
        eq(findingActions.status, "done"),
        inArray(findingActions.findingId, findingIds),
      ),
    );
  if (new Set(held.map((h) => h.findingId)).size !== new Set(findingIds).size)
    throw new ExecutionRefused("not-restricted");
}

type MailTexts = ReturnType<typeof messagesFor>["execution"]["mail"];
type RecordsNotice = (m: MailTexts) => {
  subject: (reference: string) => string;
  body: (reference: string, records: string) => string;
};

/** A notice naming records of the case, in the person's language: kept on the case page and queued as mail. */
async function queueRecordsNotice(
  tx: DbOrTx,
  env: Pick<ExecutionEnv, "stores">,
  request: typeof requests.$inferSelect,
  rows: FindingRow[],
  staffId: string,
  texts: RecordsNotice,
): Promise<string> {
  const lang = request.lang;
  const m = messagesFor(lang).execution.mail;
  const { subject, body } = texts(m);
  const reference = request.reference ?? request.id;
  const records = rows.map((row) => `- ${recordLine(env, row, lang)}`).join("\n");
  const text = `${m.greeting}\n\n${body(reference, records)}\n\n${m.signature}`;
  await tx
    .insert(requestMessages)
    .values({ requestId: request.id, direction: "to-person", body: text, authorStaffId: staffId });
  return queueMail(tx, {
    requestId: request.id,
    to: request.contactEmail,
    subject: subject(reference),
    text,
  });
}

const liftNotice: RecordsNotice = (m) => ({ subject: m.liftSubject, body: m.liftBody });
/** The lift was announced (Art. 18(3)) but sent back: the hold stays, and a new lift is announced again. */
const liftWithdrawnNotice: RecordsNotice = (m) => ({
  subject: m.liftWithdrawnSubject,
  body: m.liftWithdrawnBody,
});

export interface ApprovalResult {
  /** Actions the job must now carry out in the stores. */
  toExecute: number;
  outboxIds: string[];
}

/**
 * Actions of the case with their findings, locked for the change that follows: every id must be an
 * action of this case in `status`. A single foreign or settled one refuses the whole request.
 */
export async function lockedActionsIn(
  tx: DbOrTx,
  requestId: string,
  actionIds: string[],
  status: "proposed" | "failed",
) {
  const rows = await tx
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(and(eq(findingActions.requestId, requestId), inArray(findingActions.id, actionIds)))
    .for("update", { of: findingActions });
  if (rows.length !== actionIds.length) throw new ExecutionRefused("foreign-action");
  if (rows.some((r) => r.action.status !== status))
    throw new ExecutionRefused(status === "proposed" ? "not-proposed" : "not-failed");
  return rows;
}

/** The proposals the second pair of eyes decides on: open proposals of this case made by someone else. */
async function othersProposals(tx: DbOrTx, staff: StaffIdentity, requestId: string, actionIds: string[]) {
  const rows = await lockedActionsIn(tx, requestId, actionIds, "proposed");
  if (rows.some((r) => r.action.proposedBy === staff.id)) throw new ExecutionRefused("own-proposal");
  return rows;
}

/** Four eyes: a DPO approves proposals of the case that someone else made. */
export async function approve(
  env: ExecutionEnv,
  staff: StaffIdentity,
  requestId: string,
  actionIds: string[],
  now = new Date(),
): Promise<ApprovalResult> {
  if (!staff.permissions.has("release:approve")) throw new ExecutionRefused("not-permitted");
  const unique = [...new Set(actionIds)];
  if (unique.length === 0) throw new ExecutionRefused("foreign-action");
  return env.db.transaction(async (tx) => {
    const request = await lockedRequest(tx, requestId);
    const rows = await othersProposals(tx, staff, requestId, unique);
    const closures = await ticketClosures(tx, [...new Set(rows.map((r) => r.finding.runId))]);
    let toExecute = 0;
    const outcomes: Record<string, number> = {};
    for (const { action, finding } of rows) {
      const set: Partial<typeof findingActions.$inferInsert> = {
        approvedBy: staff.id,
        approvedAt: now,
        status: "approved",
      };
      if (action.action === "erase") {
        const assessment = assessFinding(env, finding, now, closures);
        set.refusalReason = refusalReasonOf(assessment);
        set.dueAt = null;
        if (assessment.outcome === "refuse") {
          set.dueAt = assessment.dueAt;
          set.status = assessment.dueAt ? "deferred" : "refused";
        } else if (assessment.outcome === "archive-offer") set.status = "archive-offer";
      }
      if (set.status === "approved") toExecute++;
      outcomes[set.status!] = (outcomes[set.status!] ?? 0) + 1;
      await tx.update(findingActions).set(set).where(eq(findingActions.id, action.id));
    }
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.approved",
      data: { actions: unique, outcomes },
    });
    // Nothing for the job to do: the person learns now what was refused or deferred, and why.
    const outboxIds = toExecute === 0 ? [await queueConfirmation(tx, env, request)] : [];
    return { toExecute, outboxIds };
  });
}

/**
 * Four eyes said no: a DPO who did not make them sends proposals of the case back with a comment.
 * The rows keep what was proposed and become "returned" with who, when and why, for the handler to
 * read; the carry-out job takes only approved rows, so nothing is done from them. Proposing again,
 * changed or not, makes a new row that needs its own approval. A lift of a restriction was announced
 * to the person when it was proposed (Art. 18(3)): sent back, the person learns it stays for now.
 */
export async function sendBack(
  env: Pick<ExecutionEnv, "db" | "stores">,
  staff: StaffIdentity,
  requestId: string,
  actionIds: string[],
  comment: string,
  now = new Date(),
): Promise<{ count: number; outboxIds: string[] }> {
  if (!staff.permissions.has("release:approve")) throw new ExecutionRefused("not-permitted");
  const text = comment.trim();
  if (text.length < minReturnComment) throw new ExecutionRefused("comment-required");
  const unique = [...new Set(actionIds)];
  if (unique.length === 0) throw new ExecutionRefused("foreign-action");
  return env.db.transaction(async (tx) => {
    const request = await lockedRequest(tx, requestId);
    const rows = await othersProposals(tx, staff, requestId, unique);
    await tx
      .update(findingActions)
      .set({ status: "returned", returnedBy: staff.id, returnedAt: now, returnComment: text })
      .where(inArray(findingActions.id, unique));
    // The comment may name people or record contents: it stays in the action rows, out of the trail.
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.sent-back",
      data: { actions: unique, count: unique.length, commentLength: text.length },
    });
    const lifts = rows.filter((r) => r.action.action === "lift-restriction");
    if (lifts.length === 0) return { count: unique.length, outboxIds: [] };
    const outboxId = await queueRecordsNotice(
      tx,
      env,
      request,
      lifts.map((r) => r.finding),
      staff.id,
      liftWithdrawnNotice,
    );
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "execution.lift-withdrawn",
      data: { actions: lifts.map((r) => r.action.id), findings: lifts.map((r) => r.finding.id), outboxId },
    });
    return { count: unique.length, outboxIds: [outboxId] };
  });
}

/** Open actions of a finding that a new decision must not duplicate. */
export async function findingsWithOpenAction(
  tx: DbOrTx,
  requestId: string,
  action: FindingActionKind,
  findingIds: string[],
): Promise<Set<string>> {
  if (findingIds.length === 0) return new Set();
  const rows = await tx
    .select({ findingId: findingActions.findingId })
    .from(findingActions)
    .where(
      and(
        eq(findingActions.requestId, requestId),
        eq(findingActions.action, action),
        inArray(findingActions.findingId, findingIds),
        // A proposal sent back was never decided: it holds nothing and plans nothing.
        notInArray(findingActions.status, ["refused", "failed", "returned"]),
      ),
    );
  return new Set(rows.map((r) => r.findingId));
}
