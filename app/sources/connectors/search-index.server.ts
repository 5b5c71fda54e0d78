/**
 * Search indexes of the database stores (ADR 0020): the search keys of every row (app/sources/subject.ts
 * `searchKeys`, the matcher's own normalisation) in a side table of the store's schema, so that a
 * search reads only the rows that carry one of the subject's keys instead of parsing every row.
 *
 * The index covers the rows up to its high-water mark (a row id; NULL before its first row is filed,
 * so that no id, 0 or negative ones included, lies below an empty index's mark). Rows above it — written after the
 * last indexing run, or not reached yet by a run under way — are scanned as before; a store without
 * an index, or with one built by another key format, is scanned whole. A table whose rows the
 * store's own system changes (`IndexedTable.tracked`) has a trigger that notes every row written,
 * changed or deleted in `portal_search_change`; a search also reads the rows noted there, and a
 * table whose trigger is gone or disabled is scanned whole. So an index that is missing, stale or
 * being built never makes a search miss a record; it only makes the search slower. What a search
 * costs besides its candidates grows with the rows written since the last run, not with the store.
 */
import type { Sql } from "#db/sql";
import type { IndexProgress, IndexUse } from "../connector";
import { quoteSchema } from "../database.server";
import { aboveMark, BATCH_SIZE, keysetScan } from "./db-store.server";

/**
 * Raised whenever what `searchKeys` yields for a record changes: an index of another version is
 * rebuilt, and not used until then. 2: the mark of an index that covers nothing yet is NULL, not
 * 0 (version 1 began above 0 and never filed a row whose id is 0 or negative).
 */
export const SEARCH_INDEX_VERSION = 2;

/** The key of a row that could not be read in full: it is always a candidate, so that its problem is reported as in a scan. */
export const ALWAYS_CANDIDATE = "!";

/** One search key of a row; `birth` is the date of birth the row gives beside a name key (narrows namesakes). */
export interface IndexedKey {
  key: string;
  birth: string | null;
}

/** The name of the trigger (and its function) that notes the changes of a tracked table. */
const TRACKER = "portal_search_change";

/** What a store tells the index about one of its tables. */
export interface IndexedTable<Row extends { id: string }> {
  /** The table's name in the store's schema; also the index's `source`. */
  table: string;
  /** `SELECT … FROM <schema>.<table> t` (keyset order on `t.id`) with what `keysOf` reads. */
  select: string;
  keysOf(row: Row): IndexedKey[];
  /**
   * For a table whose rows the store's own system writes in any order, changes in place or
   * deletes (a ticket's customer fields, an article added to an old ticket): the columns `keysOf`
   * reads. The indexing run puts a trigger on the table that notes in `portal_search_change` the
   * id of every row inserted or deleted, and of every row whose id or one of these columns an
   * UPDATE sets; every search reads the noted rows as it reads those above the mark, until the next
   * run files their keys anew. Tables without it are taken as append-only with rising ids (ADR 0020).
   */
  tracked?: readonly string[];
}

/** A row's keys once each (a hit often repeats the criteria's name and date). */
export function uniqueKeys(keys: readonly IndexedKey[]): IndexedKey[] {
  const seen = new Map<string, IndexedKey>();
  for (const k of keys) seen.set(`${k.key}\u0000${k.birth ?? ""}`, k);
  return [...seen.values()];
}

/**
 * The side tables. `high_water` is NULL while an index covers no row yet; a table made before that
 * (NOT NULL, its mark began at 0) loses the constraint here, once: the catalogue is asked first, so
 * later runs take no lock on it.
 */
export function searchIndexDdl(schema: string): string {
  const s = quoteSchema(schema);
  return `
    CREATE TABLE IF NOT EXISTS ${s}.portal_search_index (
      source text PRIMARY KEY,
      version integer NOT NULL,
      high_water bigint,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    DO $nullable$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                 WHERE attrelid = to_regclass('${s.replace(/'/g, "''")}.portal_search_index')
                   AND attname = 'high_water' AND attnotnull) THEN
        ALTER TABLE ${s}.portal_search_index ALTER COLUMN high_water DROP NOT NULL;
      END IF;
    END $nullable$;
    CREATE TABLE IF NOT EXISTS ${s}.portal_search_key (
      source text NOT NULL,
      row_id bigint NOT NULL,
      key text NOT NULL,
      birth text
    );
    CREATE INDEX IF NOT EXISTS portal_search_key_lookup ON ${s}.portal_search_key (source, key) INCLUDE (row_id, birth);
    CREATE INDEX IF NOT EXISTS portal_search_key_row ON ${s}.portal_search_key (source, row_id);`;
}

