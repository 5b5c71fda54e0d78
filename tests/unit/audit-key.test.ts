import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { AUDIT_KEY_FILE, deriveAuditKeys, loadAuditSecret } from "#app/server/audit/keys.server";

const dir = mkdtempSync(path.join(tmpdir(), "rp-audit-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("requires AUDIT_KEY outside demo mode and refuses a short one", () => {
  expect(() => loadAuditSecret({ demoMode: false, dataDir: dir }, {})).toThrow(
    /AUDIT_KEY is required outside demo mode/,
  );
  expect(() => loadAuditSecret({ demoMode: false, dataDir: dir }, { AUDIT_KEY: "short" })).toThrow(
    /at least 32 characters/,
  );
  expect(loadAuditSecret({ demoMode: false, dataDir: dir }, { AUDIT_KEY: "k".repeat(40) })).toBe(
    "k".repeat(40),
  );
});

it("generates a demo key into the data folder, readable only by its owner, and keeps it across starts", () => {
  const demo = path.join(dir, "demo");
  const first = loadAuditSecret({ demoMode: true, dataDir: demo }, {});
  const file = path.join(demo, AUDIT_KEY_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, "utf8").trim()).toBe(first);
  expect(loadAuditSecret({ demoMode: true, dataDir: demo }, {})).toBe(first);
});

it("stops at a damaged key file instead of replacing the key", () => {
  const damaged = path.join(dir, "damaged");
  loadAuditSecret({ demoMode: true, dataDir: damaged }, {});
  writeFileSync(path.join(damaged, AUDIT_KEY_FILE), "x");
  expect(() => loadAuditSecret({ demoMode: true, dataDir: damaged }, {})).toThrow(
    /does not hold an audit key/,
  );
});

it("derives a different key per kind of record", () => {
  const keys = deriveAuditKeys("k".repeat(40));
  expect(new Set([keys.event, keys.gap, keys.checkpoint].map((k) => k.toString("hex"))).size).toBe(3);
});
