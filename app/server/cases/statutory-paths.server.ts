/**
 * What the staff case page shows and does for the statute's paths, in one place so that the page
 * needs one loader field and one branch: the § 21(5) demands as tasks, the § 21(2) decisions per
 * store, the identity check whose documents are deleted, and findings past their deletion date.
 */
import type { Db } from "#db/client";
import type { StaffIdentity } from "../auth/staff.server";
import { tlfdiDemandOffer, tlfdiTasksOf } from "../complaints/tlfdi-demand.server";
import type { Config } from "../config.server";
import type { Services } from "../services.server";
import { identityCheckView, recordIdentityCheck } from "../requests/identity-check.server";
import { overdueOfCase, retentionEnv } from "../retention/overdue.server";
import { recordStoreDecision, storeDecisionRows } from "../review/store-decisions.server";
import type { StatutoryIntent } from "./statutory-intents";

/** The case page lists this many overdue findings; the count says how many there are. */
const OVERDUE_SHOWN = 50;

export async function statutoryPathsOf(
  db: Db,
  config: Pick<Config, "sources">,
  requestId: string,
  now = new Date(),
) {
  const [tlfdiTasks, tlfdiOffer, stores, identity, overdue] = await Promise.all([
    tlfdiTasksOf(db, requestId),
    tlfdiDemandOffer(db, requestId),
    storeDecisionRows(db, requestId),
    identityCheckView(db, requestId),
    retentionEnv(db, config).then((env) => overdueOfCase(env, requestId, now, OVERDUE_SHOWN)),
  ]);
  // A demand made by letter or e-mail is recorded by staff where the page would offer it to the person.
  return { tlfdiTasks, tlfdiDemandOpen: tlfdiOffer.offered, stores, identity, overdue };
}
export type StatutoryPaths = Awaited<ReturnType<typeof statutoryPathsOf>>;

/** What the page shows beside the form that was refused: which section, and why (a key of its texts). */
export interface StatutoryRefusal {
  statutoryError: { section: "stores" | "identity"; reason: string };
}

/** Carries out one of the page's statutory intents; null when done, else what to show and the status. */
export async function runStatutoryIntent(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  intent: StatutoryIntent,
): Promise<{ body: StatutoryRefusal; status: number } | null> {
  if (intent.intent === "store-decision") {
    const result = await recordStoreDecision(db, staff, requestId, {
      store: intent.store,
      applies: intent.applies === "yes",
      reasoning: intent.reasoning,
    });
    if (result.ok) return null;
    return {
      body: { statutoryError: { section: "stores", reason: result.reason } },
      status: result.reason === "not-permitted" ? 403 : 400,
    };
  }
  const result = await recordIdentityCheck({ db, config }, staff, requestId, {
    how: intent.how,
    documentKind: intent.documentKind,
    numberTail: intent.numberTail,
    result: intent.result,
    documentIds: intent.documentIds,
    reason: intent.reason,
  });
  if (result.ok) return null;
  return {
    body: { statutoryError: { section: "identity", reason: result.reason } },
    status: result.reason === "not-permitted" ? 403 : 400,
  };
}
