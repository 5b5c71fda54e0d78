import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { getLang } from "#app/i18n/lang.server";
import { archivePassword } from "#app/server/answers/password.server";
import { tlfdiDemandAction } from "#app/server/complaints/tlfdi-demand-page.server";
import { proveDownloadCode, sendDownloadCode } from "#app/server/delivery/delivery.server";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { type SentBack, formText, pickFormFields, readForm } from "#app/server/http/form.server";
import { ownedCase } from "#app/server/http/owned-case.server";
import {
  addInformation,
  proveIdentifier,
  sendIdentifierCode,
  withdrawRequest,
} from "#app/server/requests/case-actions.server";
import type { CaseView } from "#app/server/requests/case-view.server";
import { MAX_DOCUMENT_BYTES, safeFileName, sniffFileType } from "#app/server/requests/documents.server";
import {
  commitPerson,
  downloadsUnlocked,
  getPerson,
  newArchiveNonce,
  unlockDownloads,
} from "#app/server/requests/person-session.server";
import {
  addInformationSchema,
  downloadCodeSchema,
  identifierCodeField,
  identifierCodeSchema,
  tlfdiDemandSchema,
  withdrawSchema,
} from "./forms";

/**
 * The person's case page's action (vorgang-detail.tsx): one function per intent. Ownership of the
 * case was checked by the route before any of them runs. Each form's fields are parsed with the schema
 * the page checks them with in the browser (forms.ts); a refusal of a field goes back to its form as
 * conform's result (`sentBack`, with what was typed but never a code), a refusal of the whole form is
 * `error` (keys of `journey.errors`).
 */

export type Outcome = {
  error?: string;
  /** A refused form, its fields' error keys: `delivery.errors` for `download-prove`, `statutory.demand.errors` for `tlfdi-review`, else `journey.errors`. */
  sentBack?: SentBack;
  done?:
    "added" | "withdrawn" | "code-sent" | "identifier-proven" | "download-code-sent" | "archive-password";
  identifierId?: string;
  /** Shown once, in this response only: derived from a nonce in the session, never stored. */
  archivePassword?: string;
  /** Errors of the download section's buttons, keys of `delivery.errors`. */
  downloadError?: string;
};

/** Which form each intent is; its fields are the form's schema's (forms.ts). */
const caseIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("withdraw") }),
  z.object({ intent: z.literal("tlfdi-review") }),
  z.object({ intent: z.literal("add") }),
  z.object({ intent: z.literal("download-code") }),
  z.object({ intent: z.literal("download-prove") }),
  z.object({ intent: z.literal("archive-password") }),
  z.object({ intent: z.literal("identifier-code"), identifier: z.uuid() }),
  z.object({ intent: z.literal("identifier-prove"), identifier: z.uuid() }),
]);
type CaseIntent = z.infer<typeof caseIntentSchema>;

function parseCaseIntent(form: FormData): CaseIntent | null {
  const parsed = caseIntentSchema.safeParse({
    intent: formText(form, "intent"),
    identifier: formText(form, "identifier"),
  });
  return parsed.success ? parsed.data : null;
}

/** A form's own text fields (files and unknown names dropped), parsed with its schema. */
function parseFields<Schema extends z.ZodObject>(form: FormData, schema: Schema) {
  const names = Object.keys(schema.shape);
  return parseWithZod(pickFormFields(form, (name) => names.includes(name)) ?? new FormData(), { schema });
}

/** A refused form back to the page, at its fields. */
function refused(intent: string, result: SentBack["result"], status: number, extra: Partial<Outcome> = {}) {
  return data<Outcome>({ ...extra, sentBack: { intent, result } }, { status });
}

interface Env {
  request: Request;
  context: AppLoadContext;
  view: CaseView;
  form: FormData;
}
type Handlers = {
  [K in CaseIntent["intent"]]: (env: Env, intent: Extract<CaseIntent, { intent: K }>) => Promise<unknown>;
};

