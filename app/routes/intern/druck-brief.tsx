import { data } from "react-router";
import type { Route } from "./+types/druck-brief";
import { requireStaff } from "#app/server/auth/staff.server";
import { downloadAnswer } from "#app/server/delivery/delivery.server";
import { dataMediumPassword, passwordJob, printJobDocument } from "#app/server/print/print-queue.server";
import { attachmentResponse } from "#app/server/http/attachment-response.server";
import { isUuid } from "#app/server/http/form.server";

/**
 * A letter of the print queue (or, with ?anlage=N, one of its enclosures) to print; for a password
 * letter, with ?datentraeger, the case's access archive encrypted with that password, for the data
 * medium. Every download is recorded.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const query = new URL(request.url).searchParams;
  if (query.has("datentraeger")) {
    const job = await passwordJob(context.services.database.db, params.id);
    if (!job) throw data(null, { status: 404 });
    const password = dataMediumPassword(context.services.config.sessionSecret, job.requestId, params.id);
    const outcome = await downloadAnswer(context.services.database.db, {
      requestId: job.requestId,
      file: "auskunft.zip",
      actor: { type: "staff", id: staff.id },
      publicUrl: context.services.config.publicUrl,
      sources: context.services.config.sources,
      password,
    });
    if (!outcome.ok) throw data(null, { status: outcome.status });
    return attachmentResponse(outcome);
  }
  const raw = query.get("anlage");
  if (raw !== null && !/^\d{1,3}$/.test(raw)) throw data(null, { status: 404 });
  const document = await printJobDocument(context.services.database.db, {
    id: params.id,
    enclosure: raw === null ? null : Number(raw),
    staffId: staff.id,
  });
  if (!document) throw data(null, { status: 404 });
  // The file name is ours or the enclosure's as the portal made it.
  return attachmentResponse({
    body: document.content,
    contentType: document.contentType,
    fileName: document.fileName,
  });
}
