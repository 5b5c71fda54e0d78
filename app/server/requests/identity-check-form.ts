/**
 * Art. 12(6) DS-GVO: the staff case page's identity-check form (identity-check-form.tsx), checked in
 * the browser with this schema and again on the server — by the case page's intent
 * (statutory-intents.ts) and the use case (identity-check.server.ts), which apply the same rules
 * through numberTailSchema and `copyWithoutDocuments`, so that a refusal there still comes back to
 * its field. Hence no `.server` in the name and nothing but zod and core words. Messages are keys of
 * `statutory.identity.errors`. Whether a document belongs to the case only the server knows.
 */
import { z } from "zod";
import {
  type IdentityCheckHow,
  identityCheckHows,
  identityCheckResults,
  identityDocumentKinds,
  numberTailSchema,
} from "#app/core/identity-checks";

/** A check of a copy must name the copies seen: they are what the check deletes. */
export function copyWithoutDocuments(check: {
  how: IdentityCheckHow;
  documentIds: readonly string[];
}): boolean {
  return check.how === "copy" && check.documentIds.length === 0;
}

export const identityCheckFormSchema = z
  .object({
    how: z.enum(identityCheckHows, { error: "how" }),
    documentKind: z.enum(identityDocumentKinds, { error: "document-kind" }),
    numberTail: z.string({ error: "number-tail" }).pipe(numberTailSchema),
    result: z.enum(identityCheckResults, { error: "result" }),
    documentIds: z.array(z.uuid({ error: "unknown-document" })).default([]),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((check) => !copyWithoutDocuments(check), { message: "nothing-checked", path: ["documentIds"] });
