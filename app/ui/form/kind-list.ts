import { type RequestKindSlug, requestKindBySlug } from "../../core/request-kinds";
import type { Lang } from "../../i18n";

/** The labels of a case's kinds, for tables and summaries. */
export function kindList(kinds: string[], lang: Lang): string {
  return kinds.map((slug) => requestKindBySlug[slug as RequestKindSlug]?.label[lang] ?? slug).join(", ");
}
