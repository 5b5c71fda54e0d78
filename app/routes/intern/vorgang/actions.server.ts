import { type AppLoadContext, data, redirect } from "react-router";
import { type FindingsView, findingsViewSearch, parseFindingsView } from "#app/core/findings-view";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import {
  type CaseIntent,
  decisionDraftOf,
  decisionOf,
  freshCodeIntents,
  guardOf,
  intentPermission,
  parseCaseIntent,
} from "#app/server/cases/case-actions.server";
import { assignCase, caseExists, caseLanguage } from "#app/server/cases/case-detail.server";
import {
  type DeadlineDecisionResult,
  extendDeadline,
  refuseRequest,
} from "#app/server/cases/deadline-decisions.server";
import { type DeclineResult, declineKinds } from "#app/server/cases/decline.server";
import { type StatutoryRefusal, runStatutoryIntent } from "#app/server/cases/statutory-paths.server";
import { handOverFormId } from "#app/server/cases/statutory-intents";
import { demandTlfdiReview, recordTlfdiHandOver } from "#app/server/complaints/tlfdi-demand.server";
import { releaseAnswer } from "#app/server/delivery/delivery.server";
import { retryStore, startGather } from "#app/server/gather/gather.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import {
  type SentBack,
  type SentBackForms,
  type SentBackShape,
  formText,
  sentBackOf as sentBackOfForms,
} from "#app/server/http/form.server";
import { type StaffAction, staffCaseAction } from "#app/server/http/staff-action.server";
import type { DecisionDifference } from "#app/server/review/decision-checks.server";
import { confirmIdentifier } from "#app/server/review/identifier-confirm.server";
import {
  ReviewRefused,
  approve,
  assertReleasable,
  decide,
  decideByFilter,
  openReview,
  previewDecision,
  propose,
  sendBack,
} from "#app/server/review/review.server";
import { recordUnsearchedReason } from "#app/server/review/search-complete.server";
import type { DecisionDraft, DecisionPreview } from "./decision-panel";

/** The staff case page's action (intern/vorgang.tsx): one function per intent of caseIntentSchema. */

interface CaseActionEnv {
  context: AppLoadContext;
  staff: StaffIdentity;
  requestId: string;
  /** The page's view (filter and page) from the URL the form posted to: a group decision applies to its filter. */
  view: FindingsView | null;
  refuse: StaffAction["refuse"];
  form: FormData | null;
}

/** The page's forms that show a refusal at its field and keep what was typed (conform). */
const sentBackForms: SentBackForms = new Map<string, SentBackShape>([
  ["assign", { fields: ["assigneeId"], at: { "unknown-assignee": "assigneeId" } }],
  ["extend", { fields: ["months", "reasons"], at: { "reasons-required": "reasons" } }],
  ["refuse", { fields: ["ground", "reasons"], at: { "reasons-required": "reasons" } }],
  [
    "decline",
    {
      fields: ["kinds", "personReasons", "reasoning"],
      at: {
        "reasons-required": "personReasons",
        "internal-reasoning-required": "reasoning",
        "kind-not-declinable": "kinds",
      },
    },
  ],
  [
    "store-decision",
    {
      fields: ["store", "applies", "reasoning"],
      at: { "reasoning-required": "reasoning", "unknown-store": "store" },
    },
  ],
  [
    "decide",
    {
      // The panel's fields only: the ticks are never sent back (what is ticked is decided, ADR 0016).
      fields: ["scope", "decision", "groundId", "reasoning", "personReasons", "reviewOn", "omitReasons"],
      at: {
        "unknown-ground": "groundId",
        "reasoning-required": "reasoning",
        "review-date-required": "reviewOn",
        "reasons-not-omissible": "omitReasons",
      },
    },
  ],
  ["send-back", { fields: ["comment"], at: { "reasoning-required": "comment" } }],
  ["accept-unsearched", { fields: ["reason"], at: { "reasoning-required": "reason" } }],
  [
    // One form per unproven identifier: the identifier tells them apart.
    "confirm-identifier",
    { fields: ["identifierId", "evidenceKind", "evidence"], at: { "reasoning-required": "evidence" } },
  ],
  // § 21(5): whether a demand is open (or already handed over) only the server knows; that goes above the form.
  ["record-demand", { fields: ["channel"], at: { channel: "channel" } }],
  ["handed-over", { fields: ["day", "note"], at: { "bad-day": "day", "note-required": "note" } }],
  [
    "identity-check",
    {
      fields: ["how", "documentKind", "numberTail", "result", "documentIds", "reason"],
      at: {
        "number-tail": "numberTail",
        "nothing-checked": "documentIds",
        "unknown-document": "documentIds",
      },
    },
  ],
]);

function sentBackOf(form: FormData | null, intent: string | undefined, reason: string) {
  return sentBackOfForms(sentBackForms, form, intent, reason);
}

