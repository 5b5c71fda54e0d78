/**
 * The audit trail's secret: events, gaps and checkpoints carry an HMAC under a key that is not in
 * the database, so whoever can write the database still cannot forge, rewrite or re-chain events
 * without it being found by `npm run audit:verify`. One secret (AUDIT_KEY) is split into a key per
 * kind of record (HKDF), so a MAC of one kind can never pass as another.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import path from "node:path";
import { canonicalJson } from "#app/core/canonical-json";
import { ConfigError } from "../config.server";

export interface AuditKeys {
  event: Buffer;
  gap: Buffer;
  checkpoint: Buffer;
}

export const AUDIT_KEY_FILE = "audit.key";
const MIN_SECRET_LENGTH = 32;

export function deriveAuditKeys(secret: string): AuditKeys {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), "rechteportal-audit", purpose, 32));
  return { event: derive("event"), gap: derive("gap"), checkpoint: derive("checkpoint") };
}

let current: AuditKeys | null = null;

/** Sets the key this process signs and verifies with; called once at start (web, worker, scripts). */
export function installAuditKey(secret: string): void {
  current = deriveAuditKeys(secret);
}

/** Fails closed: an event written without the key could not be told from a forged one. */
export function auditKeys(): AuditKeys {
  if (!current)
    throw new Error(
      "The audit key is not configured (AUDIT_KEY); the audit trail cannot be written or verified without it.",
    );
  return current;
}

/** HMAC-SHA256 over the canonical JSON of a record: the same record always gives the same MAC. */
export function macOf(key: Buffer, record: Record<string, unknown>): string {
  return createHmac("sha256", key)
    .update(canonicalJson(record) ?? "")
    .digest("hex");
}

/**
 * AUDIT_KEY from the environment; required outside demo mode, as the session secret is. A demo
 * generates one into its data folder (mode 0600) on first start — outside the database, so the
 * database alone still cannot re-sign its events — and keeps it across restarts.
 */
export function loadAuditSecret(
  options: { demoMode: boolean; dataDir: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnv = env.AUDIT_KEY;
  if (fromEnv) {
    if (fromEnv.length < MIN_SECRET_LENGTH)
      throw new ConfigError(
        `Invalid configuration: AUDIT_KEY must be at least ${MIN_SECRET_LENGTH} characters`,
      );
    return fromEnv;
  }
  if (!options.demoMode)
    throw new ConfigError(
      "Invalid configuration: AUDIT_KEY is required outside demo mode (the audit trail is signed with it)",
    );
  return demoAuditSecret(options.dataDir);
}

function demoAuditSecret(dataDir: string): string {
  const file = path.join(dataDir, AUDIT_KEY_FILE);
  let stored: string;
  try {
    stored = readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return createDemoSecret(file);
  }
  // A new key would make every event written so far unverifiable: a damaged file is an error.
  if (stored.length < MIN_SECRET_LENGTH)
    throw new ConfigError(`${file} does not hold an audit key; restore it from the backup`);
  // A copy restored without its mode would be readable by everyone on the machine.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return stored;
}

function createDemoSecret(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    // "wx": two processes starting at once must not overwrite each other's key.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
}
