import type { Messages } from "./de";
import { textsOf } from "./texts";

export const retentionEn: Messages["retention"] = {
  title: "Retention and deletion",
  rules: {
    title: "Retention rules",
    intro:
      "For each type of data a rule sets the event that starts the period, how long the data are kept and whether deletion waits for the end of the year. You can change the period and the year-end rounding within the legal limits; every change is recorded in the audit trail. The daily deletion applies the rules shown here.",
    dataType: "Type of data",
    legalReference: "Legal basis",
    startEvent: "Period starts at",
    period: "Period",
    rounding: "Until year end",
    bounds: "Legal limits",
    minimum: (text) => `at least ${text}`,
    maximum: (text) => `at most ${text}`,
    noBounds: "none",
    yearEnd: "to the end of the calendar year",
    yes: "yes",
    no: "no",
    archive: "Offered to the public archive before deletion (§ 23 ThürDSG)",
    changedAt: (when) => `changed on ${when}`,
    standard: "default",
    change: "Change",
    amount: (rule) => `Number for ${rule}`,
    unit: (rule) => `Unit for ${rule}`,
    roundToEndOfYear: (rule) => `${rule}: keep until the end of the calendar year`,
    save: (rule) => `Save the period for ${rule}`,
    saveShort: "Save",
    saved: (rule) => `The rule "${rule}" has been changed.`,
    dryRunTitle: "Dry run",
    dryRunIntro:
      "A dry run counts, per store and rule, what the deletion would remove today, and changes nothing. The result is shown in the deletion record.",
    dryRunButton: "Start a dry run",
    dryRunDone: (n, failed) =>
      `Dry run finished: ${n} records would be deleted${failed ? `; ${failed} stores could not be read` : ""}.`,
    evidenceLink: "Go to the deletion record",
    units: {
      years: "years",
      months: "months",
      weeks: "weeks",
      days: "days",
      hours: "hours",
      minutes: "minutes",
    },
    startEvents: {
      creation: "creation",
      "end-of-session": "end of the session",
      "ticket-closed": "closure of the ticket",
      "matter-closed": "closure of the matter",
      "records-closed": "closure of the file",
      "case-closed": "closure of the case",
      "end-of-relationship": "end of the relationship",
    },
    errors: {
      "invalid-period": "Please enter a whole number of at least 1 and a unit.",
      "mixed-units":
        "This period is counted in calendar units; hours and minutes or rounding to the end of the year do not fit it.",
      "unit-kind-change":
        "This period is counted by the clock (hours, minutes) and cannot be switched to calendar units, or the other way round.",
      "below-legal-minimum": (reference) =>
        `The period would be shorter than the law requires (${reference}). The rule is unchanged.`,
      "above-legal-maximum": (reference) =>
        `The period would be longer than the law allows (${reference}). The rule is unchanged.`,
      "unknown-rule": "There is no such rule.",
    },
  },
  evidence: {
    title: "Deletion record",
    intro:
      "Every deletion run records, per store and rule, how many records were deleted, how many were kept because of a restriction of processing or a pending offer to the archive, which period was affected and how the run ended. Dry runs only count and delete nothing.",
    chartTitle: "Records deleted per day",
    chartDescription: (days, total) =>
      `Records deleted on the ${days} days with deletion runs in the last 90 days, ${total} in all.`,
    byStoreTitle: "Records deleted per store (last 90 days)",
    byStoreDescription: (stores, total) => `${total} records deleted in ${stores} stores.`,
    day: "Day",
    store: "Store",
    deletedCount: "Deleted",
    noDeletions: "Nothing was deleted in the last 90 days.",
    runsTitle: "Evidence of the latest runs",
    none: "There have been no deletion runs yet.",
    started: "Start",
    finished: "End",
    rule: "Rule",
    deleted: "Deleted",
    wouldDelete: "Would delete",
    held: "Restricted",
    pendingArchive: "Archive offer pending",
    malformed: "Unreadable",
    affected: "Period affected",
    outcome: "Outcome",
    remark: "Remark",
    run: "Run",
    dryRun: "Dry run",
    triggers: textsOf({ schedule: "daily schedule", manual: "by hand" }),
    outcomes: textsOf({ done: "completed", partial: "with remark", failed: "failed", running: "running" }),
    stores: textsOf({ portal: "Rights portal", "portal-audit": "Audit trail of the rights portal" }),
    auditTitle: "Audit trail",
    auditDeleted: (deleted: number, gaps: number) =>
      deleted === 0
        ? "Nothing has been deleted from the audit trail yet."
        : `${deleted} expired entries were deleted from the audit trail, in ${gaps} recorded and signed gaps; the chain stays verifiable across them.`,
    auditCheckpoint: (at: string | null) =>
      at ? `Latest signed checkpoint: ${at}.` : "No signed checkpoint yet.",
  },
};
