import { data } from "react-router";
import type { Route } from "./+types/tlfdi-nachweis";
import { messagesFor } from "../../i18n";
import { getLang } from "../../i18n/lang.server";
import { requireStaff } from "../../server/auth/staff.server";
import { produceTlfdiRecord } from "../../server/complaints/tlfdi-record.server";
import { isUuid } from "../../server/requests/http.server";

/** The record for the TLfDI under § 21(5) ThürDSG as a PDF download; producing it is audited. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "tlfdi:record");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const lang = await getLang(request);
  const result = await produceTlfdiRecord(context.services.database.db, staff, params.id, lang);
  if (!result.ok) {
    if (result.reason === "unknown-case") throw data(null, { status: 404 });
    return new Response(messagesFor(lang).complaints.recordErrors.nothingRestricted, {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return new Response(new Uint8Array(result.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${result.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
