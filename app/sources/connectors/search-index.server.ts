/**
 * Search indexes of the database stores (ADR 0020): the search keys of every row (app/sources/subject.ts
 * `searchKeys`, the matcher's own normalisation) in a side table of the store's schema, so that a
 * search reads only the rows that carry one of the subject's keys instead of parsing every row.
 *
 * The index covers the rows up to its high-water mark (a row id; NULL before its first row is filed,
 * so that no id, 0 or negative ones included, lies below an empty index's mark). Rows above it — written after the
 * last indexing run, or not reached yet by a run under way — are scanned as before; a store without
 * an index, or with one built by another key format, is scanned whole. Every indexed table has a
 * trigger that notes every row written, changed or deleted in `portal_search_change`, in the
 * transaction that writes it; a search also reads the rows noted up to the mark (a row that
 * committed after a run had read past its id, one written below the mark or changed in place),
 * and a table whose trigger is gone or disabled is scanned whole. So an index that is missing, stale or
 * being built never makes a search miss a record; it only makes the search slower. What a search
 * costs besides its candidates grows with the rows written since the last run, not with the store.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "#db/sql";
import type { IndexProgress, IndexRun, IndexUse } from "../connector";
import { quoteSchema } from "../database.server";
import { aboveMark, BATCH_SIZE, keysetScan } from "./db-store.server";

/**
 * Raised whenever what `searchKeys` yields for a record changes: an index of another version is
 * rebuilt, and not used until then. 2: the mark of an index that covers nothing yet is NULL, not
 * 0 (version 1 began above 0 and never filed a row whose id is 0 or negative).
 */
export const SEARCH_INDEX_VERSION = 2;

/**
 * The packages whose output the keys are made of: any-ascii and punycode fold names and domains,
 * libphonenumber-js's metadata makes the E.164 phones, validator the mailbox keys, nodemailer's
 * addressparser splits the service desk's address fields, fast-xml-parser reads the protocols.
 * An update of one of them may change a key without anyone raising `SEARCH_INDEX_VERSION`.
 */
const KEY_PACKAGES = [
  "any-ascii",
  "fast-xml-parser",
  "libphonenumber-js",
  "nodemailer",
  "punycode",
  "validator",
];

/**
 * The version of an installed package, from the package.json the module resolution finds above
 * `from` (read directly: some packages do not export their package.json). "?" when none is found.
 */
export function installedVersion(name: string, from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "node_modules", name, "package.json");
    if (existsSync(file))
      return String((JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version);
    if (dirname(dir) === dir) return "?";
  }
}

/**
 * What an index was built by: `SEARCH_INDEX_VERSION`, the versions of the packages the keys depend
 * on and the runtime's Unicode version (NFKC and case folding). An index of another format is
 * outdated: scanned until the next run rebuilds it, so a dependency update never leaves keys
 * that the new code would not make (a search through them would miss records).
 */
export function searchIndexFormat(versionOf: (name: string) => string = installedVersion): string {
  return [
    `v${SEARCH_INDEX_VERSION}`,
    ...KEY_PACKAGES.map((name) => `${name}@${versionOf(name)}`),
    `unicode@${process.versions.unicode}`,
  ].join(" ");
}

export const SEARCH_INDEX_FORMAT = searchIndexFormat();

/** The key of a row that could not be read in full: it is always a candidate, so that its problem is reported as in a scan. */
export const ALWAYS_CANDIDATE = "!";

/** One search key of a row; `birth` is the date of birth the row gives beside a name key (narrows namesakes). */
export interface IndexedKey {
  key: string;
  birth: string | null;
}

/** The name of the trigger (and its function) that notes the changes of an indexed table. */
const TRACKER = "portal_search_change";

