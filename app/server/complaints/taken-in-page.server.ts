/**
 * The staff page that forwards a complaint taken in from a letter (/intern/vorgaenge/:id/beschwerde):
 * what the page shows and what its form may carry. The forwarding itself is the online path's
 * (forward.server.ts), so the TLfDI, the person and the case see the same as for a web complaint.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { requests } from "#db/schema";
import { caseFileChoice } from "./complaint-form";
import { MAX_COMPLAINT_TEXT } from "./complaint-limits";
import { type ComplaintSummary, complaintsOfCase } from "./delivery.server";
import { type TakenInComplaintState, takenInComplaintState } from "./forward.server";

/** Messages are keys of `journey.errors`. */
export const takenInForwardSchema = z.object({
  text: z.string({ error: "required" }).trim().min(1, "required").max(MAX_COMPLAINT_TEXT, "tooLong"),
  attachCaseFile: z.enum(caseFileChoice.options, { error: "choice" }),
});

export interface TakenInPage {
  requestId: string;
  reference: string;
  complaint: TakenInComplaintState;
  /** Every forwarding of the case with how far its mail got. */
  forwarded: ComplaintSummary[];
}

/** Null for no case (unknown id, or an unproven request that is nobody's work yet). */
export async function takenInPage(db: Db, requestId: string): Promise<TakenInPage | null> {
  const [request] = await db
    .select({ reference: requests.reference })
    .from(requests)
    .where(eq(requests.id, requestId));
  if (!request?.reference) return null;
  const [complaint, all] = await Promise.all([
    takenInComplaintState(db, requestId),
    complaintsOfCase(db, requestId),
  ]);
  return {
    requestId,
    reference: request.reference,
    complaint,
    forwarded: complaint.state === "forwarded" ? all : [],
  };
}
