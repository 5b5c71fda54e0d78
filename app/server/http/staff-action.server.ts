import { type AppLoadContext, data } from "react-router";
import type { Permission } from "#app/core/permissions";
import { recordStaffRefusal } from "../audit.server";
import { type StaffIdentity, requireFreshTotp, requirePermission, requireStaff } from "../auth/staff.server";
import { isUuid, readForm } from "./form.server";

interface ActionArgs {
  request: Request;
  context: AppLoadContext;
  params: Record<string, string | undefined>;
}

/** The intents of a page's action: how its form is parsed, and what each intent needs. */
interface IntentRules<I extends { intent: string }> {
  parse: (form: FormData) => I | null;
  permission: Record<I["intent"], Permission>;
  /** Intents that ask for a fresh TOTP code first. */
  freshCode?: ReadonlySet<I["intent"]>;
}

export interface StaffAction {
  staff: StaffIdentity;
  /** Null when the body is no form at all; each action answers that as it answers a wrong field. */
  form: FormData | null;
  /** A refusal of this staff member's input, kept in the audit trail of the case. */
  refuse: (requestId: string, reason: string) => Promise<void>;
  /**
   * The intent posted to a case's page: a form that matches no intent is refused and audited
   * (null), one whose permission is missing answers 403, a sensitive one asks for a fresh code.
   */
  intent: <I extends { intent: string }>(requestId: string, rules: IntentRules<I>) => Promise<I | null>;
}

/**
 * The prologue of every staff action, in one place: a complete sign-in from one of our own pages
 * (requireStaff: session, same origin, the permission, refusals audited) and the form read.
 */
export function staffAction(args: Omit<ActionArgs, "params">, permission?: Permission): Promise<StaffAction> {
  return prologue(args, permission, () => undefined);
}

/**
 * A staff action on one case (`/intern/vorgaenge/:id/…`): the prologue, and the case's id, which
 * answers 404 unless it is one. Further permissions are checked after the id, each refusal audited.
 */
export async function staffCaseAction(
  args: ActionArgs,
  permission: Permission,
  ...further: Permission[]
): Promise<StaffAction & { requestId: string }> {
  const requestId = args.params.id;
  const action = await prologue(args, permission, async (staff) => {
    if (!isUuid(requestId)) throw data(null, { status: 404 });
    for (const each of further) await requirePermission(args.context, staff, each, args.request);
  });
  return { ...action, requestId: requestId! };
}

async function prologue(
  args: Omit<ActionArgs, "params">,
  permission: Permission | undefined,
  before: (staff: StaffIdentity) => Promise<void> | void,
): Promise<StaffAction> {
  const { request, context } = args;
  const staff = await requireStaff(request, context, permission);
  await before(staff);
  const form = await readForm(request);
  const { db } = context.services.database;
  const refuse = (requestId: string, reason: string) => recordStaffRefusal(db, staff.id, requestId, reason);
  return {
    staff,
    form,
    refuse,
    async intent<I extends { intent: string }>(requestId: string, rules: IntentRules<I>) {
      const intent = form ? rules.parse(form) : null;
      if (!intent) {
        await refuse(requestId, "invalid-form");
        return null;
      }
      await requirePermission(context, staff, rules.permission[intent.intent as I["intent"]], request);
      if (rules.freshCode?.has(intent.intent)) requireFreshTotp(staff, request);
      return intent;
    },
  };
}
