/**
 * How an identifier of a case came to be proven, and the assurance levels an identity provider
 * vouches with (eIDAS, Implementing Regulation (EU) 2015/1502: low, substantial, high). Stored in
 * request_identifiers.proof_source / proof_level; the review names the proof behind each match.
 */
export const proofSources = ["email-code", "identity-provider", "staff-check"] as const;
export type ProofSource = (typeof proofSources)[number];

export const assuranceLevels = ["low", "substantial", "high"] as const;
export type AssuranceLevel = (typeof assuranceLevels)[number];

export function isAssuranceLevel(value: unknown): value is AssuranceLevel {
  return typeof value === "string" && (assuranceLevels as readonly string[]).includes(value);
}

/** Whether `level` is at least `required` (high ≥ substantial ≥ low). */
export function meetsLevel(level: AssuranceLevel, required: AssuranceLevel): boolean {
  return assuranceLevels.indexOf(level) >= assuranceLevels.indexOf(required);
}

/** What an identity provider hands over that a case is searched by (OpenID Connect standard claims). */
export const providerIdentifierKinds = ["name", "birth-date", "postal-address"] as const;
export type ProviderIdentifierKind = (typeof providerIdentifierKinds)[number];

/** Why a proof did not happen; each has a message in the person's language (identity.errors). */
const identityFailures = [
  "not-offered",
  "unavailable",
  "refused",
  "state",
  "nonce",
  "code",
  "invalid",
  "no-attempt",
  "nothing-usable",
  "nothing-received",
] as const;
export type IdentityFailure = (typeof identityFailures)[number];

export function isIdentityFailure(value: unknown): value is IdentityFailure {
  return typeof value === "string" && (identityFailures as readonly string[]).includes(value);
}

/**
 * Which identifiers the person typed differ from one of the same kind the identity provider proved:
 * both stay, and the case pages (the person's and staff's) say so.
 */
export function differingFromProvider(
  identifiers: readonly { id: string; kind: string; normalized: string; proofSource: string | null }[],
): Set<string> {
  const provided = identifiers.filter((i) => i.proofSource === "identity-provider");
  return new Set(
    identifiers
      .filter((i) => i.proofSource !== "identity-provider")
      .filter((i) => provided.some((p) => p.kind === i.kind && p.normalized !== i.normalized))
      .map((i) => i.id),
  );
}
