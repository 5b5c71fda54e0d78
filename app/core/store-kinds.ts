/**
 * The kinds of source store, as findings, answers and the database name them (findings.store_kind).
 * A kind names the shape of a store's records, not the way they are reached: a mailbox read over
 * IMAP (`kind: imap-mailbox` in the sources configuration) holds the same messages as a Maildir
 * folder, shows the same fields and carries the kind "maildir". The name stays although IMAP
 * mailboxes share it: it is stored in every finding and in the archived answers already given.
 */
export const storeKinds = [
  "nginx-access-log",
  "login-jsonl",
  "retrieval-protocol-db",
  "servicedesk-db",
  "maildir",
  "call-records-csv",
  "records-management",
] as const;
export type StoreKind = (typeof storeKinds)[number];
