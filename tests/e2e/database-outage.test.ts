/**
 * The database connection dropped for ten seconds (issue 16, point 8): the portal as `npm start` runs
 * it talks to PostgreSQL through a TCP proxy in this test, which cuts every connection and refuses
 * new ones for 10 s. Meanwhile a page that needs the database is a 503 in the person's language —
 * no 500, no stack; afterwards the portal serves and its jobs and mail senders work again by
 * themselves, without a restart.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, type Socket, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { de } from "#app/i18n/de";
import { en } from "#app/i18n/en";
import { TEST_AUDIT_KEY, createServerDatabase } from "../support/database";
import { type TestSmtp, recipients, startTestSmtp } from "../support/smtp";
import { freePort } from "./global-setup";
import {
  type PortalProcess,
  killHard,
  spawnPortal,
  stopGently,
  waitForHealthy,
  waitUntil,
} from "./support/portal-process";

const serverUrl = process.env.DATABASE_URL;
const OUTAGE_MS = 10_000;

/** A TCP proxy in front of PostgreSQL that can drop every connection and refuse new ones. */
async function startCuttableProxy(
  target: URL,
): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const socket of [client, upstream]) socket.on("error", end).on("close", end);
    client.pipe(upstream).pipe(client);
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
  return {
    port,
    cut() {
      down = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("a database connection dropped for 10 s", () => {
  let root = "";
  let smtp: TestSmtp;
  let serverDb: Awaited<ReturnType<typeof createServerDatabase>> | undefined;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>> | undefined;
  let portal: PortalProcess | undefined;
  let baseUrl = "";
  let viaProxy = "";

  beforeAll(async () => {
    if (!serverUrl) return;
    root = mkdtempSync(path.join(tmpdir(), "rp-outage-"));
    smtp = await startTestSmtp();
    serverDb = await createServerDatabase(serverUrl);
    const direct = new URL(serverDb.url);
    proxy = await startCuttableProxy(direct);
    const proxied = new URL(serverDb.url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    viaProxy = proxied.toString();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    portal = spawnPortal("web", {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATA_DIR: path.join(root, "data"),
      DATABASE_URL: viaProxy,
      DEMO_MODE: "false",
      SESSION_SECRET: randomBytes(32).toString("hex"),
      AUDIT_KEY: TEST_AUDIT_KEY,
      SMTP_URL: smtp.url,
      MAIL_SEND_POLL_MS: "200",
      MAIL_RETRY_BASE_MS: "500",
    });
    await waitForHealthy(baseUrl, portal);
  }, 180_000);

  afterAll(async () => {
    if (portal) await killHard(portal);
    await proxy?.close();
    await smtp?.close();
    await serverDb?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  }, 60_000);

  let n = 0;
  function submit(lang?: "en") {
    n++;
    const email = `outage${n}@example.org`;
    return {
      email,
      response: fetch(`${baseUrl}/antrag/auskunft${lang ? `?lang=${lang}` : ""}`, {
        method: "POST",
        body: new URLSearchParams({
          submissionKey: `outagesubmission${String(n).padStart(6, "0")}`,
          email,
          name: `Outage Probe ${n}`,
        }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
        redirect: "manual",
      }),
    };
  }

  it.skipIf(!serverUrl)(
    "answers 503 in the person's language while the database is away and recovers by itself (PostgreSQL only: PGlite runs inside the portal's process, there is no connection to drop)",
    async () => {
      const before = submit();
      expect((await before.response).status).toBe(302);
      await smtp.waitFor((mail) => recipients(mail).includes(before.email), 30_000);

      proxy!.cut();
      const cutAt = Date.now();
      const answers: { status: number; lang: string; body: string }[] = [];
      while (Date.now() - cutAt < OUTAGE_MS - 1_000) {
        for (const lang of ["de", "en"] as const) {
          const attempt = submit(lang === "en" ? "en" : undefined);
          const response = await attempt.response;
          answers.push({ status: response.status, lang, body: await response.text() });
        }
        const health = await fetch(`${baseUrl}/healthz`);
        answers.push({ status: health.status, lang: "healthz", body: await health.text() });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(answers.length).toBeGreaterThan(6);
      for (const answer of answers) {
        expect(answer.status, answer.body.slice(0, 300)).toBe(503);
        if (answer.lang === "healthz") continue;
        expect(answer.body).not.toMatch(/\bat .*[/\\].*:\d+|node_modules|Error:|postgres/i);
        if (answer.lang === "de") expect(answer.body).toContain(de.errors.unavailableTitle);
        if (answer.lang === "en") expect(answer.body).toContain(en.errors.unavailableTitle);
      }
      const remaining = OUTAGE_MS - (Date.now() - cutAt);
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
      proxy!.restore();

      // Back by itself: pages, the mail senders and pg-boss's workers.
      let after: ReturnType<typeof submit> | undefined;
      await waitUntil(
        "a request accepted again",
        async () => {
          const attempt = submit();
          if ((await attempt.response).status !== 302) return false;
          after = attempt;
          return true;
        },
        { timeoutMs: 60_000, everyMs: 1_000, processes: [portal!] },
      );
      await smtp.waitFor((mail) => recipients(mail).includes(after!.email), 60_000);
      const boss = new PgBoss({ connectionString: serverDb!.url, max: 1 });
      await boss.start();
      const jobId = await boss.send("expire-verifications", {});
      await boss.stop({ graceful: false });
      await waitUntil(
        "a job run after the outage",
        () => portal!.logLines().some((line) => line.msg === "jobs: done" && line.jobId === jobId),
        {
          timeoutMs: 60_000,
          processes: [portal!],
        },
      );
      // Nothing the portal answered during the outage was a server error with internals.
      expect(portal!.output()).not.toMatch(/\n\s+at /);
      await stopGently(portal!);
    },
    240_000,
  );
});
