import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { attachments } from "#db/schema";
import type { Config } from "./config.server";
import { describeError, log } from "./log.server";
import { removeEndedProcessFolders } from "./uploads.server";

/**
 * The documents of cases (attachments) are files under DATA_DIR/documents, named by the SHA-256 of
 * their bytes (`documents/ab/ab12…`), never held in the database or in memory as a whole: the
 * database keeps name, type, size and hash (ADR 0017).
 *
 * Two rows may name the same file (the same scan added twice). A file goes once no row names it:
 * `removeUnreferenced` after the deleting transaction committed. Every step that puts a file in
 * place or removes one holds a transaction-scoped advisory lock on its hash, and a writer holds it
 * from placing the file until its row is committed, so a removal can never take a file that a
 * row about to be committed names.
 */
export type DocumentsConfig = Pick<Config, "dataDir">;

const SHA256 = /^[0-9a-f]{64}$/;

/** A document's file is missing or its bytes are not those stored: said, never read as empty. */
export class DocumentFileError extends Error {
  constructor(
    readonly sha256: string,
    readonly problem: "missing" | "damaged",
  ) {
    super(`document file ${sha256.slice(0, 12)}… ${problem}`);
    this.name = "DocumentFileError";
  }
}

function documentsDir(config: DocumentsConfig): string {
  return path.join(config.dataDir, "documents");
}

/** The file of a hash; anything but 64 hex digits is refused, so no path is built from other text. */
export function documentPath(config: DocumentsConfig, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error("not a SHA-256 hex digest");
  return path.join(documentsDir(config), sha256.slice(0, 2), sha256);
}

