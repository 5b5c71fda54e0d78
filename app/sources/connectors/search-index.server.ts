/**
 * Search indexes of the database stores (ADR 0020): the search keys of every row (app/sources/subject.ts
 * `searchKeys`, the matcher's own normalisation) in a side table of the store's schema, so that a
 * search reads only the rows that carry one of the subject's keys instead of parsing every row.
 *
 * The index covers the rows up to its high-water mark (a row id). Rows above it — written after the
 * last indexing run, or not reached yet by a run under way — are scanned as before; a store without
 * an index, or with one built by another key format, is scanned whole. So an index that is missing,
 * stale or being built never makes a search miss a record; it only makes the search slower.
 */
import type { Sql } from "#db/sql";
import type { IndexProgress, IndexUse } from "../connector";
import { quoteSchema } from "../database.server";
import { BATCH_SIZE, keysetScan } from "./db-store.server";

/** Raised whenever what `searchKeys` yields for a record changes: an index of another version is rebuilt, and not used until then. */
export const SEARCH_INDEX_VERSION = 1;

/** The key of a row that could not be read in full: it is always a candidate, so that its problem is reported as in a scan. */
export const ALWAYS_CANDIDATE = "!";

/** One search key of a row; `birth` is the date of birth the row gives beside a name key (narrows namesakes). */
export interface IndexedKey {
  key: string;
  birth: string | null;
}

/** The key a row's fingerprint is filed under (see `IndexedTable.fingerprint`); no search key starts with it. */
const FINGERPRINT = "#";

/** What a store tells the index about one of its tables. */
export interface IndexedTable<Row extends { id: string }> {
  /** The table's name in the store's schema; also the index's `source`. */
  table: string;
  /**
   * `SELECT … FROM <schema>.<table> t` (keyset order on `t.id`) with what `keysOf` reads, and with
   * `fingerprint` as the column `fingerprint` where the table has one.
   */
  select: string;
  keysOf(row: Row): IndexedKey[];
  /**
   * For a table whose rows the store's own system changes in place (a ticket's customer fields):
   * an SQL expression over `t` (never null) that changes whenever a searched field does. It is
   * filed with the row's keys; a row whose fingerprint differs from the filed one is read by every
   * search, as a row above the mark is, until the next indexing run files its new keys. Tables
   * without it are taken as append-only (ADR 0020).
   */
  fingerprint?: string;
}

/** A row's keys once each (a hit often repeats the criteria's name and date). */
export function uniqueKeys(keys: readonly IndexedKey[]): IndexedKey[] {
  const seen = new Map<string, IndexedKey>();
  for (const k of keys) seen.set(`${k.key}\u0000${k.birth ?? ""}`, k);
  return [...seen.values()];
}

export function searchIndexDdl(schema: string): string {
  const s = quoteSchema(schema);
  return `
    CREATE TABLE IF NOT EXISTS ${s}.portal_search_index (
      source text PRIMARY KEY,
      version integer NOT NULL,
      high_water bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS ${s}.portal_search_key (
      source text NOT NULL,
      row_id bigint NOT NULL,
      key text NOT NULL,
      birth text
    );
    CREATE INDEX IF NOT EXISTS portal_search_key_lookup ON ${s}.portal_search_key (source, key) INCLUDE (row_id, birth);
    CREATE INDEX IF NOT EXISTS portal_search_key_row ON ${s}.portal_search_key (source, row_id);`;
}

interface IndexState {
  version: number;
  highWater: string;
}

