/**
 * The person's confirmation (Art. 12(3), 17, 19): what was erased, restricted or rectified and when,
 * what was not erased and why — with the date a deferred erasure will happen — in their language.
 * For an erasure request it accounts for every record the case found (ADR 0015): erased, kept with
 * its Art. 17(3) ground and date, restricted, not erased after the review (with the reasons the
 * person may read), or not yet decided. Records withheld silently (an information block, a match
 * never confirmed to be the person's) are the one exception: their existence may not be revealed.
 */
import { complaintRightsNotice } from "../rights-notice";
import { and, asc, eq, notInArray } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { findingActions, findings, requestMessages, type requests } from "#db/schema";
import {
  processingActivityById,
  supervisoryAuthority,
  type ProcessingActivityId,
} from "#app/core/processing-activities";
import { isFinalStatus } from "#app/core/case-status";
import { endCaseIfDone, recordFinalNotice, withheldFindingIds } from "../cases/case-end.server";
import { letterFactsOf } from "../review/review.server";
import { latestRunId } from "./env.server";
import { retentionRules } from "#app/core/retention";
import { type Lang, messagesFor } from "#app/i18n";
import { queueMail } from "../mail/outbox.server";
import { answersErasure, parseRefusalReason, parseSection22Reason } from "./erasure-assessment";
import type { ExecutionEnv, FindingRow } from "./env.server";

/** How a record is named to the person and to recipients: store, activity, date, reference — not its content. */
export function recordLine(
  env: Pick<ExecutionEnv, "stores">,
  finding: Pick<FindingRow, "store" | "processingActivityId" | "recordedAt" | "ref">,
  lang: Lang,
): string {
  const m = messagesFor(lang);
  const store = env.stores.get(finding.store)?.title ?? finding.store;
  const activity = processingActivityById[finding.processingActivityId].name[lang];
  const date = finding.recordedAt ? `, ${m.journey.formatDate(finding.recordedAt)}` : "";
  return `${activity} (${store}${date}; ${finding.ref})`;
}

/** The localized reason an erasure was not carried out, with the rule's legal reference and due date. */
function refusalText(
  lang: Lang,
  refusalReason: string | null,
  dueAt: Date | null,
  rules: ExecutionEnv["rules"] = retentionRules,
): string {
  const m = messagesFor(lang).execution.mail;
  const parsed = parseRefusalReason(refusalReason);
  const reference = parsed ? rules[parsed.ruleId].legalReference : "";
  if (parsed?.code === "archive-offer") return m.archiveOffer;
  if (parsed?.code === "retention-duty" && dueAt)
    return m.retentionDuty(reference, messagesFor(lang).journey.formatDate(dueAt));
  return m.periodNotStarted(reference);
}

type RequestRow = typeof requests.$inferSelect;

/** What an erasure request's confirmation says beyond the actions: the records without one. */
interface ErasureAccount {
  /**
   * Records of the latest gathering whose erasure is not yet decided or settled (none proposed, or
   * sent back, or failed in the store), and that no review withheld: counted, not named — each is
   * named once its outcome is known, and the case stays open until then.
   */
  undecided: number;
  /** The review's withheld groups as the person may read of them; reasons null under § 21(4) ThürDSG. */
  withheld: {
    processingActivityId: ProcessingActivityId;
    count: number;
    legalReference: string;
    reasons: string | null;
  }[];
}

async function erasureAccountOf(tx: DbOrTx, request: RequestRow, lang: Lang): Promise<ErasureAccount> {
  const runId = await latestRunId(tx, request.id);
  if (!runId) return { undecided: 0, withheld: [] };
  // An erasure, or a restriction under § 22 ThürDSG instead of it, answers the record's erasure.
  const answered = (
    await tx
      .select({
        findingId: findingActions.findingId,
        action: findingActions.action,
        refusalReason: findingActions.refusalReason,
      })
      .from(findingActions)
      .where(
        and(
          eq(findingActions.requestId, request.id),
          notInArray(findingActions.status, ["returned", "failed"]),
        ),
      )
  ).filter(answersErasure);
  const answeredIds = new Set(answered.map((a) => a.findingId));
  const open = (await tx.select({ id: findings.id }).from(findings).where(eq(findings.runId, runId))).filter(
    (f) => !answeredIds.has(f.id),
  );
  const withheldIds = await withheldFindingIds(
    tx,
    open.map((f) => f.id),
  );
  const facts = withheldIds.size > 0 ? await letterFactsOf(tx, request.id, lang) : null;
  return {
    undecided: open.filter((f) => !withheldIds.has(f.id)).length,
    withheld: (facts?.withheld ?? []).map((g) => ({
      processingActivityId: g.processingActivityId,
      count: g.count,
      legalReference: g.legalReference,
      reasons: g.reasons,
    })),
  };
}