/** Where this process writes documents before they are placed: a folder of its own, as the upload spool. */
function incomingDir(config: DocumentsConfig): string {
  return path.join(documentsDir(config), ".incoming", String(process.pid));
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function lockHash(tx: DbOrTx, sha256: string) {
  return tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`document:${sha256}`}))`);
}

/** A document written to this process's incoming folder, hashed on the way, not yet in its place. */
export interface StagedDocument {
  sha256: string;
  size: number;
  /** In the transaction that inserts the row, before it: locks the hash and moves the file to its place. */
  place(tx: DbOrTx): Promise<void>;
  /**
   * After the transaction, whatever its outcome: the incoming file goes, and the placed one too
   * unless a committed row names it (a refused or failed transaction leaves nothing behind).
   */
  settle(db: Db): Promise<void>;
}

/** Streams a document (an upload read from the spool, or bytes) to disk with its hash, mode 0600, synced. */
async function stageDocument(config: DocumentsConfig, source: Blob): Promise<StagedDocument> {
  const dir = incomingDir(config);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const staging = path.join(dir, randomBytes(16).toString("hex"));
  const hash = createHash("sha256");
  let size = 0;
  try {
    const handle = await open(staging, "wx", 0o600);
    try {
      await pipeline(
        Readable.fromWeb(source.stream() as import("node:stream/web").ReadableStream),
        new Transform({
          transform(chunk: Uint8Array, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream("", { fd: handle.fd, autoClose: false }),
      );
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
  const sha256 = hash.digest("hex");
  const target = documentPath(config, sha256);
  return {
    sha256,
    size,
    async place(tx) {
      await lockHash(tx, sha256);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // Same bytes under the same name: replacing an existing file changes nothing.
      await rename(staging, target);
      await syncDir(path.dirname(target));
    },
    async settle(db) {
      await rm(staging, { force: true });
      await removeUnreferenced(db, config, [sha256]);
    },
  };
}

/**
 * Stores a document's row with its file: stages the bytes, then runs `work` in a transaction in
 * which `place` must be called before the row naming the file is inserted.
 */
export async function withStagedDocument<T>(
  { db, config }: { db: Db; config: DocumentsConfig },
  source: Blob | null,
  work: (staged: StagedDocument | null) => Promise<T>,
): Promise<T> {
  const staged = source ? await stageDocument(config, source) : null;
  try {
    return await work(staged);
  } finally {
    await staged?.settle(db);
  }
}

/** What a use case reads of a document to show, send or delete it: never its bytes (`readDocument`). */
export const documentColumns = {
  id: attachments.id,
  fileName: attachments.fileName,
  contentType: attachments.contentType,
  size: attachments.size,
  sha256: attachments.sha256,
};

/** A document's bytes, checked against its size and hash; a missing or altered file is an error. */
export async function readDocument(
  config: DocumentsConfig,
  document: { sha256: string; size: number },
): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await readFile(documentPath(config, document.sha256));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new DocumentFileError(document.sha256, "missing");
    throw error;
  }
  if (
    content.length !== document.size ||
    createHash("sha256").update(content).digest("hex") !== document.sha256
  )
    throw new DocumentFileError(document.sha256, "damaged");
  return content;
}

/**
 * Removes the files of these hashes that no row names any longer; call it after the transaction
 * that deleted the rows committed. Returns how many files went.
 */
export async function removeUnreferenced(
  db: Db,
  config: DocumentsConfig,
  hashes: Iterable<string>,
): Promise<number> {
  let removed = 0;
  for (const sha256 of new Set(hashes)) {
    const file = documentPath(config, sha256);
    const gone = await db.transaction(async (tx) => {
      await lockHash(tx, sha256);
      const [named] = await tx
        .select({ id: attachments.id })
        .from(attachments)
        .where(eq(attachments.sha256, sha256))
        .limit(1);
      if (named) return false;
      try {
        await rm(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw error;
      }
      return true;
    });
    if (gone) {
      await syncDir(path.dirname(file)).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}

/** The hashes of these attachment rows, read before a transaction deletes them (directly or by cascade). */
export async function hashesOf(
  tx: DbOrTx,
  where: { requestIds: string[] } | { attachmentIds: string[] },
): Promise<string[]> {
  const ids = "requestIds" in where ? where.requestIds : where.attachmentIds;
  if (ids.length === 0) return [];
  const rows = await tx
    .selectDistinct({ sha256: attachments.sha256 })
    .from(attachments)
    .where("requestIds" in where ? inArray(attachments.requestId, ids) : inArray(attachments.id, ids));
  return rows.map((r) => r.sha256);
}

/**
 * At start: documents still held in the database (stored before they became files) are written to
 * their files and their column emptied, one per transaction, so a start that stops half-way goes on
 * where it stopped. Several processes starting at once share the work (SKIP LOCKED).
 */
export async function moveLegacyDocuments(db: Db, config: DocumentsConfig): Promise<number> {
  let moved = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: attachments.id, content: attachments.content })
        .from(attachments)
        .where(isNotNull(attachments.content))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!row) return false;
      const content = Buffer.from(row.content!);
      const staged = await stageDocument(config, new Blob([new Uint8Array(content)]));
      await staged.place(tx);
      await tx
        .update(attachments)
        .set({ content: null, sha256: staged.sha256, size: staged.size })
        .where(and(eq(attachments.id, row.id), isNotNull(attachments.content)));
      return true;
    });
    if (!done) return moved;
    moved++;
  }
}

/**
 * At start: the files no row names (a removal cut short by a crash between the commit and the
 * file's deletion), and incoming files of processes that ended. Each removal takes the hash's lock
 * and asks again, so a document being stored by another process meanwhile is kept.
 */
export async function removeOrphanDocuments(db: Db, config: DocumentsConfig): Promise<number> {
  const root = documentsDir(config);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  removeEndedProcessFolders(path.join(root, ".incoming"));
  const named = new Set(
    (await db.selectDistinct({ sha256: attachments.sha256 }).from(attachments)).map((r) => r.sha256),
  );
  const candidates: string[] = [];
  for (const prefix of await readdir(root)) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of await readdir(path.join(root, prefix)))
      if (SHA256.test(name) && name.startsWith(prefix) && !named.has(name)) candidates.push(name);
  }
  try {
    return await removeUnreferenced(db, config, candidates);
  } catch (error) {
    log.error({ error: describeError(error) }, "documents: files no case names could not be removed");
    return 0;
  }
}
