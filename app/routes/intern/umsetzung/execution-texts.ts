import type { Route } from "../+types/umsetzung";
import { processingActivityById, type ProcessingActivityId } from "#app/core/processing-activities";
import { useLang, useLocalized, useMessages } from "#app/i18n";
import { fieldLabel } from "#app/server/answers/record-fields";

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
  return (error) => t.errors[error as keyof typeof t.errors] ?? t.errors.invalid;
}

/** A proposal in one line: action, record, the change (by the field's label) or statement, and who proposed it. */
export function useProposalText(): (
  p: ExecutionAction,
  record: { storeTitle: string; storeKind: string; ref: string },
) => string {
  const t = useMessages().execution;
  const lang = useLang();
  return (p, record) =>
    `${t.actions[p.action as keyof typeof t.actions] ?? p.action}: ${record.storeTitle} · ${record.ref}` +
    (p.changes && p.action === "rectify"
      ? ` (${Object.entries(p.changes)
          .map(([k, v]) => `${fieldLabel(record.storeKind, k, lang)} → ${v}`)
          .join(", ")})`
      : "") +
    (p.supplementaryStatement ? ` – ${p.supplementaryStatement}` : "") +
    ` – ${t.by(p.proposedByName)}`;
}
