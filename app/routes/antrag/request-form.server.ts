import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import { type RequestKind, findRequestKind, requestKinds } from "#app/core/request-kinds";
import { getLang } from "#app/i18n/lang.server";
import { parseCaseFileChoice } from "#app/server/complaints/complaint-form";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { newSubmissionKey, pickFormFields, readForm } from "#app/server/http/form.server";
import {
  IP_ROWS,
  asErrorKey,
  representativeFields,
  requestFormSchema,
} from "#app/server/requests/request-form";
import { submitRequest } from "#app/server/requests/submit.server";
import { CASE_FILE_FIELD } from "./case-file-field";

/**
 * The request form (/antrag/:art, antrag-formular.tsx): which kind it is for, and its action, which
 * files the request and sends the code to prove the address.
 */

const plainFields = [
  "submissionKey",
  "website",
  "email",
  "kinds",
  "otherEmails",
  "name",
  "postalAddress",
  "phones",
  "userName",
  "birthDate",
  CASE_FILE_FIELD,
  ...Object.keys(representativeFields),
];
/** Every name the form can send, and no other (pickFormFields). */
const fieldPattern = new RegExp(
  `^(${plainFields.join("|")}|ip\\[[0-${IP_ROWS - 1}]\\]\\.(address|from|to)|details\\.(${requestKinds.map((k) => k.slug).join("|")})\\.[A-Za-z]{1,40})$`,
);

export type RequestFormOutcome = { result: SubmissionResult<string[]>; submissionKey: string };

function kindOr404(slug: string): RequestKind {
  const kind = findRequestKind(slug);
  if (!kind) throw data(null, { status: 404 });
  return kind;
}

/** The form of one kind of request, with a fresh key that recognises a repeated post of it. */
export function requestFormPage(slug: string) {
  const kind = kindOr404(slug);
  return { slug: kind.slug, submissionKey: newSubmissionKey() };
}

/**
 * Files the request and sends the code. A refused form comes back with what was typed and the
 * error keys (`journey.errors`; the case-file choice's "choice" is the complaints catalogue's) and
 * the same submission key, so that the corrected form is still recognised as that one.
 */
export async function requestFormAction(request: Request, context: AppLoadContext, slug: string) {
  const kind = kindOr404(slug);
  const lang = await getLang(request);
  const body = await readForm(request);
  const form = body && pickFormFields(body, (name) => fieldPattern.test(name));
  const badForm = (status = 400) =>
    data<RequestFormOutcome>(
      { result: { status: "error", error: { "": ["badForm"] } }, submissionKey: newSubmissionKey() },
      { status },
    );
  if (!form) return badForm();
  const submission = parseWithZod(form, { schema: requestFormSchema(kind.slug) });
  const wantsComplaint = kind.slug === "beschwerde" || form.getAll("kinds").includes("beschwerde");
  const attachCaseFile = parseCaseFileChoice(form.get(CASE_FILE_FIELD));
  // Nothing goes to the authority without the person's explicit choice about their file.
  const choiceMissing = wantsComplaint && attachCaseFile === null;
  if (submission.status !== "success" || choiceMissing) {
    const key = form.get("submissionKey");
    const submissionKey =
      typeof key === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(key) ? key : newSubmissionKey();
    const result =
      submission.status === "success"
        ? submission.reply({ fieldErrors: { [CASE_FILE_FIELD]: ["choice"] } })
        : submission.reply();
    const error = Object.fromEntries(
      Object.entries(result.error ?? {}).map(([name, list]) => [name, list?.map(asErrorKey) ?? null]),
    );
    if (choiceMissing) error[CASE_FILE_FIELD] = ["choice"];
    return data<RequestFormOutcome>({ result: { ...result, error }, submissionKey }, { status: 400 });
  }
  if (submission.value.honeypotFilled) return badForm();
  const complaint = wantsComplaint && attachCaseFile !== null ? { attachCaseFile } : undefined;
  const result = await submitRequest(context.services, {
    form: submission.value,
    lang,
    clientKey: clientKeyOf(context),
    complaint,
  });
  if (!result.ok) {
    return data<RequestFormOutcome>(
      {
        result: submission.reply({ formErrors: ["rateLimited"] }),
        submissionKey: submission.value.submissionKey,
      },
      { status: 429 },
    );
  }
  await sendQueuedMail(context, result.outboxIds);
  return redirect(`/bestaetigen?antrag=${result.requestId}`);
}
