/**
 * Art. 12(6) DS-GVO: the vocabulary of an identity check by staff (db/schema.ts identity_checks):
 * which document, how it was seen, what the check found, and the part of its number that is kept.
 */
import { z } from "zod";

export const identityDocumentKinds = ["id-card", "passport", "residence-permit", "other-official"] as const;
export type IdentityDocumentKind = (typeof identityDocumentKinds)[number];

/** Shown at the desk, or a copy sent (which is deleted when the check is recorded). */
export const identityCheckHows = ["in-person", "copy"] as const;
export type IdentityCheckHow = (typeof identityCheckHows)[number];

export const identityCheckResults = ["confirmed", "not-confirmed"] as const;
export type IdentityCheckResultKind = (typeof identityCheckResults)[number];

/**
 * The last four characters of the document's number, as typed: letters and digits only (German ID
 * numbers use no others), upper case. More than four would begin to keep the number itself; a
 * refusal names "number-tail".
 */
export const numberTailSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{4}$/, "number-tail");
