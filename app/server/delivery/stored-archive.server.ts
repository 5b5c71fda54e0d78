/**
 * The answer's archives built once at release and stored in the database (ADR 0006, "Built once at
 * release"): releasing queues a job per archive (answer-archive) that makes it with the same one
 * pass as a download (prepareAccessArchive / preparePortabilityArchive, the plain writer) and writes
 * its bytes as they come, in pieces of about 1 MiB (answer_archive_chunks), with where each entry's
 * deflated data lie (answer_archives.entries). A download of a ready archive is then a copy of those
 * pieces, or for an encrypted download the stored deflated entries encrypted by zip.js; anything
 * else (not built yet, failed, deleted) takes the on-demand way, which refuses a finding changed
 * since review with 409 as before. The pieces are the person's data: they go when the answer's
 * download period ends (answer-archive-upkeep) and with the case (cascade).
 */
import { createHash } from "node:crypto";
import { PassThrough, Readable, Writable } from "node:stream";
import { and, asc, eq, gte, inArray, ne, sql } from "drizzle-orm";
import type { AnswerArchiveReason } from "#app/core/answer-archive-states";
import type { Db } from "#db/client";
import { queryIn } from "#db/statement";
import { answerArchiveChunks, answerArchives, answers, type StoredArchiveEntry } from "#db/schema";
import { prepareAccessArchive, preparePortabilityArchive } from "../answers/archive.server";
import { encryptedZipSink } from "../answers/zip-sink.server";
import type { Jobs } from "../jobs/index.server";
import type { Config } from "../config.server";
import type { JobDefinition } from "../jobs/job";
import { describeError, log } from "../log.server";
import { answerInputFor } from "./answer-input.server";
import { ChangedSinceReview } from "./released-findings.server";

/** About this many bytes per stored piece: a handful per query, never the whole archive in memory. */
export const CHUNK_BYTES = 1 << 20;

export type ArchiveJobs = Pick<Jobs, "sendWithin" | "wake">;

export interface StoredArchive {
  answerId: string;
  size: number;
  sha256: string;
  entries: StoredArchiveEntry[];
}

/**
 * Called in the release's transaction: each answer gets its archive row (pending) and its build job,
 * both committed with the release or not at all. Call `jobs.wake` after the commit.
 */
export async function queueArchiveBuilds(tx: Db, jobs: ArchiveJobs | undefined, answerIds: string[]) {
  if (answerIds.length === 0) return;
  await tx
    .insert(answerArchives)
    .values(answerIds.map((answerId) => ({ answerId, status: "pending" as const })))
    .onConflictDoNothing();
  if (!jobs) return;
  for (const answerId of answerIds) await jobs.sendWithin(tx, answerArchiveJob.queue, { answerId });
}

/** Collects the writer's bytes into pieces of ~1 MiB and stores each as it is full. */
class ChunkStore extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private seq = 0;
  readonly hash = createHash("sha256");
  size = 0;

  constructor(
    private readonly db: Db,
    private readonly answerId: string,
    private readonly chunkBytes: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.chunkBytes) return callback();
    this.store().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void) {
    this.store()
      .then(() =>
        // A build run again after a crash wrote as many pieces or more (the same bytes: the archive is
        // deterministic); any beyond this one's are not part of it.
        this.db
          .delete(answerArchiveChunks)
          .where(
            and(eq(answerArchiveChunks.answerId, this.answerId), gte(answerArchiveChunks.seq, this.seq)),
          ),
      )
      .then(() => callback(), callback);
  }

  private async store() {
    if (this.pendingBytes === 0) return;
    const bytes = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const seq = this.seq++;
    // Over a piece of an earlier, broken-off build (identical bytes), never beside it. The update
    // takes the row's own value (excluded): `set: { bytes }` sent the piece a second time, and the
    // drivers send bytea as hex text (postgres.js, and db/client.ts for PGlite): 2 MiB of string
    // per MiB per parameter.
    await this.db
      .insert(answerArchiveChunks)
      .values({ answerId: this.answerId, seq, bytes })
      .onConflictDoUpdate({
        target: [answerArchiveChunks.answerId, answerArchiveChunks.seq],
        set: { bytes: sql`excluded.bytes` },
      });
  }
}

