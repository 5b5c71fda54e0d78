import type { Route } from "./+types/jahresbericht[.]pdf";
import { getLang } from "#app/i18n/lang.server";
import { exportAnnualReport, parseReportYear } from "#app/server/annual-report.server";
import { attachmentResponse } from "#app/server/http/attachment-response.server";
import { requireStaff } from "#app/server/auth/staff.server";

/** The annual report of the year in `jahr` as a PDF download. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "statistics:read");
  const year = parseReportYear(new URL(request.url));
  if (year === null) throw new Response("Bad Request", { status: 400 });
  const { fileName, pdf } = await exportAnnualReport(
    context.services.database.db,
    staff.id,
    year,
    await getLang(request),
  );
  return attachmentResponse({ body: pdf, contentType: "application/pdf", fileName });
}
