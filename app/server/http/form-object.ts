/**
 * A staff form's text fields as an object for its zod schema: a name in `lists` (a group of
 * checkboxes) collects every value, any other keeps its one. Null for a file, or for more entries
 * than `maxEntries` — more than the form can produce.
 *
 * Not a .server module on purpose: the execution page's intent schemas, which use it, are also read
 * by that page's component, and nothing here needs the server.
 */
export function formObject(
  form: FormData,
  lists: ReadonlySet<string>,
  maxEntries: number,
): Record<string, unknown> | null {
  const raw: Record<string, unknown> = {};
  let entries = 0;
  for (const [key, value] of form) {
    if (typeof value !== "string" || ++entries > maxEntries) return null;
    if (lists.has(key)) ((raw[key] ??= []) as string[]).push(value);
    else raw[key] = value;
  }
  return raw;
}

/**
 * Control characters no person types: C0 controls except tab, CR and LF, DEL and the C1 controls.
 * NUL in particular cannot be stored in a PostgreSQL text column at all.
 */
const forbiddenControl = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Line breaks, which a single-line field (an e-mail address, a name) never holds. */
const lineBreak = /[\r\n\u2028\u2029]/;

export function hasForbiddenControl(value: string): boolean {
  return forbiddenControl.test(value);
}

export function hasLineBreak(value: string): boolean {
  return lineBreak.test(value);
}
