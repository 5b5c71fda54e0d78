import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { freePort } from "./global-setup";

const dataDir = mkdtempSync(path.join(tmpdir(), "rp-life-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", DATABASE_URL: "", DEMO_MODE: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c) => (output += c));
  child.stderr?.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForUrl(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

it("refuses a broken DATABASE_URL with one clear line and a non-zero exit", async () => {
  const port = await freePort();
  const unused = await freePort();
  const { exited, output } = start({ PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: `postgres://nobody@127.0.0.1:${unused}/nothing` });
  expect(await exited).not.toBe(0);
  const lines = output().trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Rechteportal cannot start: Cannot connect to the PostgreSQL server/);
});

it("opens the embedded database in one process only and shuts down cleanly on SIGTERM", async () => {
  const port = await freePort();
  const first = start({ PORT: String(port), DATA_DIR: dataDir });
  await waitForUrl(`http://127.0.0.1:${port}/healthz`);
  expect(first.output()).toContain(`http://127.0.0.1:${port}`.replace("127.0.0.1", "localhost"));

  const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
  expect(await second.exited).not.toBe(0);
  expect(second.output()).toMatch(/already open in process \d+/);

  const stoppedAt = Date.now();
  first.child.kill("SIGTERM");
  expect(await first.exited).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(5_000);

  // The data folder is released: a new process opens it again.
  const third = start({ PORT: String(port), DATA_DIR: dataDir });
  await waitForUrl(`http://127.0.0.1:${port}/healthz`);
  third.child.kill("SIGINT");
  expect(await third.exited).toBe(0);
});
