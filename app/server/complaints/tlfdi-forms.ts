/**
 * The § 21(5) ThürDSG task forms on the staff case page (a demand taken by letter or phone, the
 * record's hand-over to the TLfDI), checked alike in the browser (the forms' useForm) and by the use
 * cases (tlfdi-demand.server.ts); hence no `.server` in the name and nothing but zod and core words.
 * Messages are keys of `statutory.task.errors`. Whether a demand is open, and the day it was made,
 * only the server knows.
 */
import { z } from "zod";
import { staffChannels } from "#app/core/channels";

/** Below this a note says nothing about how the record went to the TLfDI. */
export const MIN_HAND_OVER_NOTE = 5;
export const MAX_HAND_OVER_NOTE = 1000;

export const recordDemandSchema = z.object({
  channel: z.enum(staffChannels, { error: "channel" }),
});

/** `latest`: the last day the page offers (today in Berlin when it was drawn). */
export function handOverSchema(latest?: string) {
  return z.object({
    day: z
      .string({ error: "bad-day" })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "bad-day")
      .refine((day) => latest === undefined || day <= latest, "bad-day"),
    note: z
      .string({ error: "note-required" })
      .trim()
      .min(MIN_HAND_OVER_NOTE, "note-required")
      .max(MAX_HAND_OVER_NOTE, "note-required"),
  });
}
