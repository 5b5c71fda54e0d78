/**
 * answer-download: what the person waits for, and what releasing costs. The access archive of the
 * benchmark person (100 000 findings, scripts/bench/archive-person.ts), built once at release and
 * stored in the database (ADR 0006, "Built once at release"), two parts, each three rounds against
 * Info-ZIP `zip -6 -r` over the same files:
 * - answer-download-build: the build at release, as the answer-archive job runs it
 *   (buildAnswerArchive: the approved review read once from the database page by page, checked
 *   against the hashes it was reviewed with, spooled, the archive written into ~1 MiB pieces in
 *   answer_archive_chunks) — the work the on-demand download did before;
 * - answer-download: the person's download through the portal's own path (downloadAnswer), which
 *   sends the stored pieces;
 * - answer-download-encrypted: the same with a password (AES-256 by zip.js over the stored deflated
 *   entries), against the same plain `zip -6 -r`.
 * On PostgreSQL the server's CPU for the benchmark's database counts to our side. The database is
 * PostgreSQL when DATABASE_URL is set (a database of its own, dropped afterwards), else the embedded
 * PGlite in a temporary folder; the children open it as the portal would, so with PGlite their RSS
 * includes the embedded database.
 *
 * Run alone: npx tsx scripts/bench/answer-download.ts
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "#db/client";
import {
  answerArchiveChunks,
  answerArchives,
  answers,
  findingDecisions,
  findings,
  gatherRuns,
  requests,
  reviewRounds,
} from "#db/schema";
import type { ReleasedFinding } from "#app/server/answers/answer-input";
import { installAuditKey } from "#app/server/audit/keys.server";
import { downloadAnswer } from "#app/server/delivery/delivery.server";
import { analyzeAnswerTables } from "#app/server/delivery/released-findings.server";
import { buildAnswerArchive, readyArchiveOf } from "#app/server/delivery/stored-archive.server";
import { loadSourcesConfig } from "#app/sources/config.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { EMAIL, FINDINGS, generatedFindings } from "./archive-person";
import { DatabaseCpu, invokedDirectly } from "./harness";
import type { Benchmark } from "./index";
import {
  bundleForNode,
  childMeter,
  compareWithZip,
  nodeAloneRssMb,
  peakRssKb,
  requireZipTools,
  runChild,
  serverMallocEnv,
} from "./zip-rounds";

// Seeding and the download write signed audit events, as the portal does with AUDIT_KEY (parent and child).
installAuditKey("answer-download-bench-audit-key-answer-download");

const BATCH = 2000;

/** The benchmark person's case with an approved review of all findings and a released answer. */
export async function seedCase(database: Database): Promise<string> {
  // Imported here, not at the top: the children are this module too and should load only what the
  // build and the download import (the seeding's password hashing, for one, is a native module).
  const { createStaffAccount, syncRoles } = await import("#app/server/auth/staff-accounts.server");
  const db = database.db;
  await database.migrate();
  await syncRoles(db);
  const staffId = await createStaffAccount(db, {
    userName: "bench",
    displayName: "Bench",
    email: "bench@example.org",
    password: "bench-password",
    roles: ["dpo"],
  });
  const answeredAt = new Date("2025-11-20T10:00:00Z");
  const [request] = await db
    .insert(requests)
    .values({
      status: "answered",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: EMAIL,
      reference: "DSR-2025-100000",
      receivedAt: new Date("2025-11-03T09:00:00Z"),
      answeredAt,
    })
    .returning({ id: requests.id });
  const [run] = await db
    .insert(gatherRuns)
    .values({ requestId: request!.id, version: 1 })
    .returning({ id: gatherRuns.id });
  const [round] = await db
    .insert(reviewRounds)
    .values({
      runId: run!.id,
      status: "approved",
      proposedBy: staffId,
      proposedAt: answeredAt,
      decidedBy: staffId,
      decidedAt: answeredAt,
    })
    .returning({ id: reviewRounds.id });
  let batch: ReturnType<typeof rowOf>[] = [];
  const flush = async () => {
    const inserted = await db
      .insert(findings)
      .values(batch.map((b) => b.finding))
      .returning({ id: findings.id });
    await db
      .insert(findingDecisions)
      .values(inserted.map(({ id }, i) => ({ ...batch[i]!.decision, findingId: id })));
    batch = [];
  };
  function rowOf(finding: ReleasedFinding) {
    // The review redacts whole members; the generated person's "cc.0" becomes "cc".
    const redacted = finding.redactions.map((r) => r.field.split(".")[0]!);
    const contentHash = contentHashOf(finding.content);
    return {
      finding: {
        runId: run!.id,
        store: finding.store,
        storeKind: finding.storeKind,
        processingActivityId: finding.processingActivityId,
        ref: finding.ref,
        flags: [],
        unproven: false,
        role: finding.role,
        matched: finding.matchedIdentifier,
        recordedAt: finding.recordedAt,
        content: finding.content,
        contentHash,
      },
      decision: {
        roundId: round!.id,
        decision: redacted.length ? "redact" : "release",
        groundId: redacted.length ? "third-party-rights" : null,
        reasoning: redacted.length ? "Daten einer dritten Person." : null,
        redactedFields: redacted,
        contentHash,
        decidedBy: staffId,
      } satisfies Omit<typeof findingDecisions.$inferInsert, "findingId">,
    };
  }
  for (const finding of generatedFindings(FINDINGS).list() as Iterable<ReleasedFinding>) {
    batch.push(rowOf(finding));
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  // As releasing the answer does (releaseAnswer).
  await analyzeAnswerTables(db);
  const [answer] = await db
    .insert(answers)
    .values({
      requestId: request!.id,
      roundId: round!.id,
      kind: "access",
      answeredAt,
      availableUntil: new Date("2099-01-01T00:00:00Z"),
      releasedBy: staffId,
    })
    .returning({ id: answers.id });
  await db.insert(answerArchives).values({ answerId: answer!.id, status: "pending" });
  return request!.id;
}

const PUBLIC_URL = "http://localhost:3000";

/** The password of the encrypted download's rounds (any will do: it is derived per session in the portal). */
const PASSWORD = "bench-abcde-fghij-klmno-pqrst";

/**
 * The child: opens the database as the portal does and either builds the stored archive as the
 * answer-archive job does (`build`), or downloads it as the person, plain (`download`) or encrypted
 * (`encrypted`: zip.js encrypts the stored deflated entries). The plain archive is written to
 * `outFile` for zip's files, after the measurement where that is not the download itself.
 */
async function child(
  mode: "build" | "download" | "encrypted",
  target: { databaseUrl?: string; dataDir: string },
  requestId: string,
  outFile: string,
): Promise<void> {
  const meter = childMeter();
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
  const [answer] = await database.db
    .select({ id: answers.id })
    .from(answers)
    .where(eq(answers.requestId, requestId));
  // The floor the work starts from: the modules, and the database open with a query answered (with
  // PGlite the embedded engine's memory and compiled code; ADR 0006, "What the download's memory is").
  const openedRssKb = peakRssKb();
  const save = async (file: string, password?: string): Promise<number> => {
    const outcome = await downloadAnswer(database.db, {
      requestId,
      file: "auskunft.zip",
      actor: { type: "person", id: null },
      publicUrl: PUBLIC_URL,
      password,
    });
    if (!outcome.ok) throw new Error(`download refused: ${outcome.status}`);
    let bytes = 0;
    const counted = Readable.fromWeb(outcome.body as import("node:stream/web").ReadableStream<Uint8Array>);
    counted.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(counted, createWriteStream(file));
    return bytes;
  };
  let result: string;
  if (mode === "build") {
    // Each round builds afresh (the reset is a handful of rows).
    await database.db.delete(answerArchiveChunks).where(eq(answerArchiveChunks.answerId, answer!.id));
    await database.db
      .update(answerArchives)
      .set({ status: "pending", entries: null })
      .where(eq(answerArchives.answerId, answer!.id));
    const outcome = await buildAnswerArchive(
      { db: database.db, config: { publicUrl: PUBLIC_URL, sources: loadSourcesConfig() } },
      answer!.id,
      // ANSWER_CHUNK_BYTES tries other piece sizes (the portal's: CHUNK_BYTES, 1 MiB).
      process.env.ANSWER_CHUNK_BYTES ? { chunkBytes: Number(process.env.ANSWER_CHUNK_BYTES) } : {},
    );
    if (outcome !== "ready") throw new Error(`build: ${outcome}`);
    const stored = await readyArchiveOf(database.db, answer!.id);
    result = meter({ findings: FINDINGS, bytes: stored!.size, openedRssKb });
    await save(outFile);
  } else {
    if (!(await readyArchiveOf(database.db, answer!.id))) throw new Error("no stored archive to download");
    if (mode === "encrypted") {
      const encrypted = `${outFile}.aes.zip`;
      result = meter({ findings: FINDINGS, bytes: await save(encrypted, PASSWORD), openedRssKb });
      await rm(encrypted);
      await save(outFile);
    } else result = meter({ findings: FINDINGS, bytes: await save(outFile), openedRssKb });
  }
  await database.close();
  console.log(result);
}

export const benchmark: Benchmark = {
  name: "answer-download",
  description: `the access archive for ${FINDINGS.toLocaleString("en")} findings: its build at release into the database, and the person's download of the stored archive, each vs Info-ZIP zip -6 -r over the same files`,
  async run() {
    await requireZipTools("answer-download");
    const dataDir = await mkdtemp(join(tmpdir(), "answer-download-db-"));
    const { createServerDatabase } = await import("#tests/support/database");
    const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : null;
    try {
      const target = { databaseUrl: server?.url, dataDir };
      const started = performance.now();
      const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir });
      const requestId = await seedCase(database).finally(() => database.close());
      console.log(
        `seeded ${FINDINGS} findings with an approved review into ${server ? "PostgreSQL" : "PGlite"} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const module = await bundleForNode(import.meta.url, "answer-download");
      console.log(
        `RSS floor: node alone ${(await nodeAloneRssMb()).toFixed(0)} MB; each round prints the child's after loading its modules, with the database open, and its peak (the children run with the server's ${Object.entries(serverMallocEnv).map(([k, v]) => `${k}=${v}`)}); the BENCH line's opened_rss_mb is the highest "database open" and adds_rss_mb the most a round added to it`,
      );
      const targetArgs = server ? ["--database-url", server.url] : [];
      // On PostgreSQL the server's backends for the benchmark's database count to our side.
      const serverCpu = server
        ? new DatabaseCpu(process.env.DATABASE_URL!, new URL(server.url).pathname.slice(1))
        : undefined;
      try {
        // First the build at release (it leaves the archive stored), then the person's download of it.
        for (const [name, mode] of [
          ["answer-download-build", "build"],
          ["answer-download", "download"],
          ["answer-download-encrypted", "encrypted"],
        ] as const) {
          await compareWithZip(
            name,
            (zipPath) =>
              runChild(
                module,
                ["--child", mode, dataDir, requestId, zipPath, ...targetArgs],
                serverMallocEnv,
              ),
            { database: serverCpu },
          );
        }
      } finally {
        await serverCpu?.close();
      }
    } finally {
      await server?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

if (invokedDirectly(import.meta.url)) {
  const args = process.argv.slice(2);
  const childAt = args.indexOf("--child");
  if (childAt !== -1) {
    const [mode, dataDir, requestId, outFile] = args.slice(childAt + 1, childAt + 5) as [
      "build" | "download" | "encrypted",
      string,
      string,
      string,
    ];
    const urlAt = args.indexOf("--database-url");
    await child(
      mode,
      { dataDir, databaseUrl: urlAt === -1 ? undefined : args[urlAt + 1] },
      requestId,
      outFile,
    );
  } else await benchmark.run();
}
