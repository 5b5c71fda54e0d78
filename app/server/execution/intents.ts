/** The forms of the execution page: each intent with its zod schema and the permission it needs. */
import { z } from "zod";
import { activityDecisionKinds, activityDecisionOutcomes, proposalKinds } from "#app/core/finding-actions";
import type { Permission } from "#app/core/permissions";
import { formObject } from "../http/form-object";

const uuid = z.uuid();
const text = (max: number) => z.string().trim().max(max);

const executionIntentSchema = z.discriminatedUnion("intent", [
  // "restrict-instead": § 22 ThürDSG on an erasure request; the use case checks the ground and names what is wrong.
  z.object({
    intent: z.literal("propose"),
    action: z.enum(proposalKinds).exclude(["rectify"]),
    findingIds: z.array(uuid).min(1).max(5000),
    ground: text(40).optional(),
  }),
  z.object({
    intent: z.literal("rectify"),
    findingId: uuid,
    field: text(100).optional(),
    value: text(2000).optional(),
    statement: text(4000).optional(),
  }),
  z.object({ intent: z.literal("approve"), actionIds: z.array(uuid).min(1).max(5000) }),
  // The comment's length is checked by the use case, which names what is wrong with it.
  z.object({
    intent: z.literal("send-back"),
    actionIds: z.array(uuid).min(1).max(5000),
    comment: text(2000),
  }),
  z.object({
    intent: z.literal("decide"),
    kind: z.enum(activityDecisionKinds),
    activityId: text(100),
    outcome: z.enum(activityDecisionOutcomes),
    reasoning: text(4000),
  }),
  // Decision and date are checked by the use case, which names what is wrong with them.
  z.object({
    intent: z.literal("archive"),
    actionId: uuid,
    decision: text(40).optional(),
    answeredOn: text(40).optional(),
    note: text(500).optional(),
  }),
  // A failed action: run again through the store, or carried out by hand (the note's length is checked by the use case).
  z.object({ intent: z.literal("retry-failed"), actionIds: z.array(uuid).min(1).max(5000) }),
  z.object({ intent: z.literal("resolve-failed"), actionId: uuid, note: text(2000) }),
]);
export type ExecutionIntent = z.infer<typeof executionIntentSchema>;

export const executionIntentPermission: Record<ExecutionIntent["intent"], Permission> = {
  propose: "finding:propose",
  rectify: "finding:propose",
  approve: "release:approve",
  // Saying no is the second pair of eyes' decision as much as saying yes.
  "send-back": "release:approve",
  decide: "objection:decide",
  // Recording the archive's answer is part of handling the erasure; the four eyes approved it already.
  archive: "finding:propose",
  // Settling what the store failed belongs to handling the case; the store, read again, decides.
  "retry-failed": "finding:propose",
  "resolve-failed": "finding:propose",
};

/**
 * Approving, deciding and the archive's answer change the stores: a fresh TOTP code is asked for, as
 * for releases; sending back is the approval's other answer and is asked for the same code. Saying
 * that one carried an action out by hand is an attestation and is asked for it too.
 */
export const freshCodeExecutionIntents: ReadonlySet<ExecutionIntent["intent"]> = new Set([
  "approve",
  "send-back",
  "decide",
  "archive",
  "resolve-failed",
]);

/** The handler must learn what to change: a send-back with a shorter comment is refused. */
export const minReturnComment = 10;

/** Staff must say what they did in the store by hand: a shorter note is refused. */
export const minResolutionNote = 10;

const listFields = new Set(["findingIds", "actionIds"]);

export function parseExecutionIntent(form: FormData): ExecutionIntent | null {
  const raw = formObject(form, listFields, 5010);
  // The rectification form picks record and field in one list: "<finding id>:<field>" (no field: a statement only).
  if (raw?.intent === "rectify" && typeof raw.target === "string") {
    const at = raw.target.indexOf(":");
    if (at < 0) return null;
    raw.findingId = raw.target.slice(0, at);
    raw.field = raw.target.slice(at + 1);
    delete raw.target;
  }
  const parsed = raw && executionIntentSchema.safeParse(raw);
  return parsed?.success ? parsed.data : null;
}
