/**
 * The code entry's field (bestaetigen.tsx), checked alike in the browser (conform) and by the action
 * (actions.server.ts); hence no `.server` in the name and nothing but zod. Messages are keys of
 * `journey.errors`.
 */
import { z } from "zod";
import { codeSchema } from "#app/server/requests/request-form";

export const proofFormSchema = z.object({ code: codeSchema });
export const proofFormFields = Object.keys(proofFormSchema.shape);
