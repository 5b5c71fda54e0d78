import { z } from "zod";
import { restrictionGroundIds } from "./restriction-grounds";

/**
 * Which findings of a case the staff case page shows: a filter by store, by the rules' suggestion
 * and by the state of the decision, and a page. The filter is also what a group decision applies
 * to, so it lives in the URL: a link shows the same findings, and a decision posted from a filtered
 * view comes back to it.
 */
export const findingStates = ["undecided", "release", "withhold", "redact"] as const;
export type FindingState = (typeof findingStates)[number];

/** "none": findings the rules did not mark at all. */
export const suggestionFilterValues = [...restrictionGroundIds, "none"] as const;
type SuggestionFilter = (typeof suggestionFilterValues)[number];

export interface FindingsFilter {
  store?: string;
  suggestion?: SuggestionFilter;
  state?: FindingState;
}

export interface FindingsView {
  filter: FindingsFilter;
  page: number;
}

/** Page numbers beyond this are a forged or broken link, not a case's findings. */
const maxPage = 100_000;

const viewSchema = z.object({
  // Store ids as config/sources.json names them; whether the case has the store is the server's question.
  store: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i)
    .optional(),
  suggestion: z.enum(suggestionFilterValues).optional(),
  state: z.enum(findingStates).optional(),
  page: z.coerce.number().int().min(1).max(maxPage).default(1),
});

/**
 * The view a URL's query names; null when a value is not one the page offers. An empty value means
 * "all" (the filter form sends its "all" option as an empty string); other parameters are ignored.
 */
export function parseFindingsView(params: URLSearchParams): FindingsView | null {
  const raw: Record<string, string> = {};
  for (const key of ["store", "suggestion", "state", "page"] as const) {
    const values = params.getAll(key).filter((v) => v !== "");
    if (values.length > 1) return null;
    if (values[0] !== undefined) raw[key] = values[0];
  }
  if (raw.page !== undefined && !/^\d{1,6}$/.test(raw.page)) return null;
  const parsed = viewSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { page, ...filter } = parsed.data;
  return { filter, page };
}

/** The query string of a view ("" for all findings on the first page), in a fixed order. */
export function findingsViewSearch(filter: FindingsFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter.store) params.set("store", filter.store);
  if (filter.suggestion) params.set("suggestion", filter.suggestion);
  if (filter.state) params.set("state", filter.state);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

export function isFiltered(filter: FindingsFilter): boolean {
  return Boolean(filter.store || filter.suggestion || filter.state);
}

/**
 * The state of a finding's decision as a page showed it: the decision and when it was written
 * ("undecided" before any). A decision posted with the state its page showed is refused when the
 * state changed since: nothing is decided on a picture that is no longer true.
 */
export function decisionToken(
  decision: { decision: string; decidedAt: Date | string } | null | undefined,
): string {
  return decision ? `${decision.decision}.${new Date(decision.decidedAt).getTime()}` : "undecided";
}
