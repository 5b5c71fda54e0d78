/**
 * answer-archive: the access archive (letter, index.html, JSON + CSV per store, schemas, manifest)
 * for one person with 100 000 findings of 300–600 bytes of content spread over all store kinds,
 * against Info-ZIP `zip -6 -r` over the same files on disk (our archive unpacked into a directory
 * first; only zip is timed). Ours runs in a child process, which reads the findings from a
 * generator as from a database cursor, so its peak RSS is the answer's own.
 *
 * Run alone: npx tsx scripts/bench/answer-archive.ts
 */
import { execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { ReleasedFinding, ReleasedFindings } from "../../app/server/answers/answer-input";
import { writeAccessArchive } from "../../app/server/answers/archive.server";
import type { JsonObject, StoreKind } from "../../app/sources/connector";
import type { ProcessingActivityId } from "../../app/sources/activities";
import { AUTHORITIES, FAMILY_NAMES, GIVEN_NAMES, PAGES, USER_AGENTS } from "../../app/sources/sample/pools";
import { Rng } from "../../app/sources/sample/prng";
import type { Benchmark } from "./index";

const run = promisify(execFile);
const FINDINGS = 100_000;
const EMAIL = "erika.musterfrau@example.org";
const NAME = "Erika Musterfrau";
const START = Date.parse("2025-01-01T00:00:00Z");

interface StorePlan {
  store: string;
  kind: StoreKind;
  share: number;
  activity: (rng: Rng) => ProcessingActivityId;
  content: (rng: Rng, i: number, at: Date) => { content: JsonObject; redact?: string };
}

const words = "Anfrage Auskunft Melderegister Zugang Passwort Bescheid Frist Unterlagen Rückfrage Änderung Straße Gebühr Vorgang Termin Bestätigung".split(" ");
const sentence = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.pick(words)).join(" ");
const person = (rng: Rng) => `${rng.pick(GIVEN_NAMES)} ${rng.pick(FAMILY_NAMES)}`;

