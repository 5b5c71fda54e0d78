import { z } from "zod";
import { startOfBerlinDay } from "../../core/berlin-date";
import { isRestrictionGroundId } from "../../core/restriction-grounds";
import type { Permission } from "../../core/permissions";
import { formObject } from "../form-object";
import { findingsPageSize } from "./case-detail.server";
import type { Decision } from "../review/review.server";

const uuid = z.uuid();
const text = (max: number) => z.string().trim().max(max);

/**
 * The staff case page posts one of these intents. Each names the permission it needs, so the route
 * checks it before anything else happens.
 */
export const caseIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), assigneeId: z.union([uuid, z.literal("")]) }),
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
      reviewOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(z.literal("")),
      omitReasons: z.literal("on").optional(),
      fields: text(500).optional(),
    })
    .refine((i) => (i.scope === "checked" ? i.findingIds.length > 0 : i.groupSize !== undefined)),
  z.object({ intent: z.literal("propose"), roundId: uuid }),
  z.object({ intent: z.literal("approve"), roundId: uuid }),
  z.object({ intent: z.literal("send-back"), roundId: uuid, comment: text(2000) }),
  z.object({ intent: z.literal("extend"), months: z.enum(["1", "2"]), reasons: text(4000) }),
  z.object({ intent: z.literal("refuse"), ground: z.enum(["unfounded", "excessive"]), reasons: text(4000) }),
  z.object({ intent: z.literal("release-answer") }),
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
  "release-answer": "finding:propose",
};

/** Sensitive intents ask for a fresh TOTP code. */
export const freshCodeIntents: ReadonlySet<CaseIntent["intent"]> = new Set(["approve", "send-back", "refuse"]);

const listFields = new Set(["findingIds"]);
/** A page of findings and the decision panel's fields. */
const maxEntries = findingsPageSize + 50;

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
    const fields = (intent.fields ?? "").split(",").map((f) => f.trim()).filter(Boolean);
    return { decision: "redact", groundId, reasoning, fields };
  }
  // The review date is a calendar day in Berlin; the restriction is looked at again from its start.
  const reviewOn = intent.reviewOn ? startOfBerlinDay(intent.reviewOn) : new Date(Number.NaN);
  return { decision: "withhold", groundId, reasoning, personReasons: intent.personReasons ?? "", reviewOn, omitReasons: intent.omitReasons === "on" };
}