export type BuildOutcome = "ready" | "failed" | "skipped";

/** What a build needs: the database and the configuration a download passes (public URL, stores). */
export interface BuildContext {
  db: Db;
  config: Pick<Config, "publicUrl" | "sources">;
}

/**
 * Builds and stores one answer's archive unless it is built, failed, gone or expired. A finding
 * changed since review fails the build (reason `changed-since-review`): nothing is stored, and
 * downloads take the on-demand way, which refuses it with 409.
 */
export async function buildAnswerArchive(
  { db, config }: BuildContext,
  answerId: string,
  { now = new Date(), chunkBytes = CHUNK_BYTES }: { now?: Date; chunkBytes?: number } = {},
): Promise<BuildOutcome> {
  const [row] = await db
    .select({
      status: answerArchives.status,
      requestId: answers.requestId,
      kind: answers.kind,
      answeredAt: answers.answeredAt,
      availableUntil: answers.availableUntil,
    })
    .from(answerArchives)
    .innerJoin(answers, eq(answers.id, answerArchives.answerId))
    .where(eq(answerArchives.answerId, answerId));
  if (!row || row.status !== "pending" || row.availableUntil <= now) return "skipped";
  const fail = async (reason: AnswerArchiveReason) => {
    await db
      .update(answerArchives)
      .set({ status: "failed", reason, builtAt: new Date() })
      .where(and(eq(answerArchives.answerId, answerId), eq(answerArchives.status, "pending")));
    return "failed" as const;
  };
  // The same input as a download's (delivery.server.ts downloadAnswer), so the same bytes.
  const input = await answerInputFor(db, row.requestId, row.answeredAt, config.publicUrl, config.sources);
  if (!input) return fail("no-approved-review");
  let prepared;
  try {
    prepared = await (row.kind === "portability" ? preparePortabilityArchive : prepareAccessArchive)(input);
  } catch (error) {
    if (error instanceof ChangedSinceReview) return fail("changed-since-review");
    throw error;
  }
  const date = row.answeredAt.toISOString();
  const entries: StoredArchiveEntry[] = [];
  const out = new ChunkStore(db, answerId, chunkBytes);
  await prepared.writeTo(out, { onEntry: (entry) => entries.push({ ...entry, date }) });
  const ready = await db
    .update(answerArchives)
    .set({
      status: "ready",
      reason: null,
      size: out.size,
      sha256: out.hash.digest("hex"),
      entries,
      builtAt: new Date(),
    })
    .where(and(eq(answerArchives.answerId, answerId), eq(answerArchives.status, "pending")))
    .returning({ answerId: answerArchives.answerId });
  if (ready.length > 0) return "ready";
  // The row moved on while this build ran (its period ended and the upkeep deleted it, or the
  // backstop failed it): what this build stored must not stay. A row another build made ready holds
  // the same bytes.
  const [after] = await db
    .select({ status: answerArchives.status })
    .from(answerArchives)
    .where(eq(answerArchives.answerId, answerId));
  if (after?.status !== "ready")
    await db.delete(answerArchiveChunks).where(eq(answerArchiveChunks.answerId, answerId));
  return "skipped";
}

/** The answer's stored archive when it is ready to be sent; null sends the download the on-demand way. */
export async function readyArchiveOf(db: Db, answerId: string): Promise<StoredArchive | null> {
  const [row] = await db
    .select()
    .from(answerArchives)
    .where(and(eq(answerArchives.answerId, answerId), eq(answerArchives.status, "ready")));
  if (!row?.entries || row.size === null || !row.sha256) return null;
  return { answerId, size: row.size, sha256: row.sha256, entries: row.entries };
}