const PLANS: StorePlan[] = [
  {
    store: "web-tsr",
    kind: "nginx-access-log",
    share: 0.35,
    activity: () => "website-visit",
    content: (rng, _i, at) => {
      const request = `GET ${rng.pick(PAGES)} HTTP/1.1`;
      const agent = rng.pick(USER_AGENTS);
      const status = rng.pick([200, 200, 200, 304, 404]);
      const bytes = rng.int(300, 90_000);
      const raw = `198.51.100.23 - - [${at.toISOString()}] "${request}" ${status} ${bytes} "https://tsr.thueringen.de/" "${agent}"`;
      return { content: { raw, remoteAddr: "198.51.100.23", time: at.toISOString(), request, status, bytes, referer: "https://tsr.thueringen.de/", userAgent: agent, forwardedFor: [] } };
    },
  },
  {
    store: "login-beaus",
    kind: "login-jsonl",
    share: 0.1,
    activity: () => "beauskunftung-login",
    content: (rng, _i, at) => {
      const fields = { ts: at.toISOString(), user: "emusterfrau", firstName: "Erika", lastName: "Musterfrau", ip: "198.51.100.23", result: rng.pick(["success", "success", "wrong-password"]), client: rng.pick(USER_AGENTS) };
      return { content: { raw: JSON.stringify(fields), ...fields } };
    },
  },
  {
    store: "abrufprotokolle",
    kind: "retrieval-protocol-db",
    share: 0.1,
    activity: () => "retrieval-protocol",
    content: (rng, i, at) => {
      const authority = rng.pick(AUTHORITIES);
      return {
        content: {
          id: i,
          protokolliertAm: at.toISOString(),
          behoerde: authority.name,
          dvdvKennung: `dvdv:${rng.hex(12)}`,
          sicherheitsbehoerde: false,
          auskunftssperre: false,
          aktenzeichen: `AZ-${rng.digits(6)}`,
          anlass: sentence(rng, 4),
          sachbearbeiter: { benutzername: "emusterfrau", vorname: "Erika", familienname: "Musterfrau", telefon: "+49 361 5550100", email: EMAIL },
          suchkriterien: { familienname: rng.pick(FAMILY_NAMES), vorname: rng.pick(GIVEN_NAMES), geburtsdatum: `19${rng.int(40, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}` },
          trefferanzahl: rng.int(0, 2),
        },
        redact: "suchkriterien",
      };
    },
  },
  {
    store: "servicedesk",
    kind: "servicedesk-db",
    share: 0.1,
    activity: (rng) => (rng.chance(0.3) ? "contact-form" : "support-ticket"),
    content: (rng, i, at) => ({
      content: { table: "ticket", id: i, number: `T${rng.digits(8)}`, title: sentence(rng, 5), state: rng.pick(["open", "closed"]), customer_email: EMAIL, customer_name: NAME, created_at: at.toISOString(), body: sentence(rng, 30) },
    }),
  },
  {
    store: "mail-support",
    kind: "maildir",
    share: 0.15,
    activity: () => "email",
    content: (rng, i, at) => {
      const cc = rng.chance(0.2) ? [`${person(rng)} <kollege${i}@example.net>`] : [];
      return {
        content: { folder: "cur", messageId: `<${rng.hex(16)}@example.org>`, from: `${NAME} <${EMAIL}>`, to: ["support@tlrz.thueringen.de"], cc, subject: sentence(rng, 6), date: at.toISOString(), text: `Guten Tag,\n${sentence(rng, 25)}\nMit freundlichen Grüßen\n${NAME}`, attachments: [] },
        redact: cc.length ? "cc.0" : undefined,
      };
    },
  },
  {
    store: "telefon",
    kind: "call-records-csv",
    share: 0.15,
    activity: () => "telephone",
    content: (rng, _i, at) => {
      const fields = { direction: "in", caller: "+4936155501000", callee: `+49361573${rng.digits(6)}`, duration: String(rng.int(5, 900)), trunk: `T${rng.int(1, 8)}`, extension: rng.digits(4) };
      return { content: { raw: `${at.toISOString()};${Object.values(fields).join(";")}`, ...fields, time: at.toISOString(), note: sentence(rng, 20) } };
    },
  },
  {
    store: "viskompakt",
    kind: "records-management",
    share: 0.05,
    activity: () => "records-management",
    content: (rng, _i, at) => ({
      content: { aktenzeichen: `TLRZ-${rng.digits(4)}/${rng.digits(2)}`, eingang: at.toISOString(), betreff: sentence(rng, 6), absender: { vorname: "Erika", nachname: "Musterfrau", strasse: "Musterweg 1", postleitzahl: "99084", ort: "Erfurt", email: EMAIL }, dokument: `scan-${rng.hex(10)}.pdf`, vermerk: sentence(rng, 15) },
    }),
  },
];

/** Distinct contents per store; findings cycle through them, a pool far wider than deflate's 32 KiB window. */
const POOL = 500;

/**
 * Findings made on the fly, the same on every pass, like rows of an ordered query. Their contents
 * come from a pool made once, so that the timing is the archive's and not the sample generator's.
 */
function generatedFindings(total: number): ReleasedFindings {
  const pools = new Map(
    PLANS.map((plan) => {
      const rng = new Rng(`answer-bench:${plan.store}`);
      return [plan.store, Array.from({ length: POOL }, (_, i) => ({ ...plan.content(rng, i, new Date(START + i * 137_000)), activity: plan.activity(rng) }))];
    }),
  );
  function* ofStores(store: string | undefined): Generator<ReleasedFinding> {
    for (const plan of PLANS) {
      if (store !== undefined && plan.store !== store) continue;
      const pool = pools.get(plan.store)!;
      const count = Math.round(total * plan.share);
      for (let i = 0; i < count; i++) {
        const { content, redact, activity } = pool[i % POOL]!;
        yield {
          store: plan.store,
          storeKind: plan.kind,
          processingActivityId: activity,
          ref: `${plan.store}/${i}`,
          matchedIdentifier: { kind: "email", value: EMAIL, recordValue: EMAIL, proven: true },
          unproven: false,
          role: "subject",
          flags: [],
          recordedAt: new Date(START + i * 137_000),
          content,
          redactions: redact ? [{ field: redact, reasonCode: "art-15-4" }] : [],
        };
      }
    }
  }
  return { list: ofStores };
}