async function readState(sql: Sql, schema: string, source: string): Promise<IndexState | null> {
  const [exists] = await sql.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${quoteSchema(schema)}.portal_search_index`,
  ]);
  if (!exists?.present) return null;
  const [state] = await sql.query<IndexState>(
    `SELECT version, high_water::text AS "highWater" FROM ${quoteSchema(schema)}.portal_search_index WHERE source = $1`,
    [source],
  );
  return state ?? null;
}

/**
 * The rows a search must parse, in id order: the indexed rows carrying one of `keys` whose date of
 * birth `acceptBirth` does not rule out, then every row above the index's mark; or every row when
 * there is no usable index. `use` says which, for the gathering table.
 */
/**
 * Whether a search of `table` can go through its index: null when it can, else why not. A store
 * that searches several tables asks first, so that it scans all of them when one cannot (and the
 * gathering table's "every record was read" stays true).
 */
export async function unusableIndex(
  sql: Sql,
  schema: string,
  table: string,
): Promise<Extract<IndexUse, { via: "scan" }>["reason"] | null> {
  let state: IndexState | null;
  try {
    state = await readState(sql, schema, table);
  } catch {
    // A store whose operator did not allow the side tables, or one that cannot be read: scan.
    return "unreadable";
  }
  return !state ? "missing" : state.version !== SEARCH_INDEX_VERSION ? "outdated" : null;
}

/** The rows up to the mark whose fingerprint is not the one filed with their keys (changed in place since). */
function changedRowsQuery(schema: string, table: IndexedTable<{ id: string }>): string {
  const s = quoteSchema(schema);
  return `SELECT t.id::text AS id FROM ${s}.${table.table} t WHERE t.id <= $2::bigint AND NOT EXISTS (
    SELECT 1 FROM ${s}.portal_search_key k
    WHERE k.source = $1 AND k.key = '${FINGERPRINT}' || (${table.fingerprint}) AND k.row_id = t.id)`;
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export async function searchRows<Row extends { id: string }>(
  sql: Sql,
  schema: string,
  table: IndexedTable<Row>,
  keys: readonly string[],
  acceptBirth: (birth: string) => boolean,
  signal?: AbortSignal,
  /** Scan whatever the index's state, for this reason (another table of the store cannot use its index). */
  scanFor?: Extract<IndexUse, { via: "scan" }>["reason"],
): Promise<{ use: IndexUse; total: number; rows: AsyncGenerator<Row> }> {
  const from = `${quoteSchema(schema)}.${table.table}`;
  const unusable = scanFor ?? (await unusableIndex(sql, schema, table.table));
  const state = unusable ? null : await readState(sql, schema, table.table);
  if (!state) {
    const [{ total }] = (await sql.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM ${from}`,
    )) as [{ total: number }];
    return {
      use: { via: "scan", reason: unusable ?? "missing" },
      total,
      rows: keysetScan<Row>(sql, table.select, signal),
    };
  }
  const hits = await sql.query<{ id: string; birth: string | null }>(
    `SELECT row_id::text AS id, birth FROM ${quoteSchema(schema)}.portal_search_key
     WHERE source = $1 AND key = ANY($2::text[]) AND row_id <= $3::bigint`,
    [table.table, [...keys, ALWAYS_CANDIDATE], state.highWater],
  );
  const changed = table.fingerprint
    ? await sql.query<{ id: string }>(changedRowsQuery(schema, table), [table.table, state.highWater])
    : [];
  const ids = [
    ...new Set([
      ...hits.filter((h) => h.birth === null || acceptBirth(h.birth)).map((h) => h.id),
      ...changed.map((c) => c.id),
    ]),
  ].sort(byId);
  const [{ newer }] = (await sql.query<{ newer: number }>(
    `SELECT count(*)::int AS newer FROM ${from} WHERE id > $1::bigint`,
    [state.highWater],
  )) as [{ newer: number }];
  async function* rows(): AsyncGenerator<Row> {
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      signal?.throwIfAborted();
      yield* await sql.query<Row>(`${table.select} WHERE t.id = ANY($1::bigint[]) ORDER BY t.id`, [
        ids.slice(i, i + BATCH_SIZE),
      ]);
    }
    yield* keysetScan<Row>(sql, table.select, signal, state!.highWater);
  }
  return {
    // A row changed in place is read without the index, as a newer one is.
    use: { via: "index", coveredUpTo: state.highWater, newerRows: newer + changed.length },
    total: ids.length + newer,
    rows: rows(),
  };
}

/** The rows' keys (and fingerprints) as the three columns `unnest` inserts. */
function keyColumns<Row extends { id: string }>(table: IndexedTable<Row>, rows: readonly Row[]) {
  const ids: string[] = [];
  const keys: string[] = [];
  const births: (string | null)[] = [];
  for (const row of rows) {
    const filed = uniqueKeys(table.keysOf(row));
    if (table.fingerprint)
      filed.push({ key: `${FINGERPRINT}${(row as { fingerprint?: unknown }).fingerprint}`, birth: null });
    for (const { key, birth } of filed) {
      ids.push(row.id);
      keys.push(key);
      births.push(birth);
    }
  }
  return { ids, keys, births };
}

/**
 * Indexes the rows above the mark, `batchSize` at a time; each batch and the new mark commit
 * together, so a run stopped anywhere resumes where it stopped, and two runs at once index each
 * row once (the second waits for the mark and goes on from there). First it creates the side
 * tables, drops an index of another version, removes the keys of rows the store no longer holds
 * (deleted by the store's own system) and files anew the keys of rows changed in place (a table
 * with a `fingerprint`). Returns the rows indexed by this run.
 */