/**
 * Per record, the restriction in force now and the lift that ended the last one, if any: the later
 * of a done restriction and a done lift decides (a record can be restricted again after a lift), and
 * a record the store confirmed erased is neither — a hold kept it only until its erasure.
 */
function restrictionsNow(rows: { action: typeof findingActions.$inferSelect; finding: FindingRow }[]): {
  restricting: Map<string, string>;
  lifting: Map<string, string>;
} {
  const restricting = new Map<string, string>();
  const lifting = new Map<string, string>();
  const erased = new Set<string>();
  const done = rows
    .map((r) => r.action)
    .filter((a) => a.status === "done")
    .sort(
      (a, b) =>
        (a.executedAt?.getTime() ?? 0) - (b.executedAt?.getTime() ?? 0) ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
  for (const action of done) {
    if (action.action === "erase") erased.add(action.findingId);
    else if (action.action === "restrict") {
      restricting.set(action.findingId, action.id);
      lifting.delete(action.findingId);
    } else if (action.action === "lift-restriction" && restricting.has(action.findingId)) {
      restricting.delete(action.findingId);
      lifting.set(action.findingId, action.id);
    }
  }
  for (const findingId of erased) {
    restricting.delete(findingId);
    lifting.delete(findingId);
  }
  return { restricting, lifting };
}

function confirmationText(
  env: Pick<ExecutionEnv, "stores" | "rules" | "config">,
  request: RequestRow,
  rows: { action: typeof findingActions.$inferSelect; finding: FindingRow }[],
  account: ErasureAccount = { undecided: 0, withheld: [] },
  ended = false,
): { subject: string; text: string } {
  const lang: Lang = request.lang;
  const all = messagesFor(lang);
  const m = all.execution.mail;
  const reference = request.reference ?? request.id;
  const on = (date: Date | null) => (date ? ` – ${m.on(all.journey.formatDate(date))}` : "");
  const sections: [string, string[]][] = [
    [m.erased, []],
    [m.notErased, []],
    [m.restricted, []],
    [m.restrictionLifted, []],
    [m.rectified, []],
    [m.statementAdded, []],
    [m.notErasedReview, []],
    [m.pending, []],
  ];
  const [erased, notErased, restricted, lifted, rectified, statements, notErasedReview, pending] =
    sections.map(([, lines]) => lines) as string[][];
  const inForce = restrictionsNow(rows);
  for (const { action, finding } of rows) {
    // Sent back, it was never decided: a new proposal, if one is made, is what the person learns of.
    // Failed, the store did not confirm it: staff retry it or carry it out by hand, and the person
    // hears of it once the store confirms it — never before.
    if (action.status === "returned" || action.status === "failed") continue;
    // A lift not yet carried out was announced by its own notice; until it is, the record is restricted.
    if (action.action === "lift-restriction" && action.status !== "done") continue;
    const line = `- ${recordLine(env, finding, lang)}`;
    if (action.status === "proposed" || action.status === "approved") pending!.push(line);
    else if (action.action === "erase") {
      // Taken over by the archive: the person learns that the records live on there, not with us.
      const archived =
        action.archiveDecision === "transferred" && action.archiveAnsweredAt
          ? `\n  ${m.archiveTransferred(all.journey.formatDate(action.archiveAnsweredAt))}`
          : "";
      if (action.status === "done") erased!.push(`${line}${on(action.executedAt)}${archived}`);
      else notErased!.push(`${line}\n  ${refusalText(lang, action.refusalReason, action.dueAt, env.rules)}`);
    } else if (action.action === "restrict" && action.status === "done") {
      // Only a restriction still in force is called one: lifted or erased since, the record is not.
      if (inForce.restricting.get(finding.id) !== action.id) continue;
      const section22 = parseSection22Reason(action.refusalReason);
      restricted!.push(
        `${line}${on(action.executedAt)}${section22 ? `\n  ${m.section22Instead(m.section22Because[section22])}` : ""}`,
      );
    } else if (action.action === "lift-restriction" && action.status === "done") {
      // The person was told before (Art. 18(3)); this says that it happened. Erased since, it is gone.
      if (inForce.lifting.get(finding.id) === action.id) lifted!.push(`${line}${on(action.executedAt)}`);
    } else if (action.action === "rectify" && action.status === "done") {
      if (action.changes && Object.keys(action.changes).length)
        rectified!.push(`${line}${on(action.executedAt)}`);
      if (action.supplementaryStatement)
        statements!.push(`${line}${on(action.executedAt)}\n  "${action.supplementaryStatement}"`);
    }
  }
  for (const group of account.withheld.filter((g) => g.reasons !== null)) {
    const activity =
      processingActivityById[group.processingActivityId]?.name[lang] ?? group.processingActivityId;
    notErasedReview!.push(
      `- ${m.reviewGroup(activity, group.count, group.legalReference)}${group.reasons ? `\n  ${m.reviewReasons(group.reasons)}` : ""}`,
    );
  }
  // § 21(4): one sentence for all such groups, with neither ground, activity nor count.
  if (account.withheld.some((g) => g.reasons === null))
    notErasedReview!.push(m.reviewOmitted(supervisoryAuthority.name[lang]));
  const body = sections
    .filter(([, lines]) => lines.length > 0)
    .map(([heading, lines]) => `${heading}\n${lines.join("\n")}`)
    .join("\n\n");
  const text = [
    m.greeting,
    m.confirmationIntro(reference),
    body,
    account.undecided > 0 ? m.undecided(account.undecided) : "",
    m.recipientsTold,
    // Restricted instead of erased (§ 22 ThürDSG) is an erasure not done: the person may complain of it too.
    notErased!.length ||
    notErasedReview!.length ||
    rows.some((r) => r.action.status === "done" && parseSection22Reason(r.action.refusalReason))
      ? complaintRightsNotice(lang, env.config.publicUrl, reference)
      : "",
    ended ? m.caseEnded : "",
    m.signature,
  ]
    .filter(Boolean)
    .join("\n\n");
  return { subject: m.confirmationSubject(reference), text };
}

/** Queues the confirmation in the caller's transaction and keeps it as a message on the case page. */
export async function queueConfirmation(
  tx: DbOrTx,
  env: Pick<ExecutionEnv, "stores" | "rules" | "config">,
  request: RequestRow,
): Promise<string> {
  const rows = await tx
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(eq(findingActions.requestId, request.id))
    .orderBy(asc(findings.store), asc(findings.ref), asc(findingActions.createdAt));
  const lang: Lang = request.lang;
  const account = request.kinds.includes("loeschung") ? await erasureAccountOf(tx, request, lang) : undefined;
  // The case ends with this confirmation if it leaves nothing to do (ADR 0015); the person reads so.
  // Called also for a case that has ended: a late erasure confirmed closes it.
  const finalStatus = await endCaseIfDone(tx, request.id);
  const ended = finalStatus !== null && !isFinalStatus(request.status);
  // What the confirmation lists is the records' state now: a lifted restriction is said to be lifted.
  const { subject, text } = confirmationText(env, request, rows, account, ended);
  await tx.insert(requestMessages).values({ requestId: request.id, direction: "to-person", body: text });
  const noticeId = await queueMail(tx, { requestId: request.id, to: request.contactEmail, subject, text });
  // The confirmation that ends the case tells the person its outcome; a later one (a late erasure) does not.
  if (ended) await recordFinalNotice(tx, request.id, noticeId);
  return noticeId;
}
