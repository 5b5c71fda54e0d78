import type { Route } from "./+types/vorgang-antwort";
import { answerDownload, encryptedAnswerDownload } from "./vorgang/answer-download.server";

/** A document of the person's answer (app/routes/vorgang/answer-download.server.ts says who gets what). */
export function loader(args: Route.LoaderArgs) {
  return answerDownload(args);
}

/** The access archive, encrypted with the password the person types back. */
export function action(args: Route.ActionArgs) {
  return encryptedAnswerDownload(args);
}
