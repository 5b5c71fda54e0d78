import { useMessages } from "#app/i18n";
import type { CaseIntent } from "#app/server/cases/case-actions.server";

/** The fields of one of the case page's forms, as its action reads them (for conform's useForm). */
export type CaseIntentOf<I extends CaseIntent["intent"]> = Extract<CaseIntent, { intent: I }>;

/** An error key of the case page's action (a use case's refusal) in the page's language. */
export function useCaseErrorText(): (key: string | undefined) => string | undefined {
  const errors = useMessages().staff.case.errors;
  return (key) => (key === undefined ? undefined : (errors[key] ?? errors.invalid));
}

/**
 * A refusal of the review (deciding, confirming, the search gate, the four eyes) in the page's
 * language: the review's, delivery's and representation's own words first, then the case page's.
 */
export function useReviewErrorText(): (key: string | undefined) => string | undefined {
  const m = useMessages();
  return (key) =>
    key === undefined
      ? undefined
      : (m.review.errors[key] ??
        m.delivery.errors[key] ??
        m.representation.errors[key] ??
        m.staff.case.errors[key] ??
        m.staff.case.errors.invalid);
}
