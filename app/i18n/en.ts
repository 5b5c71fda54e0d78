import { retentionEn } from "./retention.en";
import type { Messages } from "./de";
import { journeyEn } from "./journey.en";
import { staffEn } from "./staff.en";
import { dashboardEn } from "./dashboard.en";
import { executionEn } from "./execution.en";
import { complaintsEn } from "./complaints.en";
import { deliveryEn } from "./delivery.en";
import { printEn } from "./print.en";
import { representationEn } from "./representation.en";
import { statutoryEn } from "./statutory.en";
import { identityEn } from "./identity.en";
import { reviewEn } from "./review.en";

export const en: Messages = {
  meta: {
    siteName: "Rights Portal",
    siteOwner: "Thuringian State Data Centre",
    titleSuffix: "Rights Portal of the Thuringian State Data Centre",
  },
  layout: {
    skipLink: "Skip to content",
    mainNav: "Main navigation",
    nav: { start: "Home", request: "Make a request", cases: "My cases", privacy: "Privacy" },
    languageSwitch: "Language",
    otherLanguage: "Deutsch",
    otherLanguageHint: "Auf Deutsch anzeigen",
    refresh: "Refresh",
    mailboxUpdates: "New messages appear here by themselves.",
    mailCount: (n: number) => (n === 1 ? "1 message in the mailbox" : `${n} messages in the mailbox`),
    footerNav: "Information",
    footer: {
      accessibility: "Accessibility",
      easyRead: "Easy read",
      privacy: "Privacy",
      imprint: "Imprint",
    },
  },
  staffNav: {
    label: "Staff area navigation",
    home: "Staff area",
    cases: "Cases",
    intake: "Record a request",
    overview: "Overview",
    retention: "Retention",
    deletionLog: "Deletion log",
    sources: "Data sources",
    printQueue: "Outgoing letters",
    sessions: "Sessions",
    signOut: "Sign out",
    approval: {
      proposedBy: (name: string, when: string) => `Proposed for approval by ${name} on ${when}.`,
      ownProposal:
        "You proposed this review yourself. Someone else who may approve has to approve it (four eyes), for example the deputy data protection officer. You can send the proposal back to change it.",
      counts: (release: number, withhold: number, redact: number) =>
        `Proposed: ${release} release, ${withhold} withhold, ${redact} redact.`,
      afterProposalTitle: "Changed after the proposal",
      afterProposal: (n: number) =>
        n === 1
          ? "One decision was written after the proposal. It was not part of what was proposed: please check it or send the proposal back."
          : `${n} decisions were written after the proposal. They were not part of what was proposed: please check them or send the proposal back.`,
      sinceReturnedTitle: "Changed since it was last sent back",
      returnedWith: (name: string, comment: string) => `Sent back by ${name} with the note: “${comment}”`,
      noChanges: "No decision has changed since it was sent back.",
      changed: (total: number, shown: number) =>
        `${total === 1 ? "One decision" : `${total} decisions`} changed${shown < total ? ` (the first ${shown} here, all in the list of findings)` : ""}.`,
      record: "Record",
      before: "before",
      after: "now",
      decidedBy: "decided by",
      none: "none",
      fields: (n: number) => (n === 1 ? "1 field" : `${n} fields`),
    },
  },
  errors: {
    notFoundTitle: "Page not found",
    notFoundText: "There is no page at this address. It may have changed, or it may have been mistyped.",
    badRequestTitle: "Request not understood",
    badRequestText: "We could not read your request. Please try again using the pages of the portal.",
    forbiddenTitle: "No access",
    forbiddenText: "You do not have permission for this page or action. The attempt has been recorded.",
    busyTitle: "Very many requests right now",
    busyText:
      "We are receiving very many requests right now. What you entered was not saved. Please try again in a few minutes.",
    unavailableTitle: "Temporarily unavailable",
    unavailableText:
      "The portal cannot reach its data right now. What you just sent may not have been saved. Please try again in a few minutes; requests you have already confirmed are safe.",
    tooLargeTitle: "Request too large",
    tooLargeText: "Your request is larger than allowed. Please make attached files smaller and try again.",
    genericTitle: "Something went wrong",
    genericText:
      "This should not have happened. Please try again in a few minutes. Requests you have already confirmed are safe.",
    backHome: "Go to the home page",
    status: (code: number) => `Error code ${code}`,
  },
  privacyPage: {
    title: "Privacy: what we process",
    description:
      "Every processing activity of the Thuringian State Data Centre that this portal covers, with purpose, legal basis and storage period.",
    intro:
      "This page is generated from our record of processing activities. For each activity it shows why we process data, on which legal basis, which data, who receives them and when we delete them.",
    contents: "Contents",
    controller: "Controller",
    dpo: "Data protection officer",
    authority: "Supervisory authority",
    purposes: "Purposes",
    legalBasis: "Legal basis",
    dataCategories: "Categories of data",
    subjects: "Data subjects",
    recipients: "Recipients",
    source: "Source of the data",
    retention: "Storage period",
    objection: "Objection (Art. 21 GDPR)",
    portability: "Data portability (Art. 20 GDPR)",
    applies: "possible",
    notApplies: "not applicable",
    automated: "There is no automated decision-making (Art. 22 GDPR).",
    rights:
      "You have the right of access, rectification, erasure, restriction of processing, data portability and objection, and the right to withdraw consent you have given. You may lodge a complaint with the supervisory authority.",
    startRequest: "Make a request",
    phone: "Phone",
    email: "E-mail",
  },
  health: { ok: "Operational", databaseDown: "Database unreachable" },
  journey: journeyEn,
  staff: staffEn,
  retention: retentionEn,
  dashboard: dashboardEn,
  execution: executionEn,
  complaints: complaintsEn,
  delivery: deliveryEn,
  print: printEn,
  representation: representationEn,
  statutory: statutoryEn,
  identity: identityEn,
  review: reviewEn,
};
