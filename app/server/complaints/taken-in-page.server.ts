/**
 * The staff page that forwards a complaint taken in from a letter (/intern/vorgaenge/:id/beschwerde),
 * and shows any complaint's sending, with a mail the outbox gave up on to send again: what the page
 * shows and what its forms may carry. The forwarding itself is the online path's
 * (forward.server.ts), so the TLfDI, the person and the case see the same as for a web complaint.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { requests } from "#db/schema";
import { caseFileChoice } from "./complaint-form";
import { MAX_COMPLAINT_TEXT } from "./complaint-limits";
import { type StaffComplaintSummary, mailedComplaintsOfCase } from "./delivery.server";
import { type TakenInComplaintState, takenInComplaintState } from "./forward.server";

/** Messages are keys of `journey.errors`. */
export const takenInForwardSchema = z.object({
  text: z.string({ error: "required" }).trim().min(1, "required").max(MAX_COMPLAINT_TEXT, "tooLong"),
  attachCaseFile: z.enum(caseFileChoice.options, { error: "choice" }),
});

/** The staff's form that sends a complaint's mail again once the outbox gave up on it. */
export const resendSchema = z.object({ intent: z.literal("resend"), complaintId: z.uuid() });

export interface TakenInPage {
  requestId: string;
  reference: string;
  /** Forwarded (ADR 0015) only once a mail server accepted a complaint's mail: the case has ended. */
  caseForwarded: boolean;
  complaint: TakenInComplaintState;
  /**
   * Every complaint of the case (taken in here or filed online) with how far its mail got; one the
   * outbox gave up on with the mail server's last answer, for staff to judge before sending again.
   */
  forwarded: StaffComplaintSummary[];
}

/** Null for no case (unknown id, or an unproven request that is nobody's work yet). */
export async function takenInPage(db: Db, requestId: string): Promise<TakenInPage | null> {
  const [request] = await db
    .select({ reference: requests.reference, status: requests.status })
    .from(requests)
    .where(eq(requests.id, requestId));
  if (!request?.reference) return null;
  const [complaint, forwarded] = await Promise.all([
    takenInComplaintState(db, requestId),
    // A complaint kept until the address is proven has no mail yet: there is nothing to show of it.
    mailedComplaintsOfCase(db, requestId),
  ]);
  return {
    requestId,
    reference: request.reference,
    caseForwarded: request.status === "forwarded",
    complaint,
    forwarded,
  };
}
