/**
 * Proof of identity through the state's identity provider over OpenID Connect (ADR 0019): the
 * authorisation code flow with PKCE, state and nonce (openid-client), the provider discovered from
 * its issuer at every step, so that a provider that is down is noticed before the person is sent
 * there. What comes back — name, date of birth, address and the eIDAS level — is kept in the
 * person's server-side session and shown to them; only when they confirm it does it become proven
 * identifiers of the case, each as far as its level proves it (config.identityProvider.proofLevels).
 * The tokens are used once to read the claims and never stored. A claim that differs from what the
 * person typed is added beside it, never written over it; both are shown to the person and to staff.
 */
import { desc, eq } from "drizzle-orm";
import * as oidc from "openid-client";
import { z } from "zod";
import { gatherRuns, requestIdentifiers, requests } from "#db/schema";
import { isFinalStatus } from "#app/core/case-status";
import {
  type AssuranceLevel,
  type IdentityFailure,
  type ProviderIdentifierKind,
  isAssuranceLevel,
  meetsLevel,
  providerIdentifierKinds,
} from "#app/core/identity-proof";
import { nameKey, normaliseBirthDate, postalAddressKey } from "#app/core/identifiers";
import { appendAuditEvent } from "../audit.server";
import type { IdentityProviderConfig } from "../config.server";
import { startGather } from "../gather/gather.server";
import { log } from "../log.server";
import { markFindingsProven } from "../review/identifier-confirm.server";
import type { Services } from "../services.server";
import type { Person } from "./person-session.server";

/** A sign-in at the provider must come back within this time; after it the attempt is void. */
const ATTEMPT_MINUTES = 30;

const attemptSchema = z.object({
  requestId: z.uuid(),
  reference: z.string(),
  state: z.string().min(16),
  nonce: z.string().min(16),
  verifier: z.string().min(43),
  startedAt: z.number(),
});

const claimSchema = z.object({
  kind: z.enum(providerIdentifierKinds),
  value: z.string(),
  normalized: z.string(),
});
type Claim = z.infer<typeof claimSchema>;

const receivedSchema = z.object({
  requestId: z.uuid(),
  reference: z.string(),
  level: z.enum(["low", "substantial", "high"]).nullable(),
  claims: z.array(claimSchema),
});

/** The case the person acts on, as the route found it among their own. */
interface OwnCase {
  id: string;
  reference: string;
  status: string;
  /** Filed by a representative: the provider would prove the representative, not the person the case is about. */
  filedFor: unknown;
}

function providerOf(config: Services["config"], ownCase: OwnCase): IdentityProviderConfig | null {
  if (!config.identityProvider || ownCase.filedFor || isFinalStatus(ownCase.status)) return null;
  return config.identityProvider;
}

/** The provider's name where the person may prove their identity through it in this case, else null. */
export function identityProviderFor(config: Services["config"], ownCase: OwnCase): string | null {
  return providerOf(config, ownCase)?.name ?? null;
}

/**
 * The provider's name where a representative filed this open case: the page says why the proof is
 * not offered to them (ADR 0019) — it would prove the representative, whom the case is not about.
 */
export function providerNotForRepresentative(config: Services["config"], ownCase: OwnCase): string | null {
  const idp = config.identityProvider;
  return idp && ownCase.filedFor && !isFinalStatus(ownCase.status) ? idp.name : null;
}

async function discover(idp: IdentityProviderConfig): Promise<oidc.Configuration> {
  // Plain HTTP only for a provider on this machine (config.server.ts refuses it elsewhere).
  const execute = idp.issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [];
  return oidc.discovery(idp.issuer, idp.clientId, idp.clientSecret, undefined, { execute, timeout: 10 });
}

export type StartResult = { ok: true; url: string } | { ok: false; reason: IdentityFailure };

/**
 * Sends the person to the provider: a fresh code verifier, state and nonce in their session, the
 * authorisation request with the code challenge. An earlier attempt or unconfirmed claims go.
 */
