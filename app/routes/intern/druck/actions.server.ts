import { type AppLoadContext, data } from "react-router";
import { z } from "zod";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { isUuid, sentBackForm } from "#app/server/http/form.server";
import { formObject } from "#app/server/http/form-object";
import { staffAction } from "#app/server/http/staff-action.server";
import {
  type DispatchRefusal,
  prepareDataMedium,
  recordDispatch,
} from "#app/server/print/print-queue.server";
import { dispatchFormId, dispatchFormSchema } from "./dispatch-form";

/**
 * The print queue's action (intern/druck.tsx): a data medium prepared for a paper answer, or the
 * day a letter went out recorded. Each intent's function checks its fields and says which is wrong.
 */
const printIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("medium"), requestId: z.string().optional() }),
  z.object({
    intent: z.literal("dispatch"),
    printJobId: z.string().optional(),
    dispatchedOn: z.string().optional(),
  }),
]);
type PrintIntent = z.infer<typeof printIntentSchema>;

/** More entries than either form has are no form of this page. */
const MAX_ENTRIES = 10;

function parsePrintIntent(form: FormData | null): PrintIntent | null {
  const raw = form && formObject(form, new Set(), MAX_ENTRIES);
  // A dispatch posted without an intent is read as one: it was the page's first form and named none.
  const parsed = raw && printIntentSchema.safeParse({ intent: "dispatch", ...raw });
  return parsed?.success ? parsed.data : null;
}

interface Env {
  context: AppLoadContext;
  staff: StaffIdentity;
  form: FormData | null;
}

async function medium({ context, staff }: Env, { requestId }: Extract<PrintIntent, { intent: "medium" }>) {
  if (!requestId || !isUuid(requestId))
    return data({ ok: false as const, error: "unknown" as const, id: null }, { status: 400 });
  const { services } = context;
  const prepared = await prepareDataMedium(services.database.db, {
    requestId,
    staffId: staff.id,
    secret: services.config.sessionSecret,
  });
  if (!prepared.ok) return data({ ok: false as const, error: prepared.reason, id: null }, { status: 409 });
  return { ok: true as const, error: null, id: prepared.printJobId, medium: true };
}

async function dispatch(
  { context, staff, form }: Env,
  { printJobId: id, dispatchedOn: day }: Extract<PrintIntent, { intent: "dispatch" }>,
) {
  // A refusal goes back to the row's day, with the day typed.
  const refused = (error: DispatchRefusal, status: number) =>
    data(
      {
        ok: false as const,
        error,
        id: id ?? null,
        ...(id && isUuid(id)
          ? { sentBack: sentBackForm(form, dispatchFormId(id), ["dispatchedOn"], { dispatchedOn: [error] }) }
          : {}),
      },
      { status },
    );
  if (!id || !isUuid(id) || !dispatchFormSchema().safeParse({ dispatchedOn: day }).success)
    return refused("bad-day", 400);
  const result = await recordDispatch(context.services.database.db, { id, staffId: staff.id, day: day! });
  if (!result.ok)
    return refused(
      result.reason,
      result.reason === "unknown" ? 404 : result.reason === "already-dispatched" ? 409 : 400,
    );
  return { ok: true as const, error: null, id };
}

/** Recording the dispatch is the post room's work, done by those who take letters in. */
export async function printAction(args: { request: Request; context: AppLoadContext }) {
  const { staff, form } = await staffAction(args, "request:intake");
  const intent = parsePrintIntent(form);
  const env = { context: args.context, staff, form };
  // A body that is no form of this page is answered as a dispatch without its fields.
  if (!intent) return dispatch(env, { intent: "dispatch" });
  return intent.intent === "medium" ? medium(env, intent) : dispatch(env, intent);
}
