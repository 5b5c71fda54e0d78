import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { requestIdentifiers, requests } from "../../../db/schema";
import { type RequestKindSlug, requestKindSlug } from "../../core/request-kinds";
import { isLang } from "../../i18n";
import type { LetterInput } from "../answers/letter-content";
import { effectiveRules } from "../retention/rules.server";
import { letterFactsOf } from "../review/review.server";
import { approvedRoundOf, releasedFindingsOf } from "./released-findings.server";

/**
 * The input of the answer documents for a case: its approved review with what the letter may say of
 * it (withheld groups as the person reads them, stores not searched completely, unproven
 * identifiers — see letterFactsOf), its dates, the person's address, and the retention rules in
 * force. Null when no review of the case is approved. The
 * released findings are read from the database as the documents are written, never all at once;
 * the first pass over them throws ChangedSinceReview where one differs from what was reviewed.
 */
export async function answerInputFor(db: Db, requestId: string, answeredAt: Date, publicUrl?: string): Promise<LetterInput | null> {
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  const round = request?.reference && request.receivedAt ? await approvedRoundOf(db, requestId) : null;
  if (!request?.reference || !request.receivedAt || !round) return null;
  const lang = isLang(request.lang) ? request.lang : "de";
  const facts = await letterFactsOf(db, requestId, lang);
  if (!facts) return null;
  const names = await db.select({ value: requestIdentifiers.value, kind: requestIdentifiers.kind }).from(requestIdentifiers).where(eq(requestIdentifiers.requestId, requestId));
  return {
    reference: request.reference,
    lang,
    receivedAt: request.receivedAt,
    answeredAt,
    recipient: {
      email: request.contactEmail,
      name: names.find((n) => n.kind === "name")?.value,
      postalAddress: names.find((n) => n.kind === "postal-address")?.value,
    },
    kinds: request.kinds.filter((k): k is RequestKindSlug => requestKindSlug.safeParse(k).success),
    released: releasedFindingsOf(db, round),
    withheld: facts.withheld,
    facts,
    ...(publicUrl ? { complaintUrl: `${publicUrl}/vorgang/${request.reference}/beschwerde` } : {}),
    retentionRules: await effectiveRules(db),
  };
}
