/**
 * The kinds of identifier a case is searched by, in two spellings that are both stored: a case's
 * identifiers (request_identifiers.kind, the forms, the staff pages) use the kebab-case words; a
 * finding records the identifier it matched (findings.matched) with the subject's field names,
 * which the connectors use. `subjectKindOf` is the one translation between them.
 */
export const identifierKinds = [
  "email",
  "name",
  "postal-address",
  "phone",
  "user-name",
  "ip",
  "birth-date",
] as const;
export type IdentifierKind = (typeof identifierKinds)[number];

export const subjectIdentifierKinds = [
  "email",
  "name",
  "phone",
  "userName",
  "ip",
  "birthDate",
  "postalAddress",
] as const;
/** How a finding names the identifier it matched (`MatchedIdentifier.kind`). */
export type SubjectIdentifierKind = (typeof subjectIdentifierKinds)[number];

export const subjectKindOf: Readonly<Record<IdentifierKind, SubjectIdentifierKind>> = {
  email: "email",
  name: "name",
  "postal-address": "postalAddress",
  phone: "phone",
  "user-name": "userName",
  ip: "ip",
  "birth-date": "birthDate",
};

export function isIdentifierKind(value: unknown): value is IdentifierKind {
  return typeof value === "string" && (identifierKinds as readonly string[]).includes(value);
}
