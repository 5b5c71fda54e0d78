import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { requestIdentifiers, requests } from "../../../db/schema";
import type { ProcessingActivityId } from "../../core/processing-activities";
import { type RequestKindSlug, requestKindSlug } from "../../core/request-kinds";
import { type RedactionGroundId, type RestrictionGroundId, isRedactionGroundId, restrictionGrounds } from "../../core/restriction-grounds";
import { isLang } from "../../i18n";
import { type AnswerInput, type ReleasedFinding, type WithheldGroup, releasedFromArray } from "../answers/answer-input";
import type { RedactionReasonCode } from "../answers/redaction";
import { effectiveRules } from "../retention/rules.server";
import { type WithheldRecord, approvedRelease } from "../review/review.server";

/** The answer's name for each ground that can blank out fields. */
const reasonCodeOf: Record<RedactionGroundId, RedactionReasonCode> = {
  "third-party-rights": "art-15-4",
  "public-security": "thuerdsg-21-1-1",
  secrecy: "thuerdsg-21-1-2",
  prosecution: "thuerdsg-21-1-3",
  "authority-consent": "thuerdsg-21-3",
};

/**
 * Grounds whose findings never reach the answer, not even as a count: under an information block
 * the answer must not reveal whether data exist (§ 51 BMG), and a match that was never confirmed to
 * be the person's is no data "concerning" them.
 */
const silentGrounds: ReadonlySet<RestrictionGroundId> = new Set(["information-block", "identity-unconfirmed"]);

/**
 * The input of the answer documents for a case: its approved review, its dates, the person's
 * address, and the retention rules in force. Null when no review of the case is approved.
 */
export async function answerInputFor(db: Db, requestId: string, answeredAt: Date, publicUrl?: string): Promise<AnswerInput | null> {
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  const release = request?.reference && request.receivedAt ? await approvedRelease(db, requestId) : null;
  if (!request?.reference || !request.receivedAt || !release) return null;
  const names = await db.select({ value: requestIdentifiers.value, kind: requestIdentifiers.kind }).from(requestIdentifiers).where(eq(requestIdentifiers.requestId, requestId));
  const released: ReleasedFinding[] = release.released.map(({ findingId: _id, redactions, ...finding }) => ({
    ...finding,
    redactions: redactions.map((r) => ({ field: r.field, reasonCode: isRedactionGroundId(r.groundId) ? reasonCodeOf[r.groundId] : "art-15-4" })),
  }));
  return {
    reference: request.reference,
    lang: isLang(request.lang) ? request.lang : "de",
    receivedAt: request.receivedAt,
    answeredAt,
    recipient: {
      email: request.contactEmail,
      name: names.find((n) => n.kind === "name")?.value,
      postalAddress: names.find((n) => n.kind === "postal-address")?.value,
    },
    kinds: request.kinds.filter((k): k is RequestKindSlug => requestKindSlug.safeParse(k).success),
    released: releasedFromArray(released),
    withheld: withheldGroups(release.withheld),
    ...(publicUrl ? { complaintUrl: `${publicUrl}/vorgang/${request.reference}/beschwerde` } : {}),
    retentionRules: await effectiveRules(db),
  };
}

function withheldGroups(records: WithheldRecord[]): WithheldGroup[] {
  const groups = new Map<string, WithheldGroup>();
  for (const record of records) {
    if (silentGrounds.has(record.groundId)) continue;
    const reasons = record.omitReasons ? null : record.reasoning;
    const key = JSON.stringify([record.groundId, record.processingActivityId, reasons, record.reviewOn?.toISOString() ?? null]);
    const group = groups.get(key);
    if (group) group.count++;
    else {
      groups.set(key, {
        groundId: record.groundId,
        legalReference: restrictionGrounds[record.groundId].reference,
        reasons,
        reviewDate: record.reviewOn,
        count: 1,
        processingActivityId: record.processingActivityId as ProcessingActivityId,
      });
    }
  }
  return [...groups.values()];
}
