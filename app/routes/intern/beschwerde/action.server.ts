import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { forwardTakenInComplaint, resendFailedComplaint } from "#app/server/complaints/forward.server";
import { resendSchema, takenInForwardSchema } from "#app/server/complaints/taken-in-page.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import { pickFormFields } from "#app/server/http/form.server";
import { staffCaseAction } from "#app/server/http/staff-action.server";
import { asErrorKey } from "#app/server/requests/request-form";

/** The fields of the forwarding form; any other name posted is dropped before conform reads the form. */
const formFields = new Set(["text", "attachCaseFile"]);

/** The status of a refusal by the forwarding itself (the form was valid). */
const refusalStatus = (reason: string) =>
  reason === "not-permitted" ? 403 : reason === "document-unreadable" ? 503 : 409;

/**
 * The taken-in complaint page's action (intern/beschwerde.tsx): the form read by conform, so a refusal
 * comes back with what was typed (also without JavaScript); the forwarding is the online path's.
 */
export async function forwardAction(args: {
  request: Request;
  context: AppLoadContext;
  params: Record<string, string | undefined>;
}) {
  const { staff, form, refuse, requestId } = await staffCaseAction(args, "finding:propose");
  if (form?.get("intent") === "resend") return resendAction(args.context, staff, form, refuse, requestId);
  // A body that is no form is read as an empty one: every field is then refused as missing.
  const fields = (form && pickFormFields(form, (name) => formFields.has(name))) ?? new FormData();
  const submission = parseWithZod(fields, { schema: takenInForwardSchema });
  if (submission.status !== "success") {
    const result = submission.reply();
    // The schema's messages are keys of journey.errors; anything else is shown as "invalid".
    const error = Object.fromEntries(
      Object.entries(result.error ?? {}).map(([name, list]) => [name, list?.map(asErrorKey) ?? null]),
    );
    return data({ result: { ...result, error } }, { status: 400 });
  }
  const forwarded = await forwardTakenInComplaint(args.context.services, staff, requestId, {
    text: submission.value.text,
    attachCaseFile: submission.value.attachCaseFile === "yes",
  });
  if (!forwarded.ok) {
    await refuse(requestId, forwarded.reason);
    return data(
      { result: submission.reply({ formErrors: [forwarded.reason] }) },
      { status: refusalStatus(forwarded.reason) },
    );
  }
  await sendQueuedMail(args.context, forwarded.outboxIds);
  // Post/redirect/get: the page now says that the complaint is being sent, and once accepted who answers.
  return redirect(`/intern/vorgaenge/${requestId}/beschwerde`);
}

/**
 * Sends a complaint's mail again that the outbox gave up on (ADR 0015): to the authority's address
 * as configured now. Anything else — a complaint of another case, a mail not failed — is refused.
 */
async function resendAction(
  context: AppLoadContext,
  staff: StaffIdentity,
  form: FormData,
  refuse: (requestId: string, reason: string) => Promise<void>,
  requestId: string,
) {
  const parsed = resendSchema.safeParse(Object.fromEntries(form));
  const resent = parsed.success
    ? await resendFailedComplaint(context.services, staff, requestId, parsed.data.complaintId)
    : ({ ok: false, reason: "not-failed" } as const);
  if (!resent.ok) {
    await refuse(requestId, resent.reason);
    return data({ result: undefined, resendError: resent.reason }, { status: 409 });
  }
  await sendQueuedMail(context, [resent.outboxId]);
  return redirect(`/intern/vorgaenge/${requestId}/beschwerde`);
}
