/**
 * What a row of the verifications table holds (verifications.type): the table keeps every secret
 * that expires or is used once, and the pair (type, target) holds at most one of each.
 */

/** What an e-mail code proves: the request's address, a sign-in, another identifier, a download. */
const codeTypes = ["request-proof", "signin", "identifier-proof", "answer-download"] as const;
export type CodeType = (typeof codeTypes)[number];

/**
 * A staff account's second factor: the TOTP secret, one being set up and not yet confirmed, and the
 * recovery codes. They are removed together when the second factor is reset.
 */
export const staffSecretTypes = ["staff-totp", "staff-totp-pending", "staff-recovery"] as const;
export type StaffSecretType = (typeof staffSecretTypes)[number];

/** A person's server-side session (its row is found by a hash of the cookie's id). */
export const personSessionType = "person-session";

export const verificationTypes = [...codeTypes, ...staffSecretTypes, personSessionType] as const;
export type VerificationType = (typeof verificationTypes)[number];
