import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { getLang } from "#app/i18n/lang.server";
import { archivePassword } from "#app/server/answers/password.server";
import { tlfdiDemandAction } from "#app/server/complaints/tlfdi-demand-page.server";
import { proveDownloadCode, sendDownloadCode } from "#app/server/delivery/delivery.server";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { formText, readForm } from "#app/server/http/form.server";
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
import { codeSchema } from "#app/server/requests/request-form";

/**
 * The person's case page's action (vorgang-detail.tsx): one function per intent. Ownership of the
 * case was checked by the route before any of them runs.
 */

export type Outcome = {
  error?: string;
  field?: string;
  done?:
    "added" | "withdrawn" | "code-sent" | "identifier-proven" | "download-code-sent" | "archive-password";
  identifierId?: string;
  /** Shown once, in this response only: derived from a nonce in the session, never stored. */
  archivePassword?: string;
  /** Errors of the download section, keys of `delivery.errors`. */
  downloadError?: string;
};

const optionalText = z.string().optional();
/** Which fields each intent reads; a check of their content is the intent's own, with its own message. */
const caseIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("withdraw"), confirm: optionalText }),
  z.object({ intent: z.literal("tlfdi-review") }),
  z.object({ intent: z.literal("add"), text: optionalText }),
  z.object({ intent: z.literal("download-code") }),
  z.object({ intent: z.literal("download-prove"), downloadCode: optionalText }),
  z.object({ intent: z.literal("archive-password") }),
  z.object({ intent: z.literal("identifier-code"), identifier: z.uuid() }),
  // The code field is named after the identifier it proves: several may be open on the page.
  z.object({ intent: z.literal("identifier-prove"), identifier: z.uuid(), code: optionalText }),
]);
type CaseIntent = z.infer<typeof caseIntentSchema>;

function parseCaseIntent(form: FormData): CaseIntent | null {
  const field = (name: string) => formText(form, name);
  const identifier = field("identifier");
  const parsed = caseIntentSchema.safeParse({
    intent: field("intent"),
    confirm: field("confirm"),
    text: field("text"),
    downloadCode: field("downloadCode"),
    identifier,
    code: identifier === undefined ? undefined : field(`code-${identifier}`),
  });
  return parsed.success ? parsed.data : null;
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
  async withdraw({ context, view }, { confirm }) {
    if (confirm !== "yes")
      return data<Outcome>({ error: "confirmWithdraw", field: "confirm" }, { status: 400 });
    const result = await withdrawRequest(context.services, view.id);
    if (!result.ok) return data<Outcome>({ error: "notChangeable" }, { status: 409 });
    await sendQueuedMail(context, result.outboxIds);
    return { done: "withdrawn" } satisfies Outcome;
  },
  "tlfdi-review"({ context, view, form }) {
    return tlfdiDemandAction(context, view.id, form);
  },
  async add({ context, view, form }, intent) {
    const text = (intent.text ?? "").trim();
    if (text.length > 5000) return data<Outcome>({ error: "tooLong", field: "text" }, { status: 400 });
    const file = form.get("document");
    let document = null;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_DOCUMENT_BYTES)
        return data<Outcome>({ error: "fileTooLarge", field: "document" }, { status: 413 });
      const type = await sniffFileType(file);
      if (!type) return data<Outcome>({ error: "fileType", field: "document" }, { status: 415 });
      document = { fileName: safeFileName(file.name, type), contentType: type, content: file };
    }
    if (!text && !document) return data<Outcome>({ error: "addEmpty", field: "text" }, { status: 400 });
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
  async "download-prove"({ request, context, view }, intent) {
    const { database, config } = context.services;
    const code = codeSchema.safeParse(intent.downloadCode ?? "");
    const check = code.success
      ? await proveDownloadCode(database.db, config.sessionSecret, view.id, code.data)
      : "wrong";
    if (check !== "ok")
      return data<Outcome>({ downloadError: check === "locked" ? "locked" : "code" }, { status: 400 });
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
  async "identifier-prove"({ context, view }, { identifier: identifierId, code: typed }) {
    const field = `code-${identifierId}`;
    const code = codeSchema.safeParse(typed ?? "");
    if (!code.success) return data<Outcome>({ error: "code", field, identifierId }, { status: 400 });
    const check = await proveIdentifier(context.services, {
      requestId: view.id,
      identifierId,
      code: code.data,
    });
    if (check !== "ok") {
      const key = check === "wrong" ? "codeWrong" : check === "locked" ? "codeLocked" : "codeExpired";
      return data<Outcome>({ error: key, field, identifierId }, { status: 400 });
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
