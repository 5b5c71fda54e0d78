import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { pickFormFields } from "#app/server/http/form.server";
import { codeSchema } from "./sign-in-forms";

/**
 * The code of a second-factor form (sign-in, set-up, fresh confirmation) read as the browser checked
 * it; `refuse` answers the form with a reason at the field and without the code typed.
 */
export function readCodeForm(
  body: FormData | null,
):
  | { ok: true; code: string; refuse: (reason: string) => SubmissionResult<string[]> }
  | { ok: false; result: SubmissionResult<string[]> } {
  const form = (body && pickFormFields(body, (name) => name === "code")) ?? new FormData();
  const submission = parseWithZod(form, { schema: codeSchema });
  if (submission.status !== "success")
    return { ok: false, result: submission.reply({ hideFields: ["code"] }) };
  return {
    ok: true,
    code: submission.value.code,
    refuse: (reason) => submission.reply({ fieldErrors: { code: [reason] }, hideFields: ["code"] }),
  };
}