/** Extending, refusing, declining and releasing write to the person: each queues one mail, or says why it cannot. */
type Written = DeadlineDecisionResult | DeclineResult | Awaited<ReturnType<typeof releaseAnswer>>;
type Answered<D> = ReturnType<typeof data<D>>;
/**
 * What an intent did: nothing to tell (back to the page), a letter queued, mails to send (the
 * § 21(5) tasks tell the person), or an answer of its own.
 */
type Done =
  | void
  | { written: Written }
  | { mailed: string[] }
  | {
      answer:
        | Answered<{ error: string }>
        | Answered<StatutoryRefusal & { sentBack?: SentBack }>
        | Answered<{ tlfdiError: string; sentBack?: SentBack }>
        | { preview: DecisionPreview };
    };
type Handlers = {
  [K in CaseIntent["intent"]]: (
    env: CaseActionEnv,
    intent: Extract<CaseIntent, { intent: K }>,
  ) => Promise<Done>;
};

const invalid = (status: number, error = "invalid") => ({ answer: data({ error }, { status }) });

const handlers: Handlers = {
  async assign({ context, staff, requestId, form }, intent) {
    if (!(await assignCase(context.services.database.db, staff, requestId, intent.assigneeId || null)))
      return {
        answer: data(
          { error: "unknown-assignee", ...sentBackOf(form, "assign", "unknown-assignee") },
          { status: 400 },
        ),
      };
  },
  async gather({ context, staff, requestId }) {
    await startGather(context.services, requestId, staff.id);
  },
  async retry({ context, staff, requestId }, intent) {
    if (!(await retryStore(context.services, requestId, intent.storeJobId, staff.id))) return invalid(409);
  },
  async "open-review"({ context, staff, requestId }) {
    await openReview(context.services.database.db, staff, requestId);
  },
  async decide({ context, staff, requestId, view, refuse }, intent) {
    const { db } = context.services.database;
    if (intent.preview) {
      if (intent.scope === "filter" && !view) return invalid(400, "invalid-filter");
      const selection =
        intent.scope === "checked" ? { findingIds: intent.findingIds } : { filter: view!.filter };
      const lang = await caseLanguage(db, requestId);
      const blocks = await previewDecision(
        db,
        requestId,
        intent.roundId,
        selection,
        decisionOf(intent),
        lang,
      );
      return { answer: { preview: { draft: decisionDraftOf(intent), blocks } } };
    }
    // Only what the page showed, in the state it showed it; changes and unproven matches confirmed.
    if (intent.scope === "checked")
      await decide(
        db,
        staff,
        requestId,
        intent.roundId,
        intent.findingIds,
        decisionOf(intent),
        guardOf(intent),
      );
    else if (!view) {
      await refuse(requestId, "invalid-filter");
      return invalid(400, "invalid-filter");
    } else
      await decideByFilter(
        db,
        staff,
        requestId,
        intent.roundId,
        view.filter,
        intent.groupSize ?? 0,
        decisionOf(intent),
        guardOf(intent),
      );
  },
  async propose({ context, staff, requestId }, intent) {
    await propose(context.services.database.db, staff, requestId, intent.roundId);
  },
  async approve({ context, staff, requestId }, intent) {
    await approve(context.services.database.db, staff, requestId, intent.roundId);
  },
  async "send-back"({ context, staff, requestId }, intent) {
    await sendBack(context.services.database.db, staff, requestId, intent.roundId, intent.comment);
  },
  async extend({ context, staff, requestId }, intent) {
    const { services } = context;
    return {
      written: await extendDeadline(services.database.db, staff, {
        requestId,
        months: intent.months === "2" ? 2 : 1,
        reasons: intent.reasons,
        publicUrl: services.config.publicUrl,
      }),
    };
  },
  async refuse({ context, staff, requestId }, intent) {
    const { services } = context;
    return {
      written: await refuseRequest(services.database.db, staff, {
        requestId,
        ground: intent.ground,
        reasons: intent.reasons,
        publicUrl: services.config.publicUrl,
      }),
    };
  },
  async decline({ context, staff, requestId }, intent) {
    const { services } = context;
    return {
      written: await declineKinds(services.database.db, staff, {
        requestId,
        kinds: intent.kinds,
        personReasons: intent.personReasons,
        reasoning: intent.reasoning,
        publicUrl: services.config.publicUrl,
      }),
    };
  },
  "store-decision": statutory,
  "identity-check": statutory,
  async "record-demand"({ context, staff, requestId, form }, { channel }) {
    if (!channel) return tlfdiRefusal(form, "record-demand", "record-demand", "channel");
    const result = await demandTlfdiReview(context.services.database.db, requestId, new Date(), {
      staffId: staff.id,
      channel,
    });
    return result.ok
      ? { mailed: result.outboxIds }
      : tlfdiRefusal(form, "record-demand", "record-demand", result.reason);
  },
  async "handed-over"({ context, staff, requestId, form }, { demandId, day, note }) {
    const result = await recordTlfdiHandOver(context.services.database.db, staff, requestId, {
      demandId,
      day,
      note,
    });
    return result.ok
      ? { mailed: result.outboxIds }
      : tlfdiRefusal(form, "handed-over", handOverFormId(demandId), result.reason);
  },
  async "release-answer"({ context, staff, requestId }) {
    const { services } = context;
    await assertReleasable(services.database.db, requestId);
    return {
      written: await releaseAnswer(
        services.database.db,
        staff,
        requestId,
        services.config,
        new Date(),
        services.jobs,
      ),
    };
  },
  async "accept-unsearched"({ context, staff, requestId }, intent) {
    await recordUnsearchedReason(context.services.database.db, staff, requestId, intent.reason);
  },
  async "confirm-identifier"({ context, staff, requestId }, intent) {
    await confirmIdentifier(context.services.database.db, staff, requestId, intent.identifierId, {
      kind: intent.evidenceKind,
      text: intent.evidence,
    });
  },
};

