import { createCookie } from "react-router";
import { type Lang, defaultLang, isLang } from "./index";

/**
 * The chosen language is remembered in a cookie that the person sets themselves with the language
 * switch: a functional cookie strictly needed for the service they asked for (§ 25(2) TDDDG).
 */
export const langCookie = createCookie("lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export async function getLang(request: Request): Promise<Lang> {
  const fromQuery = new URL(request.url).searchParams.get("lang");
  if (isLang(fromQuery)) return fromQuery;
  const fromCookie: unknown = await langCookie.parse(request.headers.get("Cookie"));
  return isLang(fromCookie) ? fromCookie : defaultLang;
}
