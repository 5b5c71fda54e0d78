import type { Db } from "#db/client";
import type { CaseStatus } from "#app/core/case-status";
import type { Services } from "../services.server";

/** What the journey's use cases need from the running portal; tests build it from a test database. */
export interface JourneyDeps {
  db: Db;
  /** Keys code hashes and rate-limit buckets (config.sessionSecret). */
  secret: string;
  /** Base of the links in mails. */
  publicUrl: string;
  /** Where complaints to the supervisory authority go (forwarded when a complaint request is proven). */
  complaintAddress: string;
  /** The data folder: documents added to a case are files in it (config.dataDir, ADR 0017). */
  dataDir: string;
}

export function journeyDeps(services: Services): JourneyDeps {
  return {
    db: services.database.db,
    secret: services.config.sessionSecret,
    publicUrl: services.config.publicUrl,
    complaintAddress: services.config.complaintAddress,
    dataDir: services.config.dataDir,
  };
}

/** The lifecycle states this part of the portal sets (all of them: app/core/case-status.ts). */
export const requestStatus = {
  unproven: "unproven",
  received: "received",
  withdrawn: "withdrawn",
} as const satisfies Record<string, CaseStatus>;
