import { z } from "zod";
import { startOfBerlinDay } from "#app/core/berlin-date";
import { isRestrictionGroundId } from "#app/core/restriction-grounds";
import type { Permission } from "#app/core/permissions";
import { declinableKinds } from "#app/core/request-kinds";
import { formObject } from "../http/form-object";
import { assignIntentSchema } from "./assign-intent";
import { findingsPageSize } from "./case-detail.server";
import type { DecisionDraft } from "#app/routes/intern/vorgang/decision-panel";
import type { DecisionGuard } from "../review/decision-checks.server";
import { evidenceKinds } from "../review/identifier-evidence";
import { statutoryIntentPermissions, statutoryIntentSchemas, statutoryListFields } from "./statutory-intents";
import type { Decision } from "../review/review.server";

const uuid = z.uuid();
const text = (max: number) => z.string().trim().max(max);
/** Record paths ticked for one redaction: the fields, recipients and attachments of a page of records. */
const maxRedactionFields = 500;
/** A finding's decision state as the page showed it: "<finding id>@<decisionToken>". */
const shownPattern = /^[0-9a-f-]{36}@(undecided|(release|withhold|redact)\.\d{1,16})$/;

/**
 * The staff case page posts one of these intents. Each names the permission it needs, so the route
 * checks it before anything else happens.
 */
const caseIntentSchema = z.discriminatedUnion("intent", [
  assignIntentSchema,
  z.object({ intent: z.literal("gather") }),
  z.object({ intent: z.literal("retry"), storeJobId: uuid }),
  z.object({ intent: z.literal("open-review") }),
  z
    .object({
      intent: z.literal("decide"),
      roundId: uuid,
      // "checked": the findings ticked in the table; "filter": all findings the page's filter (its URL) matches.
      scope: z.enum(["checked", "filter"]).default("checked"),
      findingIds: z.array(uuid).max(5000).default([]),
      // How many findings the filter matched when the page was shown.
      groupSize: z.coerce.number().int().min(1).max(10_000_000).optional(),
      decision: z.enum(["release", "withhold", "redact"]),
      groundId: text(50).optional(),
      // Internal: for the file and the TLfDI, never in the letter.
      reasoning: text(4000).optional(),
      // What the person reads beside the ground of a withholding (not under § 21(4) ThürDSG).
      personReasons: text(4000).optional(),
      // "Vorschau": show the letter's paragraph for this decision beside the form, decide nothing.
      preview: z.literal("1").optional(),
      reviewOn: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional()
        .or(z.literal("")),
      omitReasons: z.literal("on").optional(),
      // The record paths ticked for redaction ("from", "cc.2"); the use case checks them against the records.
      fields: z.array(text(200)).max(maxRedactionFields).default([]),
      // What the page showed: every finding's decision state ("<id>@<state>", see decisionToken) …
      shown: z.array(z.string().regex(shownPattern)).max(5000).default([]),
      // … and the group the filter matched (see groupStamp).
      groupStamp: z
        .string()
        .regex(/^\d{1,9}\.\d{1,9}\.\d{1,20}$/)
        .optional(),
      // The confirmation of a change of decided findings (the difference's fingerprint) and of
      // giving out matches through unproven identifiers (how many).
      confirmChanges: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .optional(),
      confirmUnproven: z.coerce.number().int().min(1).max(10_000_000).optional(),
    })
    .refine((i) =>
      i.scope === "checked"
        ? i.findingIds.length > 0
        : i.groupSize !== undefined && i.groupStamp !== undefined,
    ),
  z.object({ intent: z.literal("propose"), roundId: uuid }),
  z.object({ intent: z.literal("approve"), roundId: uuid }),
  z.object({ intent: z.literal("send-back"), roundId: uuid, comment: text(2000) }),
  z.object({ intent: z.literal("extend"), months: z.enum(["1", "2"]), reasons: text(4000) }),
  z.object({ intent: z.literal("refuse"), ground: z.enum(["unfounded", "excessive"]), reasons: text(4000) }),
  // Art. 12(4): a rectification or restriction declined as unfounded, with both texts (decline.server.ts).
  z.object({
    intent: z.literal("decline"),
    kinds: z.array(z.enum(declinableKinds)).min(1).max(declinableKinds.length),
    personReasons: text(4000),
    reasoning: text(4000),
  }),
  z.object({ intent: z.literal("release-answer") }),
  // A DPO's reason to answer although stores were not searched (issue 16).
  z.object({ intent: z.literal("accept-unsearched"), reason: text(4000) }),
  // Staff confirm an identifier the person gave, with the evidence they saw.
  z.object({
    intent: z.literal("confirm-identifier"),
    identifierId: uuid,
    evidenceKind: z.enum(evidenceKinds),
    evidence: text(2000),
  }),
  // § 21(2) ThürDSG per store, and the identity check whose documents are then deleted.
  ...statutoryIntentSchemas,
]);
export type CaseIntent = z.infer<typeof caseIntentSchema>;

