/**
 * The processing activities a finding can belong to, by their ids in the register of processing
 * activities (app/core/processing-activities.ts). Connectors refer to them only through this map,
 * so a renamed id is one change here.
 */
import type { StoreActivityId } from "../core/processing-activities";

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
} as const satisfies Record<string, StoreActivityId>;

export const PROCESSING_ACTIVITY_IDS: readonly StoreActivityId[] = Object.values(PROCESSING_ACTIVITY);
