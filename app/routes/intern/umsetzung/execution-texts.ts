import type { SubmissionResult } from "@conform-to/react";
import type { Route } from "../+types/umsetzung";
import { processingActivityById, type ProcessingActivityId } from "#app/core/processing-activities";
import { useLang, useLocalized, useMessages } from "#app/i18n";
import { fieldLabel } from "#app/server/answers/record-fields";
import type { ExecutionIntent } from "#app/server/execution/intents";
import type { SentBack } from "#app/server/http/form.server";
import { useSentBack } from "#app/ui/form/sent-back";

/** What the execution page's loader gives its parts. */
export type ExecutionPage = Route.ComponentProps["loaderData"];
export type ExecutionFinding = ExecutionPage["findings"][number];
export type ExecutionAction = ExecutionFinding["actions"][number];

/** A processing activity by its name in the reader's language (its id where the register has none). */
export function useActivityName(): (id: string) => string {
  const localized = useLocalized();
  return (id) => localized(processingActivityById[id as ProcessingActivityId]?.name ?? { de: id, en: id });
}

/** A refusal in words. */
export function useErrorText(): (error: string) => string {
  const t = useMessages().execution;
  return (error) => t.errors[error] ?? t.errors.invalid;
}

/** A proposal in one line: action, record, the change (by the field's label) or statement, and who proposed it. */
export function useProposalText(): (
  p: ExecutionAction,
  record: { storeTitle: string; storeKind: string; ref: string },
) => string {
  const t = useMessages().execution;
  const lang = useLang();
  return (p, record) =>
    `${t.actions[p.action] ?? p.action}: ${record.storeTitle} · ${record.ref}` +
    (p.changes && p.action === "rectify"
      ? ` (${Object.entries(p.changes)
          .map(([k, v]) => `${fieldLabel(record.storeKind, k, lang)} → ${v}`)
          .join(", ")})`
      : "") +
    (p.supplementaryStatement ? ` – ${p.supplementaryStatement}` : "") +
    ` – ${t.by(p.proposedByName)}`;
}

/** The fields of one of the page's forms, as its action reads them (for conform's useForm). */
export type ExecutionIntentOf<I extends ExecutionIntent["intent"]> = Extract<ExecutionIntent, { intent: I }>;

/**
 * The id of a field of the page's forms, for the field and for the summary's link to it; `row` is
 * what a row's form is about (the action, or "<kind>-<activity>").
 */
export function executionFieldId(intent: string, field: string, row = ""): string {
  switch (intent) {
    case "decide":
      return `${field === "outcome" ? "o" : "re"}-${row}`;
    case "archive":
      return field === "decision" ? `ar-${row}` : `ar-${row}-${field === "answeredOn" ? "date" : field}`;
    case "resolve-failed":
      return `rf-${row}-${field}`;
    case "send-back":
      return `sb-${field}`;
    case "rectify":
      return `r-${field}`;
    default:
      return `pa-${field}`;
  }
}

/** What a row's form was about (the action, or "<kind>-<activity>"), from what it sent back. */
function rowOf(intent: string, result: SubmissionResult<string[]>): string {
  const value = result.initialValue ?? {};
  return intent === "decide" ? `${value.kind}-${value.activityId}` : String(value.actionId ?? "");
}

/** The refusal of a row's form (conform's lastResult): the page's, if it was about that row. */
export function useRowRefusal(intent: string, row: string): SubmissionResult<string[]> | undefined {
  const result = useSentBack(intent);
  return result && rowOf(intent, result) === row ? result : undefined;
}

/** The field a refusal is about, to link the page's summary to it; null for a refusal of a whole form. */
export function refusedFieldId(sentBack: SentBack | undefined): string | null {
  if (!sentBack) return null;
  const field = Object.entries(sentBack.result.error ?? {}).find(
    ([name, errors]) => name !== "" && errors && errors.length > 0,
  )?.[0];
  return field ? executionFieldId(sentBack.intent, field, rowOf(sentBack.intent, sentBack.result)) : null;
}
