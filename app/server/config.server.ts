import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { availableParallelism } from "node:os";
import { z } from "zod";
import {
  type AssuranceLevel,
  type ProviderIdentifierKind,
  assuranceLevels,
  providerIdentifierKinds,
} from "../core/identity-proof";
import { supervisoryAuthority } from "../core/processing-activities";
import type { SourcesConfig } from "../sources/config";
import { loadSourcesConfig } from "../sources/config.server";
import { type RecipientDirectory, readRecipientDirectory } from "./execution/recipients.server";

/** Reserved `.invalid` domain: never deliverable, shown in the demo mailbox like any other address. */
export const DEMO_COMPLAINT_ADDRESS = "beschwerden.tlfdi@demo.invalid";

const DEFAULT_LEGAL_REMEDY_CONFIG = "config/legal-remedy.json";

/**
 * Configuration comes only from the environment and the files it names, read and validated once at
 * start and passed on as one object: nothing re-reads a file per page or sweep. In demo mode the
 * session secret is generated into the data folder on first start, so nothing secret is ever in
 * the repository and a demo keeps its sessions across restarts.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  DEMO_MODE: z.enum(["true", "false"]).optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Rechteportal TLRZ <datenschutz-portal@tlrz.thueringen.de>"),
  /** Upper bound for any request body, in bytes (uploads of scans included). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 1024 * 1024),
  /** Run pg-boss workers inside the web process (the default) or only in `npm run worker`. */
  RUN_WORKERS: z.enum(["true", "false"]).default("true"),
  /** Where complaints to the supervisory authority (Art. 77) are sent. */
  TLFDI_COMPLAINT_ADDRESS: z.email("TLFDI_COMPLAINT_ADDRESS must be an e-mail address").optional(),
  /** How long a released answer stays available for download, in days. */
  ANSWER_AVAILABLE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Which source stores exist and which connector reads each (see config/sources.json). */
  SOURCES_CONFIG: z.string().min(1).default("config/sources.json"),
  /** The Art. 19 recipients' addresses per processing activity (see config/recipients.json). */
  RECIPIENTS_CONFIG: z.string().min(1).default("config/recipients.json"),
  /** Reminders go out once a case's deadline is at most this many days away. */
  REMINDER_DUE_SOON_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /**
   * Store jobs of gatherings one worker runs at once. Jobs of the same file store share one pass over
   * it (ADR 0019), so this bounds waiting requests and database searches, not passes over the logs.
   */
  GATHER_JOBS_PER_WORKER: z.coerce.number().int().min(1).max(1000).default(64),
  /**
   * Threads the file stores' searches run on beside the main thread (ADR 0021): a request's stores
   * are searched side by side on as many cores; 0 searches them on the main thread.
   */
  GATHER_SEARCH_THREADS: z.coerce.number().int().min(0).max(256).default(availableParallelism()),
  /** The folder the file stores' paths are relative to; default: the demo sample in DATA_DIR. */
  SOURCES_DIR: z.string().min(1).optional(),
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
  /** All uploads being received or handled at once, in bytes: what the upload spool may hold on disk. */
  MAX_UPLOAD_SPOOL_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /** The Rechtsbehelfsbelehrung of refusals, restrictions and extensions (court, address, time limit). */
  LEGAL_REMEDY_CONFIG: z.string().min(1).default(DEFAULT_LEGAL_REMEDY_CONFIG),
  /**
   * Proof of identity through the state's identity provider over OpenID Connect (ADR 0019): its
   * issuer (discovered), this portal's client id and secret there, the name shown to people, the
   * scopes asked for, which `acr` value means which eIDAS level, and which level proves what.
   * Without OIDC_ISSUER the portal offers no such proof (the e-mail code and staff checks remain).
   */
  OIDC_ISSUER: z.url("OIDC_ISSUER must be a URL").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_PROVIDER_NAME: z.string().trim().min(2).max(100).optional(),
  OIDC_SCOPE: z.string().min(6).default("openid profile address"),
  OIDC_ACR_LEVELS: z
    .string()
    .default(
      "http://eidas.europa.eu/LoA/low=low,http://eidas.europa.eu/LoA/substantial=substantial,http://eidas.europa.eu/LoA/high=high",
    ),
  OIDC_PROOF_LEVELS: z.string().default("name=substantial,birth-date=substantial,postal-address=high"),
});

