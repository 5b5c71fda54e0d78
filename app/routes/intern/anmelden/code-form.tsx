import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import type { SubmissionResult } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { ErrorSummary, TextField } from "#app/ui/form/fields";
import { MAX_CODE, codeSchema } from "./sign-in-forms";

/**
 * The one field of the second factor: signing in, setting it up and confirming it afresh. Checked in
 * the browser as the member leaves it; whether the code is right only the server knows, and a
 * refused code is never sent back.
 */
export function CodeForm({
  lastResult,
  refusal,
  hint,
  inputMode,
  submit,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  /** The page's words for a code the server refused. */
  refusal: string;
  hint?: string;
  inputMode?: "numeric" | "text";
  submit: string;
}) {
  const m = useMessages().staff.code;
  const [form, field] = useForm({
    id: "code",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(codeSchema),
  });
  const text = (key: string | undefined) =>
    key === undefined ? undefined : key === "required" ? m.required : key === "expired" ? m.expired : refusal;
  const error = text(field.code.errors?.[0]);
  return (
    <>
      <ErrorSummary errors={error ? [{ name: "code", message: error }] : []} />
      <Form method="post" {...getFormProps(form)}>
        <TextField
          name="code"
          label={m.label}
          hint={hint}
          autoComplete="one-time-code"
          inputMode={inputMode}
          required
          maxLength={MAX_CODE}
          error={error}
        />
        <button className="button" type="submit">
          {submit}
        </button>
      </Form>
    </>
  );
}
