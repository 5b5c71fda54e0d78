import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { loadConfig } from "#app/server/config.server";
import { readDemoAccounts } from "#app/server/demo.server";
import { startServices, stopServices } from "#app/server/services.server";
import { createServerDatabase } from "../support/database";
import { prepareStaffSessions } from "./support/sessions";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The portal's data folder: demo mail and the demo staff accounts are there. */
    dataDir: string;
  }
}

/**
 * Starts the built portal once for all browser tests, exactly as `npm start` runs it: demo mode with
 * a fresh data folder, or, when DATABASE_URL is set, a fresh database on that server. The demo data
 * is made here first, with the portal's own start, so that the staff sessions the tests sign in
 * with can be opened in its database before the portal holds it (./support/sessions.ts).
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rp-e2e-"));
  const port = await freePort();
  const serverDb = process.env.DATABASE_URL
    ? await createServerDatabase(process.env.DATABASE_URL)
    : undefined;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DEMO_MODE: "true",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(serverDb ? { DATABASE_URL: serverDb.url } : {}),
  };
  // Without workers: the jobs the demo data queues are the portal's to run.
  const config = loadConfig({ ...env, RUN_WORKERS: "false" });
  const services = await startServices(config);
  try {
    await prepareStaffSessions(
      services.database,
      config,
      readDemoAccounts(dataDir).map((a) => a.userName),
    );
  } finally {
    await stopServices(services);
  }
  const server = spawn(process.execPath, ["server.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout?.on("data", (chunk) => (output += chunk));
  server.stderr?.on("data", (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, server, () => output);
  project.provide("baseUrl", baseUrl);
  project.provide("dataDir", dataDir);

  return async () => {
    await stop(server);
    await serverDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string) {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`The portal exited with ${server.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The portal did not become healthy:\n${output()}`);
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}
