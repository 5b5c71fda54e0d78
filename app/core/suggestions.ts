import type { RestrictionGroundId } from "./restriction-grounds";

/** What the rules need to know of a finding (a subset of the connectors' Finding). */
export interface FindingFacts {
  storeKind: string;
  role?: string;
  unproven: boolean;
  flags: readonly string[];
  content: Record<string, unknown>;
}

export interface Suggestion {
  ground: RestrictionGroundId;
  action: "withhold" | "redact" | "consider";
  /** For redactions: the top-level content fields that hold other people's data. */
  fields?: string[];
}

/** Stores whose only purpose is data security: § 21(2) ThürDSG is a candidate, never automatic. */
const securityLogStores = new Set(["nginx-access-log", "login-jsonl"]);

/**
 * Marks a finding before a person looks at it. The rules only propose: the reviewer decides, and
 * the DPO approves.
 */
export function suggestFor(finding: FindingFacts): Suggestion[] {
  const suggestions: Suggestion[] = [];
  if (finding.flags.includes("information-block")) suggestions.push({ ground: "information-block", action: "withhold" });
  if (finding.flags.includes("security-authority")) suggestions.push({ ground: "authority-consent", action: "withhold" });
  if (finding.unproven) suggestions.push({ ground: "identity-unconfirmed", action: "withhold" });
  if (finding.flags.includes("third-party-data")) {
    const fields = thirdPartyFields(finding).filter((field) => field in finding.content);
    if (fields.length > 0) suggestions.push({ ground: "third-party-rights", action: "redact", fields });
  }
  if (securityLogStores.has(finding.storeKind)) suggestions.push({ ground: "security-control-only", action: "consider" });
  return suggestions;
}

function thirdPartyFields({ storeKind, role }: FindingFacts): string[] {
  switch (storeKind) {
    case "retrieval-protocol-db":
      // The official who asked sees the person looked up; the person looked up sees the official.
      return role === "looked-up" ? ["sachbearbeiter", "anfrageXml"] : ["suchkriterien", "anfrageXml", "antwortXml"];
    case "maildir":
      return ["to", "cc"];
    case "servicedesk-db":
      return ["cc_addr", "ccAddr", "cc"];
    default:
      return [];
  }
}