async function child(outFile: string): Promise<void> {
  const baselineRssKb = process.resourceUsage().maxRSS;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const out = createWriteStream(outFile);
  const result = await writeAccessArchive(
    {
      reference: "DSR-2025-100000",
      lang: "de",
      receivedAt: new Date("2025-11-03T09:00:00Z"),
      answeredAt: new Date("2025-11-20T10:00:00Z"),
      recipient: { name: NAME, email: EMAIL, postalAddress: "Musterweg 1\n99084 Erfurt" },
      kinds: ["auskunft"],
      released: generatedFindings(FINDINGS),
      withheld: [],
    },
    out,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const unpacked = result.entries.reduce((sum, e) => sum + e.bytes, 0);
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      findings: result.summary.total,
      files: result.entries.length + 1,
      unpacked,
      bytes: result.bytes,
      baselineRssKb,
      maxRssKb: process.resourceUsage().maxRSS,
    }),
  );
}

async function timeCommand(command: string, args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  const proc = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((resolve) => proc.on("close", resolve));
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return (performance.now() - started) / 1000;
}

export const benchmark: Benchmark = {
  name: "answer-archive",
  description: `access archive for ${FINDINGS.toLocaleString("en")} findings: ours (archiver, streamed) vs Info-ZIP zip -6 -r over the same files`,
  async run() {
    for (const tool of ["zip", "unzip"]) {
      await run("sh", ["-c", `command -v ${tool}`]).catch(() => {
        throw new Error(`answer-archive needs Info-ZIP ${tool} (apt-get install zip unzip)`);
      });
    }
    const dir = await mkdtemp(join(tmpdir(), "answer-bench-"));
    try {
      const ours = join(dir, "ours.zip");
      const started = performance.now();
      const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/bench/answer-archive.ts", "--child", ours], { maxBuffer: 1 << 20 });
      const wall = (performance.now() - started) / 1000;
      const result = JSON.parse(stdout.trim().split("\n").pop()!) as {
        seconds: number;
        cpuSeconds: number;
        findings: number;
        files: number;
        unpacked: number;
        bytes: number;
        baselineRssKb: number;
        maxRssKb: number;
      };
      console.log(
        `ours: ${result.findings} findings → ${result.files} files, ${(result.unpacked / 2 ** 20).toFixed(1)} MiB unpacked, ` +
          `${(result.bytes / 2 ** 20).toFixed(1)} MiB zip in ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s, all threads); ` +
          `child wall time incl. start-up ${wall.toFixed(2)} s; RSS after loading the modules ${(result.baselineRssKb / 1024).toFixed(0)} MB`,
      );

      const files = join(dir, "files");
      await run("unzip", ["-q", ours, "-d", files]);
      const ref = join(dir, "ref.zip");
      const refSeconds = await timeCommand("zip", ["-6", "-r", "-q", ref, "."], files);
      console.log(`reference: Info-ZIP zip -6 -r over the unpacked files: ${refSeconds.toFixed(2)} s, ${((await stat(ref)).size / 2 ** 20).toFixed(1)} MiB zip`);

      const rssMb = result.maxRssKb / 1024;
      console.log(`BENCH answer-archive ours_s=${result.seconds.toFixed(2)} ref_s=${refSeconds.toFixed(2)} ratio=${(result.seconds / refSeconds).toFixed(2)} peak_rss_mb=${rssMb.toFixed(0)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const childAt = process.argv.indexOf("--child");
  if (childAt !== -1) await child(process.argv[childAt + 1]!);
  else await benchmark.run();
}
