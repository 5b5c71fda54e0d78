import { data } from "react-router";
import type { Route } from "./+types/tlfdi-nachweis";
import { messagesFor } from "#app/i18n";
import { getLang } from "#app/i18n/lang.server";
import { requireStaff } from "#app/server/auth/staff.server";
import { keptTlfdiRecord } from "#app/server/complaints/tlfdi-demand.server";
import { produceTlfdiRecord } from "#app/server/complaints/tlfdi-record.server";
import { attachmentResponse, downloadRefusal } from "#app/server/http/attachment-response.server";
import { isUuid } from "#app/server/http/form.server";

/**
 * The record for the TLfDI under § 21(5) ThürDSG as a PDF download: produced now (audited), or with
 * `?verlangen=<id>` the one kept when the person demanded it (reading it is audited). The tasks
 * around it (a demand taken by letter, the hand-over) are intents of the case page's action.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "tlfdi:record");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const { db } = context.services.database;
  const demandId = new URL(request.url).searchParams.get("verlangen");
  if (demandId !== null) {
    const kept = isUuid(demandId) ? await keptTlfdiRecord(db, staff, params.id, demandId) : null;
    if (!kept) throw data(null, { status: 404 });
    return pdfResponse(kept.fileName, kept.pdf);
  }
  const lang = await getLang(request);
  const result = await produceTlfdiRecord(db, staff, params.id, lang);
  if (!result.ok) {
    if (result.reason === "unknown-case") throw data(null, { status: 404 });
    return downloadRefusal(messagesFor(lang).complaints.recordErrors.nothingRestricted, 409);
  }
  return pdfResponse(result.fileName, result.pdf);
}

function pdfResponse(fileName: string, pdf: Buffer): Response {
  return attachmentResponse({ body: pdf, contentType: "application/pdf", fileName });
}
