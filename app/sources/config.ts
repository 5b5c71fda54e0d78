/**
 * config/sources.json: the one place that says which source stores exist, where they live and which
 * connector reads each. Every entry is validated on its own, so one bad entry disables one store
 * with a clear message and leaves the others working.
 */
import { z } from "zod";
import { retentionRuleIdSchema } from "../core/retention";
import type { StoreActivityId } from "../core/processing-activities";
import { PROCESSING_ACTIVITY_IDS } from "./activities";
import { type StoreKind, storeKinds } from "../core/store-kinds";

const FILE_KINDS = [
  "nginx-access-log",
  "login-jsonl",
  "maildir",
  "call-records-csv",
  "records-management",
] as const;
const DATABASE_KINDS = ["retrieval-protocol-db", "servicedesk-db"] as const;

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and hyphens"),
  title: z.string().min(1),
  /**
   * The retention rule (id in app/core/retention) the sweep applies, or one per processing activity
   * for a store that holds several (tickets and contact-form records).
   */
  retention: z
    .union([
      retentionRuleIdSchema,
      z.partialRecord(
        z.enum(PROCESSING_ACTIVITY_IDS as [StoreActivityId, ...StoreActivityId[]]),
        retentionRuleIdSchema,
      ),
    ])
    .optional(),
};

/**
 * What the store holds, as its operator knows it (ADR 0023): the staff gathering table states from
 * it how long a request's search takes. Logs and call records by days kept and GB written a day,
 * mailboxes and document stores by the GB they hold, database stores by rows a year and years kept.
 */
const positive = z.number().positive().finite();
const fileSize = z.union([
  z.strictObject({ days: positive, gbPerDay: positive }),
  z.strictObject({ gb: positive }),
]);
const databaseSize = z.strictObject({ rowsPerYear: positive, years: positive });

const fileStore = z.object({
  ...common,
  size: fileSize.optional(),
  kind: z.enum(FILE_KINDS),
  /** Relative to the data directory; absolute paths are refused so a config cannot reach elsewhere. */
  path: z
    .string()
    .min(1)
    .refine(
      (p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."),
      "must be a path inside the data directory",
    ),
});

/**
 * A mailbox on a mail server, read and changed through IMAP. The password is never in the file:
 * `passwordEnv` names the environment variable that holds it. `tls`: "implicit" (IMAPS, port
 * 993), "starttls" (upgrade required, port 143) or "none" (only for a server on this machine).
 */
const mailServerStore = z
  .object({
    ...common,
    kind: z.literal("imap-mailbox"),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    tls: z.enum(["implicit", "starttls", "none"]),
    user: z.string().min(1),
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "the name of an environment variable (upper case, digits, underscores)"),
    size: fileSize.optional(),
    /** Folders to search and change; default every selectable folder. */
    folders: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((s) => s.tls !== "none" || ["127.0.0.1", "::1", "localhost"].includes(s.host), {
    message: 'tls "none" sends the password in clear text: only for a server on this machine',
    path: ["tls"],
  });

const databaseStore = z.object({
  ...common,
  kind: z.enum(DATABASE_KINDS),
  /** "portal": the portal's own database (same connection, own schema); otherwise a postgres:// URL. */
  connection: z.union([
    z.literal("portal"),
    z.string().regex(/^postgres(ql)?:\/\//, 'must be "portal" or a postgres:// URL'),
  ]),
  schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a plain lower-case SQL identifier"),
  size: databaseSize.optional(),
});

const storeConfigSchema = z.discriminatedUnion("kind", [fileStore, databaseStore, mailServerStore]);
export type StoreConfig = z.infer<typeof storeConfigSchema>;
export type MailServerStoreConfig = z.infer<typeof mailServerStore>;
export type FileStoreConfig = z.infer<typeof fileStore>;
export type DatabaseStoreConfig = z.infer<typeof databaseStore>;

interface StoreConfigError {
  /** Position in the `stores` list. */
  index: number;
  id: string | null;
  message: string;
}

export interface SourcesConfig {
  stores: StoreConfig[];
  errors: StoreConfigError[];
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`)
    .join("; ");
}

/** Validates a parsed config; bad entries become errors, good ones stores. Throws only if the shape is wrong as a whole. */
export function parseSourcesConfig(input: unknown): SourcesConfig {
  const top = z.object({ stores: z.array(z.unknown()) }).safeParse(input);
  if (!top.success) throw new Error(`sources config: ${describe(top.error)}`);
  const stores: StoreConfig[] = [];
  const errors: StoreConfigError[] = [];
  const seen = new Set<string>();
  top.data.stores.forEach((entry, index) => {
    const rawId =
      entry && typeof entry === "object" && typeof (entry as { id?: unknown }).id === "string"
        ? (entry as { id: string }).id
        : null;
    const parsed = storeConfigSchema.safeParse(entry);
    if (!parsed.success) {
      const kind = (entry as { kind?: unknown } | null)?.kind;
      const hint =
        typeof kind === "string" && !(CONFIG_KINDS as readonly string[]).includes(kind)
          ? ` (known kinds: ${CONFIG_KINDS.join(", ")})`
          : "";
      errors.push({ index, id: rawId, message: `${describe(parsed.error)}${hint}` });
    } else if (seen.has(parsed.data.id)) {
      errors.push({ index, id: rawId, message: `duplicate store id "${parsed.data.id}"` });
    } else {
      seen.add(parsed.data.id);
      stores.push(parsed.data);
    }
  });
  return { stores, errors };
}

export function isDatabaseStore(store: StoreConfig): store is DatabaseStoreConfig {
  return (DATABASE_KINDS as readonly string[]).includes(store.kind);
}

export function isFileStore(store: StoreConfig): store is FileStoreConfig {
  return (FILE_KINDS as readonly string[]).includes(store.kind);
}

export function isMailServerStore(store: StoreConfig): store is MailServerStoreConfig {
  return store.kind === "imap-mailbox";
}

/** The kinds a config entry may name: a store kind, or "imap-mailbox" for a mailbox reached through IMAP. */
const CONFIG_KINDS = [...storeKinds, "imap-mailbox"] as const;

/**
 * The kind of store the entry's records are presented as: a mailbox on a mail server holds the
 * same records as a Maildir ("E-Mail-Postfächer"); the connector reading it is chosen by `kind`.
 */
export function storeKindOf(store: StoreConfig): StoreKind {
  return store.kind === "imap-mailbox" ? "maildir" : store.kind;
}
