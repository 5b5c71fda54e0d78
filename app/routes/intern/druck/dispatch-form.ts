/**
 * The print queue's dispatch form (the day a letter went out), checked alike in the browser (the
 * row's useForm) and on the server; hence no `.server` in the name and nothing but zod. Messages
 * are the print queue's refusal reasons (`print` catalogue). Whether the letter still waits, and
 * the day in Berlin, only the server knows.
 */
import { z } from "zod";

/** The row's form id, and the intent its refusal comes back under. */
export const dispatchFormId = (printJobId: string) => `dispatch-${printJobId}`;

/** `latest`: the last day the page offers (today in Berlin when it was drawn). */
export function dispatchFormSchema(latest?: string) {
  return z.object({
    dispatchedOn: z
      .string({ error: "bad-day" })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "bad-day")
      .refine((day) => latest === undefined || day <= latest, "bad-day"),
  });
}
