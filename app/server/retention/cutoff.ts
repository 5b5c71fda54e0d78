import { isExpired, type RetentionSpan } from "#app/core/retention";
import { firstUnexpiredStart } from "#app/sources/connectors/retrieval.server";

/** The earliest start instant not yet expired under `rule` at `now` (see `firstUnexpiredStart`). */
export function expiryCutoff(rule: RetentionSpan, now: Date): Date {
  return firstUnexpiredStart({ isExpired: (start, at) => isExpired(rule, start, at) }, now);
}
