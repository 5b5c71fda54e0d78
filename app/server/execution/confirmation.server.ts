/**
 * The person's confirmation (Art. 12(3), 17, 19): what was erased, restricted or rectified and when,
 * what was not erased and why — with the date a deferred erasure will happen — in their language.
 */
import { complaintRightsNotice } from "../rights-notice";
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { findingActions, findings, requestMessages, type requests } from "../../../db/schema";
import { processingActivityById, type ProcessingActivityId } from "../../core/processing-activities";
import { retentionRules } from "../../core/retention";
import { type Lang, isLang, messagesFor } from "../../i18n";
import { queueMail } from "../mail/outbox.server";
import { parseRefusalReason } from "./erasure-assessment";
import type { ExecutionEnv, FindingRow } from "./env.server";

/** How a record is named to the person and to recipients: store, activity, date, reference — not its content. */
export function recordLine(env: Pick<ExecutionEnv, "stores">, finding: Pick<FindingRow, "store" | "processingActivityId" | "recordedAt" | "ref">, lang: Lang): string {
  const m = messagesFor(lang);
  const store = env.stores.get(finding.store)?.title ?? finding.store;
  const activity = processingActivityById[finding.processingActivityId as ProcessingActivityId]?.name[lang] ?? finding.processingActivityId;
  const date = finding.recordedAt ? `, ${m.journey.formatDate(finding.recordedAt)}` : "";
  return `${activity} (${store}${date}; ${finding.ref})`;
}

/** The localized reason an erasure was not carried out, with the rule's legal reference and due date. */
export function refusalText(lang: Lang, refusalReason: string | null, dueAt: Date | null, rules: ExecutionEnv["rules"] = retentionRules): string {
  const m = messagesFor(lang).execution.mail;
  const parsed = parseRefusalReason(refusalReason);
  const reference = parsed ? rules[parsed.ruleId].legalReference : "";
  if (parsed?.code === "archive-offer") return m.archiveOffer;
  if (parsed?.code === "retention-duty" && dueAt) return m.retentionDuty(reference, messagesFor(lang).journey.formatDate(dueAt));
  return m.periodNotStarted(reference);
}

type RequestRow = typeof requests.$inferSelect;

export function confirmationText(env: Pick<ExecutionEnv, "stores" | "rules" | "publicUrl">, request: RequestRow, rows: { action: typeof findingActions.$inferSelect; finding: FindingRow }[]): { subject: string; text: string } {
  const lang: Lang = isLang(request.lang) ? request.lang : "de";
  const all = messagesFor(lang);
  const m = all.execution.mail;
  const reference = request.reference ?? request.id;
  const on = (date: Date | null) => (date ? ` – ${m.on(all.journey.formatDate(date))}` : "");
  const sections: [string, string[]][] = [
    [m.erased, []],
    [m.notErased, []],
    [m.restricted, []],
    [m.rectified, []],
    [m.statementAdded, []],
    [m.pending, []],
  ];
  const [erased, notErased, restricted, rectified, statements, pending] = sections.map(([, lines]) => lines) as string[][];
  for (const { action, finding } of rows) {
    // Sent back, it was never decided: a new proposal, if one is made, is what the person learns of.
    // Failed, the store did not confirm it: staff retry it or carry it out by hand, and the person
    // hears of it once the store confirms it — never before.
    if (action.status === "returned" || action.status === "failed") continue;
    const line = `- ${recordLine(env, finding, lang)}`;
    if (action.status === "proposed" || action.status === "approved") pending!.push(line);
    else if (action.action === "erase") {
      // Taken over by the archive: the person learns that the records live on there, not with us.
      const archived = action.archiveDecision === "transferred" && action.archiveAnsweredAt ? `\n  ${m.archiveTransferred(all.journey.formatDate(action.archiveAnsweredAt))}` : "";
      if (action.status === "done") erased!.push(`${line}${on(action.executedAt)}${archived}`);
      else notErased!.push(`${line}\n  ${refusalText(lang, action.refusalReason, action.dueAt, env.rules)}`);
    } else if (action.action === "restrict" && action.status === "done") restricted!.push(`${line}${on(action.executedAt)}`);
    else if (action.action === "rectify" && action.status === "done") {
      if (action.changes && Object.keys(action.changes).length) rectified!.push(`${line}${on(action.executedAt)}`);
      if (action.supplementaryStatement) statements!.push(`${line}${on(action.executedAt)}\n  "${action.supplementaryStatement}"`);
    }
  }
  const body = sections
    .filter(([, lines]) => lines.length > 0)
    .map(([heading, lines]) => `${heading}\n${lines.join("\n")}`)
    .join("\n\n");
  const text = [
    m.greeting,
    m.confirmationIntro(reference),
    body,
    m.recipientsTold,
    notErased!.length ? complaintRightsNotice(lang, env.publicUrl, reference) : "",
    m.signature,
  ]
    .filter(Boolean)
    .join("\n\n");
  return { subject: m.confirmationSubject(reference), text };
}

/** Queues the confirmation in the caller's transaction and keeps it as a message on the case page. */
export async function queueConfirmation(tx: DbOrTx, env: Pick<ExecutionEnv, "stores" | "rules" | "publicUrl">, request: RequestRow): Promise<string> {
  const rows = await tx
    .select({ action: findingActions, finding: findings })
    .from(findingActions)
    .innerJoin(findings, eq(findings.id, findingActions.findingId))
    .where(eq(findingActions.requestId, request.id))
    .orderBy(asc(findings.store), asc(findings.ref), asc(findingActions.createdAt));
  // A lifted restriction has its own notice; the confirmation reports the lasting outcomes.
  const { subject, text } = confirmationText(env, request, rows.filter((r) => r.action.action !== "lift-restriction"));
  await tx.insert(requestMessages).values({ requestId: request.id, direction: "to-person", body: text });
  return queueMail(tx, { requestId: request.id, to: request.contactEmail, subject, text });
}
