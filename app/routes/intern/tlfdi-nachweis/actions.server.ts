import { type AppLoadContext, redirect } from "react-router";
import { z } from "zod";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { staffChannels } from "#app/core/channels";
import { demandTlfdiReview, recordTlfdiHandOver } from "#app/server/complaints/tlfdi-demand.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import { formText } from "#app/server/http/form.server";
import { staffCaseAction } from "#app/server/http/staff-action.server";

/**
 * The § 21(5) ThürDSG record's action (intern/tlfdi-nachweis.tsx): staff record a demand the person
 * made by letter or e-mail, or that the kept record went to the TLfDI. Every answer leads back to
 * the case page, which shows the outcome (`?tlfdi=`).
 */
const tlfdiIntentSchema = z.discriminatedUnion("intent", [
  // A channel not in the list is told as such, not as an unknown form.
  z.object({
    intent: z.literal("record-demand"),
    channel: z.enum(staffChannels).optional().catch(undefined),
  }),
  z.object({
    intent: z.literal("handed-over"),
    demandId: z.uuid(),
    day: z.string().default(""),
    note: z.string().default(""),
  }),
]);
type TlfdiIntent = z.infer<typeof tlfdiIntentSchema>;

interface Env {
  context: AppLoadContext;
  staff: StaffIdentity;
  requestId: string;
}
type Outcome = { ok: true; outboxIds: string[] } | { ok: false; reason: string };

const handlers: {
  [K in TlfdiIntent["intent"]]: (env: Env, intent: Extract<TlfdiIntent, { intent: K }>) => Promise<Outcome>;
} = {
  async "record-demand"({ context, staff, requestId }, { channel }) {
    if (!channel) return { ok: false, reason: "channel" };
    return demandTlfdiReview(context.services.database.db, requestId, new Date(), {
      staffId: staff.id,
      channel,
    });
  },
  "handed-over"({ context, staff, requestId }, { demandId, day, note }) {
    return recordTlfdiHandOver(context.services.database.db, staff, requestId, { demandId, day, note });
  },
};

export async function tlfdiRecordAction(args: {
  request: Request;
  context: AppLoadContext;
  params: { id?: string };
}) {
  const { context } = args;
  const { staff, form, requestId } = await staffCaseAction(args, "tlfdi:record");
  const back = (outcome: string) => redirect(`/intern/vorgaenge/${requestId}?tlfdi=${outcome}#aufgaben`);
  const field = (name: string) => (form ? formText(form, name) : undefined);
  const parsed = tlfdiIntentSchema.safeParse({
    intent: field("intent"),
    channel: field("channel"),
    demandId: field("demandId"),
    day: field("day"),
    note: field("note"),
  });
  if (!parsed.success) return back("unknown-demand");
  const intent = parsed.data;
  const result = await (handlers[intent.intent] as (env: Env, intent: TlfdiIntent) => Promise<Outcome>)(
    { context, staff, requestId },
    intent,
  );
  if (!result.ok) return back(result.reason);
  await sendQueuedMail(context, result.outboxIds);
  return back("ok");
}
