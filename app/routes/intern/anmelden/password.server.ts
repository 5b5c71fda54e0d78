import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { pickFormFields } from "#app/server/http/form.server";
import { passwordSignInSchema } from "./sign-in-forms";

const fields = ["userName", "password"];

/**
 * The sign-in form read as the browser checked it; `refuse` answers it with the reason where staff
 * see it — too many attempts above the form, a wrong name or password at the name, without saying
 * which — and never sends the password back, whatever the refusal.
 */
export function readPasswordForm(body: FormData | null):
  | {
      ok: true;
      userName: string;
      password: string;
      refuse: (reason: "rate-limited" | "invalid") => SubmissionResult<string[]>;
    }
  | { ok: false; result: SubmissionResult<string[]> } {
  const form = (body && pickFormFields(body, (name) => fields.includes(name))) ?? new FormData();
  const submission = parseWithZod(form, { schema: passwordSignInSchema });
  if (submission.status !== "success")
    return { ok: false, result: submission.reply({ hideFields: ["password"] }) };
  return {
    ok: true,
    ...submission.value,
    refuse: (reason) =>
      submission.reply({
        ...(reason === "rate-limited"
          ? { formErrors: ["tooMany"] }
          : { fieldErrors: { userName: ["invalid"] } }),
        hideFields: ["password"],
      }),
  };
}
