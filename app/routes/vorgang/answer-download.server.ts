import { timingSafeEqual } from "node:crypto";
import { type AppLoadContext, data, redirect } from "react-router";
import { archivePassword } from "#app/server/answers/password.server";
import {
  type AnswerFile,
  answerFiles,
  downloadAnswer,
  recordForeignDownload,
  recordWrongArchivePassword,
} from "#app/server/delivery/delivery.server";
import { attachmentResponse } from "#app/server/http/attachment-response.server";
import { formText, readForm } from "#app/server/http/form.server";
import { findOwnedCase } from "#app/server/requests/case-view.server";
import { archiveNonceOf, downloadsUnlocked, getPerson } from "#app/server/requests/person-session.server";

/**
 * The downloads of the person's answer (vorgang-antwort.tsx). Only the owner, only after a fresh
 * code (else back to the case page to get one), only while the answer is available; every download
 * and every refusal is recorded. A refusal leads back to the case page, which says why: the links are
 * plain links, so the person sees that page, not a failed file.
 */

/** Why a download was refused, as the case page's `?antwort=` shows it. */
const refusalNotice = { 409: "geaendert", 410: "abgelaufen" } as const;

interface AnswerFileRequest {
  request: Request;
  context: AppLoadContext;
  params: { referenz: string; datei: string };
}

/** A document of the answer as it is. */
export async function answerDownload({ request, context, params }: AnswerFileRequest): Promise<Response> {
  const { file, view } = await ownedAnswerFile(request, params, context);
  return serve(context, params.referenz, view.id, file);
}

/**
 * An archive encrypted with the password the case page showed in this session. The person types it
 * back first: the page shows it only once, and an archive downloaded without having noted it could
 * never be opened. A different password sends nothing and is recorded.
 */
export async function encryptedAnswerDownload({
  request,
  context,
  params,
}: AnswerFileRequest): Promise<Response> {
  const { file, view, person } = await ownedAnswerFile(request, params, context);
  if (file === "brief.pdf") throw data(null, { status: 405 });
  const nonce = archiveNonceOf(person, view.id);
  if (!nonce) throw redirect(`/vorgang/${params.referenz}#verschluesselt`);
  const password = archivePassword(context.services.config.sessionSecret, view.id, nonce);
  const form = await readForm(request);
  const typed = Buffer.from((form && formText(form, "password"))?.trim() ?? "");
  if (typed.length !== password.length || !timingSafeEqual(typed, Buffer.from(password))) {
    await recordWrongArchivePassword(context.services.database.db, view.id, file);
    throw redirect(`/vorgang/${params.referenz}?antwort=passwort#verschluesselt`);
  }
  return serve(context, params.referenz, view.id, file, password);
}

/** The signed-in person's case and a file of its answer; anything else ends here. */
async function ownedAnswerFile(
  request: Request,
  params: AnswerFileRequest["params"],
  context: AppLoadContext,
) {
  const person = await getPerson(request, context.services.config);
  if (person.emails.length === 0) throw redirect("/vorgang");
  const view = await findOwnedCase(context.services, person.emails, params.referenz);
  if (!view) {
    await recordForeignDownload(context.services.database.db, params.referenz, params.datei);
    throw data(null, { status: 404 });
  }
  const file = answerFiles.find((f) => f === params.datei) as AnswerFile | undefined;
  if (!file) throw data(null, { status: 404 });
  if (!downloadsUnlocked(person, view.id)) throw redirect(`/vorgang/${params.referenz}#antwort`);
  return { file, view, person };
}

async function serve(
  context: AppLoadContext,
  reference: string,
  requestId: string,
  file: AnswerFile,
  password?: string,
): Promise<Response> {
  const { config, database } = context.services;
  const outcome = await downloadAnswer(database.db, {
    requestId,
    file,
    actor: { type: "person", id: null },
    publicUrl: config.publicUrl,
    sources: config.sources,
    password,
  });
  if (!outcome.ok) {
    if (outcome.status === 404) throw data(null, { status: 404 });
    throw redirect(`/vorgang/${reference}?antwort=${refusalNotice[outcome.status]}#antwort`);
  }
  return attachmentResponse(outcome);
}
