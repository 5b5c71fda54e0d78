import { data } from "react-router";
import { z } from "zod";
import type { Route } from "./+types/druck-brief";
import { requireStaff } from "#app/server/auth/staff.server";
import { attachmentResponse } from "#app/server/http/attachment-response.server";
import { isUuid } from "#app/server/http/form.server";
import { printDownload } from "#app/server/print/print-download.server";

/**
 * A letter of the print queue (or, with ?anlage=N, one of its enclosures) to print; for a password
 * letter, with ?datentraeger, the case's access archive encrypted with that password, for the data
 * medium. Every download is recorded.
 */
const enclosureNumber = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number);
const wantedSchema = z.union([
  z.object({ datentraeger: z.string() }).transform(() => ({ file: "data-medium" as const })),
  z
    .object({ anlage: enclosureNumber.optional() })
    .transform(({ anlage }) => ({ file: "document" as const, enclosure: anlage ?? null })),
]);

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  const wanted = wantedSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!isUuid(params.id) || !wanted.success) throw data(null, { status: 404 });
  const download = await printDownload(context.services, staff.id, params.id, wanted.data);
  if (!download.ok) throw data(null, { status: download.status });
  return attachmentResponse(download);
}
