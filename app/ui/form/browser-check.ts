import type { Submission } from "@conform-to/react";
import { conformZodMessage, parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";

/** A field the browser cannot check: its error, if any, stays as the server left it. */
const asTheServerLeftIt = z
  .any()
  .superRefine((_, ctx) => ctx.addIssue({ code: "custom", message: conformZodMessage.VALIDATION_SKIPPED }));

/**
 * conform's `onValidate` for a form whose zod schema also runs on the server: each field is checked
 * as the person leaves or corrects it, and on sending nothing goes while one fails.
 *
 * `serverOnly` names fields only the server can check (files, typed by their first bytes). conform
 * replaces every error with the browser's result, which knows nothing of them, so a refused file's
 * error would vanish as soon as the person touched another field; here it stays until that field
 * itself changes, or the form is sent again (the server then decides afresh).
 */
export function checkInBrowser<Schema extends z.ZodType>(schema: Schema): BrowserCheck<Schema>;
export function checkInBrowser<Schema extends z.ZodObject>(
  schema: Schema,
  serverOnly: readonly string[],
): BrowserCheck<Schema>;
export function checkInBrowser(
  schema: z.ZodType,
  serverOnly: readonly string[] = [],
): BrowserCheck<z.ZodType> {
  return ({ formData }) =>
    parseWithZod(formData, {
      schema: (intent) => {
        const changed = intent?.type === "validate" ? intent.payload.name : undefined;
        // Sending (no intent): the schema alone, so a stale file error never holds the form back.
        if (!intent || serverOnly.length === 0) return schema;
        const kept = serverOnly.filter((name) => name !== changed);
        // Only the second signature passes serverOnly, and it takes an object schema.
        return (schema as z.ZodObject).extend(
          Object.fromEntries(kept.map((name) => [name, asTheServerLeftIt])),
        );
      },
    });
}

type BrowserCheck<Schema extends z.ZodType> = (context: {
  formData: FormData;
}) => Submission<z.input<Schema>, string[], z.output<Schema>>;
