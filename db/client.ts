import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { isProcessRunning } from "./process-alive";
import * as schema from "./schema";
import { type Sql, sqlFromPglite, sqlFromPostgresJs } from "./sql";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  sql: Sql;
  backend: "pglite" | "postgres";
  /** Applies the committed drizzle-kit migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; without it the embedded PGlite is used. */
  databaseUrl?: string;
  /** Folder of the embedded database; null keeps it in memory (tests). */
  dataDir: string | null;
  /**
   * With `dataDir: null`: the in-memory database starts as a copy of this dump of a data folder
   * (PGlite's dumpDataDir) instead of an empty, freshly initdb'd one.
   */
  dump?: Blob;
  migrationsFolder?: string;
}

export class DatabaseOpenError extends Error {}

const defaultMigrations = path.resolve("db/migrations");

/**
 * How a PGlite holding the portal's data starts (from its folder, or from a dump of one).
 * PostgreSQL's default of 128 MB shared buffers is memory the embedded database keeps in the web
 * process for good once touched (WebAssembly memory never shrinks); the demo database is far
 * smaller, and the operating system's file cache holds what falls out. With 16 MB the idle demo
 * server stays below 400 MB resident (npm run bench upload-memory).
 */
const pgliteServer = { startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"] };

/**
 * bytea (documents, letters) to and from PGlite as hex text through Buffer: PGlite's own converters
 * build one string per byte, which took 15 s and 600 MB for one 8 MB document.
 */
const BYTEA = 17;
const pgliteBytea = {
  serializers: {
    [BYTEA]: (value: Uint8Array) =>
      `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`,
  },
  parsers: { [BYTEA]: (text: string) => Buffer.from(text.slice(2), "hex") },
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrations;
  if (options.databaseUrl) return openPostgres(options.databaseUrl, migrationsFolder);
  return openPglite(options.dataDir, migrationsFolder, options.dump);
}

async function openPostgres(url: string, migrationsFolder: string): Promise<Database> {
  const client = postgres(url, { max: 10, connect_timeout: 10, onnotice: () => {} });
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    // The URL may carry a password: name the host only.
    throw new DatabaseOpenError(`Cannot connect to the PostgreSQL server (${safeHost(url)}): ${reason}`);
  }
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    sql: sqlFromPostgresJs(client),
    backend: "postgres",
    migrate: () => migratePostgres(db as never, { migrationsFolder }),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(
  dataDir: string | null,
  migrationsFolder: string,
  dump: Blob | undefined,
): Promise<Database> {
  let releaseLock = () => {};
  let pg: PGlite;
  if (dataDir) {
    const dir = path.resolve(dataDir, "db");
    mkdirSync(dir, { recursive: true });
    releaseLock = lockFolder(path.resolve(dataDir, "db.lock"));
    try {
      pg = new PGlite(dir, { ...pgliteServer, ...pgliteBytea });
      await pg.waitReady;
    } catch (error) {
      releaseLock();
      throw new DatabaseOpenError(`Cannot open the embedded database in ${dir}: ${(error as Error).message}`);
    }
  } else if (dump) {
    pg = new PGlite({ loadDataDir: dump, ...pgliteServer, ...pgliteBytea });
    await pg.waitReady;
  } else {
    pg = new PGlite({ ...pgliteBytea });
    await pg.waitReady;
  }
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    db,
    sql: sqlFromPglite(pg),
    backend: "pglite",
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    async close() {
      try {
        await pg.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * PGlite is one PostgreSQL instance inside one process: a second process on the same folder would
 * corrupt it. A lock file with the owner's pid turns that into a clear error; a lock left by a
 * process that no longer runs is taken over.
 */
function lockFolder(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
      if (Number.isInteger(owner) && (owner === process.pid || isProcessRunning(owner))) {
        throw new DatabaseOpenError(
          `The embedded database in ${path.dirname(lockFile)} is already open in process ${owner}. ` +
            "Stop that process first, or use a PostgreSQL server (DATABASE_URL) to run several processes.",
        );
      }
      unlinkSync(lockFile);
    }
  }
  throw new DatabaseOpenError(`Cannot lock the embedded database (${lockFile}).`);
}

function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "invalid URL";
  }
}

/** A drizzle transaction; use cases that must join a caller's transaction take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;
