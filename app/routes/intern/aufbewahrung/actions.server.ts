import { type AppLoadContext, data } from "react-router";
import { z } from "zod";
import { retentionRuleIdSchema } from "#app/core/retention";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { formObject } from "#app/server/http/form-object";
import { sentBackForm } from "#app/server/http/form.server";
import { staffAction } from "#app/server/http/staff-action.server";
import { changeRetentionRule } from "#app/server/retention/rules.server";
import { runSweep } from "#app/server/retention/sweep.server";
import { periodSchema, ruleFormId, sentBackRuleFields } from "./rule-form";

/**
 * The retention rules page's action (intern/aufbewahrung.tsx): a rule's period changed, or a dry run
 * of the sweep. The fields of a change are checked by its function, which tells an unknown rule
 * from a bad period.
 */
const retentionIntentSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("change"),
    ruleId: z.string().optional(),
    amount: z.string().optional(),
    unit: z.string().optional(),
    roundToEndOfYear: z.string().optional(),
  }),
  z.object({ intent: z.literal("dry-run") }),
]);
type RetentionIntent = z.infer<typeof retentionIntentSchema>;

interface Env {
  context: AppLoadContext;
  staff: StaffIdentity;
  form: FormData | null;
}

async function change({ context, staff, form }: Env, intent: Extract<RetentionIntent, { intent: "change" }>) {
  const ruleId = retentionRuleIdSchema.safeParse(intent.ruleId);
  if (!ruleId.success)
    return data({ ok: false as const, ruleId: null, error: "unknown-rule" as const }, { status: 400 });
  // A refusal goes back to the rule's period, with what was typed.
  const sentBack = (error: string) =>
    sentBackForm(form, ruleFormId(ruleId.data), sentBackRuleFields, { amount: [error] });
  const parsed = periodSchema.safeParse(intent);
  if (!parsed.success)
    return data(
      {
        ok: false as const,
        ruleId: ruleId.data,
        error: "invalid-period" as const,
        sentBack: sentBack("invalid-period"),
      },
      { status: 400 },
    );
  const { amount, unit, roundToEndOfYear } = parsed.data;
  const result = await changeRetentionRule(
    context.services.database.db,
    ruleId.data,
    { period: { [unit]: amount }, roundToEndOfYear: roundToEndOfYear === "on" },
    staff.id,
  );
  if (!result.ok)
    return data(
      { ok: false as const, ruleId: ruleId.data, error: result.reason, sentBack: sentBack(result.reason) },
      { status: 422 },
    );
  return data({ ok: true as const, ruleId: ruleId.data, error: null });
}

/** What the sweep would delete now, recorded in the deletion record as a dry run; nothing is deleted. */
async function dryRun({ context }: Env) {
  const report = await runSweep(context.services, { trigger: "manual", dryRun: true });
  return data({
    ok: true as const,
    ruleId: null,
    error: null,
    dryRun: {
      wouldDelete: report.parts.reduce((sum, p) => sum + p.deleted, 0),
      failed: report.parts.filter((p) => p.outcome === "failed").length,
    },
  });
}

export async function retentionAction(args: { request: Request; context: AppLoadContext }) {
  const { staff, form } = await staffAction(args, "retention:manage");
  const raw = form && formObject(form, new Set(), 10);
  const intent = raw && retentionIntentSchema.safeParse(raw);
  if (!intent?.success)
    return data({ ok: false as const, ruleId: null, error: "unknown-rule" as const }, { status: 400 });
  const env = { context: args.context, staff, form };
  return intent.data.intent === "change" ? change(env, intent.data) : dryRun(env);
}
