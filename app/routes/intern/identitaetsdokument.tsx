import { data } from "react-router";
import type { Route } from "./+types/identitaetsdokument";
import { messagesFor } from "#app/i18n";
import { getLang } from "#app/i18n/lang.server";
import { requireStaff } from "#app/server/auth/staff.server";
import { attachmentResponse, downloadRefusal } from "#app/server/http/attachment-response.server";
import { isUuid } from "#app/server/http/form.server";
import { openIdentityDocument } from "#app/server/requests/identity-check.server";

/**
 * A copy of an identity document, opened by staff before they record the check (Art. 12(6)
 * DS-GVO): saved, not shown inline, never cached, typed as stored and not sniffed — the bytes came
 * from the person and are not ours to render. Each opening is audited; a file that is missing or
 * damaged is said in the staff member's language, never sent as empty bytes.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "finding:propose");
  if (!isUuid(params.id) || !isUuid(params.documentId)) throw data(null, { status: 404 });
  const opened = await openIdentityDocument(
    { db: context.services.database.db, config: context.services.config },
    staff,
    params.id,
    params.documentId,
  );
  if (opened.ok)
    return attachmentResponse({
      body: opened.content,
      contentType: opened.contentType,
      fileName: opened.fileName,
      nameFromUpload: true,
    });
  if (opened.reason === "not-permitted") throw data(null, { status: 403 });
  const errors = messagesFor(await getLang(request)).statutory.identity.fileErrors;
  return downloadRefusal(errors[opened.reason], opened.reason === "unknown-document" ? 404 : 500);
}
