/**
 * The complaint form's typed fields, checked alike in the browser (the page's useForm) and on the
 * server (complaint.server.ts); hence no `.server` in the name and nothing but zod. The files are
 * checked on the server only (complaint-form.server.ts), by their first bytes.
 */
import { z } from "zod";
import { MAX_COMPLAINT_TEXT } from "./complaint-limits";

export const caseFileChoice = z.enum(["yes", "no"]);

/** Messages are keys of `complaints.errors`. */
export const complaintFormSchema = z.object({
  text: z
    .string({ error: "textRequired" })
    .trim()
    .min(1, "textRequired")
    .max(MAX_COMPLAINT_TEXT, "textTooLong"),
  attachCaseFile: z.enum(caseFileChoice.options, { error: "choiceRequired" }),
});

/** The explicit choice; anything but the two offered values counts as no choice. */
export function parseCaseFileChoice(value: FormDataEntryValue | null | undefined): boolean | null {
  const parsed = caseFileChoice.safeParse(value);
  return parsed.success ? parsed.data === "yes" : null;
}
