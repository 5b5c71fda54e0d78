/**
 * Where the generated sample puts each store and under which store id; config/sources.json
 * describes the same layout (a test keeps the two in step).
 */
export const SAMPLE_STORES = {
  web: { id: "web-tsr", path: "weblogs/tsr" },
  login: { id: "beaus-login", path: "login" },
  retrieval: { id: "abrufprotokolle", schema: "melderegister" },
  servicedesk: { id: "servicedesk", schema: "servicedesk" },
  poststelle: { id: "mail-poststelle", path: "maildir/poststelle" },
  support: { id: "mail-support", path: "maildir/support" },
  calls: { id: "telefon", path: "telefon" },
  dms: { id: "viskompakt", path: "viskompakt" },
} as const;

/** Data files of the database stores, relative to the sample directory. */
export const DATABASE_FILES = {
  abrufprotokoll: "db/melderegister/abrufprotokoll.jsonl",
  ticket: "db/servicedesk/ticket.jsonl",
  article: "db/servicedesk/article.jsonl",
} as const;

/**
 * The answer key's directory: `persons.jsonl`, `ip-windows.jsonl`, `records/<store id>.jsonl`, and
 * `key.json` (ANSWER_KEY_FILE), written last, so that a key without it is an unfinished one.
 */
export const ANSWER_KEY_DIR = "answer-key";
export const ANSWER_KEY_FILE = `${ANSWER_KEY_DIR}/key.json`;
