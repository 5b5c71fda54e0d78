/**
 * The request form's one schema, used by the server action and by the browser (conform). Messages
 * are keys of the `journey.errors` catalogue, so the person reads them in their language.
 * Shared with the client bundle, hence no `.server` in the name and no I/O.
 */
import { z } from "zod";
import { berlinDayOf, isBerlinDay, startOfBerlinDay } from "#app/core/berlin-date";
import { normaliseBirthDate, normaliseEmail, normaliseIp, normalisePhone } from "#app/core/identifiers";
import { type RepresentativeRole, representativeRoleSchema } from "#app/core/representation";
import {
  type RequestKindSlug,
  detailsSchema,
  requestKindBySlug,
  requestKindSlug,
} from "#app/core/request-kinds";
import { hasLineBreak } from "../http/form-object";

export const MAX_LIST_LINES = 10;
export const IP_ROWS = 2;
const SHORT = 200;

export const errorKeys = [
  "required",
  "email",
  "emailList",
  "phoneList",
  "tooLong",
  "tooMany",
  "ip",
  "dateTime",
  "ipRange",
  "birthDate",
  "choice",
  "kinds",
  "badForm",
  "invalid",
  "lineBreak",
] as const;
export type ErrorKey = (typeof errorKeys)[number];

/** Any message zod produced that is not one of ours (a type mismatch deep inside) becomes "invalid". */
export function asErrorKey(message: string): ErrorKey {
  return (errorKeys as readonly string[]).includes(message) ? (message as ErrorKey) : "invalid";
}

const optionalText = (max: number) => z.string().trim().max(max, "tooLong").optional();
/** A field of one line (a name, a date, an address on the net): a line break in it is refused. */
const optionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "tooLong")
    .refine((v) => !hasLineBreak(v), "lineBreak")
    .optional();

