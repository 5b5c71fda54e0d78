import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import { complaintFormSchema } from "#app/server/complaints/complaint-form";
import { type ComplaintFilesProblem, readComplaintFiles } from "#app/server/complaints/complaint-form.server";
import { complaintsOfCase } from "#app/server/complaints/delivery.server";
import { fileComplaint } from "#app/server/complaints/forward.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import { formText, pickFormFields, readForm } from "#app/server/http/form.server";
import { ownedCase } from "#app/server/http/owned-case.server";

/**
 * The complaint to the supervisory authority from the person's own case (Art. 77 DS-GVO;
 * vorgang-beschwerde.tsx): the complaints filed so far, and the form's action.
 */

/** A refused form: what was typed (not the files) and the error keys (`complaints.errors`) per field. */
export interface ComplaintOutcome {
  result: SubmissionResult<string[]>;
}

/** The form as the page's useForm reads it back. */
export interface ComplaintFields {
  text: string;
  attachCaseFile: "yes" | "no";
  files: File[];
}

const textFields = new Set(Object.keys(complaintFormSchema.shape));

export async function complaintPage(request: Request, context: AppLoadContext, reference: string) {
  const { view } = await ownedCase(request, context.services, reference);
  return {
    reference: view.reference,
    complaints: await complaintsOfCase(context.services.database.db, view.id),
  };
}

/** 413 and 415 where the files are the only problem, so clients and proxies read the cause. */
function statusOf(formValid: boolean, files: ComplaintFilesProblem | null): number {
  if (formValid && files === "fileTooLarge") return 413;
  if (formValid && files === "fileType") return 415;
  return 400;
}

/**
 * Every problem of the form is reported at once, and nothing is sent unless the person chose
 * whether the authority may have the case file. A second post of the same complaint sends nothing
 * new (fileComplaint). Sent, the page says so (`?gesendet=1`).
 */
export async function complaintAction(request: Request, context: AppLoadContext, reference: string) {
  const { view } = await ownedCase(request, context.services, reference);
  const body = await readForm(request);
  // A filled honeypot is a robot's form.
  const form = body && !formText(body, "website") && pickFormFields(body, (name) => textFields.has(name));
  if (!body || !form)
    return data<ComplaintOutcome>(
      { result: { status: "error", error: { "": ["badForm"] } } },
      { status: 400 },
    );
  const submission = parseWithZod(form, { schema: complaintFormSchema });
  const files = await readComplaintFiles(body);
  if (submission.status !== "success" || !files.ok) {
    const problem = files.ok ? null : files.problem;
    return data<ComplaintOutcome>(
      { result: submission.reply({ fieldErrors: problem ? { files: [problem] } : {} }) },
      { status: statusOf(submission.status === "success", problem) },
    );
  }
  const { text, attachCaseFile } = submission.value;
  const filed = await fileComplaint(context.services, {
    requestId: view.id,
    text,
    attachCaseFile: attachCaseFile === "yes",
    files: files.files,
  });
  if (!filed.ok) {
    if (filed.reason === "unknown-case") throw data(null, { status: 404 });
    const [problem, status] =
      filed.reason === "document-unreadable" ? ["documentUnreadable", 503] : ["rateLimited", 429];
    return data<ComplaintOutcome>({ result: submission.reply({ formErrors: [problem] }) }, { status });
  }
  await sendQueuedMail(context, filed.outboxIds);
  return redirect(`/vorgang/${view.reference}/beschwerde?gesendet=1`);
}