/** The identity provider as configured; null where none is (then no such proof is offered). */
export interface IdentityProviderConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Shown to the person and on the privacy page, e.g. "BundID" or "Servicekonto Thüringen". */
  name: string;
  scope: string;
  /** The `acr` values the provider sends, each with the eIDAS level it stands for; others prove nothing. */
  acrLevels: Record<string, AssuranceLevel>;
  /** The lowest level at which a claim of this kind proves the identifier; absent: never proven. */
  proofLevels: Partial<Record<ProviderIdentifierKind, AssuranceLevel>>;
  /** Where the provider sends the person back (registered at the provider). */
  redirectUri: string;
}

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoMode: boolean;
  sessionSecret: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  maxBodyBytes: number;
  maxUploadSpoolBytes: number;
  runWorkers: boolean;
  secureCookies: boolean;
  /** The file the stores were read from (SOURCES_CONFIG), named in messages. */
  sourcesConfig: string;
  /** The stores as read at start; an entry that failed validation is kept as an error, its store listed as failed. */
  sources: SourcesConfig;
  sourcesDir: string;
  recipients: RecipientDirectory;
  reminderDueSoonDays: number;
  gatherJobsPerWorker: number;
  gatherSearchThreads: number;
  answerAvailableDays: number;
  complaintAddress: string;
  legalRemedy: LegalRemedy;
  identityProvider: IdentityProviderConfig | null;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as in most twelve-factor tooling.
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  // Read and checked here, at start, so that a broken file stops the portal instead of a letter.
  const legalRemedy = readLegalRemedy(path.resolve(e.LEGAL_REMEDY_CONFIG));
  configuredLegalRemedy = legalRemedy;
  const sourcesConfig = path.resolve(e.SOURCES_CONFIG);
  const sources = fileConfig(() => loadSourcesConfig(sourcesConfig));
  const recipients = fileConfig(() => readRecipientDirectory(path.resolve(e.RECIPIENTS_CONFIG)));
  // Demo mode is the fresh-machine default (embedded database); with a database server it is off
  // unless asked for, so production never seeds demo data or shows the demo mailbox.
  const demoMode = e.DEMO_MODE ? e.DEMO_MODE === "true" : !e.DATABASE_URL;
  let sessionSecret = e.SESSION_SECRET;
  if (!sessionSecret) {
    if (!demoMode)
      throw new ConfigError("Invalid configuration: SESSION_SECRET is required outside demo mode");
    sessionSecret = demoSecret(dataDir);
  }
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    demoMode,
    sessionSecret,
    publicUrl,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxUploadSpoolBytes: e.MAX_UPLOAD_SPOOL_BYTES,
    runWorkers: e.RUN_WORKERS === "true",
    sourcesConfig,
    sources,
    recipients,
    reminderDueSoonDays: e.REMINDER_DUE_SOON_DAYS,
    gatherJobsPerWorker: e.GATHER_JOBS_PER_WORKER,
    gatherSearchThreads: e.GATHER_SEARCH_THREADS,
    answerAvailableDays: e.ANSWER_AVAILABLE_DAYS,
    // A demo must never write to the real authority: its complaints land in the demo mailbox.
    complaintAddress:
      e.TLFDI_COMPLAINT_ADDRESS ?? (demoMode ? DEMO_COMPLAINT_ADDRESS : supervisoryAuthority.email),
    sourcesDir: path.resolve(e.SOURCES_DIR ?? path.join(dataDir, "sources")),
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === "true" : e.NODE_ENV === "production" && !demoMode,
    legalRemedy,
    identityProvider: identityProviderOf(e, publicUrl),
  };
}

/** Where the provider sends the person back; the one path the callback route serves. */
const IDENTITY_CALLBACK_PATH = "/identitaet/rueckkehr";

/**
 * Reads the OIDC_* variables. The secret comes from the environment only, never a file. Plain HTTP
 * is accepted for a provider on this machine alone (the tests' provider); anywhere else the
 * issuer must be HTTPS.
 */