/** What a store tells the index about one of its tables. */
export interface IndexedTable<Row extends { id: string }> {
  /** The table's name in the store's schema; also the index's `source`. */
  table: string;
  /** `SELECT … FROM <schema>.<table> t` (keyset order on `t.id`) with what `keysOf` reads. */
  select: string;
  keysOf(row: Row): IndexedKey[];
  /**
   * The columns `keysOf` reads. The indexing run puts a trigger on the table that notes in
   * `portal_search_change`, in the writing transaction, the id of every row inserted or deleted and
   * of every row whose id or one of these columns an UPDATE sets; every search reads the noted rows
   * up to the mark as it reads those above it, until a run files their keys anew. So neither the
   * order in which the store's transactions commit (a row whose id lies below a higher one already
   * filed, committed after the run read past it) nor a row written below the mark or changed in
   * place is missed.
   */
  tracked: readonly string[];
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
 * later runs take no lock on it. `format` is `SEARCH_INDEX_FORMAT` (added to older tables).
 */
export function searchIndexDdl(schema: string): string {
  const s = quoteSchema(schema);
  return `
    CREATE TABLE IF NOT EXISTS ${s}.portal_search_index (
      source text PRIMARY KEY,
      version integer NOT NULL,
      high_water bigint,
      updated_at timestamptz NOT NULL DEFAULT now(),
      format text
    );
    ALTER TABLE ${s}.portal_search_index ADD COLUMN IF NOT EXISTS format text;
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

/**
 * Whether the side tables, their indexes, columns and the trigger function are all there (one
 * catalogue query). The DDL is run only when not: CREATE INDEX IF NOT EXISTS and ADD COLUMN IF NOT
 * EXISTS take their table's lock before they look, so run every time they would wait for every
 * open transaction of the store that wrote a note (and every store writer would queue behind
 * them). A change to the trigger function's body needs a new name, or this check will not see it.
 */
async function sideTablesReady(sql: Sql, schema: string): Promise<boolean> {
  const s = quoteSchema(schema);
  const [row] = await sql.query<{ ready: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AND to_regclass($3) IS NOT NULL
       AND to_regprocedure($4) IS NOT NULL
       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass($5) AND NOT a.attisdropped
            AND (a.attname IN ('format', 'tracker') OR (a.attname = 'high_water' AND NOT a.attnotnull))) = 3 AS ready`,
    [
      `${s}.portal_search_key_lookup`,
      `${s}.portal_search_key_row`,
      `${s}.portal_search_change_row`,
      `${s}.${TRACKER}()`,
      `${s}.portal_search_index`,
    ],
  );
  return Boolean(row?.ready);
}

interface IndexState {
  version: number;
  /** `SEARCH_INDEX_FORMAT` of the run that built it; null for an index built before it was kept. */
  format: string | null;
  /** The id of the last row filed; null while none is (every row is above the mark). */
  highWater: string | null;
  /** The oid of the trigger the index was built under. */
  tracker: string | null;
}

async function readState(sql: Sql, schema: string, source: string): Promise<IndexState | null> {
  const [exists] = await sql.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${quoteSchema(schema)}.portal_search_index`,
  ]);
  if (!exists?.present) return null;
  // Through to_jsonb: a table made by an older portal lacks `tracker` or `format` until the next run adds them.
  const [state] = await sql.query<IndexState>(
    `SELECT version, high_water::text AS "highWater", to_jsonb(i) ->> 'tracker' AS tracker, to_jsonb(i) ->> 'format' AS format
     FROM ${quoteSchema(schema)}.portal_search_index i WHERE source = $1`,
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
 * Puts the trigger that notes every change on an indexed table (anew) and returns its oid, which
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
    CREATE TRIGGER ${TRACKER} AFTER INSERT OR DELETE OR UPDATE OF id, ${table.tracked.join(", ")}
      ON ${s}.${table.table} FOR EACH ROW EXECUTE FUNCTION ${s}.${TRACKER}();
    ALTER TABLE ${s}.${table.table} ENABLE ALWAYS TRIGGER ${TRACKER};`);
  return (await liveTracker(tx, schema, table.table))!;
}

/**
 * Whether an index still sees every change: its trigger is the one the index
 * was built under (not dropped and made anew, which leaves a gap) and is enabled for every
 * session (ENABLE ALWAYS: replication and restores too). A query, not a read of the table.
 */
async function tracking(sql: Sql, schema: string, table: string, state: IndexState): Promise<boolean> {
  return state.tracker != null && state.tracker === (await liveTracker(sql, schema, table));
}

type ScanReason = Extract<IndexUse, { via: "scan" }>["reason"];

/** Whether an index was built by this code and these packages (`SEARCH_INDEX_FORMAT`). */
const currentFormat = (state: IndexState) =>
  state.version === SEARCH_INDEX_VERSION && state.format === SEARCH_INDEX_FORMAT;

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
    const state = await readState(sql, schema, table.table);
    if (!state) return "missing";
    if (!currentFormat(state)) return "outdated";
    if (!(await tracking(sql, schema, table.table, state))) return "untracked";
    return null;
  } catch {
    // A store whose operator did not allow the side tables, or one that cannot be read: scan.
    return "unreadable";
  }
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * The rows a search must parse, in id order: the indexed rows carrying one of `keys` whose date of
 * birth `acceptBirth` does not rule out, the rows noted as written or changed since they were
 * indexed, then every row above the index's mark; or every row when there is no usable index.
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
  const mark = state.highWater;
  // The noted changes are read before the keys: a run that files a changed row's new keys removes
  // its note in the same transaction, so the search sees the note or the new keys, never neither.
  // An index that covers no row yet has neither keys nor notes up to its mark: every row is above it.
  const changed =
    mark !== null
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
      changedRows: changed.length,
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
 * The index's state, locked until the transaction ends; null while another indexing run holds it.
 * Every transaction of a run that resets the index, files keys or removes notes takes it first and
 * reads what it files after it, so the transactions of two runs of one table never interleave: a
 * slower run cannot file a row as it read it before a faster run filed a newer change, nor remove
 * the note of a change it did not read. A run that finds it held stops (SKIP LOCKED): the other
 * run files what is left, and waiting would only file it twice.
 */
