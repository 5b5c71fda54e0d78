import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { supervisoryAuthority } from "../core/processing-activities";

/** Reserved `.invalid` domain: never deliverable, shown in the demo mailbox like any other address. */
export const DEMO_COMPLAINT_ADDRESS = "beschwerden.tlfdi@demo.invalid";

/**
 * Configuration comes only from the environment, validated once at start. In demo mode the
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
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().min(3).default("Rechteportal TLRZ <datenschutz-portal@tlrz.thueringen.de>"),
  /** Upper bound for any request body, in bytes (uploads of scans included). */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(12 * 1024 * 1024),
  /** Run pg-boss workers inside the web process (the default) or only in `npm run worker`. */
  RUN_WORKERS: z.enum(["true", "false"]).default("true"),
  /** Where complaints to the supervisory authority (Art. 77) are sent. */
  TLFDI_COMPLAINT_ADDRESS: z.email("TLFDI_COMPLAINT_ADDRESS must be an e-mail address").optional(),
  /** How long a released answer stays available for download, in days. */
  ANSWER_AVAILABLE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Which source stores exist and which connector reads each (see config/sources.json). */
  SOURCES_CONFIG: z.string().min(1).default("config/sources.json"),
  /** The folder the file stores' paths are relative to; default: the demo sample in DATA_DIR. */
  SOURCES_DIR: z.string().min(1).optional(),
  SECURE_COOKIES: z.enum(["true", "false"]).optional(),
});

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
  runWorkers: boolean;
  secureCookies: boolean;
  sourcesConfig: string;
  sourcesDir: string;
  answerAvailableDays: number;
  complaintAddress: string;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as in most twelve-factor tooling.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  // Demo mode is the fresh-machine default (embedded database); with a database server it is off
  // unless asked for, so production never seeds demo data or shows the demo mailbox.
  const demoMode = e.DEMO_MODE ? e.DEMO_MODE === "true" : !e.DATABASE_URL;
  let sessionSecret = e.SESSION_SECRET;
  if (!sessionSecret) {
    if (!demoMode) throw new ConfigError("Invalid configuration: SESSION_SECRET is required outside demo mode");
    sessionSecret = demoSecret(dataDir);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    demoMode,
    sessionSecret,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    maxBodyBytes: e.MAX_BODY_BYTES,
    runWorkers: e.RUN_WORKERS === "true",
    sourcesConfig: path.resolve(e.SOURCES_CONFIG),
    answerAvailableDays: e.ANSWER_AVAILABLE_DAYS,
    // A demo must never write to the real authority: its complaints land in the demo mailbox.
    complaintAddress: e.TLFDI_COMPLAINT_ADDRESS ?? (demoMode ? DEMO_COMPLAINT_ADDRESS : supervisoryAuthority.email),
    sourcesDir: path.resolve(e.SOURCES_DIR ?? path.join(dataDir, "sources")),
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === "true" : e.NODE_ENV === "production" && !demoMode,
  };
}

function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, "demo-secrets.json");
  try {
    const stored = z.object({ sessionSecret: z.string().min(32) }).parse(JSON.parse(readFileSync(file, "utf8")));
    return stored.sessionSecret;
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const sessionSecret = randomBytes(32).toString("base64url");
    writeFileSync(file, JSON.stringify({ sessionSecret }), { mode: 0o600 });
    return sessionSecret;
  }
}