const handlers: Handlers = {
  async withdraw({ context, view, form }) {
    const submission = parseFields(form, withdrawSchema);
    if (submission.status !== "success") return refused("withdraw", submission.reply(), 400);
    const result = await withdrawRequest(context.services, view.id);
    if (!result.ok) return data<Outcome>({ error: "notChangeable" }, { status: 409 });
    await sendQueuedMail(context, result.outboxIds);
    return { done: "withdrawn" } satisfies Outcome;
  },
  async "tlfdi-review"({ context, view, form }) {
    const submission = parseFields(form, tlfdiDemandSchema);
    if (submission.status !== "success") return refused("tlfdi-review", submission.reply(), 400);
    return tlfdiDemandAction(context, view.id, form);
  },
  async add({ context, view, form }) {
    const submission = parseFields(form, addInformationSchema);
    if (submission.status !== "success") return refused("add", submission.reply(), 400);
    const text = submission.value.text ?? "";
    const atField = (field: "text" | "document", key: string, status: number) =>
      refused("add", submission.reply({ fieldErrors: { [field]: [key] } }), status);
    const file = form.get("document");
    let document = null;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_DOCUMENT_BYTES) return atField("document", "fileTooLarge", 413);
      const type = await sniffFileType(file);
      if (!type) return atField("document", "fileType", 415);
      document = { fileName: safeFileName(file.name, type), contentType: type, content: file };
    }
    if (!text && !document) return atField("text", "addEmpty", 400);
    const result = await addInformation(context.services, view.id, { text, document });
    if (!result.ok) return data<Outcome>({ error: "notChangeable" }, { status: 409 });
    return { done: "added" } satisfies Outcome;
  },
  async "download-code"({ request, context, view }) {
    const lang = await getLang(request);
    const { database, config } = context.services;
    const sent = await sendDownloadCode(database.db, config.sessionSecret, {
      requestId: view.id,
      to: view.contactEmail,
      lang,
      clientKey: clientKeyOf(context),
    });
    if (!sent.ok) return data<Outcome>({ downloadError: "rateLimited" }, { status: 429 });
    await sendQueuedMail(context, [sent.outboxId]);
    return { done: "download-code-sent" } satisfies Outcome;
  },
  async "download-prove"({ request, context, view, form }) {
    const { database, config } = context.services;
    const submission = parseFields(form, downloadCodeSchema);
    const hideFields = ["downloadCode"];
    if (submission.status !== "success")
      return refused("download-prove", submission.reply({ hideFields }), 400);
    const check = await proveDownloadCode(
      database.db,
      config.sessionSecret,
      view.id,
      submission.value.downloadCode,
    );
    if (check !== "ok") {
      const key = check === "locked" ? "locked" : "code";
      return refused(
        "download-prove",
        submission.reply({ hideFields, fieldErrors: { downloadCode: [key] } }),
        400,
      );
    }
    const person = await getPerson(request, config);
    unlockDownloads(person, view.id);
    return redirect(`/vorgang/${view.reference}#antwort`, {
      headers: { "Set-Cookie": await commitPerson(person, config) },
    });
  },
  async "archive-password"({ request, context, view }) {
    const { config } = context.services;
    const person = await getPerson(request, config);
    if (!downloadsUnlocked(person, view.id))
      return data<Outcome>({ downloadError: "notUnlocked" }, { status: 403 });
    const password = archivePassword(config.sessionSecret, view.id, newArchiveNonce(person, view.id));
    return data<Outcome>(
      { done: "archive-password", archivePassword: password },
      { headers: { "Set-Cookie": await commitPerson(person, config), "Cache-Control": "no-store" } },
    );
  },
  async "identifier-code"({ context, view }, { identifier: identifierId }) {
    const sent = await sendIdentifierCode(context.services, {
      requestId: view.id,
      identifierId,
      clientKey: clientKeyOf(context),
    });
    if (!sent.ok)
      return data<Outcome>(
        { error: sent.reason === "rate-limited" ? "rateLimited" : "badForm" },
        { status: sent.reason === "rate-limited" ? 429 : 400 },
      );
    await sendQueuedMail(context, sent.outboxIds);
    return { done: "code-sent", identifierId } satisfies Outcome;
  },
  async "identifier-prove"({ context, view, form }, { identifier: identifierId }) {
    // The code field is named after the identifier it proves: each identifier has its own form.
    const field = identifierCodeField(identifierId);
    const submission = parseFields(form, identifierCodeSchema(identifierId));
    const hideFields = [field];
    if (submission.status !== "success")
      return refused("identifier-prove", submission.reply({ hideFields }), 400, { identifierId });
    const check = await proveIdentifier(context.services, {
      requestId: view.id,
      identifierId,
      code: submission.value[field] as string,
    });
    if (check !== "ok") {
      const key = check === "wrong" ? "codeWrong" : check === "locked" ? "codeLocked" : "codeExpired";
      const result = submission.reply({ hideFields, fieldErrors: { [field]: [key] } });
      return refused("identifier-prove", result, 400, { identifierId });
    }
    return { done: "identifier-proven" } satisfies Outcome;
  },
};

/**
 * The action of the person's own case page; ownership is checked first (ownedCase). A form the page
 * did not send (the honeypot filled, an unknown intent, another case's identifier) is a 400.
 */
export async function personCaseAction(
  request: Request,
  context: AppLoadContext,
  reference: string,
): Promise<unknown> {
  const { view } = await ownedCase(request, context.services, reference);
  const env = { request, context, view };
  const form = await readForm(request);
  const intent = form && !formText(form, "website") ? parseCaseIntent(form) : null;
  const foreignIdentifier =
    (intent?.intent === "identifier-code" || intent?.intent === "identifier-prove") &&
    !view.identifiers.some((i) => i.id === intent.identifier);
  if (!form || !intent || foreignIdentifier) return data<Outcome>({ error: "badForm" }, { status: 400 });
  return (handlers[intent.intent] as (env: Env, intent: CaseIntent) => Promise<unknown>)(
    { ...env, form },
    intent,
  );
}