function identityProviderOf(e: z.infer<typeof envSchema>, publicUrl: string): IdentityProviderConfig | null {
  if (!e.OIDC_ISSUER) return null;
  const missing = (["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_PROVIDER_NAME"] as const).filter(
    (n) => !e[n],
  );
  if (missing.length)
    throw new ConfigError(`Invalid configuration: ${missing.join(", ")} required with OIDC_ISSUER`);
  const issuer = new URL(e.OIDC_ISSUER);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
  if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && local))
    throw new ConfigError("Invalid configuration: OIDC_ISSUER must be an https:// URL");
  if (!e.OIDC_SCOPE.split(" ").includes("openid"))
    throw new ConfigError('Invalid configuration: OIDC_SCOPE must include "openid"');
  const acrLevels: Record<string, AssuranceLevel> = {};
  for (const [acr, level] of pairs(e.OIDC_ACR_LEVELS, "OIDC_ACR_LEVELS")) {
    if (!(assuranceLevels as readonly string[]).includes(level))
      throw new ConfigError(`Invalid configuration: OIDC_ACR_LEVELS: unknown level "${level}"`);
    acrLevels[acr] = level as AssuranceLevel;
  }
  const proofLevels: Partial<Record<ProviderIdentifierKind, AssuranceLevel>> = {};
  for (const [kind, level] of pairs(e.OIDC_PROOF_LEVELS, "OIDC_PROOF_LEVELS")) {
    if (!(providerIdentifierKinds as readonly string[]).includes(kind))
      throw new ConfigError(`Invalid configuration: OIDC_PROOF_LEVELS: unknown identifier "${kind}"`);
    if (!(assuranceLevels as readonly string[]).includes(level))
      throw new ConfigError(`Invalid configuration: OIDC_PROOF_LEVELS: unknown level "${level}"`);
    proofLevels[kind as ProviderIdentifierKind] = level as AssuranceLevel;
  }
  return {
    issuer,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    name: e.OIDC_PROVIDER_NAME!,
    scope: e.OIDC_SCOPE,
    acrLevels,
    proofLevels,
    redirectUri: new URL(IDENTITY_CALLBACK_PATH, publicUrl).href,
  };
}

/** "a=b,c=d" as pairs; an entry without "=" stops the start, naming the variable. */
function pairs(text: string, variable: string): [string, string][] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf("=");
      if (at <= 0) throw new ConfigError(`Invalid configuration: ${variable}: "${entry}" is not key=level`);
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
    });
}

/**
 * The judicial remedy every refusal, restriction and extension states beside the right to complain
 * (Art. 12(4), 79 DS-GVO; § 58 VwGO: without a correct Rechtsbehelfsbelehrung the time limit is a
 * year). Which court, its address, the time limit and whether an objection (Widerspruch) comes
 * first are a legal expert's decision: config/legal-remedy.json (LEGAL_REMEDY_CONFIG).
 */
const localized = z.strictObject({
  de: z.string().trim().min(3).max(200),
  en: z.string().trim().min(3).max(200),
});
const legalRemedySchema = z.strictObject({
  $comment: z.string().optional(),
  court: z.strictObject({ name: localized, address: z.string().trim().min(5).max(300) }),
  timeLimitMonths: z.number().int().min(1).max(12),
  /** Where a preliminary objection procedure (§ 68 VwGO) must come first: the authority that takes the objection. */
  objection: z.strictObject({ authority: localized, address: z.string().trim().min(5).max(300) }).nullable(),
});
export type LegalRemedy = z.infer<typeof legalRemedySchema>;

export function parseLegalRemedy(input: unknown, source = "legal remedy config"): LegalRemedy {
  const parsed = legalRemedySchema.safeParse(input);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration: ${source}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** A file's reader names the file and the field; as a ConfigError it stops the start in one line. */
function fileConfig<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${(error as Error).message}`, { cause: error });
  }
}

/** The one reader of the file. */
function readLegalRemedy(file: string): LegalRemedy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: legal remedy config ${file} cannot be read (${(error as Error).message})`,
      { cause: error },
    );
  }
  return parseLegalRemedy(json, `legal remedy config ${file}`);
}

let configuredLegalRemedy: LegalRemedy | undefined;

/**
 * The remedy of this process, as its configuration was loaded at start. Letters are written deep in
 * use cases that are not handed the configuration; a process that never loaded it (a script) reads
 * the default file once.
 */
export function legalRemedy(): LegalRemedy {
  configuredLegalRemedy ??= readLegalRemedy(path.resolve(DEFAULT_LEGAL_REMEDY_CONFIG));
  return configuredLegalRemedy;
}

function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, "demo-secrets.json");
  try {
    const stored = z
      .object({ sessionSecret: z.string().min(32) })
      .parse(JSON.parse(readFileSync(file, "utf8")));
    return stored.sessionSecret;
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const sessionSecret = randomBytes(32).toString("base64url");
    writeFileSync(file, JSON.stringify({ sessionSecret }), { mode: 0o600 });
    return sessionSecret;
  }
}
