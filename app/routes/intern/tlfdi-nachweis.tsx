import { data, redirect } from "react-router";
import type { Route } from "./+types/tlfdi-nachweis";
import { messagesFor } from "../../i18n";
import { getLang } from "../../i18n/lang.server";
import { requireStaff } from "../../server/auth/staff.server";
import { type DemandChannel, demandChannels } from "../../server/cases/statutory-intents";
import { demandTlfdiReview, keptTlfdiRecord, recordTlfdiHandOver } from "../../server/complaints/tlfdi-demand.server";
import { produceTlfdiRecord } from "../../server/complaints/tlfdi-record.server";
import { formText, isUuid, readForm } from "../../server/http/form.server";
import { sendQueuedMail } from "../../server/http/context.server";

/**
 * The record for the TLfDI under § 21(5) ThürDSG as a PDF download: produced now (audited), or with
 * `?verlangen=<id>` the one kept when the person demanded it (reading it is audited).
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
    return new Response(messagesFor(lang).complaints.recordErrors.nothingRestricted, {
      status: 409,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return pdfResponse(result.fileName, result.pdf);
}

function isDemandChannel(value: string | undefined): value is DemandChannel {
  return (demandChannels as readonly (string | undefined)[]).includes(value);
}

function pdfResponse(fileName: string, pdf: Buffer): Response {
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${fileName}"`, "Cache-Control": "no-store" },
  });
}

/**
 * Staff record a demand the person made by letter or e-mail, or that the kept record went to the
 * TLfDI; the case page shows the outcome (`?tlfdi=`).
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const staff = await requireStaff(request, context, "tlfdi:record");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const form = await readForm(request);
  if (form && formText(form, "intent") === "record-demand") {
    const channel = formText(form, "channel");
    if (!isDemandChannel(channel)) return redirect(`/intern/vorgaenge/${params.id}?tlfdi=channel#aufgaben`);
    const result = await demandTlfdiReview(context.services.database.db, params.id, new Date(), { staffId: staff.id, channel });
    if (!result.ok) return redirect(`/intern/vorgaenge/${params.id}?tlfdi=${result.reason}#aufgaben`);
    await sendQueuedMail(context, result.outboxIds);
    return redirect(`/intern/vorgaenge/${params.id}?tlfdi=ok#aufgaben`);
  }
  const demandId = form ? formText(form, "demandId") : undefined;
  if (!form || formText(form, "intent") !== "handed-over" || !isUuid(demandId)) return redirect(`/intern/vorgaenge/${params.id}?tlfdi=unknown-demand#aufgaben`);
  const result = await recordTlfdiHandOver(context.services.database.db, staff, params.id, { demandId: demandId!, day: formText(form, "day") ?? "", note: formText(form, "note") ?? "" });
  if (!result.ok) return redirect(`/intern/vorgaenge/${params.id}?tlfdi=${result.reason}#aufgaben`);
  await sendQueuedMail(context, result.outboxIds);
  return redirect(`/intern/vorgaenge/${params.id}?tlfdi=ok#aufgaben`);
}
