import { useRouteLoaderData } from "react-router";
import { type Messages, de } from "./de";
import { en } from "./en";

import { type Lang, defaultLang } from "../core/languages";

export { type Lang, defaultLang, isLang, languages } from "../core/languages";

const catalogues: Record<Lang, Messages> = { de, en };

export function messagesFor(lang: Lang): Messages {
  return catalogues[lang];
}

/** The page's language, as the root loader decided it; German where the root has no data (errors). */
export function useLang(): Lang {
  const data = useRouteLoaderData("root") as { lang?: Lang } | undefined;
  return data?.lang ?? defaultLang;
}

export function useMessages(): Messages {
  return messagesFor(useLang());
}

/** Picks the text of the page's language out of a domain catalogue entry such as `{ de, en }`. */
export function useLocalized(): <T>(text: Record<Lang, T>) => T {
  const lang = useLang();
  return (text) => text[lang];
}

export type { Messages };
