/**
 * upload-memory: does the portal's memory stay bounded? The built portal is started as `npm start`
 * runs it (scripts/start.mjs, which builds first when the sources are newer), in demo mode on
 * PGlite, or on PostgreSQL when DATABASE_URL is set (a database of its own, dropped afterwards).
 * `npm start` runs the server as a child with glibc's malloc tuned (see scripts/start.mjs): the
 * figures are the server process's. Per round, on a fresh data folder (and database):
 * - first-start idle: the resident set of the server process after the first start (which creates
 *   the database and the demo data) answered /healthz and rested 10 s;
 * - idle: the same after a restart on that data;
 * - anonymous: 50 parallel uploads of the largest body allowed (MAX_BODY_BYTES, 12 MiB) to a case
 *   page without a session, as a stranger could send them: peak resident set;
 * - signed-in: one person (request filed, address proven with the code from the demo mailbox) adds
 *   50 documents of the largest size allowed (8 MiB) in parallel: peak resident set, and how many
 *   were stored.
 * Peaks are the kernel's high-water mark (VmHWM, reset before each load through clear_refs) and, as
 * a check, VmRSS sampled every 20 ms. The spool folder must be empty afterwards. References: idle
 * (both) 400 MB, peak 500 MB. Three rounds, each with its CPU seconds (this process and the
 * portal's, the starts included) and the load, measured by harness.ts.
 *
 * Run alone: npx tsx scripts/bench/upload-memory.ts
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { journeyDe } from "#app/i18n/journey.de";
import { freePort } from "#tests/e2e/global-setup";
import { createServerDatabase } from "#tests/support/database";
import type { Benchmark } from "./index";
import { BenchRun, measure, showSpread, invokedDirectly } from "./harness";
import { procMemoryMb, startPortal, stopPortal, waitHealthy } from "./portal-process";

const PARALLEL = 50;
const MB = 1024 * 1024;
const MAX_BODY = 12 * MB;
const MAX_DOCUMENT = 8 * MB;
const IDLE_REF_MB = 400;
const PEAK_REF_MB = 500;
const show = (values: number[]) => showSpread(values, 0);

interface Round {
  firstStartIdle: number;
  idle: number;
  anonymousPeak: number;
  signedInPeak: number;
  stored: number;
  statuses: string;
}

/** The server process of a start: start.mjs's child, or start.mjs itself where it runs the server in-process. */
function serverPid(pid: number): number {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return children.length > 0 ? Number(children[children.length - 1]) : pid;
  } catch {
    return pid;
  }
}

/** The peak resident set while `load` runs, in MB. */
async function peakDuring(pid: number, load: () => Promise<void>): Promise<number> {
  let sampled = procMemoryMb(pid, "VmRSS");
  let hwmReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    hwmReset = false;
  }
  const timer = setInterval(() => (sampled = Math.max(sampled, procMemoryMb(pid, "VmRSS"))), 20);
  try {
    await load();
  } finally {
    clearInterval(timer);
  }
  return Math.max(sampled, hwmReset ? procMemoryMb(pid, "VmHWM") : 0);
}

/** A multipart body with one PDF-typed file of `bytes` and the given text fields. */
function uploadBody(fields: Record<string, string>, fileField: string, bytes: number): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const content = Buffer.alloc(bytes, 0x20);
  content.write("%PDF-1.4\n");
  form.set(fileField, new Blob([content], { type: "application/pdf" }), "ausweis.pdf");
  return form;
}

/** The newest code in the demo mailbox's mails to this address. */
function codeFor(dataDir: string, to: string): string | null {
  const folder = join(dataDir, "mail");
  const files = readdirSync(folder).sort().reverse();
  for (const file of files) {
    const text = readFileSync(join(folder, file), "utf8");
    if (!text.includes(to)) continue;
    const code = /\b(\d{6})\b/.exec(
      text
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join("\n"),
    )?.[1];
    if (code) return code;
  }
  return null;
}

/** Files an access request and proves its address like a person without JavaScript: the case page's URL and the session cookie. */
async function signedInPerson(
  base: string,
  dataDir: string,
  email: string,
): Promise<{ caseUrl: string; cookie: string }> {
  const formPage = await (await fetch(`${base}/antrag/auskunft`)).text();
  const submissionKey =
    /name="submissionKey"[^>]*value="([^"]+)"/.exec(formPage)?.[1] ??
    /value="([^"]+)"[^>]*name="submissionKey"/.exec(formPage)?.[1];
  if (!submissionKey) throw new Error("no submission key on the request form");
  const filed = await fetch(`${base}/antrag/auskunft`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ submissionKey, email, website: "" }),
  });
  const confirmUrl = filed.headers.get("location");
  if (!confirmUrl) throw new Error(`filing the request answered ${filed.status}`);
  let code: string | null = null;
  for (let i = 0; i < 240 && !code; i++) {
    code = codeFor(dataDir, email);
    if (!code) await new Promise((r) => setTimeout(r, 250));
  }
  if (!code) throw new Error(`no "${journeyDe.mail.codeSubject}" mail to ${email}`);
  const proven = await fetch(new URL(confirmUrl, base), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ code, website: "" }),
  });
  const location = proven.headers.get("location");
  const cookie = proven.headers.get("set-cookie")?.split(";")[0];
  if (!location || !cookie) throw new Error(`proving the address answered ${proven.status}`);
  return { caseUrl: new URL(location, base).pathname, cookie };
}

