import type { Localized } from "./processing-activities";

/**
 * Permissions as data: every staff action names one permission, roles grant them. The defaults
 * below are written into the roles tables at start; the tables, not this file, are checked.
 */
const permissions = [
  "request:intake",
  "case:read",
  "case:assign",
  "case:gather",
  "finding:propose",
  "release:approve",
  "deadline:extend",
  "request:refuse",
  "objection:decide",
  "tlfdi:record",
  "statistics:read",
  "retention:manage",
  "sources:manage",
  "staff:manage",
  "session:revoke",
] as const;
export type Permission = (typeof permissions)[number];

export const roleIds = ["case-handler", "dpo", "admin"] as const;
export type RoleId = (typeof roleIds)[number];

export const roleDefinitions: Record<RoleId, { name: Localized; permissions: Permission[] }> = {
  "case-handler": {
    name: { de: "Sachbearbeitung", en: "Case handler" },
    permissions: ["request:intake", "case:read", "case:assign", "case:gather", "finding:propose"],
  },
  dpo: {
    name: { de: "Datenschutzbeauftragte/r", en: "Data protection officer" },
    permissions: [
      "case:read",
      "case:assign",
      "finding:propose",
      "release:approve",
      "deadline:extend",
      "request:refuse",
      "objection:decide",
      "tlfdi:record",
      "statistics:read",
    ],
  },
  admin: {
    name: { de: "Administration", en: "Administration" },
    permissions: ["retention:manage", "sources:manage", "staff:manage", "session:revoke"],
  },
};

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}
