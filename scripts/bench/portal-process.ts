/**
 * What the benchmarks that start the built portal as a child process share: the portal's start and
 * stop, and the kernel's view of its memory (measuring rounds is harness.ts's).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface PortalProcess {
  child: ChildProcess;
  /** The last 20 000 characters the portal wrote, for the error when it does not come up. */
  output: () => string;
}

/** `scripts/start.mjs` builds first when the sources are newer; `server.js` serves the build as it is. */
export function startPortal(
  env: Record<string, string>,
  entry: "scripts/start.mjs" | "server.js" = "scripts/start.mjs",
): PortalProcess {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c) => (output = (output + c).slice(-20_000)));
  child.stderr?.on("data", (c) => (output = (output + c).slice(-20_000)));
  return { child, output: () => output };
}

/** Waits for /healthz; a rebuild before the start can take minutes. */
export async function waitHealthy(base: string, portal: PortalProcess): Promise<void> {
  const until = Date.now() + 600_000;
  while (Date.now() < until) {
    if (portal.child.exitCode !== null)
      throw new Error(`the portal exited with ${portal.child.exitCode}:\n${portal.output()}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the portal did not become healthy:\n${portal.output()}`);
}

export async function stopPortal(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** A memory figure of a process from /proc (VmRSS now, VmHWM its peak) in MB; Linux only, 0 elsewhere. */
export function procMemoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  let text = "";
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return 0;
  }
  const line = text.split("\n").find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? "")?.[1] ?? 0) / 1024;
}
