import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { auditEvents, findingDecisions, findings, requests, staffUsers } from "#db/schema";
import { controller, processingActivityById } from "#app/core/processing-activities";
import { type RestrictionGroundId, restrictionGrounds } from "#app/core/restriction-grounds";
import { type Lang, messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { latestApprovedRound } from "../review/review.server";
import { storeDecisionsOfCase } from "../review/store-decisions.server";
import type { StaffIdentity } from "../auth/staff.server";
import { pathLabel } from "../answers/record-fields";
import { kindLabels } from "../mail/receipt-pdf.server";
import { fact, heading, letterhead, list, paragraph } from "../pdf/blocks.server";
import { createPdf, finishPdf } from "../pdf/document.server";

export type TlfdiRecordResult =
  { ok: true; fileName: string; pdf: Buffer } | { ok: false; reason: "unknown-case" | "nothing-restricted" };

/** Long values (an XML protocol) are given in full; only a runaway field is cut, and says so. */
const MAX_FIELD_CHARS = 20_000;

type Decision = { decision: typeof findingDecisions.$inferSelect; finding: typeof findings.$inferSelect };

/** What a record rests on, for the audit event that goes with it. */
interface TlfdiRecordFacts {
  roundId: string | null;
  withheld: number;
  redacted: number;
  refused: boolean;
  /** Stores of the case for which § 21(2) ThürDSG was found to apply. */
  storesWithoutAccess: number;
}

export type RenderedTlfdiRecord =
  | { ok: true; fileName: string; pdf: Buffer; facts: TlfdiRecordFacts }
  | { ok: false; reason: "unknown-case" | "nothing-restricted" };

/**
 * § 21(5) ThürDSG: where access was refused or restricted, the information goes to the TLfDI. A
 * member of staff produces the record here (audited); a person's demand produces it in
 * tlfdi-demand.server.ts and keeps it.
 */
export async function produceTlfdiRecord(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  lang: Lang,
  now = new Date(),
): Promise<TlfdiRecordResult> {
  return db.transaction(async (tx): Promise<TlfdiRecordResult> => {
    const record = await renderTlfdiRecord(tx, requestId, lang, { staffId: staff.id }, now);
    if (!record.ok) return record;
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "tlfdi.record-produced",
      data: { ...record.facts },
    });
    return { ok: true, fileName: record.fileName, pdf: record.pdf };
  });
}

/**
 * The record: each withheld or redacted finding with its content, ground, reasoning, who decided
 * and when, who approved the release; a refusal; and the § 21(2) decisions per store. `producer`
 * names who made it: a member of staff, or a text (the portal at the person's demand).
 */
