import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/server/config.server";

const dataDir = mkdtempSync(path.join(tmpdir(), "rp-config-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("runs in demo mode on the embedded database and generates its secret once into the data folder", () => {
  const first = loadConfig({ DATA_DIR: dataDir });
  expect(first.demoMode).toBe(true);
  expect(first.databaseUrl).toBeUndefined();
  expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
  expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(first.sessionSecret);
  expect(readFileSync(path.join(dataDir, "demo-secrets.json"), "utf8")).toContain(first.sessionSecret);
});

it("requires a session secret from the environment outside demo mode", () => {
  expect(() => loadConfig({ DATABASE_URL: "postgres://db.example/portal" })).toThrow(/SESSION_SECRET is required/);
  const config = loadConfig({ DATABASE_URL: "postgres://db.example/portal", SESSION_SECRET: "s".repeat(40), NODE_ENV: "production" });
  expect(config.demoMode).toBe(false);
  expect(config.secureCookies).toBe(true);
});

it("names every invalid variable in one message", () => {
  try {
    loadConfig({ DATABASE_URL: "mysql://x", PORT: "99999", DATA_DIR: dataDir });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/DATABASE_URL/);
    expect((error as Error).message).toMatch(/PORT/);
  }
});

it("treats an empty variable as unset", () => {
  expect(loadConfig({ DATABASE_URL: "", DATA_DIR: dataDir }).databaseUrl).toBeUndefined();
});
