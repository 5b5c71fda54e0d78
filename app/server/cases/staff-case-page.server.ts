/**
 * The staff case page (/intern/vorgaenge/:id): the case with the findings its filter and page show,
 * and everything the page offers beside them. Reading it is recorded (staff-reads.server.ts).
 */
import type { FindingsView } from "#app/core/findings-view";
import type { StaffIdentity } from "../auth/staff.server";
import { answersOf } from "../delivery/delivery.server";
import { expectedGathering } from "../gather/expected-gathering.server";
import { approvalView } from "../review/approval-view.server";
import { reviewPageFacts, withShownState } from "../review/review-page.server";
import { representationCheckView } from "../requests/representation.server";
import type { Services } from "../services.server";
import { loadStaffCase } from "./case-detail.server";
import { assignableStaff } from "./case-list.server";
import { deadlineDecisionsOpen } from "./deadline-decisions.server";
import { declineOptions, declinesOf } from "./decline.server";
import { recordCasePageRead } from "./staff-reads.server";
import { statutoryPathsOf } from "./statutory-paths.server";

/** Null for no case (unknown id, or an unproven request that is nobody's work yet). */
export async function staffCasePage(
  { db, config }: Pick<Services, "db" | "config">,
  staff: StaffIdentity,
  requestId: string,
  view: FindingsView | null,
) {
  // What does not depend on the findings shown is read beside them: the overdue check alone reads
  // every finding of the case (npm run bench -- review-20k).
  const [found, answers, staffList, statutory, representation] = await Promise.all([
    loadStaffCase(db, requestId, view),
    answersOf(db, requestId),
    assignableStaff(db),
    statutoryPathsOf(db, config, requestId),
    representationCheckView(db, requestId),
  ]);
  if (!found) return null;
  await recordCasePageRead(db, staff.id, found);
  const [declinable, declined] = await Promise.all([
    declineOptions(db, found.request),
    declinesOf(db, found.request.id),
  ]);
  return {
    ...found,
    // Each finding with its decision state as shown: a decision posts it back and is refused if it changed.
    findings: withShownState(found.findings),
    ...(await reviewPageFacts(
      db,
      staff.id,
      found.gathering?.run.id ?? null,
      found.round,
      found.listing.filter,
      found.listing.matching,
    )),
    answers,
    staff: staffList,
    // The second pair of eyes sees who proposed and what changed since the proposal.
    approval:
      found.round?.status === "proposed" ? await approvalView(db, found.request.id, found.round.id) : null,
    // Extension and refusal are offered only where the action would accept them.
    deadlineDecisions: deadlineDecisionsOpen(found.request),
    // A rectification or restriction found unfounded: the kinds that can be declined now, and those declined.
    declinable: declinable.filter((o) => o.refusal === null).map((o) => o.kind),
    declined,
    // §§ 21(2), 21(5) ThürDSG, the identity check, findings past their deletion date.
    statutory,
    // Filed for someone else: the representative and the check of their authority (ADR 0011).
    representation,
    // How long a search of the configured stores takes and what it costs (ADR 0023).
    expectedGathering: expectedGathering(config.sources.stores),
  };
}
