import type { SubmissionResult } from "@conform-to/react";
import { useActionData } from "react-router";
import type { SentBack } from "#app/server/http/form.server";

/**
 * The refusal of one form of a page that has several (app/server/http/form.server.ts sentBackForm), as
 * `lastResult` for its useForm; the page's other forms get nothing.
 */
export function useSentBack(intent: string): SubmissionResult<string[]> | undefined {
  const answer = useActionData() as { sentBack?: SentBack } | undefined;
  return answer?.sentBack?.intent === intent ? answer.sentBack.result : undefined;
}
