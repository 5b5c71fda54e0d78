import type { Messages } from "./de";
import { textsOf } from "./texts";

export const executionEn: Messages["execution"] = {
  title: "Carrying out",
  back: "Back to the case",
  intro:
    "Here you propose what happens to the data found: erase, restrict, rectify. Another person allowed to approve releases each proposal; only then is it carried out in the systems.",
  noGathering: "No data have been searched for in this case yet.",
  findings: "Data found (latest search)",
  record: "Record",
  assessmentHeading: "Can it be erased?",
  actionsHeading: "Actions",
  select: "Select",
  none: "none",
  actions: textsOf({
    erase: "Erase",
    restrict: "Restrict (legal hold)",
    "restrict-instead": "Restrict instead of erasing (§ 22 ThürDSG)",
    "lift-restriction": "Lift restriction",
    rectify: "Rectify",
  }),
  statuses: textsOf({
    proposed: "proposed",
    returned: "sent back",
    approved: "approved, being carried out",
    done: "carried out",
    refused: "refused",
    deferred: "deferred",
    "archive-offer": "waiting for the state archive",
    failed: "failed",
  }),
  assessment: {
    eraseNow: "Can be erased now.",
    retentionDuty: (reference, due) =>
      `No – retention duty (Art. 17(3)(b) GDPR; ${reference}). Erasure due on ${due}.`,
    periodNotStarted: (reference) =>
      `No – the retention period only starts when the matter is closed (Art. 17(3)(b) GDPR; ${reference}).`,
    archiveOffer: (reference) =>
      `Only after the records were offered to the state archive and it has decided (${reference}).`,
  },
  by: (name) => `by ${name}`,
  dueOn: (date) => `due on ${date}`,
  executedOn: (date) => `carried out on ${date}`,
  propose: "Propose",
  proposeHeading: "Propose an action for the selected data",
  section22: {
    groundLabel: "Ground under § 22 ThürDSG (only for “Restrict instead of erasing”)",
    choose: "– please choose –",
    grounds: {
      "impossible-storage": "erasure impossible because of the special kind of storage",
      disproportionate:
        "erasure possible only with disproportionate effort because of the special kind of storage",
      "person-interest": "erasure would harm the person's legitimate interests",
    },
    shown: (ground: string) => `instead of erasure, § 22 ThürDSG: ${ground}`,
  },
  action: "Action",
  rectifyHeading: "Propose a rectification",
  rectifyTarget: "Record and field",
  rectifyTargetHint:
    "For each record you can choose the fields its system can change. Where it allows no change, complete the data with a statement.",
  rectifyCurrent: (label, value) => `${label} (now: ${value})`,
  rectifyStatementOnly: "no change in the system, a supplementary statement only",
  rectifyValue: "Correct value",
  statement: "Supplementary statement (where the system does not allow the change)",
  personAsked: "What the person stated",
  approveHeading: "Approve proposals (four eyes)",
  approve: "Approve the selected proposals",
  noProposals: "No open proposals.",
  openProposals: "Open proposals",
  sendBack: {
    legend: "Or send back instead of approving",
    comment: "Note for the case handler",
    commentHint:
      "At least 10 characters: what is to be changed or checked. The case handler reads the note on this page.",
    submit: "Send the selected proposals back",
  },
  returned: {
    heading: "Proposals sent back",
    intro:
      "These proposals were not approved but sent back with a note; nothing is carried out from them. Propose the action again below – changed or unchanged. Someone else allowed to approve then approves the new proposal.",
    sentBackBy: (name, date) => `sent back by ${name} on ${date}`,
    comment: "Note",
    proposedAgain: "Proposed again since.",
    notYetProposedAgain: "Not proposed again yet.",
  },
  decisionsHeading: "Objection and withdrawal per processing activity",
  objection: "Objection (Art. 21 GDPR)",
  withdrawal: "Withdrawal of consent (Art. 7(3) GDPR)",
  activity: "Processing activity",
  outcome: "Decision",
  outcomes: { upheld: "upheld", rejected: "rejected" },
  reasoning: "Reasons",
  objectionImpossible: "No objection is possible for this processing. The rejection must still be reasoned.",
  decide: "Save decision",
  decidedBy: (name, date) => `decided by ${name} on ${date}`,
  effect: (erase, restrict, later) =>
    `Effect: ${erase} erased, ${restrict} restricted, ${later} to be erased later`,
  archive: {
    heading: "Offer to the state archive (§ 23 ThürDSG)",
    intro:
      "These erasures are approved but wait for the state archive: the records must be offered to it before they are erased. Record its answer. Then the records are erased here – also when the archive has taken them over, since it keeps them from then on.",
    approvedOn: (date) => `Erasure approved on ${date}`,
    decision: "The archive's answer",
    decisions: textsOf({
      "not-archival": "Not of archival value: the archive does not take the records over.",
      transferred: "The archive has taken the records over.",
    }),
    answeredOn: "Date of the archive's answer",
    answeredOnHint: (from, to) => `No earlier than ${from}, no later than ${to} (today).`,
    note: "The archive's file number or a note (optional)",
    submit: "Record the answer and carry out the erasure",
    recorded: textsOf({
      "not-archival": "State archive: not of archival value",
      transferred: "State archive: taken over",
    }),
    answerOf: (date) => `answer of ${date}`,
    onlyWithPermission: "The archive's answer is recorded by staff allowed to propose erasures.",
  },
  failed: {
    heading: "Actions not confirmed",
    intro:
      "The store did not confirm these actions when it was read again afterwards. The person and the recipients learn of them only once the store confirms them. Run them again once the cause is removed, or carry them out in the store by hand and record that here.",
    reason: "Reason",
    attempted: (date: string) => `last attempted on ${date}`,
    retryLegend: "Run again in the store",
    retry: "Run the selected again",
    resolveLegend: (record: string) => `Carried out by hand: ${record}`,
    note: "What did you do in the store?",
    noteHint:
      "At least 10 characters, e.g. tool, ticket number, file. The portal then reads the record again and marks the action done only if the store confirms it.",
    resolve: "Record as carried out by hand",
    onlyWithPermission:
      "Staff who may propose actions may run them again or record them as carried out by hand.",
    storeSays: "The store reports:",
  },
  resolvedBy: (name: string, date: string) => `carried out by hand by ${name} on ${date}`,
  notificationsHeading: "Recipients told (Art. 19 GDPR)",
  recipient: "Recipient",
  sentAt: "When",
  omitted: (reason) => `not told: ${reason}`,
  noRecipientAddress: "No address is configured for this recipient.",
  noNotifications: "No notices yet.",
  recipientsHeading: "Recipients of the data per processing activity",
  saved: "Saved.",
  errors: textsOf({
    invalid: "The input was incomplete or invalid.",
    "no-gathering": "This case has not been searched yet.",
    "foreign-finding": "At least one record does not belong to this case.",
    "foreign-action": "At least one proposal does not belong to this case.",
    "already-open": "This action has already been proposed or carried out for at least one record.",
    "kind-not-requested": "The person did not ask for this action.",
    "section-22-ground-required":
      "Please choose the ground under § 22 ThürDSG for restricting instead of erasing.",
    "section-22-not-erasure":
      "Restricting instead of erasing (§ 22 ThürDSG) is possible only on a request for erasure.",
    "not-permitted": "You do not have the permission for this.",
    "own-proposal": "Your own proposals must be approved or sent back by someone else.",
    "not-proposed": "At least one proposal is no longer open.",
    "comment-required":
      "Please tell the case handler why you send the proposals back (at least 10 characters).",
    "changes-required": "Please give the field and the correct value.",
    "unknown-field": "The system cannot change this field of this record. Please choose a field offered.",
    "statement-required":
      "The system does not allow this change: please give a supplementary statement (at least 10 characters).",
    "not-restricted": "These data are not restricted in this case.",
    "reasoning-required": "Please give reasons for the decision (at least 20 characters).",
    "objection-not-applicable": "An objection to this processing cannot be upheld.",
    "not-consent-based": "This processing is not based on consent.",
    "already-decided": "This has already been decided.",
    "unknown-activity": "This processing activity does not exist.",
    "not-awaiting-archive": "This erasure is not waiting for the state archive.",
    "unknown-archive-decision": "Please choose how the archive answered.",
    "archive-date-invalid": "Please give the date of the archive's answer.",
    "archive-date-future": "The date of the archive's answer cannot be in the future.",
    "archive-date-before-approval":
      "The archive cannot have answered before the erasure was approved. Please check the date.",
    "not-failed": "This action has not failed (any more).",
    "note-required": "Please describe what you did in the store (at least 10 characters).",
    "store-disagrees":
      "The store does not confirm the action: the record is still as it was. Nothing was marked as done.",
    "store-unavailable": "The store could not be read; the action stays open. Nothing was marked as done.",
  }),
  mail: {
    confirmationSubject: (reference) => `Your request ${reference}: what we have done`,
    confirmationIntro: (reference) =>
      `regarding your request ${reference}, this is what we have done with your data.`,
    greeting: "Dear Sir or Madam,",
    erased: "Erased:",
    notErased: "Not erased, or not yet:",
    restricted: "Restricted (only stored, no longer used):",
    restrictionLifted: "Restriction lifted, as we told you beforehand (Art. 18(3) GDPR):",
    section22Instead: (because: string) =>
      `Instead of erasing your data, we have restricted their processing (§ 22 ThürDSG), because ${because}. The data are only stored and used for nothing else.`,
    section22Because: {
      "impossible-storage": "erasure is impossible because of the special kind of storage",
      disproportionate:
        "erasure would be possible only with disproportionate effort because of the special kind of storage",
      "person-interest": "erasure would harm your legitimate interests",
    },
    rectified: "Rectified:",
    statementAdded: "Supplementary statement added:",
    pending: "In progress:",
    undecided: (n) =>
      `For ${n === 1 ? "one further record" : `${n.toLocaleString("en-GB")} further records`} we found about you, the erasure is not yet decided or not yet completed. We will write to you once it is; your request stays open until then.`,
    notErasedReview: "Not erased after the review of your request:",
    reviewGroup: (activity, n, legalReference) =>
      `${activity}: we do not erase ${n === 1 ? "one record" : `${n.toLocaleString("en-GB")} records`}. Legal basis: ${legalReference}.`,
    reviewReasons: (reasons) => `Reasons: ${reasons}`,
    reviewOmitted: (authority) =>
      `We do not erase further data. We do not tell you the factual and legal reasons, because telling them would defeat the purpose of the decision (§ 21(4) ThürDSG). You can demand that the supervisory authority (${authority}) checks the decision (§ 21(5) ThürDSG).`,
    caseEnded: "Your request is thereby concluded.",
    on: (date) => `on ${date}`,
    retentionDuty: (reference, due) =>
      `We still have to keep these data (Art. 17(3)(b) GDPR; ${reference}). We will erase them on ${due} without a further request.`,
    periodNotStarted: (reference) =>
      `We have to keep these data until the matter is closed and then for the prescribed period (Art. 17(3)(b) GDPR; ${reference}). We will erase them afterwards.`,
    archiveOffer: `Before erasing these records we must offer them to the competent state archive (§ 23 ThürDSG). We will erase them once the archive has decided, or hand them over to it.`,
    archiveTransferred: (date) =>
      `The competent state archive took these records over on ${date} (§ 23 ThürDSG) and keeps them now; we have erased them.`,
    recipientsTold:
      "We inform the bodies that received these data from us (Art. 19 GDPR). On request we tell you who they are.",
    liftSubject: (reference) => `Your request ${reference}: the restriction will be lifted`,
    liftBody: (reference, records) =>
      `regarding your request ${reference}: the reason for restricting the processing of the following data no longer applies. We will lift the restriction no earlier than after this message (Art. 18(3) GDPR).\n\n${records}`,
    liftWithdrawnSubject: (reference) => `Your request ${reference}: the restriction stays in place for now`,
    liftWithdrawnBody: (reference, records) =>
      `regarding your request ${reference}: we wrote to you that we would lift the restriction on the processing of the following data. We will not do so for now. The restriction stays in place. Before we lift it, we will write to you again.\n\n${records}`,
    decisionSubject: (reference) => `Your request ${reference}: decision on your objection or withdrawal`,
    decisionBody: (reference, kind, activity, outcome, reasoning) =>
      `we have decided on your request ${reference}.\n\n${kind} – ${activity}: ${outcome}\n\nReasons:\n${reasoning}`,
    signature: "Kind regards\nThuringian State Data Centre (TLRZ)",
  },
  notice: {
    subject: (reference) => `Notice under Art. 19 GDPR, case ${reference}`,
    body: (recipient, reference, action, activity, records) =>
      `To: ${recipient}\n\nin case ${reference}, at the data subject's request, the TLRZ has ${action} the following data of the processing "${activity}". ` +
      `Where you received these data from us, please do the same (Art. 19 GDPR). This notice does not contain the data; the references below identify the records.\n\n${records}\n\nKind regards\nThuringian State Data Centre, data protection`,
    actions: textsOf({ erase: "erased", restrict: "restricted the processing of", rectify: "rectified" }),
  },
};