/** Lines of a textarea, blank ones dropped. */
export function linesOf(text: string | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

const localDateTime = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/** A `datetime-local` value read as Berlin wall-clock time (the person's time at the data centre). */
export function berlinLocalDateTime(value: string): Date | null {
  const match = localDateTime.exec(value);
  if (!match || !isBerlinDay(match[1]!)) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  if (hours > 23 || minutes > 59) return null;
  return new Date(startOfBerlinDay(match[1]!).getTime() + (hours * 60 + minutes) * 60_000);
}

/**
 * Filing for someone else (ADR 0011): the representative's role, name and where to reach them. The
 * e-mail address of the form is then the representative's; the identifiers are the represented
 * person's, whose name is required, and for a child the date of birth (the child's own rights).
 */
export const representativeFields = {
  filingFor: z.enum(["self", "other"], { error: "choice" }).optional(),
  representativeRole: z.string().optional(),
  representativeName: optionalLine(SHORT),
  representativeAddress: optionalText(1000),
  representativePhone: optionalLine(100),
};

export interface Representative {
  role: RepresentativeRole;
  name: string;
  postalAddress: string | null;
  phone: string | null;
}

type RepresentativeInput = { [K in keyof typeof representativeFields]?: string } & {
  name?: string;
  birthDate?: string;
};

/** The representative a form names, or null for a request of the person themselves; problems go to `ctx`. */
export function representativeOf(form: RepresentativeInput, ctx: z.RefinementCtx): Representative | null {
  if (form.filingFor !== "other") return null;
  const role = representativeRoleSchema.safeParse(form.representativeRole);
  if (!role.success) ctx.addIssue({ code: "custom", message: "choice", path: ["representativeRole"] });
  if (!form.representativeName)
    ctx.addIssue({ code: "custom", message: "required", path: ["representativeName"] });
  if (!form.name) ctx.addIssue({ code: "custom", message: "required", path: ["name"] });
  if (role.success && role.data === "parent" && !form.birthDate)
    ctx.addIssue({ code: "custom", message: "required", path: ["birthDate"] });
  if (form.representativePhone && normalisePhone(form.representativePhone) === null)
    ctx.addIssue({ code: "custom", message: "phoneList", path: ["representativePhone"] });
  if (!role.success || !form.representativeName) return null;
  return {
    role: role.data,
    name: form.representativeName,
    postalAddress: form.representativeAddress || null,
    phone: form.representativePhone || null,
  };
}

const ipRow = z
  .object({
    address: optionalLine(100),
    from: optionalLine(40),
    to: optionalLine(40),
  })
  .optional();

export function requestFormSchema(mainKind: RequestKindSlug) {
  return z
    .object({
      submissionKey: z.string({ error: "badForm" }).regex(/^[A-Za-z0-9_-]{16,64}$/, "badForm"),
      // The honeypot: people never see it, form robots fill it in.
      website: z.string().max(0, "badForm").optional(),
      email: z
        .string({ error: "required" })
        .trim()
        .max(254, "tooLong")
        .refine((v) => !hasLineBreak(v), "lineBreak")
        .refine((v) => normaliseEmail(v) !== null, "email"),
      kinds: z
        .array(z.enum(requestKindSlug.options, { error: "kinds" }), { error: "kinds" })
        .max(requestKindSlug.options.length, "kinds")
        .optional(),
      otherEmails: optionalText(5000),
      name: optionalLine(SHORT),
      postalAddress: optionalText(1000),
      phones: optionalText(1000),
      userName: optionalLine(SHORT),
      birthDate: optionalLine(40),
      ip: z.array(ipRow).max(IP_ROWS, "tooMany").optional(),
      details: z.unknown().optional(),
      ...representativeFields,
    })
    .transform((form, ctx) => {
      const representative = representativeOf(form, ctx);
      const kinds = [...new Set<RequestKindSlug>([mainKind, ...(form.kinds ?? [])])];
      const otherEmails = linesOf(form.otherEmails);
      if (otherEmails.length > MAX_LIST_LINES)
        ctx.addIssue({ code: "custom", message: "tooMany", path: ["otherEmails"] });
      else if (otherEmails.some((line) => normaliseEmail(line) === null))
        ctx.addIssue({ code: "custom", message: "emailList", path: ["otherEmails"] });
      const phones = linesOf(form.phones);
      if (phones.length > MAX_LIST_LINES)
        ctx.addIssue({ code: "custom", message: "tooMany", path: ["phones"] });
      else if (phones.some((line) => normalisePhone(line) === null))
        ctx.addIssue({ code: "custom", message: "phoneList", path: ["phones"] });
      if (form.birthDate && !validBirthDate(form.birthDate))
        ctx.addIssue({ code: "custom", message: "birthDate", path: ["birthDate"] });

      const ips: { address: string; from: Date | null; to: Date | null }[] = [];
      (form.ip ?? []).forEach((row, index) => {
        if (!row?.address) {
          if (row?.from || row?.to)
            ctx.addIssue({ code: "custom", message: "ip", path: ["ip", index, "address"] });
          return;
        }
        if (normaliseIp(row.address) === null)
          ctx.addIssue({ code: "custom", message: "ip", path: ["ip", index, "address"] });
        const from = row.from ? berlinLocalDateTime(row.from) : null;
        const to = row.to ? berlinLocalDateTime(row.to) : null;
        if (row.from && !from)
          ctx.addIssue({ code: "custom", message: "dateTime", path: ["ip", index, "from"] });
        if (row.to && !to) ctx.addIssue({ code: "custom", message: "dateTime", path: ["ip", index, "to"] });
        if (from && to && to < from)
          ctx.addIssue({ code: "custom", message: "ipRange", path: ["ip", index, "to"] });
        ips.push({ address: row.address, from, to });
      });

      const rawDetails = isRecord(form.details) ? form.details : {};
      const details: Partial<Record<RequestKindSlug, Record<string, string | undefined>>> = {};
      for (const kind of kinds) {
        if (requestKindBySlug[kind].extraFields.length === 0) continue;
        const given = rawDetails[kind];
        const parsed = detailsSchema(kind).safeParse(isRecord(given) ? pickFields(kind, given) : {});
        if (parsed.success) {
          details[kind] = parsed.data;
          continue;
        }
        for (const issue of parsed.error.issues) {
          ctx.addIssue({
            code: "custom",
            message: detailsErrorKey(kind, issue),
            path: ["details", kind, ...issue.path.map(String)],
          });
        }
      }
      return {
        submissionKey: form.submissionKey,
        honeypotFilled: Boolean(form.website),
        email: form.email,
        kinds,
        otherEmails,
        name: form.name,
        postalAddress: form.postalAddress,
        phones,
        userName: form.userName,
        birthDate: form.birthDate,
        ips,
        details,
        representative,
      };
    });
}

export type RequestForm = z.output<ReturnType<typeof requestFormSchema>>;

/** A birth date in any notation the identifiers accept, that is a whole day between 1900 and today. */
export function validBirthDate(raw: string): boolean {
  const day = normaliseBirthDate(raw);
  return day !== null && isBerlinDay(day) && day >= "1900-01-01" && day <= berlinDayOf(new Date());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Only the fields the kind declares; anything else a client sends is dropped, not refused. */
function pickFields(kind: RequestKindSlug, given: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of requestKindBySlug[kind].extraFields) {
    const value = given[field.name];
    if (value !== undefined && value !== "") picked[field.name] = value;
  }
  return picked;
}

function detailsErrorKey(kind: RequestKindSlug, issue: z.core.$ZodIssue): ErrorKey {
  const field = requestKindBySlug[kind].extraFields.find((f) => f.name === issue.path[0]);
  if (field?.input === "choice") return "choice";
  if (issue.code === "too_big") return "tooLong";
  if (issue.code === "too_small" || issue.code === "invalid_type") return "required";
  return "invalid";
}

/** The code typed into a confirmation form: six digits, spaces forgiven. */
export const codeSchema = z
  .string({ error: "code" })
  .transform((value) => value.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "code"));
