import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, legalRemedy, loadConfig } from "#app/server/config.server";
import { legalRemedyNotice } from "#app/server/rights-notice";

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
  expect(() => loadConfig({ DATABASE_URL: "postgres://db.example/portal" })).toThrow(
    /SESSION_SECRET is required/,
  );
  const config = loadConfig({
    DATABASE_URL: "postgres://db.example/portal",
    SESSION_SECRET: "s".repeat(40),
    NODE_ENV: "production",
  });
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

describe("the Rechtsbehelfsbelehrung (config/legal-remedy.json)", () => {
  const file = path.join(dataDir, "legal-remedy.json");
  const valid = {
    court: {
      name: { de: "Verwaltungsgericht Gera", en: "Administrative Court of Gera" },
      address: "Rathenaustraße 1, 07545 Gera",
    },
    timeLimitMonths: 1,
    objection: null,
  };
  afterAll(() => loadConfig({ DATA_DIR: dataDir }));

  it("is read and checked at start, and is what every letter then states", () => {
    writeFileSync(file, JSON.stringify(valid));
    const config = loadConfig({ DATA_DIR: dataDir, LEGAL_REMEDY_CONFIG: file });
    expect(config.legalRemedy).toEqual(valid);
    expect(legalRemedy()).toEqual(valid);
    expect(legalRemedyNotice("de")).toContain("Verwaltungsgericht Gera, Rathenaustraße 1, 07545 Gera");
    // The shipped file is valid.
    expect(loadConfig({ DATA_DIR: dataDir }).legalRemedy.court.name.de).toBe("Verwaltungsgericht Weimar");
  });

  it("stops the start with a message naming the file and every broken field", () => {
    writeFileSync(
      file,
      JSON.stringify({ ...valid, court: { name: valid.court.name, address: "" }, timeLimitMonths: 0 }),
    );
    expect(() => loadConfig({ DATA_DIR: dataDir, LEGAL_REMEDY_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir, LEGAL_REMEDY_CONFIG: file })).toThrow(
      /legal remedy config .*legal-remedy\.json: court\.address: .*; timeLimitMonths/,
    );
    writeFileSync(file, "{ not json");
    expect(() => loadConfig({ DATA_DIR: dataDir, LEGAL_REMEDY_CONFIG: file })).toThrow(
      /legal remedy config .*legal-remedy\.json cannot be read/,
    );
    expect(() =>
      loadConfig({ DATA_DIR: dataDir, LEGAL_REMEDY_CONFIG: path.join(dataDir, "missing.json") }),
    ).toThrow(/missing\.json cannot be read/);
  });
});

describe("the files read once at start (stores, recipients) and the reminder days", () => {
  it("carries what the shipped files say, so nothing reads them again", () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.sources.errors).toEqual([]);
    expect(config.sources.stores.length).toBeGreaterThan(5);
    expect(config.recipients.email?.map((r) => r.name)).toContain("Poststelle des TLRZ");
    expect(config.reminderDueSoonDays).toBe(7);
  });

  it("stops the start with a message naming the file and the field", () => {
    const sources = path.join(dataDir, "stores.json");
    writeFileSync(sources, JSON.stringify({ store: [] }));
    expect(() => loadConfig({ DATA_DIR: dataDir, SOURCES_CONFIG: sources })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir, SOURCES_CONFIG: sources })).toThrow(
      /sources config .*stores\.json: stores: /,
    );
    expect(() => loadConfig({ DATA_DIR: dataDir, SOURCES_CONFIG: path.join(dataDir, "none.json") })).toThrow(
      /sources config .*none\.json cannot be read \(ENOENT\)/,
    );
    const recipients = path.join(dataDir, "recipients.json");
    writeFileSync(
      recipients,
      JSON.stringify({ email: [{ name: "Poststelle", email: "poststelle-at-tlrz" }] }),
    );
    expect(() => loadConfig({ DATA_DIR: dataDir, RECIPIENTS_CONFIG: recipients })).toThrow(
      /recipients config .*recipients\.json: email\.0\.email: /,
    );
    writeFileSync(recipients, JSON.stringify({ "no-such-activity": [] }));
    expect(() => loadConfig({ DATA_DIR: dataDir, RECIPIENTS_CONFIG: recipients })).toThrow(
      /recipients config .*recipients\.json: Unrecognized key: "no-such-activity"/,
    );
  });

  it("keeps a single malformed store as an error of its own: that store fails, the others are searched", () => {
    const sources = path.join(dataDir, "one-bad.json");
    writeFileSync(
      sources,
      JSON.stringify({
        stores: [
          { id: "web", title: "Web", kind: "nginx-access-log", path: "weblogs" },
          { id: "ftp", title: "FTP", kind: "ftp-log", path: "ftp" },
        ],
      }),
    );
    const config = loadConfig({ DATA_DIR: dataDir, SOURCES_CONFIG: sources });
    expect(config.sources.stores.map((s) => s.id)).toEqual(["web"]);
    expect(config.sources.errors.map((e) => e.id)).toEqual(["ftp"]);
  });
});
