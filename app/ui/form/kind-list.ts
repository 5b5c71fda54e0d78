import { type RequestKindSlug, requestKindBySlug } from "#app/core/request-kinds";
import type { Lang } from "#app/i18n";

/** The labels of a case's kinds, for tables and summaries. */
export function kindList(kinds: string[], lang: Lang): string {
  return kinds.map((slug) => requestKindBySlug[slug as RequestKindSlug]?.label[lang] ?? slug).join(", ");
}
