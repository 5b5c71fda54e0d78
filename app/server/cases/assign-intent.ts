/**
 * Who works on a case: the staff case page's choice (AssignForm), checked alike in the browser and
 * by the page's action (case-actions.server.ts); hence no `.server` in the name and nothing but
 * zod. The message is a key of `staff.case.errors`. Whether the chosen staff member exists only the
 * server knows.
 */
import { z } from "zod";

export const assignIntentSchema = z.object({
  intent: z.literal("assign"),
  // Nobody: the empty choice, which the action reads as "" and conform in the browser as missing.
  // The message on each member: zod reports a string that fits neither with the uuid's own issue.
  assigneeId: z
    .union([z.uuid({ error: "unknown-assignee" }), z.literal("", { error: "unknown-assignee" })])
    .optional(),
});