/** The status of the answer, or 0 where the connection failed. */
async function post(url: string, form: FormData, headers: Record<string, string>): Promise<number> {
  try {
    const response = await fetch(url, { method: "POST", body: form, headers, redirect: "manual" });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

const countStatuses = (statuses: number[]) =>
  Object.entries(statuses.reduce<Record<number, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {}))
    .map(([s, n]) => `${s}:${n}`)
    .join(",");

export const benchmark: Benchmark = {
  name: "upload-memory",
  description: `resident memory of the built portal: idle, and at peak under ${PARALLEL} parallel uploads of the largest size, anonymous and signed in`,
  async run() {
    const rounds: Round[] = [];
    const bench = new BenchRun(
      "upload-memory",
      { ours: "the portal's peak resident set", ref: "the memory budget" },
      0,
      "MB peak RSS",
    );
    for (let round = 1; round <= bench.rounds; round++) {
      const { value: result, usage } = await measure(() => oneRound(round));
      rounds.push(result);
      bench.round(
        { ...usage, wall: Math.max(result.anonymousPeak, result.signedInPeak) },
        null,
        `first_start_idle_rss_mb=${result.firstStartIdle.toFixed(0)} idle_rss_mb=${result.idle.toFixed(0)} anonymous_peak_rss_mb=${result.anonymousPeak.toFixed(0)} signed_in_peak_rss_mb=${result.signedInPeak.toFixed(0)} stored=${result.stored}/${PARALLEL} statuses: ${result.statuses}`,
      );
    }
    const peak = Math.max(...rounds.map((r) => Math.max(r.anonymousPeak, r.signedInPeak)));
    bench.finish({
      goal: PEAK_REF_MB,
      peakRssMb: peak,
      extra: {
        first_start_idle_rss_mb: show(rounds.map((r) => r.firstStartIdle)),
        idle_rss_mb: show(rounds.map((r) => r.idle)),
        idle_ref_mb: IDLE_REF_MB,
        anonymous_peak_rss_mb: show(rounds.map((r) => r.anonymousPeak)),
        signed_in_peak_rss_mb: show(rounds.map((r) => r.signedInPeak)),
        stored: show(rounds.map((r) => r.stored)),
        backend: process.env.DATABASE_URL ? "postgresql" : "pglite",
      },
    });

    async function oneRound(round: number): Promise<Round> {
      const dataDir = mkdtempSync(join(tmpdir(), "upload-memory-"));
      const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : null;
      try {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        const env = {
          NODE_ENV: "production",
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: dataDir,
          DEMO_MODE: "true",
          PUBLIC_URL: base,
          MAX_BODY_BYTES: String(MAX_BODY),
          DATABASE_URL: server?.url ?? "",
        };
        // The first start (as `npm start` runs it: build if needed, create and seed the database).
        const first = startPortal(env, "scripts/start.mjs");
        let firstStartIdle: number;
        try {
          await waitHealthy(base, first);
          await new Promise((r) => setTimeout(r, 10_000));
          firstStartIdle = procMemoryMb(serverPid(first.child.pid!), "VmRSS");
        } finally {
          await stopPortal(first.child);
        }

        const portal = startPortal(env, "scripts/start.mjs");
        try {
          await waitHealthy(base, portal);
          const pid = serverPid(portal.child.pid!);
          await new Promise((r) => setTimeout(r, 10_000));
          const idle = procMemoryMb(pid, "VmRSS");

          const anonymous = uploadBody({ intent: "add", text: "Ausweis" }, "document", MAX_BODY - 4096);
          const anonymousStatuses: number[] = [];
          const anonymousPeak = await peakDuring(pid, async () => {
            anonymousStatuses.push(
              ...(await Promise.all(
                Array.from({ length: PARALLEL }, () =>
                  post(`${base}/vorgang/DSR-2026-000001`, anonymous, { Origin: base }),
                ),
              )),
            );
          });

          const person = await signedInPerson(
            base,
            dataDir,
            `upload-bench-${round}-${Date.now()}@example.org`,
          );
          const document = uploadBody(
            { intent: "add", text: "Ausweis", website: "" },
            "document",
            MAX_DOCUMENT,
          );
          const signedInStatuses: number[] = [];
          const signedInPeak = await peakDuring(pid, async () => {
            signedInStatuses.push(
              ...(await Promise.all(
                Array.from({ length: PARALLEL }, () =>
                  post(`${base}${person.caseUrl}`, document, { Origin: base, Cookie: person.cookie }),
                ),
              )),
            );
          });
          // Files are removed once each response is sent: give the last removals a moment.
          const spool = join(dataDir, "uploads", String(pid));
          for (let i = 0; i < 50 && readdirSync(spool).length > 0; i++)
            await new Promise((r) => setTimeout(r, 100));
          const spoolLeft = readdirSync(spool);
          if (spoolLeft.length > 0) throw new Error(`${spoolLeft.length} upload files left in the spool`);
          const result: Round = {
            firstStartIdle,
            idle,
            anonymousPeak,
            signedInPeak,
            stored: signedInStatuses.filter((s) => s === 200).length,
            statuses: `anonymous ${countStatuses(anonymousStatuses)} signed_in ${countStatuses(signedInStatuses)}`,
          };
          return result;
        } finally {
          await stopPortal(portal.child);
        }
      } finally {
        await server?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  },
};

if (invokedDirectly(import.meta.url)) await benchmark.run();