export async function startIdentityProof(
  { config }: Pick<Services, "config">,
  person: Person,
  ownCase: OwnCase,
): Promise<StartResult> {
  const idp = providerOf(config, ownCase);
  if (!idp) return { ok: false, reason: "not-offered" };
  let configuration: oidc.Configuration;
  try {
    configuration = await discover(idp);
  } catch (error) {
    log.warn({ requestId: ownCase.id, error: errorKind(error) }, "identity provider: discovery failed");
    return { ok: false, reason: "unavailable" };
  }
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: idp.redirectUri,
    scope: idp.scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  person.session.set("identityAttempt", {
    requestId: ownCase.id,
    reference: ownCase.reference,
    state,
    nonce,
    verifier,
    startedAt: Date.now(),
  } satisfies z.infer<typeof attemptSchema>);
  person.session.unset("identityClaims");
  return { ok: true, url: url.href };
}

export type CompleteResult = { reference: string | null; failure: IdentityFailure | null };

/**
 * The provider's answer at the callback: the state is compared with the session's, the code is
 * exchanged with the verifier, the ID token's signature, issuer, audience and nonce are checked
 * (openid-client), the claims read from the UserInfo endpoint for the token's subject. The attempt
 * is used up whatever happens; nothing of the case changes here.
 */
