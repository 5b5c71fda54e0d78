import { data } from "react-router";
import type { Route } from "./+types/brief-pdf";
import { requireStaff } from "#app/server/auth/staff.server";
import { downloadAnswer } from "#app/server/delivery/delivery.server";
import { attachmentResponse } from "#app/server/http/attachment-response.server";
import { isUuid } from "#app/server/http/form.server";

/** The answer letter for people who asked by post: staff print it. Every download is recorded. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const outcome = await downloadAnswer(context.services.database.db, {
    requestId: params.id,
    file: "brief.pdf",
    actor: { type: "staff", id: staff.id },
    publicUrl: context.services.config.publicUrl,
    sources: context.services.config.sources,
  });
  if (!outcome.ok) throw data(null, { status: outcome.status });
  return attachmentResponse(outcome);
}
