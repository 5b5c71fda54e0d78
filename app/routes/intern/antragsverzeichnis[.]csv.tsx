import type { Route } from "./+types/antragsverzeichnis[.]csv";
import { getLang } from "#app/i18n/lang.server";
import { requireStaff } from "#app/server/auth/staff.server";
import { attachmentResponse } from "#app/server/http/attachment-response.server";
import { REGISTER_CSV_CONTENT_TYPE, exportRegister } from "#app/server/register-csv.server";
import { parsePeriod } from "#app/server/statistics/period";

/** The register of requests for the period in `von`/`bis` as a CSV download. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "statistics:read");
  const { period, fellBack } = parsePeriod(new URL(request.url), new Date());
  if (fellBack) throw new Response("Bad Request", { status: 400 });
  const { fileName, csv } = await exportRegister(
    context.services.database.db,
    staff.id,
    period,
    await getLang(request),
  );
  return attachmentResponse({ body: csv, contentType: REGISTER_CSV_CONTENT_TYPE, fileName });
}