export async function completeIdentityProof(
  { config }: Pick<Services, "config">,
  person: Person,
  callbackUrl: URL,
): Promise<CompleteResult> {
  const attempt = attemptSchema.safeParse(person.session.get("identityAttempt"));
  person.session.unset("identityAttempt");
  const idp = config.identityProvider;
  if (!attempt.success || !idp) return { reference: null, failure: "no-attempt" };
  const { reference, requestId } = attempt.data;
  const fail = (failure: IdentityFailure): CompleteResult => {
    log.info({ requestId, failure }, "identity provider: proof failed");
    return { reference, failure };
  };
  if (Date.now() - attempt.data.startedAt > ATTEMPT_MINUTES * 60_000) return fail("no-attempt");
  if (callbackUrl.searchParams.get("error") === "access_denied") return fail("refused");
  if (callbackUrl.searchParams.get("state") !== attempt.data.state) return fail("state");
  // The registered redirect URI with the answer's parameters, whatever host name the request came by.
  const answer = new URL(idp.redirectUri);
  answer.search = callbackUrl.search;
  let claims: Record<string, unknown>;
  let acr: unknown;
  try {
    const configuration = await discover(idp);
    const tokens = await oidc.authorizationCodeGrant(configuration, answer, {
      pkceCodeVerifier: attempt.data.verifier,
      expectedState: attempt.data.state,
      expectedNonce: attempt.data.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    acr = idToken.acr;
    const userInfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
    claims = { ...userInfo };
  } catch (error) {
    return fail(failureOf(error));
  }
  const level = typeof acr === "string" ? (idp.acrLevels[acr] ?? null) : null;
  const received = claimsOf(claims);
  if (received.length === 0) return fail("nothing-usable");
  person.session.set("identityClaims", {
    requestId,
    reference,
    level,
    claims: received,
  } satisfies z.infer<typeof receivedSchema>);
  return { reference, failure: null };
}

/** What went wrong, in the words the person is told; the error itself is never logged (it may hold claims). */
function failureOf(error: unknown): IdentityFailure {
  if (error instanceof oidc.AuthorizationResponseError)
    return error.error === "access_denied" ? "refused" : "invalid";
  if (error instanceof oidc.ResponseBodyError) return error.error === "invalid_grant" ? "code" : "invalid";
  if (error instanceof oidc.ClientError) {
    const cause = (error.cause as { cause?: { claim?: unknown } } | undefined)?.cause;
    if (cause?.claim === "nonce") return "nonce";
    if (["OAUTH_TIMEOUT", "OAUTH_ABORT", "OAUTH_RESPONSE_IS_NOT_CONFORM"].includes(error.code ?? ""))
      return "unavailable";
    return "invalid";
  }
  // fetch's TypeError: the provider cannot be reached.
  return error instanceof TypeError ? "unavailable" : "invalid";
}

function errorKind(error: unknown): string {
  return error instanceof oidc.ClientError ? (error.code ?? "client-error") : (error as Error)?.name;
}

const LONGEST_CLAIM = 300;
const printable = (text: unknown): string | null =>
  typeof text === "string" &&
  text.trim() &&
  text.length <= LONGEST_CLAIM &&
  !/[\p{Cc}]/u.test(text.replace(/\n/g, ""))
    ? text.trim()
    : null;

/** Name, date of birth and address from OpenID Connect's standard claims, each with its comparison key. */
function claimsOf(claims: Record<string, unknown>): Claim[] {
  const out: Claim[] = [];
  const given = printable(claims.given_name);
  const family = printable(claims.family_name);
  const name = given && family ? `${given} ${family}` : printable(claims.name);
  if (name) out.push({ kind: "name", value: name, normalized: nameKey(name) });
  const birth = printable(claims.birthdate);
  const birthKey = birth ? normaliseBirthDate(birth) : null;
  if (birth && birthKey) out.push({ kind: "birth-date", value: birth, normalized: birthKey });
  const address = claims.address as Record<string, unknown> | undefined;
  if (address && typeof address === "object") {
    const street = printable(address.street_address);
    const place = [printable(address.postal_code), printable(address.locality)].filter(Boolean).join(" ");
    const text = street && place ? `${street}\n${place}` : printable(address.formatted);
    if (text) out.push({ kind: "postal-address", value: text, normalized: postalAddressKey(text) });
  }
  return out;
}

export interface IdentityProofView {
  /** The provider's name where a proof is offered for this case; null: none is. */
  provider: string | null;
  /** The provider's name where it is not offered because a representative filed the case. */
  notForRepresentative: string | null;
  received: {
    level: AssuranceLevel | null;
    claims: {
      kind: ProviderIdentifierKind;
      value: string;
      /** Whether the level received proves this kind (config.identityProvider.proofLevels). */
      proves: boolean;
      /** What the person gave of this kind that differs from the claim. */
      differsFrom: string[];
    }[];
  } | null;
}

/** The page's view: whether a proof is offered, and what the provider handed over, compared with what the person typed. */
export async function identityProofView(
  { db, config }: Pick<Services, "db" | "config">,
  person: Person,
  ownCase: OwnCase,
): Promise<IdentityProofView> {
  const idp = providerOf(config, ownCase);
  const notForRepresentative = providerNotForRepresentative(config, ownCase);
  const received = receivedSchema.safeParse(person.session.get("identityClaims"));
  if (!idp || !received.success || received.data.requestId !== ownCase.id)
    return { provider: idp?.name ?? null, notForRepresentative, received: null };
  const typed = await db
    .select({
      kind: requestIdentifiers.kind,
      value: requestIdentifiers.value,
      normalized: requestIdentifiers.normalized,
    })
    .from(requestIdentifiers)
    .where(eq(requestIdentifiers.requestId, ownCase.id));
  const { level } = received.data;
  return {
    provider: idp.name,
    notForRepresentative,
    received: {
      level,
      claims: received.data.claims.map((claim) => ({
        kind: claim.kind,
        value: claim.value,
        proves: provesAt(idp, claim.kind, level),
        differsFrom: typed
          .filter((t) => t.kind === claim.kind && t.normalized !== claim.normalized)
          .map((t) => t.value),
      })),
    },
  };
}

function provesAt(idp: IdentityProviderConfig, kind: ProviderIdentifierKind, level: AssuranceLevel | null) {
  const required = idp.proofLevels[kind];
  return Boolean(level && required && isAssuranceLevel(level) && meetsLevel(level, required));
}

/** The person does not want the claims used: they leave the session, the case stays as it was. */
export function discardIdentityProof(person: Person): void {
  person.session.unset("identityClaims");
  person.session.unset("identityAttempt");
}

export type ConfirmResult = { ok: true; proven: number } | { ok: false; reason: IdentityFailure };

/**
 * The person uses what the provider handed over: each claim its level proves becomes a proven
 * identifier of the case — the one the person typed where it is the same, else a new one beside
 * it (a differing one stays as typed, unproven, and is shown as differing). The audit trail names
 * the provider, the level and the kinds proven, not the values. A gathering not yet under review
 * starts again, so that the matching rules (ADR 0007) see the proven name and date of birth; the
 * findings of one under review are re-evaluated (`markFindingsProven`), decisions left as they are.
 */
export async function confirmIdentityProof(
  services: Pick<Services, "db" | "config" | "jobs" | "sources">,
  person: Person,
  ownCase: OwnCase,
): Promise<ConfirmResult> {
  const idp = providerOf(services.config, ownCase);
  const received = receivedSchema.safeParse(person.session.get("identityClaims"));
  if (!idp) return { ok: false, reason: "not-offered" };
  if (!received.success || received.data.requestId !== ownCase.id)
    return { ok: false, reason: "nothing-received" };
  const { level, claims } = received.data;
  const provable = claims.filter((claim) => provesAt(idp, claim.kind, level));
  if (provable.length === 0) return { ok: false, reason: "nothing-usable" };
  const outcome = await services.db.transaction(async (tx) => {
    const [request] = await tx
      .select({ status: requests.status })
      .from(requests)
      .where(eq(requests.id, ownCase.id))
      .for("update");
    if (!request || isFinalStatus(request.status)) return null;
    const existing = await tx
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, ownCase.id));
    const now = new Date();
    const proof = { provenAt: now, proofSource: "identity-provider" as const, proofLevel: level };
    const proven: string[] = [];
    const differing: string[] = [];
    for (const claim of provable) {
      const same = existing.find((i) => i.kind === claim.kind && i.normalized === claim.normalized);
      if (existing.some((i) => i.kind === claim.kind && i.normalized !== claim.normalized))
        differing.push(claim.kind);
      if (same?.provenAt) continue;
      if (same) await tx.update(requestIdentifiers).set(proof).where(eq(requestIdentifiers.id, same.id));
      else await tx.insert(requestIdentifiers).values({ requestId: ownCase.id, ...claim, ...proof });
      proven.push(claim.kind);
    }
    const [run] = await tx
      .select({ frozenAt: gatherRuns.frozenAt })
      .from(gatherRuns)
      .where(eq(gatherRuns.requestId, ownCase.id))
      .orderBy(desc(gatherRuns.version))
      .limit(1);
    const searchAgain = proven.length > 0 && run !== undefined && run.frozenAt === null;
    // Under review the findings stay, re-evaluated: those that rest only on what is proven now.
    const findings = proven.length > 0 ? await markFindingsProven(tx, ownCase.id) : null;
    await appendAuditEvent(tx, {
      requestId: ownCase.id,
      actorType: "person",
      action: "identity.provider-proven",
      data: {
        provider: idp.name,
        level,
        proven,
        notProvenAtLevel: claims.filter((c) => !provable.includes(c)).map((c) => c.kind),
        differsFromTyped: differing,
        searchAgain,
        findingsProven: findings?.proven ?? 0,
        findingsProvenDecided: findings?.decided ?? 0,
      },
    });
    return { proven: proven.length, searchAgain };
  });
  if (!outcome) return { ok: false, reason: "not-offered" };
  discardIdentityProof(person);
  if (outcome.searchAgain) await startGather(services, ownCase.id, null);
  return { ok: true, proven: outcome.proven };
}
