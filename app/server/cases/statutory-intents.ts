/**
 * The staff case page's intents for the statute's paths: the DPO's § 21(2) decision per store and
 * the record of an identity check (whose documents are then deleted). case-actions.server.ts adds
 * them to the page's intents; statutory-paths.server.ts carries them out.
 */
import { z } from "zod";
import { identityCheckHows, identityCheckResults, identityDocumentKinds } from "#app/core/identity-checks";
import type { Permission } from "#app/core/permissions";

const text = (max: number) => z.string().trim().max(max);

export const statutoryIntentSchemas = [
  z.object({
    intent: z.literal("store-decision"),
    store: text(200).min(1),
    applies: z.enum(["yes", "no"]),
    reasoning: text(4000),
  }),
  z.object({
    intent: z.literal("identity-check"),
    how: z.enum(identityCheckHows),
    documentKind: z.enum(identityDocumentKinds),
    // Checked by the use case (numberTailSchema), so that a wrong tail is shown at its field.
    numberTail: text(50).default(""),
    result: z.enum(identityCheckResults),
    documentIds: z.array(z.uuid()).max(100).default([]),
    reason: text(500).default(""),
  }),
] as const;
export type StatutoryIntent = z.infer<(typeof statutoryIntentSchemas)[number]>;

export const statutoryIntentPermissions = {
  "store-decision": "release:approve",
  "identity-check": "finding:propose",
} as const satisfies Record<StatutoryIntent["intent"], Permission>;

/** Checkbox groups of these forms. */
export const statutoryListFields = ["documentIds"] as const;

/** How a § 21(5) demand made outside the portal reached us; staff record it for the person. */
