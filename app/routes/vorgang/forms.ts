/**
 * The fields of the person's forms on the case list (vorgang.tsx: signing in) and the case page
 * (vorgang-detail.tsx), checked alike in the browser (conform) and by the actions
 * (sign-in-actions.server.ts, actions.server.ts); hence no `.server` in the name and no I/O. Messages
 * are keys of `journey.errors`, except where a form says otherwise. What only the server can know
 * (a code's match, a file's type) is the action's own check, reported at the same field.
 */
import { z } from "zod";
import { normaliseEmail } from "#app/core/identifiers";
import { codeSchema } from "#app/server/requests/request-form";

/** Signing in: the address the code goes to. */
export const signInEmailSchema = z.object({
  email: z
    .string({ error: "email" })
    .trim()
    .max(254, "email")
    .refine((value) => normaliseEmail(value) !== null, "email"),
});

/** Signing in: the code sent to that address. */
export const signInCodeSchema = z.object({ code: codeSchema });

/**
 * The code proving an identifier of the case. The field is named after the identifier, so that each
 * identifier's form has its own ids.
 */
export const identifierCodeField = (identifierId: string) => `code-${identifierId}`;
export function identifierCodeSchema(identifierId: string) {
  return z.object({ [identifierCodeField(identifierId)]: codeSchema });
}

export const MAX_ADDED_TEXT = 5000;
/** Information added to the case; a document may come instead (checked on the server only). */
export const addInformationSchema = z.object({
  text: z.string().trim().max(MAX_ADDED_TEXT, "tooLong").optional(),
});

/** Withdrawing the request needs the tick that says so. */
export const withdrawSchema = z.object({
  confirm: z.literal("yes", { error: "confirmWithdraw" }),
});

/** § 21(5) ThürDSG: the demand needs its confirmation; the message is `statutory.demand.errors`'. */
export const tlfdiDemandSchema = z.object({
  confirmTlfdi: z.literal("yes", { error: "confirm" }),
});

/** The code unlocking the answer's downloads; messages are keys of `delivery.errors`. */
export const downloadCodeSchema = z.object({ downloadCode: codeSchema });

/** The archive's password typed back; that it matches, only the download knows. */
export const archivePasswordSchema = z.object({
  password: z.string({ error: "required" }).trim().min(1, "required").max(64, "tooLong"),
});
