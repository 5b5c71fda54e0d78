import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data } from "react-router";
import { gatherOnReceipt } from "#app/server/gather/gather.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import { pickFormFields } from "#app/server/http/form.server";
import { staffAction } from "#app/server/http/staff-action.server";
import { uploadedDocument } from "#app/server/requests/documents.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import { asErrorKey, representativeFields } from "#app/server/requests/request-form";

/** The intake form's text fields; the scanned letter is read from the body on its own. */
const fields = new Set([
  "channel",
  "receivedOn",
  "kinds",
  "lang",
  "email",
  "name",
  "postalAddress",
  "phones",
  "birthDate",
  "note",
  ...Object.keys(representativeFields),
]);

export type IntakeOutcome = { result?: SubmissionResult<string[]>; reference?: string };

/**
 * The intake page's action (intern/eingang.tsx): a request that came by letter, fax, e-mail, phone
 * or in person, read by conform as the public request form is, so a refused form comes back with
 * what was typed; the scanned letter is checked as every upload is.
 */
export async function intakeAction({ request, context }: { request: Request; context: AppLoadContext }) {
  const { staff, form: body } = await staffAction({ request, context }, "request:intake");
  const form = body && pickFormFields(body, (name) => fields.has(name));
  if (!body || !form)
    return data<IntakeOutcome>({ result: { status: "error", error: { "": ["badForm"] } } }, { status: 400 });
  const submission = parseWithZod(form, { schema: intakeSchema });
  const scan = await uploadedDocument(body.get("scan"));
  const fileErrors: Record<string, string[]> = scan && !scan.ok ? { scan: [scan.error] } : {};
  if (submission.status !== "success" || !(scan?.ok ?? true)) {
    const result = submission.reply({ fieldErrors: fileErrors });
    const error = Object.fromEntries(
      Object.entries(result.error ?? {}).map(([name, list]) => [name, list?.map(asErrorKey) ?? null]),
    );
    return data<IntakeOutcome>(
      { result: { ...result, error: { ...error, ...fileErrors } } },
      { status: 400 },
    );
  }
  const created = await intakeRequest(context.services, {
    staffId: staff.id,
    form: submission.value,
    scan: scan?.ok ? scan.document : null,
  });
  await sendQueuedMail(context, created.outboxIds);
  await gatherOnReceipt(context.services, created.requestId);
  // A fresh, empty form for the next letter.
  return {
    result: submission.reply({ resetForm: true }),
    reference: created.reference,
  } satisfies IntakeOutcome;
}