/**
 * The side table of the noted changes, the trigger function that writes it and the column that
 * names the trigger an index was built under. The function runs with its owner's rights
 * (SECURITY DEFINER), so the service desk's own writes need no right on the side table.
 */
export function changeTrackingDdl(schema: string): string {
  const s = quoteSchema(schema);
  return `
    ALTER TABLE ${s}.portal_search_index ADD COLUMN IF NOT EXISTS tracker oid;
    CREATE TABLE IF NOT EXISTS ${s}.portal_search_change (
      seq bigserial PRIMARY KEY,
      source text NOT NULL,
      row_id bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS portal_search_change_row ON ${s}.portal_search_change (source, row_id);
    CREATE OR REPLACE FUNCTION ${s}.${TRACKER}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $tracker$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        INSERT INTO ${s}.portal_search_change (source, row_id) VALUES (TG_TABLE_NAME, OLD.id);
      END IF;
      IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id) THEN
        INSERT INTO ${s}.portal_search_change (source, row_id) VALUES (TG_TABLE_NAME, NEW.id);
      END IF;
      RETURN NULL;
    END $tracker$;`;
}

interface IndexState {
  version: number;
  /** The id of the last row filed; null while none is (every row is above the mark). */
  highWater: string | null;
  /** The oid of the trigger the index of a tracked table was built under. */
  tracker?: string | null;
}

