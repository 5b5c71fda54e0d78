/**
 * Signed checkpoints of the audit trail: the newest event's seq and hash and how many events the
 * chain has had up to it (deleted ones counted), under the audit key. Written by a job every quarter
 * of an hour and by every clean verification, into the database and into a file outside it, so that
 * cutting off the newest events — which leaves a chain that is whole as far as it goes — is found:
 * the latest checkpoint names an event that no longer exists.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { desc, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { auditCheckpoints, auditEvents, auditGaps } from "#db/schema";
import { chainHead, lockAuditTrail } from "../audit.server";
import type { JobDefinition } from "../jobs/job";
import { auditKeys, macOf } from "./keys.server";

export interface Checkpoint {
  seq: number;
  hash: string;
  events: number;
  createdAt: Date;
  mac: string;
}

const CHECKPOINT_FILE = "audit-checkpoint.json";

/** Where an installation keeps its latest checkpoint: beside the audit key, outside the database. */
export function checkpointFileIn(dataDir: string): string {
  return path.join(dataDir, CHECKPOINT_FILE);
}

export function checkpointMac(key: Buffer, c: Omit<Checkpoint, "mac">): string {
  return macOf(key, { seq: c.seq, hash: c.hash, events: c.events, createdAt: c.createdAt.toISOString() });
}

/**
 * Signs the chain's present head. Nothing new since the latest checkpoint: no new row, but the file
 * is still brought up to date. Returns the checkpoint, or null for an empty trail.
 */
export async function writeCheckpoint(db: Db, file: string | null): Promise<Checkpoint | null> {
  const keys = auditKeys();
  const checkpoint = await db.transaction(async (tx) => {
    await lockAuditTrail(tx);
    const head = await chainHead(tx);
    if (!head) return null;
    const [latest] = await tx.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(1);
    if (latest && latest.seq === head.seq) return latest;
    const [stored] = await tx.select({ n: sql<string>`count(*)::text` }).from(auditEvents);
    const [deleted] = await tx
      .select({ n: sql<string>`coalesce(sum(${auditGaps.events}), 0)::text` })
      .from(auditGaps);
    const content = {
      seq: head.seq,
      hash: head.hash,
      events: Number(stored!.n) + Number(deleted!.n),
      createdAt: new Date(),
    };
    const [row] = await tx
      .insert(auditCheckpoints)
      .values({ ...content, mac: checkpointMac(keys.checkpoint, content) })
      .returning();
    return row!;
  });
  if (checkpoint && file) await keepInFile(file, checkpoint);
  return (
    checkpoint && {
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      events: checkpoint.events,
      createdAt: checkpoint.createdAt,
      mac: checkpoint.mac,
    }
  );
}

const fileSchema = z.object({
  seq: z.number().int().positive(),
  hash: z.string(),
  events: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  mac: z.string(),
});

class CheckpointFileError extends Error {}

/** The checkpoint in the file, or null where there is none yet; a damaged file is an error, not "none". */
export async function readCheckpointFile(file: string): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const parsed = fileSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new CheckpointFileError(`${file} is not a checkpoint of the audit trail`);
  return { ...parsed.data, createdAt: new Date(parsed.data.createdAt) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Replaced whole (write, then rename), and never by an older checkpoint of a slower process. */
async function keepInFile(file: string, checkpoint: Checkpoint): Promise<void> {
  const present = await readCheckpointFile(file).catch(() => null);
  if (present && present.seq > checkpoint.seq) return;
  const temporary = `${file}.${process.pid}.tmp`;
  const { seq, hash, events, createdAt, mac } = checkpoint;
  await writeFile(
    temporary,
    `${JSON.stringify({ seq, hash, events, createdAt: createdAt.toISOString(), mac })}\n`,
    { mode: 0o600 },
  );
  await rename(temporary, file);
}

/** Every quarter of an hour: the newest events are covered by a checkpoint at most 15 minutes old. */
export const auditCheckpointJob: JobDefinition = {
  queue: "audit-checkpoint",
  schedule: "*/15 * * * *",
  async run(context) {
    await writeCheckpoint(context.db, checkpointFileIn(context.config.dataDir));
  },
};