async function lockState(tx: Sql, schema: string, source: string): Promise<IndexState | null> {
  const [state] = await tx.query<IndexState>(
    `SELECT version, format, high_water::text AS "highWater", tracker::text AS tracker
     FROM ${quoteSchema(schema)}.portal_search_index WHERE source = $1 FOR UPDATE SKIP LOCKED`,
    [source],
  );
  return state ?? null;
}

/**
 * Starts the index of `table` anew when it is missing, of another format, or its trigger is not
 * the one it was built under (changes may have gone unnoted): "busy" when another run holds it.
 * Two transactions: the first removes the old keys and notes and sets the mark to NULL without
 * the trigger's lock (at tens of millions of rows removing the keys takes minutes, and CREATE
 * TRIGGER's lock would hold the store's writers as long); the second puts the trigger on and
 * records it. Between them the index has no tracker, so a search scans.
 */
async function resetIndex(
  sql: Sql,
  schema: string,
  table: Pick<IndexedTable<{ id: string }>, "table" | "tracked">,
): Promise<"busy" | "ready"> {
  const s = quoteSchema(schema);
  const source = table.table;
  const reset = await sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO ${s}.portal_search_index (source, version) VALUES ($1, $2) ON CONFLICT (source) DO NOTHING`,
      [source, SEARCH_INDEX_VERSION],
    );
    const state = await lockState(tx, schema, source);
    if (!state) return "busy";
    // Another run has rebuilt it since this one looked.
    if (currentFormat(state) && (await tracking(tx, schema, source, state))) return "ready";
    await tx.query(`DELETE FROM ${s}.portal_search_change WHERE source = $1`, [source]);
    await tx.query(`DELETE FROM ${s}.portal_search_key WHERE source = $1`, [source]);
    await tx.query(
      `UPDATE ${s}.portal_search_index SET version = $2, format = $3, high_water = NULL, tracker = NULL, updated_at = now()
       WHERE source = $1`,
      [source, SEARCH_INDEX_VERSION, SEARCH_INDEX_FORMAT],
    );
    return "reset";
  });
  if (reset !== "reset") return reset;
  return sql.transaction(async (tx) => {
    const state = await lockState(tx, schema, source);
    if (!state) return "busy";
    if (!(await tracking(tx, schema, source, state))) {
      const tracker = await installTracker(tx, schema, table);
      await tx.query(`UPDATE ${s}.portal_search_index SET tracker = $2::oid WHERE source = $1`, [
        source,
        tracker,
      ]);
    }
    return "ready";
  });
}

/**
 * Indexes the rows above the mark, `batchSize` at a time; each batch and the new mark commit
 * together, so a run stopped anywhere resumes where it stopped. First it creates the side tables
 * and starts the index anew when it is missing, of another format (`SEARCH_INDEX_FORMAT`) or its
 * trigger is not the one it was built under (`resetIndex`). After the rows above the mark it files
 * anew the keys of the rows noted as written or changed up to the mark (among them a row that
 * committed after an earlier run read past its id) and removes the keys of rows noted as deleted,
 * removing each note in the transaction that files its row. One run of a table at a time
 * (`lockState`): a second run at once stops and says so, so each row is indexed once.
 */
export async function buildSearchIndex<Row extends { id: string }>(
  sql: Sql,
  schema: string,
  table: IndexedTable<Row>,
  options: { batchSize?: number; signal?: AbortSignal; onProgress?: (progress: IndexProgress) => void } = {},
): Promise<IndexRun> {
  const s = quoteSchema(schema);
  const source = table.table;
  if (!(await sideTablesReady(sql, schema)))
    await sql.exec(searchIndexDdl(schema) + changeTrackingDdl(schema));
  const state = await readState(sql, schema, source);
  const current = state && currentFormat(state) && (await tracking(sql, schema, source, state));
  if (!current && (await resetIndex(sql, schema, table)) === "busy")
    return { indexed: 0, pruned: 0, highWater: state?.highWater ?? null, busy: true };
  let highWater = (await readState(sql, schema, source))!.highWater;
  const unfiled = aboveMark(highWater);
  const [{ count: aboveCount }] = (await sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${s}.${source} t${unfiled.where}`,
    unfiled.params,
  )) as [{ count: number }];
  const [{ noted }] =
    highWater !== null
      ? ((await sql.query<{ noted: number }>(
          `SELECT count(DISTINCT row_id)::int AS noted FROM ${s}.portal_search_change WHERE source = $1 AND row_id <= $2::bigint`,
          [source, highWater],
        )) as [{ noted: number }])
      : [{ noted: 0 }];
  const limit = options.batchSize ?? 2000;
  const total = aboveCount + noted;
  let indexed = 0;
  let pruned = 0;
  const busy = (): IndexRun => ({ indexed, pruned, highWater, busy: true });
  for (;;) {
    options.signal?.throwIfAborted();
    const page = aboveMark(highWater);
    // The page's notes are read by the statement that reads its rows (one snapshot): every change
    // they note is in the rows as read, so the transaction that files the rows removes them and the
    // next run does not file these rows again. A note committed after this read stays (a row whose
    // transaction committed later, or a change since).
    const rows = await sql.query<Row & { portal_notes: string[] }>(
      `SELECT p.*, ARRAY(SELECT c.seq::text FROM ${s}.portal_search_change c
                         WHERE c.source = $${page.params.length + 1} AND c.row_id = p.id::bigint) AS portal_notes
       FROM (${table.select}${page.where} ORDER BY t.id LIMIT ${limit}) p ORDER BY p.id::bigint`,
      [...page.params, source],
    );
    if (rows.length === 0) break;
    const { ids, keys, births } = keyColumns(table, rows);
    const last = rows[rows.length - 1]!.id;
    const moved = await sql.transaction(async (tx) => {
      const locked = await lockState(tx, schema, source);
      if (!locked) return { busy: true as const };
      // Another run indexed these rows meanwhile (or started the index anew): go on from its mark.
      if (locked.highWater !== highWater) return { to: locked.highWater };
      await tx.query(
        `INSERT INTO ${s}.portal_search_key (source, row_id, key, birth)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])`,
        [source, ids, keys, births],
      );
      await tx.query(`DELETE FROM ${s}.portal_search_change WHERE seq = ANY($1::bigint[])`, [
        rows.flatMap((row) => row.portal_notes),
      ]);
      await tx.query(
        `UPDATE ${s}.portal_search_index SET high_water = $2::bigint, updated_at = now() WHERE source = $1`,
        [source, last],
      );
      return null;
    });
    if (moved && "busy" in moved) return busy();
    if (moved !== null) {
      highWater = moved.to;
      continue;
    }
    highWater = last;
    indexed += rows.length;
    options.onProgress?.({ indexed, total, highWater });
  }
  // The rows noted up to the mark (written below it, committed after a run read past them,
  // changed in place, deleted): their keys filed anew, and the notes read removed with them. A note
  // written meanwhile stays for the next run. (With no row filed, the mark is NULL and nothing lies
  // at or below it.)
  for (;;) {
    options.signal?.throwIfAborted();
    const done = await sql.transaction(async (tx) => {
      const locked = await lockState(tx, schema, source);
      if (!locked) return null;
      const mark = locked.highWater;
      if (mark === null) return { rows: 0, pruned: 0, mark };
      const notes = await tx.query<{ seq: string; id: string }>(
        `SELECT seq::text AS seq, row_id::text AS id FROM ${s}.portal_search_change
         WHERE source = $1 AND row_id <= $2::bigint ORDER BY seq LIMIT ${limit}`,
        [source, mark],
      );
      if (notes.length === 0) return { rows: 0, pruned: 0, mark };
      const batch = [...new Set(notes.map((n) => n.id))];
      // Read after the notes: every change they note is in what this reads.
      const rows = await tx.query<Row>(`${table.select} WHERE t.id = ANY($1::bigint[]) ORDER BY t.id`, [
        batch,
      ]);
      const { ids, keys, births } = keyColumns(table, rows);
      const removed = await tx.query<{ id: string }>(
        `DELETE FROM ${s}.portal_search_key WHERE source = $1 AND row_id = ANY($2::bigint[]) RETURNING row_id::text AS id`,
        [source, batch],
      );
      await tx.query(
        `INSERT INTO ${s}.portal_search_key (source, row_id, key, birth)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[])`,
        [source, ids, keys, births],
      );
      await tx.query(`DELETE FROM ${s}.portal_search_change WHERE seq = ANY($1::bigint[])`, [
        notes.map((n) => n.seq),
      ]);
      const present = new Set(rows.map((row) => row.id));
      return { rows: batch.length, pruned: removed.filter((k) => !present.has(k.id)).length, mark };
    });
    if (done === null) return busy();
    highWater = done.mark;
    if (done.rows === 0) break;
    indexed += done.rows;
    pruned += done.pruned;
    options.onProgress?.({ indexed, total: Math.max(total, indexed), highWater: done.mark! });
  }
  return { indexed, pruned, highWater };
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
