/**
 * What staff saw when they confirm that an identifier the person gave is theirs: the kinds offered
 * on the case page (with a free text saying what exactly). Not a .server module: the page's form
 * lists them.
 */
export const evidenceKinds = [
  "id-document",
  "contract",
  "provider-record",
  "signed-letter",
  "other",
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];
