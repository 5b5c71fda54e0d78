import { randomBytes } from "node:crypto";
import { type SubmissionResult, parse } from "@conform-to/react";
import { z } from "zod";
import { receivedFormOf } from "../uploads.server";

/**
 * Reads a form body; null when it cannot be read at all (wrong encoding, broken multipart, a body
 * that is not a form). The caller answers that with a 400 in the person's language. A multipart
 * body was already read by the HTTP layer, its files streamed to disk (uploads.server.ts).
 */
export async function readForm(request: Request): Promise<FormData | null> {
  const received = receivedFormOf(request);
  if (received) return received;
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

/** One text value of a form, or undefined; a file where text is expected counts as missing. */
export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

const uuid = z.uuid();

export function isUuid(value: unknown): value is string {
  return uuid.safeParse(value).success;
}

/** A fresh one-time key for a form, so the server recognises a repeated POST of the same form. */
export function newSubmissionKey(): string {
  return randomBytes(24).toString("base64url");
}

const MAX_FORM_ENTRIES = 100;

/**
 * Only the text fields a form declares, copied into a new FormData; unknown names (which could make
 * the parser build huge nested structures, e.g. `ip[99999999]`) and files are dropped. Null when
 * the body has more entries than any of our forms can produce.
 */
export function pickFormFields(form: FormData, allowed: (name: string) => boolean): FormData | null {
  const picked = new FormData();
  let count = 0;
  for (const [name, value] of form.entries()) {
    if (++count > MAX_FORM_ENTRIES) return null;
    if (typeof value === "string" && allowed(name)) picked.append(name, value);
  }
  return picked;
}

/** A refused form of a page that has several, sent back for conform's useForm (`lastResult`). */
export interface SentBack {
  /** Which of the page's forms (its intent). */
  intent: string;
  /** What was typed, so the form keeps it (also without JavaScript), and the error keys per field. */
  result: SubmissionResult<string[]>;
}

/**
 * Sends a refused form back: only its declared `fields` are read back (as pickFormFields does, so a
 * crafted name cannot make the reply huge); `errors` names the field of each error key, "" the form.
 */
export function sentBackForm(
  form: FormData | null,
  intent: string,
  fields: readonly string[],
  errors: Record<string, string[]>,
): SentBack {
  const picked = (form && pickFormFields(form, (name) => fields.includes(name))) ?? new FormData();
  return { intent, result: parse(picked, { resolve: () => ({ error: errors }) }).reply() };
}

/**
 * The forms of a page that show a refusal at its field and keep what was typed (conform), by intent:
 * the fields each declares, and the field each refusal key is about (any other is the form's).
 */
export type SentBackForms = ReadonlyMap<string, SentBackShape>;
export interface SentBackShape {
  fields: readonly string[];
  at: Record<string, string>;
}

/** The refused form of `intent` sent back with `reason` at its field; nothing for a form not in `forms`. */
export function sentBackOf(
  forms: SentBackForms,
  form: FormData | null,
  intent: string | undefined,
  reason: string,
): { sentBack?: SentBack } {
  const shape = intent === undefined ? undefined : forms.get(intent);
  if (!shape) return {};
  return { sentBack: sentBackForm(form, intent!, shape.fields, { [shape.at[reason] ?? ""]: [reason] }) };
}
