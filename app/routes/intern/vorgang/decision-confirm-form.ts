/**
 * The confirmation of giving out matches through unproven identifiers (ADR 0016), checked in the
 * browser before the case page's action checks it again: the tick carries the number of unproven
 * matches the page showed, and the action decides only if that is still the number. No `.server`
 * in the name: the confirmation form (decision-confirm.tsx) loads it.
 */
import { z } from "zod";

export function confirmUnprovenSchema(unproven: number) {
  return z.object({
    confirmUnproven:
      unproven > 0 ? z.literal(String(unproven), { error: "unproven-unconfirmed" }) : z.undefined(),
  });
}
