/**
 * Verification of the whole audit trail: every event and every recorded gap, in the order of the
 * chain from its genesis, then every signed checkpoint against what the walk found. What each
 * problem means for an operator is in `problemText`.
 */
import { asc, gt } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditCheckpoints, auditEvents, auditGaps } from "#db/schema";
import { eventMac, genesisHash, unkeyedHash } from "../audit.server";
import { type Checkpoint, checkpointMac, readCheckpointFile } from "./checkpoints.server";
import { gapMac, type StoredGap } from "./gaps.server";
import { type AuditKeys, auditKeys } from "./keys.server";

export type ChainProblem =
  /** An event's content or hash was changed, or the event was written without the key (forged, rewritten, re-chained). */
  | "hash"
  /** An event does not link to the one before: events were deleted or inserted. */
  | "link"
  /** An event without the key's MAC after keyed ones: appended or rewritten by someone without the key. */
  | "unkeyed"
  /** The oldest events are missing and no recorded gap accounts for them. */
  | "start"
  /** A recorded gap was changed or forged. */
  | "gap"
  /** A checkpoint's MAC does not hold: it was changed or forged. */
  | "checkpoint-forged"
  /** The event a checkpoint signed has another hash, or the count up to it differs: the chain before it was rewritten. */
  | "checkpoint"
  /** A checkpoint names an event beyond the end of the trail: the newest events were cut off. */
  | "truncated";

export type ChainCheck =
  | {
      ok: true;
      /** Events stored and checked. */
      events: number;
      /** Events deleted after their period, within recorded gaps. */
      deleted: number;
      gaps: number;
      /** Events from before the trail was keyed (plain SHA-256, checked as such). */
      unkeyed: number;
      checkpoints: number;
      latestCheckpoint: { seq: number; events: number; createdAt: Date } | null;
    }
  | { ok: false; events: number; brokenAt: number; problem: ChainProblem };

export interface VerifyOptions {
  /** The checkpoint file kept outside the database, if this installation has one. */
  checkpointFile?: string | null;
  keys?: AuditKeys;
  batchSize?: number;
}

interface Position {
  /** Events up to and including this point of the chain, deleted ones counted. */
  count: number;
  hash: string;
}

