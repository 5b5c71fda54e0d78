/**
 * The staff case page's intents for the statute's paths: the DPO's § 21(2) decision per store, the
 * record of an identity check (whose documents are then deleted), and the § 21(5) tasks (a demand
 * taken by letter or phone, the record's hand-over to the TLfDI). case-actions.server.ts adds them
 * to the page's intents; statutory-paths.server.ts carries out the first two, tlfdi-demand.server.ts
 * the tasks. No `.server` in the name: the page's forms read their field types from here.
 */
import { z } from "zod";
import { staffChannels } from "#app/core/channels";
import { identityCheckHows, identityCheckResults, identityDocumentKinds } from "#app/core/identity-checks";
import type { Permission } from "#app/core/permissions";

const text = (max: number) => z.string().trim().max(max);

const storeDecision = z.object({
  intent: z.literal("store-decision"),
  store: text(200).min(1),
  applies: z.enum(["yes", "no"]),
  reasoning: text(4000),
});
const identityCheck = z.object({
  intent: z.literal("identity-check"),
  how: z.enum(identityCheckHows),
  documentKind: z.enum(identityDocumentKinds),
  // Checked by the use case (numberTailSchema), so that a wrong tail is shown at its field.
  numberTail: text(50).default(""),
  result: z.enum(identityCheckResults),
  documentIds: z.array(z.uuid()).max(100).default([]),
  reason: text(500).default(""),
});
// The tasks' fields are checked by their use cases (as tlfdi-forms.ts says), so that a refusal is
// shown at its field with what was typed: a channel not in the list is told as such, not as an unknown form.
const recordDemand = z.object({
  intent: z.literal("record-demand"),
  channel: z.enum(staffChannels).optional().catch(undefined),
});
const handedOver = z.object({
  intent: z.literal("handed-over"),
  demandId: z.uuid(),
  day: z.string().default(""),
  note: z.string().default(""),
});

export const statutoryIntentSchemas = [storeDecision, identityCheck, recordDemand, handedOver] as const;
/** The intents statutory-paths.server.ts carries out. */
export type StatutoryIntent = z.infer<typeof storeDecision | typeof identityCheck>;

export const statutoryIntentPermissions = {
  "store-decision": "release:approve",
  "identity-check": "finding:propose",
  "record-demand": "tlfdi:record",
  "handed-over": "tlfdi:record",
} as const satisfies Record<z.infer<(typeof statutoryIntentSchemas)[number]>["intent"], Permission>;

/** Checkbox groups of these forms. */
export const statutoryListFields = ["documentIds"] as const;

/** The hand-over form of one demand (one per task on the page): what a refusal is sent back to. */
export const handOverFormId = (demandId: string) => `handed-over-${demandId}`;
