import { retentionEn } from "./retention.en";
import type { Messages } from "./de";
import { journeyEn } from "./journey.en";
import { staffEn } from "./staff.en";
import { dashboardEn } from "./dashboard.en";
import { executionEn } from "./execution.en";
import { complaintsEn } from "./complaints.en";
import { deliveryEn } from "./delivery.en";

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
    footerNav: "Information",
    footer: {
      accessibility: "Accessibility",
      easyRead: "Easy read",
      privacy: "Privacy",
      imprint: "Imprint",
    },
  },
  errors: {
    notFoundTitle: "Page not found",
    notFoundText: "There is no page at this address. It may have changed, or it may have been mistyped.",
    badRequestTitle: "Request not understood",
    badRequestText: "We could not read your request. Please try again using the pages of the portal.",
    forbiddenTitle: "No access",
    forbiddenText: "You do not have permission for this page or action. The attempt has been recorded.",
    tooLargeTitle: "Request too large",
    tooLargeText: "Your request is larger than allowed. Please make attached files smaller and try again.",
    genericTitle: "Something went wrong",
    genericText: "This should not have happened. Please try again in a few minutes. Requests you have already confirmed are safe.",
    backHome: "Go to the home page",
    status: (code: number) => `Error code ${code}`,
  },
  privacyPage: {
    title: "Privacy: what we process",
    description: "Every processing activity of the Thuringian State Data Centre that this portal covers, with purpose, legal basis and storage period.",
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
};
