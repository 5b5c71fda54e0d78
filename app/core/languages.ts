/**
 * The languages the portal speaks, German first: the language of a page, of a case (requests.lang)
 * and of everything written to its person. Defined here, not in app/i18n, because app/core's texts
 * (retention rules in words, legal references, processing activities) are written in them and
 * app/core may not import the catalogues; app/i18n re-exports them.
 */
export const languages = ["de", "en"] as const;
export type Lang = (typeof languages)[number];

/** German is the default regardless of the browser's language (ADR 0004). */
export const defaultLang: Lang = "de";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (languages as readonly string[]).includes(value);
}