/**
 * Bytes of a stored piece read per query while an archive is sent. The drivers hand bytea over as
 * hex text (twice its size), and PGlite gathers a query's whole result in one buffer that starts at
 * 1 MiB and is copied into a larger one whenever it is full: whole pieces, four at a time, left
 * ~25 MB of buffers and 8 MB of text per query to the collector (ADR 0006, "What the download's
 * memory is"). A quarter of a piece per query stays within that first buffer.
 */
const READ_BYTES = 256 * 1024;

/**
 * The stored pieces in order, a slice of at most `readBytes` per query. Their bytes must add up to
 * the archive's size: pieces deleted while it is sent (the download period ended) break the
 * download instead of ending it short.
 */
export async function* storedChunks(
  db: Db,
  { answerId, size }: StoredArchive,
  readBytes = READ_BYTES,
): AsyncGenerator<Buffer> {
  // octet_length reads a stored piece's length from its header, not its bytes.
  const pieces = await db
    .select({ seq: answerArchiveChunks.seq, length: sql<number>`octet_length(${answerArchiveChunks.bytes})` })
    .from(answerArchiveChunks)
    .where(eq(answerArchiveChunks.answerId, answerId))
    .orderBy(asc(answerArchiveChunks.seq));
  let sent = 0;
  for (const [index, { seq, length }] of pieces.entries()) {
    if (seq !== index) throw new Error(`stored archive ${answerId}: piece ${index} missing`);
    for (let offset = 0; offset < length; offset += readBytes) {
      const [slice] = await db
        .select({
          bytes: sql<Buffer>`substring(${answerArchiveChunks.bytes} from ${offset + 1} for ${readBytes})`,
        })
        .from(answerArchiveChunks)
        .where(and(eq(answerArchiveChunks.answerId, answerId), eq(answerArchiveChunks.seq, seq)));
      // A piece missing (deleted while sent) must break the download, not shorten it unnoticed.
      if (!slice) throw new Error(`stored archive ${answerId}: piece ${seq} missing`);
      sent += slice.bytes.length;
      yield slice.bytes;
    }
  }
  if (sent !== size) throw new Error(`stored archive ${answerId}: ${sent} of ${size} bytes stored`);
}

/** Reads byte ranges, in ascending order, from the stored pieces. */
class RangeReader {
  private current: Buffer = Buffer.alloc(0);
  /** Offset of `current[0]` in the archive. */
  private start = 0;
  private readonly pieces: AsyncIterator<Buffer>;

  constructor(pieces: AsyncIterable<Buffer>) {
    this.pieces = pieces[Symbol.asyncIterator]();
  }

  async *range(offset: number, length: number): AsyncGenerator<Buffer> {
    let position = offset;
    const end = offset + length;
    while (position < end) {
      const at = position - this.start;
      if (at < 0) throw new Error("stored archive: ranges out of order");
      if (at >= this.current.length) {
        this.start += this.current.length;
        const piece = await this.pieces.next();
        if (piece.done) throw new Error("stored archive: shorter than its entries");
        this.current = piece.value;
        continue;
      }
      const slice = this.current.subarray(at, Math.min(this.current.length, at + end - position));
      position += slice.length;
      yield slice;
    }
  }
}

/**
 * The stored archive as the download sends it: its bytes as stored, or with `password` its entries'
 * stored deflated data encrypted by zip.js (AES-256), as an encrypted on-demand download makes them.
 */
