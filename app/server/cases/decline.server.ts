/**
 * Declining a rectification (Art. 16) or restriction (Art. 18) on its merits: the data are accurate,
 * no ground of Art. 18(1) applies. Without this, such a part of a case could end only by being
 * carried out (ADR 0015). Art. 12(4): the person is told the reasons for not acting, the right to
 * complain to the TLfDI and the judicial remedy — the same notice, permission (`request:refuse`,
 * the DPO's) and fresh code as the Art. 12(5) refusal. The case ends as "refused" once every kind it
 * asks for has ended (`endCaseIfDone`).
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { findingActions, kindDeclines, requests } from "#db/schema";
import { isFinalStatus } from "#app/core/case-status";
import { type DeclinableKind, declinableKinds, requestKindBySlug } from "#app/core/request-kinds";
import { messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { endCaseIfDone, recordFinalNotice } from "./case-end.server";
import { MIN_REASONS, decisionNotice, sendStaffNotice } from "./deadline-decisions.server";

/** The action that carries each declinable kind out. */
const actionOf: Record<DeclinableKind, "rectify" | "restrict"> = {
  berichtigung: "rectify",
  einschraenkung: "restrict",
};
const openActionStatuses = ["proposed", "approved", "failed"];

export type DeclineRefusal =
  | "not-permitted"
  | "unknown-case"
  | "closed"
  | "reasons-required"
  | "internal-reasoning-required"
  | "kind-not-declinable"
  | "already-declined"
  | "actions-open"
  | "already-carried-out";
export type DeclineResult = { ok: true; outboxId: string } | { ok: false; reason: DeclineRefusal };

type RequestRow = typeof requests.$inferSelect;

function isDeclinable(kind: string): kind is DeclinableKind {
  return (declinableKinds as readonly string[]).includes(kind);
}

/**
 * For each declinable kind the case asks for, whether it can be declined now, or why not. The case
 * page offers the form by this rule and `declineKinds` refuses by it.
 */
export async function declineOptions(
  tx: DbOrTx,
  request: RequestRow,
): Promise<{ kind: DeclinableKind; refusal: DeclineRefusal | null }[]> {
  const kinds = request.kinds.filter(isDeclinable);
  if (kinds.length === 0) return [];
  const closed =
    !request.reference || !request.receivedAt
      ? "unknown-case"
      : request.closedAt || isFinalStatus(request.status)
        ? "closed"
        : null;
  const [declined, actions] = await Promise.all([
    tx.select({ kind: kindDeclines.kind }).from(kindDeclines).where(eq(kindDeclines.requestId, request.id)),
    tx
      .select({ action: findingActions.action, status: findingActions.status })
      .from(findingActions)
      .where(
        and(
          eq(findingActions.requestId, request.id),
          inArray(findingActions.action, Object.values(actionOf)),
        ),
      ),
  ]);
  return kinds.map((kind) => {
    const own = actions.filter((a) => a.action === actionOf[kind]);
    const refusal: DeclineRefusal | null = closed
      ? closed
      : declined.some((d) => d.kind === kind)
        ? "already-declined"
        : own.some((a) => a.status === "done")
          ? "already-carried-out"
          : own.some((a) => openActionStatuses.includes(a.status))
            ? "actions-open"
            : null;
    return { kind, refusal };
  });
}

/**
 * Declines the named kinds of a case with the reasons the person reads and the internal reasoning
 * for the file and the TLfDI. A decline after the deadline is still owed to the person (a case left
 * without an answer is worse); the audit event records that it was late.
 */
export async function declineKinds(
  db: Db,
  staff: StaffIdentity,
  input: {
    requestId: string;
    kinds: readonly string[];
    personReasons: string;
    reasoning: string;
    publicUrl: string;
  },
  now = new Date(),
): Promise<DeclineResult> {
  if (!staff.permissions.has("request:refuse")) return { ok: false, reason: "not-permitted" };
  const personReasons = input.personReasons.trim();
  const reasoning = input.reasoning.trim();
  if (personReasons.length < MIN_REASONS) return { ok: false, reason: "reasons-required" };
  if (reasoning.length < MIN_REASONS) return { ok: false, reason: "internal-reasoning-required" };
  const kinds = [...new Set(input.kinds)];
  if (kinds.length === 0 || !kinds.every(isDeclinable)) return { ok: false, reason: "kind-not-declinable" };
  return db.transaction(async (tx) => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, input.requestId)).for("update");
    if (!request?.reference) return { ok: false as const, reason: "unknown-case" as const };
    const options = await declineOptions(tx, request);
    for (const kind of kinds) {
      const option = options.find((o) => o.kind === kind);
      if (!option) return { ok: false as const, reason: "kind-not-declinable" as const };
      if (option.refusal) return { ok: false as const, reason: option.refusal };
    }
    const lang = request.lang;
    const m = messagesFor(lang);
    const n = m.delivery.notices;
    const kindLabels = kinds
      .map((k) => requestKindBySlug[k].label[lang])
      .join(lang === "de" ? " und " : " and ");
    const body = decisionNotice(
      lang,
      input.publicUrl,
      request.reference,
      n.declineBody(request.reference, kindLabels, personReasons),
    );
    const outboxId = await sendStaffNotice(tx, {
      requestId: request.id,
      to: request.contactEmail,
      staffId: staff.id,
      subject: n.declineSubject(request.reference),
      body,
    });
    await tx.insert(kindDeclines).values(
      kinds.map((kind) => ({
        requestId: request.id,
        kind,
        personReasons,
        reasoning,
        noticeId: outboxId,
        decidedBy: staff.id,
        decidedAt: now,
      })),
    );
    const deadline = request.extendedDeadline ?? request.deadline;
    await appendAuditEvent(tx, {
      requestId: request.id,
      actorType: "staff",
      actorId: staff.id,
      action: "request.declined",
      reason: reasoning,
      data: { kinds, noticeId: outboxId, late: deadline !== null && now.getTime() > deadline.getTime() },
    });
    // Declined was the last open part: the case ends as refused (or as what the rest of it ended in).
    if (await endCaseIfDone(tx, request.id, now)) await recordFinalNotice(tx, request.id, outboxId);
    return { ok: true as const, outboxId };
  });
}

/** The kinds of a case declined on their merits, with when: for the staff case page. */
export async function declinesOf(
  db: DbOrTx,
  requestId: string,
): Promise<{ kind: string; decidedAt: Date }[]> {
  return db
    .select({ kind: kindDeclines.kind, decidedAt: kindDeclines.decidedAt })
    .from(kindDeclines)
    .where(eq(kindDeclines.requestId, requestId))
    .orderBy(kindDeclines.decidedAt);
}
