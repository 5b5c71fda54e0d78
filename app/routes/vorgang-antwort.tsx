import { data, redirect } from "react-router";
import type { Route } from "./+types/vorgang-antwort";
import { archivePassword } from "../server/answers/password.server";
import { type AnswerFile, answerFiles, downloadAnswer, recordForeignDownload } from "../server/delivery/delivery.server";
import { findOwnedCase } from "../server/requests/case-view.server";
import { journeyDeps } from "../server/requests/deps.server";
import { archiveNonceOf, downloadsUnlocked, getPerson } from "../server/requests/person-session.server";

/** Why a download was refused, as the case page's `?antwort=` shows it. */
const refusalNotice = { 409: "geaendert", 410: "abgelaufen" } as const;

/**
 * A document of the person's answer. Only the owner, only after a fresh code (else back to the case
 * page to get one), only while the answer is available; every download and every refusal is
 * recorded. With `?verschluesselt=1` an archive is encrypted with the password the case page showed
 * in this session (without one, back to the case page to get one). A refusal leads back to the case
 * page, which says why: the links are plain links, so the person sees that page, not a failed file.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { config } = context.services;
  const person = await getPerson(request, config);
  if (person.emails.length === 0) throw redirect("/vorgang");
  const view = await findOwnedCase(journeyDeps(context.services), person.emails, params.referenz);
  const file = answerFiles.find((f) => f === params.datei) as AnswerFile | undefined;
  if (!view) {
    await recordForeignDownload(context.services.database.db, params.referenz, params.datei);
    throw data(null, { status: 404 });
  }
  if (!file) throw data(null, { status: 404 });
  if (!downloadsUnlocked(person, view.id)) throw redirect(`/vorgang/${params.referenz}#antwort`);
  let password: string | undefined;
  if (new URL(request.url).searchParams.get("verschluesselt") === "1" && file !== "brief.pdf") {
    const nonce = archiveNonceOf(person, view.id);
    if (!nonce) throw redirect(`/vorgang/${params.referenz}#verschluesselt`);
    password = archivePassword(config.sessionSecret, view.id, nonce);
  }
  const outcome = await downloadAnswer(context.services.database.db, { requestId: view.id, file, actor: { type: "person", id: null }, publicUrl: config.publicUrl, password });
  if (!outcome.ok) {
    if (outcome.status === 404) throw data(null, { status: 404 });
    throw redirect(`/vorgang/${params.referenz}?antwort=${refusalNotice[outcome.status]}#antwort`);
  }
  return new Response(outcome.body, {
    headers: { "Content-Type": outcome.contentType, "Content-Disposition": `attachment; filename="${outcome.fileName}"`, "Cache-Control": "no-store" },
  });
}