export async function renderTlfdiRecord(
  tx: DbOrTx,
  requestId: string,
  lang: Lang,
  producer: { staffId: string } | { label: string },
  now: Date,
): Promise<RenderedTlfdiRecord> {
  const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).limit(1);
  if (!request?.reference) return { ok: false, reason: "unknown-case" };
  const round = await latestApprovedRound(tx, requestId);
  const decisions: Decision[] = round
    ? await tx
        .select({ decision: findingDecisions, finding: findings })
        .from(findingDecisions)
        .innerJoin(findings, eq(findings.id, findingDecisions.findingId))
        .where(
          and(
            eq(findingDecisions.roundId, round.id),
            inArray(findingDecisions.decision, ["withhold", "redact"]),
          ),
        )
        .orderBy(findings.store, findings.ref)
    : [];
  const [refusal] = await tx
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "request.refused")))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const stores = await storeDecisionsOfCase(tx, requestId);
  const storesWithoutAccess = stores.filter((s) => s.applies).length;
  if (decisions.length === 0 && !refusal && storesWithoutAccess === 0)
    return { ok: false, reason: "nothing-restricted" };

  const names = await staffNames(tx, [
    "staffId" in producer ? producer.staffId : null,
    ...decisions.map((d) => d.decision.decidedBy),
    ...stores.map((s) => s.decidedBy),
    round?.proposedBy ?? null,
    round?.decidedBy ?? null,
    refusal?.actorId ?? null,
  ]);
  const withheld = decisions.filter((d) => d.decision.decision === "withhold");
  const redacted = decisions.filter((d) => d.decision.decision === "redact");
  const r = messagesFor(lang).complaints.record;
  const s = messagesFor(lang).statutory.stores;
  const j = messagesFor(lang).journey;
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? r.unknownStaff) : "–");

  const pdf = createPdf({ title: `${r.title} ${request.reference}`, lang, author: controller.name[lang] });
  letterhead(pdf, [controller.name[lang]]);
  pdf.doc.moveDown();
  heading(pdf, r.title, 1, { before: 0, after: 0 });
  paragraph(
    pdf,
    r.produced(j.formatDateTime(now), "staffId" in producer ? nameOf(producer.staffId) : producer.label),
    { size: 10, after: 1 },
  );
  paragraph(pdf, r.intro(request.reference));

  heading(pdf, r.caseTitle, 2);
  fact(pdf, r.reference, request.reference);
  fact(pdf, r.kinds, kindLabels(request.kinds, lang));
  if (request.receivedAt) fact(pdf, r.receivedAt, j.formatDate(request.receivedAt));
  fact(pdf, r.status, j.status[request.status] ?? request.status);

  if (refusal) {
    heading(pdf, r.refusalTitle, 2);
    fact(pdf, r.refusalReason, refusal.reason ?? "–");
    fact(pdf, r.decidedBy, `${nameOf(refusal.actorId)}, ${j.formatDateTime(refusal.createdAt)}`);
  }
  if (round) {
    heading(pdf, r.roundTitle, 2);
    fact(
      pdf,
      r.proposedBy,
      `${nameOf(round.proposedBy)}${round.proposedAt ? `, ${j.formatDateTime(round.proposedAt)}` : ""}`,
    );
    fact(
      pdf,
      r.approvedBy,
      `${nameOf(round.decidedBy)}${round.decidedAt ? `, ${j.formatDateTime(round.decidedAt)}` : ""}`,
    );
  }
  if (stores.length > 0) {
    heading(pdf, s.recordTitle, 2);
    for (const store of stores) {
      heading(pdf, store.store, 3);
      fact(pdf, s.decision, store.applies ? s.applies : s.notApplies);
      fact(pdf, s.reasoning, store.reasoning);
      fact(pdf, s.decidedBy, `${nameOf(store.decidedBy)}, ${j.formatDateTime(store.decidedAt)}`);
    }
  }

  const describe = (entry: Decision, index: number) => {
    const { decision, finding } = entry;
    const ground = restrictionGrounds[decision.groundId as RestrictionGroundId];
    const activity = processingActivityById[finding.processingActivityId];
    heading(pdf, r.finding(index + 1), 3);
    fact(pdf, r.store, `${finding.store} (${finding.storeKind})`);
    fact(pdf, r.activity, activity ? activity.name[lang] : finding.processingActivityId);
    fact(pdf, r.ref, finding.ref);
    if (finding.recordedAt) fact(pdf, r.recordedAt, j.formatDateTime(finding.recordedAt));
    fact(pdf, r.ground, ground ? `${ground.label[lang]} (${ground.reference})` : (decision.groundId ?? "–"));
    fact(pdf, r.reasoning, decision.reasoning ?? "–");
    if (decision.decision === "withhold") {
      fact(pdf, r.omitReasons, decision.omitReasons ? r.yes : r.no);
      if (decision.reviewOn) fact(pdf, r.reviewOn, j.formatDate(decision.reviewOn));
    } else {
      fact(
        pdf,
        r.redactedFields,
        decision.redactedFields.map((field) => pathLabel(finding.storeKind, field, lang)).join(", ") || "–",
      );
    }
    fact(pdf, r.decided, `${nameOf(decision.decidedBy)}, ${j.formatDateTime(decision.decidedAt)}`);
    heading(pdf, `${r.content}:`, 4);
    list(pdf, contentLines(finding.content));
  };
  heading(pdf, r.withheldTitle, 2);
  if (withheld.length === 0) paragraph(pdf, r.none);
  withheld.forEach(describe);
  heading(pdf, r.redactedTitle, 2);
  if (redacted.length === 0) paragraph(pdf, r.none);
  redacted.forEach((entry, index) => describe(entry, withheld.length + index));
  const bytes = await finishPdf(pdf);
  return {
    ok: true,
    fileName: r.fileName(request.reference),
    pdf: bytes,
    facts: {
      roundId: round?.id ?? null,
      withheld: withheld.length,
      redacted: redacted.length,
      refused: Boolean(refusal),
      storesWithoutAccess,
    },
  };
}

async function staffNames(tx: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: staffUsers.id, displayName: staffUsers.displayName, userName: staffUsers.userName })
    .from(staffUsers)
    .where(inArray(staffUsers.id, wanted));
  return new Map(rows.map((row) => [row.id, `${row.displayName} (${row.userName})`]));
}

function contentLines(content: Record<string, unknown>): string[] {
  return Object.entries(content).map(([field, value]) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return `${field}: ${text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)} […]` : text}`;
  });
}
