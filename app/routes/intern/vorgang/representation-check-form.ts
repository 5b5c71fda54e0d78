/**
 * The record of a representative's authority check (ADR 0011), checked alike in the browser (the
 * case page's form) and by its action (intern/vertretung.tsx); hence no `.server` in the name and
 * nothing but zod and core words. Messages are keys of `representation.errors`. Whether the document
 * proves the role, and whose copies these are, only the server knows.
 */
import { z } from "zod";
import { authorityCheckResults, authorityDocumentKinds } from "#app/core/representation";

const MAX_COPIES_DELETED = 50;

export const authorityCheckFormSchema = z.object({
  documentKind: z.enum(authorityDocumentKinds, { error: "document-required" }),
  result: z.enum(authorityCheckResults, { error: "result-required" }),
  deleteCopy: z
    .array(z.uuid({ error: "unknown-copy" }))
    .max(MAX_COPIES_DELETED, "unknown-copy")
    .default([]),
});
