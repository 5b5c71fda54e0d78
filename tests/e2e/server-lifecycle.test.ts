import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerDatabase } from "../support/database";
import { freePort } from "./global-setup";

const dataDir = mkdtempSync(path.join(tmpdir(), "rp-life-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      DATABASE_URL: "",
      DEMO_MODE: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c) => (output += c));
  child.stderr?.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Generous: a first start seeds the demo data, which on a busy machine takes minutes. */
async function waitForUrl(url: string, ms = 240_000) {
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
  const { exited, output } = start({
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: `postgres://nobody@127.0.0.1:${unused}/nothing`,
  });
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
}, 600_000);

describe("HTTP hardening, on the portal as `npm start` runs it", () => {
  let server: ReturnType<typeof start>;
  let base = "";
  let port = 0;
  const ownDir = mkdtempSync(path.join(tmpdir(), "rp-hard-"));
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // On PostgreSQL when the suite runs against one, with a database of its own.
    const serverDb = process.env.DATABASE_URL
      ? await createServerDatabase(process.env.DATABASE_URL)
      : undefined;
    dropDatabase = serverDb?.drop;
    // NODE_ENV unset: the server must choose production mode by itself.
    server = start({
      PORT: String(port),
      DATA_DIR: ownDir,
      NODE_ENV: "",
      PUBLIC_URL: base,
      ...(serverDb ? { DATABASE_URL: serverDb.url } : {}),
    });
    await waitForUrl(`${base}/healthz`);
  }, 300_000);
  afterAll(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
    await dropDatabase?.();
    rmSync(ownDir, { recursive: true, force: true });
  });

  /** One raw HTTP exchange, for requests fetch() will not send. */
  function raw(request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      // Written, not ended: a half-closed connection would let the server drop its answer.
      const socket = connect(port, "127.0.0.1", () => socket.write(request));
      socket.setTimeout(20_000, () => socket.destroy());
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk));
      socket.on("close", () => resolve(answer));
      socket.on("error", reject);
    });
  }

  const noStack = (body: string) => {
    expect(body).not.toMatch(/\bat .*[/\\].*:\d+/);
    expect(body).not.toContain(process.cwd());
    expect(body).not.toMatch(/node_modules|Error:/);
  };

  it("answers malformed requests with a plain 4xx page, never a stack or a server path", async () => {
    const answers = await Promise.all([
      raw("TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
      raw("GET / HTTP/1.0\r\n\r\n"),
      raw("GET / HTTP/1.1\r\nHost: exa mple/..\\x\r\nConnection: close\r\n\r\n"),
      raw("GET / HTTP/1.1\r\nHost: a@b:c:d\r\nConnection: close\r\n\r\n"),
      raw("GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
      raw("GET /vorgang.data?x=%00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
      raw("GET /assets/%C0%AF.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
      raw("PUT /vorgang HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    ]);
    for (const answer of answers) {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      expect(status, answer.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(status, answer.slice(0, 200)).toBeLessThan(500);
      noStack(answer);
    }
  });

  it("refuses a POST from another site and one with neither Origin nor Referer with a 403 page", async () => {
    const body = new URLSearchParams({ intent: "send-code", email: "someone@example.org" });
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const foreign = await fetch(`${base}/vorgang`, {
      method: "POST",
      body,
      headers: { ...headers, Origin: "https://evil.example" },
      redirect: "manual",
    });
    const bare = await fetch(`${base}/vorgang`, { method: "POST", body, headers, redirect: "manual" });
    const signOut = await fetch(`${base}/intern/abmelden`, {
      method: "POST",
      body: "",
      headers: { ...headers, Origin: "https://evil.example" },
      redirect: "manual",
    });
    for (const response of [foreign, bare, signOut]) {
      expect(response.status).toBe(403);
      noStack(await response.text());
    }
    const ours = await fetch(`${base}/vorgang`, {
      method: "POST",
      body,
      headers: { ...headers, Referer: `${base}/vorgang` },
      redirect: "manual",
    });
    expect(ours.status).toBe(302);
  });

  it("sends Cache-Control: no-store with personal pages and their data responses", async () => {
    for (const page of [
      "/vorgang",
      "/vorgang.data",
      "/vorgang/TLRZ-0000-0000",
      "/intern/anmelden",
      "/intern/anmelden.data",
      "/intern",
    ]) {
      const response = await fetch(`${base}${page}`, { redirect: "manual" });
      expect(response.headers.get("cache-control"), page).toBe("no-store");
    }
  });

  it("keeps fuzzed form values out of the database errors and out of the whole log", async () => {
    const fuzz = (i: number) => {
      const marker = `fzq${i}mark`;
      return [
        `${marker}\u0000nul`,
        `${marker}\r\nBcc: x@evil.example`,
        `${marker}${"ü".repeat(20_000)}`,
        `${marker} Zoë 🙂 \u202e\u0301 ﷽`,
        `${marker}\u0008\u001b[31m`,
        `${marker}\u2028line`,
        `${marker}%00%0d%0a`,
        `${marker}'); drop table requests; --`,
      ][i % 8]!;
    };
    const markers: string[] = [];
    const statuses: number[] = [];
    const post = async (path: string, fields: Record<string, string>) => {
      const response = await fetch(`${base}${path}`, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
        redirect: "manual",
      });
      statuses.push(response.status);
      noStack(await response.text());
      return response;
    };
    for (let i = 0; i < 24; i++) {
      const value = fuzz(i);
      markers.push(`fzq${i}mark`);
      const submissionKey = `fuzzsubmission${String(i).padStart(4, "0")}xx`;
      // Every third with a valid address and only free-text fields, so that some reach the database.
      await post(
        "/antrag/auskunft",
        i % 3 === 0
          ? { submissionKey, email: `fzq${i}mark@example.org`, name: value, postalAddress: value }
          : {
              submissionKey,
              email: value,
              name: value,
              postalAddress: value,
              phones: value,
              userName: value,
              birthDate: value,
              otherEmails: value,
            },
      );
      await post("/vorgang", { intent: "send-code", email: value });
      await post("/vorgang", { intent: "verify", code: value });
    }
    // A multipart body with a control character in a text field is refused as well.
    const form = new FormData();
    form.set("text", "fzq99mark\u0000");
    markers.push("fzq99mark");
    const multipart = await fetch(`${base}/vorgang/TLRZ-0000-0000`, {
      method: "POST",
      body: form,
      headers: { Origin: base },
      redirect: "manual",
    });
    expect(multipart.status).toBe(400);

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Every value with a control character was refused before any route saw it.
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(24);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const log = server.output();
    for (const marker of markers) expect(log.toLowerCase()).not.toContain(marker);
    expect(log).not.toMatch(/\n\s+at /);
    // After the start-up lines, the log is structured: one JSON object per line.
    const requestLines = log.split("\n").filter((line) => line.startsWith("{"));
    expect(requestLines.length).toBeGreaterThan(70);
    for (const line of requestLines) expect(() => JSON.parse(line)).not.toThrow();
  }, 300_000);
});
