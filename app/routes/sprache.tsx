import { redirect } from "react-router";
import type { Route } from "./+types/sprache";
import { isLang } from "../i18n";
import { langCookie } from "../i18n/lang.server";
import { localPath } from "../server/local-path";

/** The language switch: remember the choice, then go back to the page the person was on. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const lang = url.searchParams.get("lang");
  const back = localPath(url.searchParams.get("zurueck"));
  if (!isLang(lang)) return redirect(back);
  return redirect(back, {
    headers: {
      "Set-Cookie": await langCookie.serialize(lang, { secure: context.services.config.secureCookies }),
    },
  });
}