/** §§ 21(2) ThürDSG per store and the identity check: refused with the section of the page that says why. */
async function statutory(
  { context, staff, requestId, form }: CaseActionEnv,
  intent: Extract<CaseIntent, { intent: "store-decision" | "identity-check" }>,
): Promise<Done> {
  const refused = await runStatutoryIntent(context.services, staff, requestId, intent);
  if (!refused) return;
  const { reason } = refused.body.statutoryError;
  return {
    answer: data({ ...refused.body, ...sentBackOf(form, intent.intent, reason) }, { status: refused.status }),
  };
}

/**
 * A § 21(5) task refused: back to its form (`formId`: one hand-over form per demand) with what was
 * typed, the reason at its field or above the form.
 */
function tlfdiRefusal(
  form: FormData | null,
  intent: "record-demand" | "handed-over",
  formId: string,
  reason: string,
): Done {
  const { sentBack } = sentBackOf(form, intent, reason);
  const status = reason === "channel" || reason === "bad-day" || reason === "note-required" ? 400 : 409;
  return {
    answer: data({ tlfdiError: reason, sentBack: sentBack && { ...sentBack, intent: formId } }, { status }),
  };
}

function run<I extends CaseIntent>(env: CaseActionEnv, intent: I): Promise<Done> {
  return (handlers[intent.intent] as (env: CaseActionEnv, intent: I) => Promise<Done>)(env, intent);
}

export async function caseAction(args: {
  request: Request;
  context: AppLoadContext;
  params: { id?: string };
}) {
  const action = await staffCaseAction(args, "case:read");
  const { context, request } = args;
  const { staff, requestId, refuse, form } = action;
  const intent = await action.intent(requestId, {
    parse: parseCaseIntent,
    permission: intentPermission,
    freshCode: freshCodeIntents,
  });
  if (!intent)
    return data(
      { error: "invalid", ...sentBackOf(form, form ? formText(form, "intent") : undefined, "invalid") },
      { status: 400 },
    );
  if (!(await caseExists(context.services.database.db, requestId))) throw data(null, { status: 404 });
  const view = parseFindingsView(new URL(request.url).searchParams);
  let done: Done;
  try {
    done = await run({ context, staff, requestId, view, refuse, form }, intent);
  } catch (error) {
    if (!(error instanceof ReviewRefused)) throw error;
    await refuse(requestId, error.reason);
    const status =
      error.reason === "not-permitted"
        ? 403
        : ["unknown-store", "unknown-field", "unknown-identifier"].includes(error.reason)
          ? 400
          : 409;
    // A difference is shown: what changed since the page was drawn, or what the decision would change (then asked again).
    // Any other refusal goes back to its form's field, with what was typed.
    const refusal: {
      error: string;
      difference: DecisionDifference | null;
      draft: DecisionDraft | null;
      sentBack?: SentBack;
    } = {
      error: error.reason,
      difference: error.difference,
      draft: error.difference && intent.intent === "decide" ? decisionDraftOf(intent) : null,
      ...(error.difference ? {} : sentBackOf(form, intent.intent, error.reason)),
    };
    return data(refusal, { status });
  }
  if (done && "answer" in done) return done.answer;
  if (done && "mailed" in done) await sendQueuedMail(context, done.mailed);
  if (done && "written" in done) {
    const { written } = done;
    // The first month limits a refusal as it limits an extension (Art. 12(4)); the page says which.
    if (!written.ok) {
      const error =
        intent.intent === "refuse" && written.reason === "too-late" ? "refusal-too-late" : written.reason;
      return data({ error, ...sentBackOf(form, intent.intent, error) }, { status: 409 });
    }
    await sendQueuedMail(context, [written.outboxId]);
  }
  // Post/redirect/get: a reload does not repeat the action. A § 21(5) task brings staff back to the tasks.
  const anchor = intent.intent === "record-demand" || intent.intent === "handed-over" ? "#aufgaben" : "";
  return redirect(
    `/intern/vorgaenge/${requestId}${view ? findingsViewSearch(view.filter, view.page) : ""}${anchor}`,
  );
}
