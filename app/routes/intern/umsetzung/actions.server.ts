import { type AppLoadContext, data, redirect } from "react-router";
import type { ExecutionRefusal } from "#app/core/finding-actions";
import { approve, propose, sendBack } from "#app/server/execution/actions.server";
import { recordArchiveDecision } from "#app/server/execution/archive-offer.server";
import { carryOutJob } from "#app/server/execution/carry-out.server";
import { decideActivity } from "#app/server/execution/decisions.server";
import { type ExecutionEnv, ExecutionRefused, executionEnv } from "#app/server/execution/env.server";
import { resolveByHand, retryFailed } from "#app/server/execution/failed-actions.server";
import {
  type ExecutionIntent,
  executionIntentPermission,
  freshCodeExecutionIntents,
  parseExecutionIntent,
} from "#app/server/execution/intents";
import { loadExecutionPage } from "#app/server/execution/view.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import {
  type SentBack,
  type SentBackForms,
  type SentBackShape,
  formText,
  sentBackOf,
} from "#app/server/http/form.server";
import { staffCaseAction } from "#app/server/http/staff-action.server";
import { describeError, log } from "#app/server/log.server";

/** The execution page's action (intern/umsetzung.tsx): one function per intent of executionIntentSchema. */

export function envOf(context: AppLoadContext) {
  const { services } = context;
  return executionEnv({ db: services.database.db, config: services.config, sources: services.sources });
}

const statusOf: Record<ExecutionRefusal, number> = {
  "not-permitted": 403,
  "foreign-finding": 400,
  "foreign-action": 400,
  "unknown-activity": 400,
  "no-gathering": 409,
  "already-open": 409,
  "kind-not-requested": 409,
  "section-22-ground-required": 400,
  "section-22-not-erasure": 409,
  "own-proposal": 409,
  "not-proposed": 409,
  "comment-required": 400,
  "changes-required": 400,
  "unknown-field": 400,
  "statement-required": 400,
  "not-restricted": 409,
  "reasoning-required": 400,
  "objection-not-applicable": 409,
  "not-consent-based": 409,
  "already-decided": 409,
  "not-awaiting-archive": 409,
  "unknown-archive-decision": 400,
  "archive-date-invalid": 400,
  "archive-date-future": 400,
  "archive-date-before-approval": 400,
  "not-failed": 409,
  "note-required": 400,
};

/**
 * The page's forms that show a refusal at its field and keep what was typed (conform). A row's form
 * (an offer, a failed action, an activity) sends back what tells the rows apart; ticks never come back.
 */
const sentBackForms: SentBackForms = new Map<string, SentBackShape>([
  [
    "propose",
    {
      fields: ["action", "ground"],
      at: {
        "section-22-ground-required": "ground",
        "section-22-not-erasure": "action",
        "kind-not-requested": "action",
      },
    },
  ],
  [
    "rectify",
    {
      fields: ["target", "value", "statement"],
      at: { "changes-required": "value", "unknown-field": "target", "statement-required": "statement" },
    },
  ],
  ["approve", { fields: [], at: {} }],
  ["send-back", { fields: ["comment"], at: { "comment-required": "comment" } }],
  [
    "decide",
    {
      fields: ["kind", "activityId", "outcome", "reasoning"],
      at: {
        "reasoning-required": "reasoning",
        "objection-not-applicable": "outcome",
        "not-consent-based": "outcome",
      },
    },
  ],
  [
    "archive",
    {
      fields: ["actionId", "decision", "answeredOn", "note"],
      at: {
        "unknown-archive-decision": "decision",
        "archive-date-invalid": "answeredOn",
        "archive-date-future": "answeredOn",
        "archive-date-before-approval": "answeredOn",
      },
    },
  ],
  ["retry-failed", { fields: [], at: {} }],
  [
    "resolve-failed",
    {
      fields: ["actionId", "note"],
      at: { "note-required": "note", "store-disagrees": "note", "store-unavailable": "note" },
    },
  ],
]);

interface ExecutionActionEnv {
  context: AppLoadContext;
  env: ExecutionEnv;
  staff: StaffIdentity;
  requestId: string;
  form: FormData | null;
}

type Answered<D> = ReturnType<typeof data<D>>;
/** What an intent did: whether the stores have work to carry out, or an answer of its own. */
type Done =
  | void
  | { execute: boolean }
  | {
      answer: Answered<{
        error: string;
        actionId: string;
        detail: string | undefined;
        sentBack?: SentBack;
      }>;
    };
type Handlers = {
  [K in ExecutionIntent["intent"]]: (
    env: ExecutionActionEnv,
    intent: Extract<ExecutionIntent, { intent: K }>,
  ) => Promise<Done>;
};

