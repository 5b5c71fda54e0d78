/**
 * Requests filed for someone else (ADR 0011): who may file, which documents prove their authority,
 * and when a child's own right stands in the way of a parent's. Pure: forms, staff checks and
 * letters all read these rules.
 */
import { z } from "zod";
import type { BerlinDay } from "./berlin-date";

/**
 * authorised: anyone with the person's power of attorney (§ 14 VwVfG); parent: a parent or guardian
 * (Vormund) with custody of a child; custodian: a court-appointed Betreuer (§ 1814 BGB) whose tasks
 * include dealing with authorities; attorney: a lawyer instructed by the person.
 */
export const representativeRoles = ["authorised", "parent", "custodian", "attorney"] as const;
export type RepresentativeRole = (typeof representativeRoles)[number];
export const representativeRoleSchema = z.enum(representativeRoles, { error: "choice" });

export const authorityDocumentKinds = [
  "power-of-attorney",
  "birth-certificate",
  "custody-document",
  "court-appointment",
] as const;
export type AuthorityDocumentKind = (typeof authorityDocumentKinds)[number];

export const authorityCheckResults = ["confirmed", "rejected"] as const;
export type AuthorityCheckResult = (typeof authorityCheckResults)[number];

/**
 * From this age a child exercises the right of access themselves (Art. 8 GDPR's age of 16, and the
 * German practice of assuming a young person's capacity for insight by then): a parent's custody no
 * longer suffices, only the child's own power of attorney does.
 */
const CHILD_OWN_RIGHTS_AGE = 16;

/** Full years of a person born on `birthDay` on `day` (both Berlin days, "YYYY-MM-DD"). */
function ageOn(birthDay: BerlinDay, day: BerlinDay): number {
  const years = Number(day.slice(0, 4)) - Number(birthDay.slice(0, 4));
  return day.slice(5) >= birthDay.slice(5) ? years : years - 1;
}

/**
 * The documents that prove a role's authority on `day`. A parent of a child under 16 shows a birth
 * certificate (custody of both parents) or a custody document (a sole custodian, a Vormund's letter
 * of appointment); for a child of 16 or more, or of unknown age, only the child's power of attorney.
 */
export function acceptedDocuments(
  role: RepresentativeRole,
  birthDay: BerlinDay | null,
  day: BerlinDay,
): AuthorityDocumentKind[] {
  switch (role) {
    case "authorised":
    case "attorney":
      return ["power-of-attorney"];
    case "custodian":
      return ["court-appointment"];
    case "parent":
      return birthDay !== null && ageOn(birthDay, day) < CHILD_OWN_RIGHTS_AGE
        ? ["birth-certificate", "custody-document"]
        : ["power-of-attorney"];
  }
}
