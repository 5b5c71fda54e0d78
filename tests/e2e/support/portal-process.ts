import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readlinkSync } from "node:fs";
import { TEST_AUDIT_KEY } from "../../support/database";

/**
 * The built portal (`server.js`, as `npm start` runs it) or the separate worker (`npm run worker`)
 * in a process of its own, for tests that stop processes the hard way. The worker is started with
 * tsx as a loader in the same process, so that a kill reaches the process that does the work.
 */
export interface PortalProcess {
  kind: "web" | "worker";
  child: ChildProcess;
  pid: number;
  output(): string;
  /** The JSON lines of the structured log. */
  logLines(): Record<string, unknown>[];
  exited: Promise<number | null>;
}

export function spawnPortal(kind: "web" | "worker", env: Record<string, string>): PortalProcess {
  const args = kind === "web" ? ["server.js"] : ["--import", "tsx", "scripts/worker.ts"];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    kind,
    child,
    pid: child.pid!,
    output: () => output,
    logLines: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
  };
}

/**
 * What every built portal of the browser tests is started with: production mode on 127.0.0.1 at
 * `port`, its files in `dataDir`, the tests' audit key, and the server database when the run has
 * one (an empty DATABASE_URL means the embedded database, whatever the test process's own says).
 */
export function builtPortalEnv(options: {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
}): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(options.port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    DATA_DIR: options.dataDir,
    AUDIT_KEY: TEST_AUDIT_KEY,
    DATABASE_URL: options.databaseUrl ?? "",
  };
}

/** Polls until `check` holds; fails with what was awaited and the processes' output. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 120_000, everyMs = 20, processes = [] as PortalProcess[] } = {},
) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead) throw new Error(`${what}: the ${dead.kind} process ended:\n${dead.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(
    `${what}: not within ${timeoutMs} ms\n${processes.map((p) => p.output().slice(-3000)).join("\n---\n")}`,
  );
}

export async function waitForHealthy(baseUrl: string, web: PortalProcess): Promise<void> {
  await waitUntil(
    "the portal answering /healthz",
    async () => {
      try {
        return (await fetch(`${baseUrl}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    { everyMs: 200, processes: [web] },
  );
}

/** kill -9: no shutdown handler runs, connections and claims are left as they are. */
export async function killHard(process: PortalProcess): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill("SIGKILL");
  await process.exited;
}

export async function stopGently(process: PortalProcess): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill("SIGTERM");
  await process.exited;
}

/** Does the process have this file open now (Linux: /proc/<pid>/fd)? */
export function holdsOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
