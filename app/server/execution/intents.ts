/** The forms of the execution page: each intent with its zod schema and the permission it needs. */
import { z } from "zod";
import type { Permission } from "../../core/permissions";

const uuid = z.uuid();
const text = (max: number) => z.string().trim().max(max);

export const executionIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("propose"), action: z.enum(["erase", "restrict", "lift-restriction"]), findingIds: z.array(uuid).min(1).max(5000) }),
  z.object({
    intent: z.literal("rectify"),
    findingId: uuid,
    field: text(100).optional(),
    value: text(2000).optional(),
    statement: text(4000).optional(),
  }),
  z.object({ intent: z.literal("approve"), actionIds: z.array(uuid).min(1).max(5000) }),
  z.object({
    intent: z.literal("decide"),
    kind: z.enum(["objection", "withdrawal"]),
    activityId: text(100),
    outcome: z.enum(["upheld", "rejected"]),
    reasoning: text(4000),
  }),
]);
export type ExecutionIntent = z.infer<typeof executionIntentSchema>;

export const executionIntentPermission: Record<ExecutionIntent["intent"], Permission> = {
  propose: "finding:propose",
  rectify: "finding:propose",
  approve: "release:approve",
  decide: "objection:decide",
};

/** Approving and deciding change the stores: a fresh TOTP code is asked for, as for releases. */
export const freshCodeExecutionIntents: ReadonlySet<ExecutionIntent["intent"]> = new Set(["approve", "decide"]);

const listFields = new Set(["findingIds", "actionIds"]);

export function parseExecutionIntent(form: FormData): ExecutionIntent | null {
  const raw: Record<string, unknown> = {};
  let entries = 0;
  for (const [key, value] of form) {
    if (typeof value !== "string" || ++entries > 5010) return null;
    if (listFields.has(key)) ((raw[key] ??= []) as string[]).push(value);
    else raw[key] = value;
  }
  const parsed = executionIntentSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
