import { data, redirect } from "react-router";
import type { Route } from "./+types/vorgang-antwort";
import { type AnswerFile, answerFiles, downloadAnswer } from "../server/delivery/delivery.server";
import { findOwnedCase } from "../server/requests/case-view.server";
import { journeyDeps } from "../server/requests/deps.server";
import { downloadsUnlocked, getPerson } from "../server/requests/person-session.server";

/**
 * A document of the person's answer. Only the owner, only after a fresh code (else back to the case
 * page to get one), only while the answer is available; every download is recorded.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const person = await getPerson(request, context.services.config);
  if (person.emails.length === 0) throw redirect("/vorgang");
  const view = await findOwnedCase(journeyDeps(context.services), person.emails, params.referenz);
  const file = answerFiles.find((f) => f === params.datei) as AnswerFile | undefined;
  if (!view || !file) throw data(null, { status: 404 });
  if (!downloadsUnlocked(person, view.id)) throw redirect(`/vorgang/${params.referenz}#antwort`);
  const outcome = await downloadAnswer(context.services.database.db, { requestId: view.id, file, actor: { type: "person", id: null }, publicUrl: context.services.config.publicUrl });
  if (!outcome.ok) throw data(null, { status: outcome.status });
  return new Response(outcome.body, {
    headers: { "Content-Type": outcome.contentType, "Content-Disposition": `attachment; filename="${outcome.fileName}"`, "Cache-Control": "no-store" },
  });
}
