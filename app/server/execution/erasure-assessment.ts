/**
 * Art. 17 per finding: can the record be erased now, must erasure be refused under Art. 17(3)(b)
 * because a retention duty still runs (and from when it is due), or must the record first be
 * offered to the public archive (§ 23 ThürDSG)? Pure: the rule and the finding decide.
 */
import { archiveDecisions, isIn } from "#app/core/finding-actions";
import { deletionDue, type RetentionRule, type RetentionRuleId } from "#app/core/retention";

/**
 * Rules whose period is a duty to keep (a statute, the records directive, or the public task of
 * defending attacks that § 32 ThürEGovG assigns), not merely the longest the data centre keeps
 * data: while they run, Art. 17(3)(b) overrides a request for erasure. Tickets, mailboxes and call
 * records are kept only as long as the data centre finds useful, so a request erases them at once.
 */
const retentionDutyRuleIds: ReadonlySet<RetentionRuleId> = new Set<RetentionRuleId>([
  "web-access-log",
  "login-log",
  "retrieval-protocol",
  "contact-form",
  "records-management",
]);

export type RefusalCode = "retention-duty" | "period-not-started" | "archive-offer";

export type ErasureAssessment =
  | { outcome: "erase-now"; ruleId: RetentionRuleId | null }
  | {
      outcome: "refuse";
      code: Exclude<RefusalCode, "archive-offer">;
      ruleId: RetentionRuleId;
      legalReference: string;
      dueAt: Date | null;
    }
  | { outcome: "archive-offer"; code: "archive-offer"; ruleId: RetentionRuleId; legalReference: string };

export interface AssessedFinding {
  storeKind: string;
  ref: string;
  content: Record<string, unknown>;
  recordedAt: Date | null;
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== "string" || value.length === 0) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * When the rule's clock started for this record, as the store's sweep counts it: tickets from their
 * closure (an article from its ticket's), files from their closure, everything else from creation.
 * Null while the start event has not happened (an open ticket or file).
 */
export function retentionStart(
  finding: AssessedFinding,
  ticketClosedAt: ReadonlyMap<string, Date | null> = new Map(),
): Date | null {
  if (finding.storeKind === "servicedesk-db") {
    if (finding.content.table === "ticket") return dateOf(finding.content.closed_at);
    return ticketClosedAt.get(`ticket/${String(finding.content.ticket_id)}`) ?? null;
  }
  if (finding.storeKind === "records-management") return dateOf(finding.content.abschlussdatum);
  return finding.recordedAt;
}

export function assessErasure(
  finding: AssessedFinding,
  rule: RetentionRule | null,
  now: Date,
  ticketClosedAt?: ReadonlyMap<string, Date | null>,
): ErasureAssessment {
  if (!rule || !retentionDutyRuleIds.has(rule.id)) return { outcome: "erase-now", ruleId: rule?.id ?? null };
  const start = retentionStart(finding, ticketClosedAt);
  if (!start)
    return {
      outcome: "refuse",
      code: "period-not-started",
      ruleId: rule.id,
      legalReference: rule.legalReference,
      dueAt: null,
    };
  const dueAt = deletionDue(rule, start);
  if (now < dueAt)
    return {
      outcome: "refuse",
      code: "retention-duty",
      ruleId: rule.id,
      legalReference: rule.legalReference,
      dueAt,
    };
  return archiveCheck(finding, rule);
}

/** A due record under § 23 ThürDSG is erased only once the archive has decided. */
export function archiveCheck(finding: AssessedFinding, rule: RetentionRule): ErasureAssessment {
  if (rule.archiveOfferRequired && !isIn(archiveDecisions, String(finding.content.archivangebot ?? ""))) {
    return {
      outcome: "archive-offer",
      code: "archive-offer",
      ruleId: rule.id,
      legalReference: rule.legalReference,
    };
  }
  return { outcome: "erase-now", ruleId: rule.id };
}

/**
 * finding_actions.refusal_reason holds "<code>:<rule id>", not prose: the staff page and the
 * person's letter each render it in their language with the rule's legal reference.
 */
export function refusalReasonOf(assessment: ErasureAssessment): string | null {
  return assessment.outcome === "erase-now" ? null : `${assessment.code}:${assessment.ruleId}`;
}

export function parseRefusalReason(
  value: string | null,
): { code: RefusalCode; ruleId: RetentionRuleId } | null {
  const match = value ? /^(retention-duty|period-not-started|archive-offer):([a-z-]+)$/.exec(value) : null;
  return match ? { code: match[1] as RefusalCode, ruleId: match[2] as RetentionRuleId } : null;
}

/**
 * § 22 ThürDSG (modelled on § 35 BDSG): the grounds on which a record is restricted instead of
 * erased, proposed by staff on an erasure request. Kept in finding_actions.refusal_reason of the
 * restriction as "section-22:<ground>", rendered in the person's language like the codes above.
 */
export const section22Grounds = ["impossible-storage", "disproportionate", "person-interest"] as const;
export type Section22Ground = (typeof section22Grounds)[number];

export function isSection22Ground(value: string): value is Section22Ground {
  return (section22Grounds as readonly string[]).includes(value);
}

export function section22Reason(ground: Section22Ground): string {
  return `section-22:${ground}`;
}

export function parseSection22Reason(value: string | null): Section22Ground | null {
  const ground = value?.startsWith("section-22:") ? value.slice("section-22:".length) : "";
  return isSection22Ground(ground) ? ground : null;
}

/** Whether an action answers the erasure of its record: an erasure, or a restriction under § 22 instead of it. */
export function answersErasure(action: { action: string; refusalReason: string | null }): boolean {
  return (
    action.action === "erase" ||
    (action.action === "restrict" && parseSection22Reason(action.refusalReason) !== null)
  );
}