async function readState(
  sql: Sql,
  schema: string,
  source: string,
  tracked = false,
): Promise<IndexState | null> {
  const [exists] = await sql.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${quoteSchema(schema)}.portal_search_index`,
  ]);
  if (!exists?.present) return null;
  const [state] = await sql.query<IndexState>(
    `SELECT version, high_water::text AS "highWater"${tracked ? `, tracker::text AS tracker` : ""}
     FROM ${quoteSchema(schema)}.portal_search_index WHERE source = $1`,
    [source],
  );
  return state ?? null;
}

/** The trigger that notes the changes of `table` now, when it is there and fires for every session. */
async function liveTracker(sql: Sql, schema: string, table: string): Promise<string | null> {
  const [trigger] = await sql.query<{ oid: string }>(
    `SELECT t.oid::text AS oid FROM pg_trigger t
     WHERE t.tgrelid = to_regclass($1) AND t.tgname = $2 AND t.tgenabled::text = 'A'`,
    [`${quoteSchema(schema)}.${table}`, TRACKER],
  );
  return trigger?.oid ?? null;
}

/**
 * Puts the trigger that notes every change on a tracked table (anew) and returns its oid, which
 * the index's state keeps. Needs `changeTrackingDdl` first. CREATE TRIGGER locks out the table's
 * writers until the transaction commits: every change after that is noted.
 */
export async function installTracker(
  tx: Sql,
  schema: string,
  table: Pick<IndexedTable<{ id: string }>, "table" | "tracked">,
): Promise<string> {
  const s = quoteSchema(schema);
  await tx.exec(`DROP TRIGGER IF EXISTS ${TRACKER} ON ${s}.${table.table};
    CREATE TRIGGER ${TRACKER} AFTER INSERT OR DELETE OR UPDATE OF id, ${table.tracked!.join(", ")}
      ON ${s}.${table.table} FOR EACH ROW EXECUTE FUNCTION ${s}.${TRACKER}();
    ALTER TABLE ${s}.${table.table} ENABLE ALWAYS TRIGGER ${TRACKER};`);
  return (await liveTracker(tx, schema, table.table))!;
}

/**
 * Whether the index of a tracked table still sees every change: its trigger is the one the index
 * was built under (not dropped and made anew, which leaves a gap) and is enabled for every
 * session (ENABLE ALWAYS: replication and restores too). A query, not a read of the table.
 */
async function tracking(sql: Sql, schema: string, table: string, state: IndexState): Promise<boolean> {
  return state.tracker != null && state.tracker === (await liveTracker(sql, schema, table));
}

type ScanReason = Extract<IndexUse, { via: "scan" }>["reason"];

/**
 * Whether a search of `table` can go through its index: null when it can, else why not. A store
 * that searches several tables asks first, so that it scans all of them when one cannot (and the
 * gathering table's "every record was read" stays true).
 */
export async function unusableIndex(
  sql: Sql,
  schema: string,
  table: Pick<IndexedTable<{ id: string }>, "table" | "tracked">,
): Promise<ScanReason | null> {
  try {
    const state = await readState(sql, schema, table.table, Boolean(table.tracked));
    if (!state) return "missing";
    if (state.version !== SEARCH_INDEX_VERSION) return "outdated";
    if (table.tracked && !(await tracking(sql, schema, table.table, state))) return "untracked";
    return null;
  } catch {
    // A store whose operator did not allow the side tables, or one that cannot be read: scan.
    return "unreadable";
  }
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * The rows a search must parse, in id order: the indexed rows carrying one of `keys` whose date of
 * birth `acceptBirth` does not rule out, the rows of a tracked table noted as changed since they
 * were indexed, then every row above the index's mark; or every row when there is no usable index.
 * `use` says which, for the gathering table.
 */
export async function searchRows<Row extends { id: string }>(
  sql: Sql,
  schema: string,
  table: IndexedTable<Row>,
  keys: readonly string[],
  acceptBirth: (birth: string) => boolean,
  signal?: AbortSignal,
  /**
   * Scan whatever the index's state, for this reason (another table of the store cannot use its
   * index); null when the caller has just found the index usable (`unusableIndex`).
   */
  scanFor?: ScanReason | null,
): Promise<{ use: IndexUse; total: number; rows: AsyncGenerator<Row> }> {
  const s = quoteSchema(schema);
  const from = `${s}.${table.table}`;
  const unusable = scanFor === undefined ? await unusableIndex(sql, schema, table) : scanFor;
  const state = unusable ? null : await readState(sql, schema, table.table, Boolean(table.tracked));
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
  const mark = state.highWater;
  // The noted changes are read before the keys: a run that files a changed row's new keys removes
  // its note in the same transaction, so the search sees the note or the new keys, never neither.
  // An index that covers no row yet has neither keys nor notes up to its mark: every row is above it.
  const changed =
    table.tracked && mark !== null
      ? await sql.query<{ id: string }>(
          `SELECT DISTINCT row_id::text AS id FROM ${s}.portal_search_change WHERE source = $1 AND row_id <= $2::bigint`,
          [table.table, mark],
        )
      : [];
  const hits =
    mark === null
      ? []
      : await sql.query<{ id: string; birth: string | null }>(
          `SELECT row_id::text AS id, birth FROM ${s}.portal_search_key
           WHERE source = $1 AND key = ANY($2::text[]) AND row_id <= $3::bigint`,
          [table.table, [...keys, ALWAYS_CANDIDATE], mark],
        );
  const ids = [
    ...new Set([
      ...hits.filter((h) => h.birth === null || acceptBirth(h.birth)).map((h) => h.id),
      ...changed.map((c) => c.id),
    ]),
  ].sort(byId);
  const newerRows = aboveMark(mark);
  const [{ newer }] = (await sql.query<{ newer: number }>(
    `SELECT count(*)::int AS newer FROM ${from} t${newerRows.where}`,
    newerRows.params,
  )) as [{ newer: number }];
  async function* rows(): AsyncGenerator<Row> {
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      signal?.throwIfAborted();
      yield* await sql.query<Row>(`${table.select} WHERE t.id = ANY($1::bigint[]) ORDER BY t.id`, [
        ids.slice(i, i + BATCH_SIZE),
      ]);
    }
    yield* keysetScan<Row>(sql, table.select, signal, mark);
  }
  return {
    use: {
      via: "index",
      coveredUpTo: mark,
      newerRows: newer,
      ...(table.tracked ? { changedRows: changed.length } : {}),
    },
    total: ids.length + newer,
    rows: rows(),
  };
}

/** The rows' keys as the three columns `unnest` inserts. */
function keyColumns<Row extends { id: string }>(table: IndexedTable<Row>, rows: readonly Row[]) {
  const ids: string[] = [];
  const keys: string[] = [];
  const births: (string | null)[] = [];
  for (const row of rows)
    for (const { key, birth } of uniqueKeys(table.keysOf(row))) {
      ids.push(row.id);
      keys.push(key);
      births.push(birth);
    }
  return { ids, keys, births };
}

/**
 * Indexes the rows above the mark, `batchSize` at a time; each batch and the new mark commit
 * together, so a run stopped anywhere resumes where it stopped, and two runs at once index each
 * row once (the second waits for the mark and goes on from there). First it creates the side
 * tables and drops an index of another version. For a table without tracking it removes the keys
 * of rows the store no longer holds (deleted by the store's own system: one anti-join). For a
 * tracked table it puts the trigger on the table (and starts the index anew when the trigger was
 * missing, disabled or made anew, since changes may have gone unnoted), and after the rows above
 * the mark it files anew the keys of the rows noted as changed, removing each note in the
 * transaction that files the row. Returns the rows indexed by this run.
 */
export async function buildSearchIndex<Row extends { id: string }>(
  sql: Sql,
  schema: string,
  table: IndexedTable<Row>,
  options: { batchSize?: number; signal?: AbortSignal; onProgress?: (progress: IndexProgress) => void } = {},
): Promise<{ indexed: number; pruned: number; highWater: string | null }> {
  const s = quoteSchema(schema);
  const source = table.table;
  const tracked = Boolean(table.tracked);
  await sql.exec(searchIndexDdl(schema) + (tracked ? changeTrackingDdl(schema) : ""));
  const state = await readState(sql, schema, source, tracked);
  const current =
    state &&
    state.version === SEARCH_INDEX_VERSION &&
    (!tracked || (await tracking(sql, schema, source, state)));
  if (!current) {
    await sql.transaction(async (tx) => {
      let tracker: string | null = null;
      if (tracked) {
        tracker = await installTracker(tx, schema, table);
        await tx.query(`DELETE FROM ${s}.portal_search_change WHERE source = $1`, [source]);
      }
      await tx.query(`DELETE FROM ${s}.portal_search_key WHERE source = $1`, [source]);
      await tx.query(
        `INSERT INTO ${s}.portal_search_index (source, version, high_water${tracked ? ", tracker" : ""})
         VALUES ($1, $2, NULL${tracked ? ", $3::oid" : ""})
         ON CONFLICT (source) DO UPDATE SET version = $2, high_water = NULL, updated_at = now()${tracked ? ", tracker = $3::oid" : ""}`,
        tracked ? [source, SEARCH_INDEX_VERSION, tracker] : [source, SEARCH_INDEX_VERSION],
      );
    });
  }
  const [pruned] = tracked
    ? [{ n: 0 }]
    : await sql.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM ${s}.portal_search_key k WHERE k.source = $1
           AND NOT EXISTS (SELECT 1 FROM ${s}.${source} t WHERE t.id = k.row_id) RETURNING 1
         ) SELECT count(*)::int AS n FROM gone`,
        [source],
      );
  let highWater = (await readState(sql, schema, source))!.highWater;
  const unfiled = aboveMark(highWater);
  const [{ count: aboveCount }] = (await sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${s}.${source} t${unfiled.where}`,
    unfiled.params,
  )) as [{ count: number }];
  const [{ noted }] =
    tracked && highWater !== null
      ? ((await sql.query<{ noted: number }>(
          `SELECT count(DISTINCT row_id)::int AS noted FROM ${s}.portal_search_change WHERE source = $1 AND row_id <= $2::bigint`,
          [source, highWater],
        )) as [{ noted: number }])
      : [{ noted: 0 }];
  const limit = options.batchSize ?? 2000;
  const total = aboveCount + noted;
  let indexed = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = aboveMark(highWater);
    const rows = await sql.query<Row>(
      `${table.select}${page.where} ORDER BY t.id LIMIT ${limit}`,
      page.params,
    );
    if (rows.length === 0) break;
    const { ids, keys, births } = keyColumns(table, rows);
    const last = rows[rows.length - 1]!.id;
    const moved = await sql.transaction(async (tx) => {
      const [current] = await tx.query<{ highWater: string | null }>(
        `SELECT high_water::text AS "highWater" FROM ${s}.portal_search_index WHERE source = $1 FOR UPDATE`,
        [source],
      );
      // Another run indexed these rows meanwhile: go on from its mark.
      if (current!.highWater !== highWater) return { to: current!.highWater };
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
      highWater = moved.to;
      continue;
    }
    highWater = last;
    indexed += rows.length;
    options.onProgress?.({ indexed, total, highWater });
  }
  // The rows noted as changed (written below the mark, changed in place, deleted): their keys
  // filed anew, and the notes read removed with them. A note written meanwhile stays for the next run.
  // (With no row filed, the mark is NULL and nothing lies at or below it.)
  while (tracked && highWater !== null) {
    options.signal?.throwIfAborted();
    const done = await sql.transaction(async (tx) => {
      const notes = await tx.query<{ seq: string; id: string }>(
        `SELECT seq::text AS seq, row_id::text AS id FROM ${s}.portal_search_change
         WHERE source = $1 AND row_id <= $2::bigint ORDER BY seq LIMIT ${limit}`,
        [source, highWater],
      );
      if (notes.length === 0) return 0;
      const batch = [...new Set(notes.map((n) => n.id))];
      // Read after the notes: every change they note is in what this reads.
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
      await tx.query(`DELETE FROM ${s}.portal_search_change WHERE seq = ANY($1::bigint[])`, [
        notes.map((n) => n.seq),
      ]);
      return batch.length;
    });
    if (done === 0) break;
    indexed += done;
    options.onProgress?.({ indexed, total: Math.max(total, indexed), highWater });
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
