/**
 * Every action the audit trail records (audit_events.action), defined once: writers may record
 * only these, and the person's timeline and the complaint dossier translate a chosen few. Names
 * are stored for the trail's whole retention period: a name is never changed, only added.
 */
export const auditActions = [
  "answer.data-medium-prepared",
  "answer.download-refused",
  "answer.downloaded",
  "case.assigned",
  "case.read",
  "complaint.copies-deleted",
  "complaint.forwarded",
  "complaint.resent",
  "complaint.sent",
  "execution.approved",
  "execution.archive-decided",
  "execution.carried-out",
  "execution.deferred-due",
  "execution.lift-withdrawn",
  "execution.objection-decided",
  "execution.proposed",
  "execution.recipients-notified",
  "execution.resolve-refused",
  "execution.resolved-by-hand",
  "execution.retried",
  "execution.sent-back",
  "execution.withdrawal-decided",
  "findings.read",
  "gather.started",
  "gather.store-done",
  "gather.store-failed",
  "gather.store-retried",
  "identifier.confirmed",
  "identity.checked",
  "identity.document-read",
  "identity.provider-proven",
  "notice.dispatched",
  "notice.queued-for-print",
  "print.downloaded",
  "representation.checked",
  "request.answered",
  "request.closed",
  "request.code-resent",
  "request.deadline-extended",
  "request.declined",
  "request.expired",
  "request.extension-lapsed",
  "request.identifier-proven",
  "request.information-added",
  "request.proven",
  "request.received",
  "request.refused",
  "request.submitted",
  "request.withdrawn",
  "retention.cases-erased",
  "retention.rule-changed",
  "retention.sweep",
  "review.approved",
  "review.decided",
  "review.opened",
  "review.proposed",
  "review.returned",
  "review.store-access-decided",
  "review.unsearched-accepted",
  "staff.account-created",
  "staff.account-disabled",
  "staff.forbidden",
  "staff.refused",
  "staff.session-revoked",
  "staff.sign-in-failed",
  "staff.sign-in-refused",
  "staff.signed-in",
  "staff.signed-out",
  "staff.totp-enrolled",
  "staff.totp-reset",
  "statistics.register-exported",
  "statistics.report-exported",
  "tlfdi.record-handed-over",
  "tlfdi.record-produced",
  "tlfdi.record-read",
  "tlfdi.review-demanded",
] as const;
export type AuditAction = (typeof auditActions)[number];

/** A chosen few actions, checked to be actions: for catalogues that translate only some. */
type AuditActionsOf<A extends AuditAction> = A;

/** What the person's case page shows of the trail, in their words (app/i18n journey.events and complaints.events). */
export const personVisibleActions = [
  "request.submitted",
  "request.proven",
  "request.received",
  "request.information-added",
  "request.identifier-proven",
  "request.withdrawn",
  "request.deadline-extended",
  "request.answered",
  "request.closed",
  "complaint.forwarded",
  "complaint.sent",
] as const satisfies readonly AuditAction[];
type PersonVisibleAction = (typeof personVisibleActions)[number];

/** The request's own steps on the person's timeline; a complaint's are told with the complaint's words. */
export type RequestTimelineAction = Exclude<PersonVisibleAction, `complaint.${string}`>;

/** The steps the complaint dossier for the supervisory authority names besides the request's own. */
export type DossierTimelineAction = AuditActionsOf<
  | "complaint.forwarded"
  | "complaint.sent"
  | "complaint.copies-deleted"
  | "request.refused"
  | "review.opened"
  | "review.proposed"
  | "review.approved"
  | "review.returned"
>;

/** Who an audit event is by: the person, a member of staff, or the portal itself (jobs, sweeps). */
export const auditActorTypes = ["person", "staff", "system"] as const;
export type AuditActorType = (typeof auditActorTypes)[number];