export async function buildSearchIndex<Row extends { id: string }>(
  sql: Sql,
  schema: string,
  table: IndexedTable<Row>,
  options: { batchSize?: number; signal?: AbortSignal; onProgress?: (progress: IndexProgress) => void } = {},
): Promise<{ indexed: number; pruned: number; highWater: string }> {
  const s = quoteSchema(schema);
  const source = table.table;
  await sql.exec(searchIndexDdl(schema));
  const state = await readState(sql, schema, source);
  if (!state || state.version !== SEARCH_INDEX_VERSION) {
    await sql.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${s}.portal_search_key WHERE source = $1`, [source]);
      await tx.query(
        `INSERT INTO ${s}.portal_search_index (source, version, high_water) VALUES ($1, $2, 0)
         ON CONFLICT (source) DO UPDATE SET version = $2, high_water = 0, updated_at = now()`,
        [source, SEARCH_INDEX_VERSION],
      );
    });
  }
  const [pruned] = await sql.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM ${s}.portal_search_key k WHERE k.source = $1
       AND NOT EXISTS (SELECT 1 FROM ${s}.${source} t WHERE t.id = k.row_id) RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [source],
  );
  let highWater = (await readState(sql, schema, source))!.highWater;
  const [{ above }] = (await sql.query<{ above: number }>(
    `SELECT count(*)::int AS above FROM ${s}.${source} WHERE id > $1::bigint`,
    [highWater],
  )) as [{ above: number }];
  const limit = options.batchSize ?? 2000;
  const changed = table.fingerprint
    ? (await sql.query<{ id: string }>(changedRowsQuery(schema, table), [source, highWater])).map((c) => c.id)
    : [];
  const total = above + changed.length;
  let indexed = 0;
  // Rows changed in place since they were indexed: their keys are filed anew, batch by batch.
  for (let i = 0; i < changed.length; i += limit) {
    options.signal?.throwIfAborted();
    const batch = changed.slice(i, i + limit);
    await sql.transaction(async (tx) => {
      const rows = await tx.query<Row>(`${table.select} WHERE t.id = ANY($1::bigint[]) ORDER BY t.id`, [
        batch,
      ]);
      const { ids, keys, births } = keyColumns(table, rows);
      await tx.query(`DELETE FROM ${s}.portal_search_key WHERE source = $1 AND row_id = ANY($2::bigint[])`, [
        source,
        batch,
      ]);
      await tx.query(
        `INSERT INTO ${s}.portal_search_key (source, row_id, key, birth)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])`,
        [source, ids, keys, births],
      );
    });
    indexed += batch.length;
    options.onProgress?.({ indexed, total, highWater });
  }
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await sql.query<Row>(
      `${table.select} WHERE t.id > $1::bigint ORDER BY t.id LIMIT ${limit}`,
      [highWater],
    );
    if (rows.length === 0) break;
    const { ids, keys, births } = keyColumns(table, rows);
    const last = rows[rows.length - 1]!.id;
    const moved = await sql.transaction(async (tx) => {
      const [current] = await tx.query<{ highWater: string }>(
        `SELECT high_water::text AS "highWater" FROM ${s}.portal_search_index WHERE source = $1 FOR UPDATE`,
        [source],
      );
      // Another run indexed these rows meanwhile: go on from its mark.
      if (current!.highWater !== highWater) return current!.highWater;
      await tx.query(
        `INSERT INTO ${s}.portal_search_key (source, row_id, key, birth)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])`,
        [source, ids, keys, births],
      );
      await tx.query(
        `UPDATE ${s}.portal_search_index SET high_water = $2::bigint, updated_at = now() WHERE source = $1`,
        [source, last],
      );
      return null;
    });
    if (moved !== null) {
      highWater = moved;
      continue;
    }
    highWater = last;
    indexed += rows.length;
    options.onProgress?.({ indexed, total, highWater });
  }
  return { indexed, pruned: pruned?.n ?? 0, highWater };
}

/** Removes the keys of deleted rows (`ids`), in the transaction that deleted them; nothing when the store has no index. */
export async function forgetIndexedRows(
  tx: Sql,
  schema: string,
  source: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const [exists] = await tx.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${quoteSchema(schema)}.portal_search_key`,
  ]);
  if (!exists?.present) return;
  await tx.query(
    `DELETE FROM ${quoteSchema(schema)}.portal_search_key WHERE source = $1 AND row_id = ANY($2::bigint[])`,
    [source, ids],
  );
}
