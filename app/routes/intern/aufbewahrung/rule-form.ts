/**
 * A retention rule's period as its row's form sends it, checked alike in the browser (the row's
 * useForm) and on the server (actions.server.ts); hence no `.server` in the name and nothing but zod
 * and the register's units. Messages are keys of `retention.rules.errors`. The legal bounds of each
 * rule, and what else a period may not be, only the server checks.
 */
import { z } from "zod";
import { periodUnits } from "#app/core/retention";

export const MAX_PERIOD_AMOUNT = 1000;

/** One unit per rule in the form: every rule of the register is written in one unit. */
export const periodSchema = z.object({
  amount: z.coerce
    .number({ error: "invalid-period" })
    .int("invalid-period")
    .min(1, "invalid-period")
    .max(MAX_PERIOD_AMOUNT, "invalid-period"),
  unit: z.enum(periodUnits, { error: "invalid-period" }),
  roundToEndOfYear: z.literal("on").optional(),
});

/** The row's form id, and the intent its refusal comes back under. */
export const ruleFormId = (ruleId: string) => `rule-${ruleId}`;

/** What a refused change sends back: the period typed, never the tick (ADR 0016). */
export const sentBackRuleFields = ["amount", "unit"] as const;