const handlers: Handlers = {
  async propose({ env, staff, requestId }, intent) {
    await propose(
      env,
      staff,
      requestId,
      intent.action === "restrict-instead"
        ? { action: "restrict", findingIds: intent.findingIds, section22Ground: intent.ground ?? "" }
        : { action: intent.action, findingIds: intent.findingIds },
    );
  },
  async rectify({ env, staff, requestId }, intent) {
    const changes = intent.field && intent.value ? { [intent.field]: intent.value } : {};
    await propose(env, staff, requestId, {
      action: "rectify",
      findingId: intent.findingId,
      changes,
      statement: intent.statement,
    });
  },
  async approve({ context, env, staff, requestId }, intent) {
    const result = await approve(env, staff, requestId, intent.actionIds);
    await sendQueuedMail(context, result.outboxIds);
    return { execute: result.toExecute > 0 };
  },
  async "send-back"({ context, env, staff, requestId }, intent) {
    // A withdrawn lift is told to the person at once, like the lift notice it corrects.
    const result = await sendBack(env, staff, requestId, intent.actionIds, intent.comment);
    await sendQueuedMail(context, result.outboxIds);
  },
  async decide({ context, env, staff, requestId }, intent) {
    const result = await decideActivity(env, staff, requestId, intent);
    await sendQueuedMail(context, [result.outboxId]);
    return { execute: Boolean(result.effect && (result.effect.erase || result.effect.restrict)) };
  },
  async archive({ env, staff, requestId }, intent) {
    await recordArchiveDecision(env, staff, requestId, {
      actionId: intent.actionId,
      decision: intent.decision ?? "",
      answeredOn: intent.answeredOn ?? "",
      note: intent.note,
    });
    return { execute: true };
  },
  async "retry-failed"({ context, env, staff, requestId }, intent) {
    // Run here, not queued: the page shows at once what the store now confirms.
    const result = await retryFailed(env, staff, requestId, intent.actionIds);
    await sendQueuedMail(context, result.outboxIds);
  },
  async "resolve-failed"({ context, env, staff, requestId, form }, intent) {
    const result = await resolveByHand(env, staff, requestId, intent.actionId, intent.note);
    // The use case recorded the refusal with the action and the store it concerns.
    if (!result.ok)
      return {
        answer: data(
          {
            error: result.reason,
            actionId: intent.actionId,
            detail: result.detail,
            ...sentBackOf(sentBackForms, form, intent.intent, result.reason),
          },
          { status: 409 },
        ),
      };
    await sendQueuedMail(context, result.outboxIds);
  },
};

function run<I extends ExecutionIntent>(env: ExecutionActionEnv, intent: I): Promise<Done> {
  return (handlers[intent.intent] as (env: ExecutionActionEnv, intent: I) => Promise<Done>)(env, intent);
}

export async function executionAction(args: {
  request: Request;
  context: AppLoadContext;
  params: { id?: string };
}) {
  const { context } = args;
  const action = await staffCaseAction(args, "case:read");
  const { staff, requestId, form } = action;
  // Refused input (a forged id, another case's action, a settled proposal …) is kept in the audit
  // trail as on the case page; a missing permission is recorded by requirePermission.
  const intent = await action.intent(requestId, {
    parse: parseExecutionIntent,
    permission: executionIntentPermission,
    freshCode: freshCodeExecutionIntents,
  });
  if (!intent)
    return data(
      {
        error: "invalid" as const,
        ...sentBackOf(sentBackForms, form, form ? formText(form, "intent") : undefined, "invalid"),
      },
      { status: 400 },
    );
  const env = await envOf(context);
  if (!(await loadExecutionPage(env, requestId))) throw data(null, { status: 404 });
  let done: Done;
  try {
    done = await run({ context, env, staff, requestId, form }, intent);
  } catch (error) {
    // The archive form or the resolve form of that action shows the error beside its field.
    const actionId =
      intent.intent === "archive" || intent.intent === "resolve-failed" ? intent.actionId : null;
    if (!(error instanceof ExecutionRefused)) throw error;
    await action.refuse(requestId, error.reason);
    return data(
      { error: error.reason, actionId, ...sentBackOf(sentBackForms, form, intent.intent, error.reason) },
      { status: statusOf[error.reason] },
    );
  }
  if (done && "answer" in done) return done.answer;
  if (done?.execute) {
    // The queue carries the work out; should it be unreachable, the hourly job picks it up.
    await context.services.jobs
      .send(carryOutJob.queue, { requestId })
      .catch((error) =>
        log.error({ requestId, error: describeError(error) }, "execution: could not enqueue the carry-out"),
      );
  }
  return redirect(`/intern/vorgaenge/${requestId}/umsetzung`);
}