export const intentPermission: Record<CaseIntent["intent"], Permission> = {
  assign: "case:assign",
  gather: "case:gather",
  retry: "case:gather",
  "open-review": "finding:propose",
  decide: "finding:propose",
  propose: "finding:propose",
  approve: "release:approve",
  "send-back": "release:approve",
  extend: "deadline:extend",
  refuse: "request:refuse",
  // The DPO's, as the Art. 12(5) refusal: not acting on a request is decided by the same hand.
  decline: "request:refuse",
  "release-answer": "finding:propose",
  "accept-unsearched": "release:approve",
  "confirm-identifier": "finding:propose",
  ...statutoryIntentPermissions,
};

/** Sensitive intents ask for a fresh TOTP code. */
export const freshCodeIntents: ReadonlySet<CaseIntent["intent"]> = new Set([
  "approve",
  "send-back",
  "refuse",
  "decline",
  "accept-unsearched",
]);

const listFields = new Set(["findingIds", "fields", "shown", "kinds", ...statutoryListFields]);
/** A page of findings (ticked, and the state of each shown) and the decision panel's fields. */
const maxEntries = 2 * findingsPageSize + 50 + maxRedactionFields;

export function parseCaseIntent(form: FormData): CaseIntent | null {
  const raw = formObject(form, listFields, maxEntries);
  const parsed = raw && caseIntentSchema.safeParse(raw);
  return parsed?.success ? parsed.data : null;
}

/** The review decision a "decide" intent carries; the use case validates the rest. */
export function decisionOf(intent: Extract<CaseIntent, { intent: "decide" }>): Decision {
  if (intent.decision === "release") return { decision: "release" };
  const groundId = isRestrictionGroundId(intent.groundId) ? intent.groundId : ("" as never);
  const reasoning = intent.reasoning ?? "";
  if (intent.decision === "redact") {
    const fields = [...new Set(intent.fields.filter(Boolean))];
    return { decision: "redact", groundId, reasoning, fields };
  }
  // The review date is a calendar day in Berlin; the restriction is looked at again from its start.
  const reviewOn = intent.reviewOn ? startOfBerlinDay(intent.reviewOn) : new Date(Number.NaN);
  return {
    decision: "withhold",
    groundId,
    reasoning,
    personReasons: intent.personReasons ?? "",
    reviewOn,
    omitReasons: intent.omitReasons === "on",
  };
}

/**
 * What a "decide" intent says the page showed and the reviewer confirmed: the use case refuses a
 * decision on anything else.
 */
export function guardOf(intent: Extract<CaseIntent, { intent: "decide" }>): DecisionGuard {
  const shown = new Map<string, string>();
  for (const entry of intent.shown) {
    const at = entry.indexOf("@");
    shown.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return intent.scope === "checked"
    ? { shown, confirmChanges: intent.confirmChanges, confirmUnproven: intent.confirmUnproven }
    : {
        groupStamp: intent.groupStamp,
        confirmChanges: intent.confirmChanges,
        confirmUnproven: intent.confirmUnproven,
      };
}

/** The decision as posted, to show it again beside a preview or to post it again with a confirmation. */
export function decisionDraftOf(intent: Extract<CaseIntent, { intent: "decide" }>): DecisionDraft {
  const ticked = new Set(intent.findingIds);
  return {
    roundId: intent.roundId,
    scope: intent.scope,
    findingIds: intent.findingIds,
    decision: intent.decision,
    groundId: intent.groundId ?? "",
    reasoning: intent.reasoning ?? "",
    personReasons: intent.personReasons ?? "",
    reviewOn: intent.reviewOn ?? "",
    omitReasons: intent.omitReasons === "on",
    fields: intent.fields,
    shown:
      intent.scope === "checked"
        ? intent.shown.filter((entry) => ticked.has(entry.slice(0, entry.indexOf("@"))))
        : [],
    groupSize: intent.groupSize,
    groupStamp: intent.groupStamp,
  };
}