export function sendStoredArchive(
  db: Db,
  archive: StoredArchive,
  options: { password?: string; date: Date },
): Readable {
  // Plain: the pieces as they are, read as the reader takes them (a download broken off stops it).
  if (!options.password) return Readable.from(storedChunks(db, archive), { objectMode: false });
  const password = options.password;
  const out = new PassThrough();
  const write = async () => {
    const sink = await encryptedZipSink(out, options.date, password);
    try {
      const reader = new RangeReader(storedChunks(db, archive));
      for (const entry of archive.entries)
        await sink.addDeflated(entry.name, reader.range(entry.offset, entry.compressed), entry.size);
      await sink.finish();
    } catch (error) {
      sink.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  };
  write().catch((error: Error) => out.destroy(error));
  return out;
}

/**
 * The stored archives of answers whose download period ended: their pieces are deleted and the row
 * says so (a later download by staff takes the on-demand way). Returns how many.
 */
export async function deleteExpiredArchives(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = sql`(select x.answer_id from ${answerArchives} x join ${answers} a on a.id = x.answer_id
      where a.available_until <= ${now.toISOString()}::timestamptz)`;
    // Every piece of an expired answer, also one a build still running wrote after an earlier run.
    await tx.delete(answerArchiveChunks).where(inArray(answerArchiveChunks.answerId, expired));
    const marked = await tx
      .update(answerArchives)
      .set({ status: "deleted", reason: "download-period-ended", entries: null })
      .where(and(inArray(answerArchives.answerId, expired), ne(answerArchives.status, "deleted")))
      .returning({ answerId: answerArchives.answerId });
    return marked.length;
  });
}

/**
 * The backstop for builds whose job was lost: released answers still downloadable whose archive is
 * not built (or was never queued, e.g. released before archives were stored) and whose build job is
 * neither waiting nor running nor retrying. They are built here, a few per run; a build pg-boss gave
 * up on (its tries failed) is marked failed, so downloads go on demand and it is not tried for ever.
 */
export async function reconcileArchiveBuilds(
  context: BuildContext,
  { now = new Date(), limit = 5 }: { now?: Date; limit?: number } = {},
): Promise<{ built: number; failed: number }> {
  const { db } = context;
  // Answers released without a row (before this feature): given one.
  await queryIn(
    db,
    `insert into answer_archives (answer_id, status)
       select a.id, 'pending' from answers a
        where a.available_until > $1 and not exists (select 1 from answer_archives x where x.answer_id = a.id)
     on conflict do nothing`,
    [now.toISOString()],
  );
  const waiting = await queryIn<{ answer_id: string; newest_state: string | null }>(
    db,
    `with pending as (
       select x.answer_id from answer_archives x join answers a on a.id = x.answer_id
        where x.status = 'pending' and a.available_until > $2),
     jobs as (
       select data->>'answerId' as aid, state, created_on from pgboss.job
        where name = $1 and data->>'answerId' in (select answer_id::text from pending)
       union all
       select data->>'answerId', state, created_on from pgboss.archive
        where name = $1 and data->>'answerId' in (select answer_id::text from pending))
     select p.answer_id,
            (select state from jobs j where j.aid = p.answer_id::text order by created_on desc limit 1) as newest_state
       from pending p
      where not exists (select 1 from jobs j where j.aid = p.answer_id::text and j.state in ('created', 'retry', 'active'))`,
    [answerArchiveJob.queue, now.toISOString()],
  );
  let built = 0;
  let failed = 0;
  for (const row of waiting) {
    if (row.newest_state === "failed") {
      await db
        .update(answerArchives)
        .set({ status: "failed", reason: "build-gave-up", builtAt: new Date() })
        .where(and(eq(answerArchives.answerId, row.answer_id), eq(answerArchives.status, "pending")));
      failed++;
      continue;
    }
    if (built >= limit) continue;
    try {
      if ((await buildAnswerArchive(context, row.answer_id, { now })) !== "skipped") built++;
    } catch (error) {
      log.error(
        { answerId: row.answer_id, error: describeError(error) },
        "answer archive: backstop build failed",
      );
    }
  }
  return { built, failed };
}

export const answerArchiveJob: JobDefinition<{ answerId: string }> = {
  queue: "answer-archive",
  async run(context, { answerId }) {
    await buildAnswerArchive(context, answerId);
  },
};

/** Every five minutes: expired archives go, lost builds are made (reconcileArchiveBuilds). */
export const answerArchiveUpkeepJob: JobDefinition = {
  queue: "answer-archive-upkeep",
  schedule: "*/5 * * * *",
  async run(context) {
    await deleteExpiredArchives(context.db);
    await reconcileArchiveBuilds(context);
  },
};
