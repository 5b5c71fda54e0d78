/**
 * The processing activities a finding can belong to, by their ids in the register of processing
 * activities (app/core/processing-activities.ts). Connectors refer to them only through this map,
 * so a renamed id is one change here.
 */
import type { ProcessingActivityId as RegisterActivityId } from "../core/processing-activities";

export const PROCESSING_ACTIVITY = {
  websiteVisit: "website-visit",
  beauskunftungLogin: "beauskunftung-login",
  retrievalProtocol: "retrieval-protocol",
  contactForm: "contact-form",
  telephone: "telephone",
  email: "email",
  letter: "letter",
  fax: "fax",
  supportTicket: "support-ticket",
  recordsManagement: "records-management",
} as const satisfies Record<string, RegisterActivityId>;

export type ProcessingActivityId = (typeof PROCESSING_ACTIVITY)[keyof typeof PROCESSING_ACTIVITY];

export const PROCESSING_ACTIVITY_IDS: readonly ProcessingActivityId[] = Object.values(PROCESSING_ACTIVITY);