export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<ChainCheck> {
  const keys = options.keys ?? auditKeys();
  const batchSize = options.batchSize ?? 1000;
  const gaps: StoredGap[] = await db.select().from(auditGaps).orderBy(asc(auditGaps.firstSeq));
  const checkpoints = await loadCheckpoints(db, options.checkpointFile ?? null);
  // Where each checkpoint's seq fell in the walk: an event, the end of a gap, or inside a gap.
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const at = new Map<number, Position | { inside: { before: number; after: number } }>();

  let previous = genesisHash;
  let count = 0;
  let stored = 0;
  let unkeyed = 0;
  let keyedSeen = false;
  let first = true;
  let unanchoredAt: number | null = null;
  let lastSeq = 0;
  let gapIndex = 0;
  const broken = (brokenAt: number, problem: ChainProblem): ChainCheck => ({
    ok: false,
    events: stored,
    brokenAt,
    problem,
  });

  const passGap = (gap: StoredGap): ChainCheck | null => {
    // Gaps never overlap each other or an event: each covers a run the sweep found whole.
    if (
      gapMac(keys.gap, gap) !== gap.mac ||
      gap.events < 1 ||
      gap.lastSeq < gap.firstSeq ||
      gap.firstSeq <= lastSeq
    )
      return broken(gap.firstSeq, "gap");
    if (first) {
      first = false;
      if (gap.prevHash !== genesisHash) unanchoredAt = gap.firstSeq;
    } else if (gap.prevHash !== previous) return broken(gap.firstSeq, "link");
    for (const seq of wanted) {
      if (seq >= gap.firstSeq && seq < gap.lastSeq)
        at.set(seq, { inside: { before: count, after: count + gap.events } });
    }
    count += gap.events;
    previous = gap.lastHash;
    lastSeq = gap.lastSeq;
    if (wanted.has(gap.lastSeq)) at.set(gap.lastSeq, { count, hash: previous });
    return null;
  };

  let afterSeq = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, afterSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const event of batch) {
      while (gapIndex < gaps.length && gaps[gapIndex]!.firstSeq < event.seq) {
        const failed = passGap(gaps[gapIndex++]!);
        if (failed) return failed;
      }
      stored++;
      const { seq, hash, keyed, ...content } = event;
      // An event within a recorded gap was put there after the gap was cut.
      if (seq <= lastSeq) return broken(seq, "link");
      if (keyed) {
        keyedSeen = true;
        if (eventMac(keys.event, content) !== hash) return broken(seq, "hash");
      } else {
        if (keyedSeen) return broken(seq, "unkeyed");
        unkeyed++;
        if (unkeyedHash(content) !== hash) return broken(seq, "hash");
      }
      if (first) {
        first = false;
        if (event.prevHash !== genesisHash) unanchoredAt = seq;
      } else if (event.prevHash !== previous) return broken(seq, "link");
      count++;
      previous = hash;
      lastSeq = seq;
      if (wanted.has(seq)) at.set(seq, { count, hash });
      afterSeq = seq;
    }
    if (batch.length < batchSize) break;
  }
  while (gapIndex < gaps.length) {
    const failed = passGap(gaps[gapIndex++]!);
    if (failed) return failed;
  }
  // Before the trail was keyed, the old sweep cut its oldest events without a record; a keyed
  // trail must reach back to its genesis or to a recorded gap that does.
  if (unanchoredAt !== null && unkeyed === 0) return broken(unanchoredAt, "start");

  for (const checkpoint of checkpoints) {
    if (checkpointMac(keys.checkpoint, checkpoint) !== checkpoint.mac)
      return broken(checkpoint.seq, "checkpoint-forged");
    if (checkpoint.seq > lastSeq) return broken(checkpoint.seq, "truncated");
    const found = at.get(checkpoint.seq);
    if (!found) return broken(checkpoint.seq, "checkpoint");
    if ("inside" in found) {
      if (checkpoint.events <= found.inside.before || checkpoint.events >= found.inside.after)
        return broken(checkpoint.seq, "checkpoint");
    } else if (found.hash !== checkpoint.hash || found.count !== checkpoint.events)
      return broken(checkpoint.seq, "checkpoint");
  }
  const latest = checkpoints.reduce<Checkpoint | null>((a, b) => (!a || b.seq > a.seq ? b : a), null);
  return {
    ok: true,
    events: stored,
    deleted: count - stored,
    gaps: gaps.length,
    unkeyed,
    checkpoints: checkpoints.length,
    latestCheckpoint: latest ? { seq: latest.seq, events: latest.events, createdAt: latest.createdAt } : null,
  };
}

/** The database's checkpoints and the one in the file: deleting rows cannot hide what the file saw. */
async function loadCheckpoints(db: Db, file: string | null): Promise<Checkpoint[]> {
  const rows = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq));
  const checkpoints: Checkpoint[] = rows.map(({ id: _id, ...c }) => c);
  const fromFile = file ? await readCheckpointFile(file) : null;
  if (fromFile && !checkpoints.some((c) => c.mac === fromFile.mac)) checkpoints.push(fromFile);
  return checkpoints;
}

/** One line per problem for `npm run audit:verify`. */
export function problemText(problem: ChainProblem): string {
  switch (problem) {
    case "hash":
      return "its content or hash was changed, or it was written without the audit key (forged or rewritten)";
    case "link":
      return "it does not link to the event before it: events were deleted or inserted there";
    case "unkeyed":
      return "it carries no MAC of the audit key although events before it do: appended or rewritten without the key";
    case "start":
      return "the oldest events are missing and no recorded gap accounts for them";
    case "gap":
      return "the recorded gap starting there was changed or forged";
    case "checkpoint-forged":
      return "a checkpoint naming it was changed or forged";
    case "checkpoint":
      return "a signed checkpoint names it with another hash or count: the chain up to it was rewritten or shortened";
    case "truncated":
      return "a signed checkpoint names it, but the trail ends before it: the newest events were cut off";
  }
}
