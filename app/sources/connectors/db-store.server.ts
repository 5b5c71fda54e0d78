/**
 * Shared by the database connectors: batched keyset scans, the legal-hold side table, reading
 * referenced rows again (what "done" is confirmed by) and the store check.
 */
import type { Sql } from "#db/sql";
import type { ChangeResult, Hold, RecordState, StoreCheck } from "../connector";
import { holdTableDdl, quoteSchema } from "../database.server";

export const BATCH_SIZE = 500;

/**
 * The rows above `mark` as a WHERE clause on the table's alias `t`, with its parameter; for null
 * ("nothing read yet" is no id) no clause at all: every row, ids at or below 0 too. Written for
 * its case (no `$1 IS NULL OR …`), so that the primary key's b-tree is what reads it.
 */
export function aboveMark(mark: string | null): { where: string; params: string[] } {
  return mark === null ? { where: "", params: [] } : { where: " WHERE t.id > $1::bigint", params: [mark] };
}

/**
 * Rows in primary-key order, `BATCH_SIZE` at a time: never the whole table in memory. `select`
 * names its table `t` and has no WHERE of its own (the key is compared and ordered as a number,
 * the row's id comes as text). `after`: only the rows above this id (those a search index does
 * not cover); null, the default, reads every row (`aboveMark`).
 */
export async function* keysetScan<T extends { id: string }>(
  sql: Sql,
  select: string,
  signal?: AbortSignal,
  after: string | null = null,
): AsyncGenerator<T> {
  let last = after;
  for (;;) {
    signal?.throwIfAborted();
    const page = aboveMark(last);
    const rows = await sql.query<T>(`${select}${page.where} ORDER BY t.id LIMIT ${BATCH_SIZE}`, page.params);
    if (rows.length === 0) return;
    yield* rows;
    last = rows[rows.length - 1]!.id;
  }
}

export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

export function emptyChangeResult(): ChangeResult {
  return { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
}

export const NOT_A_REFERENCE = "not a record reference of this store";

export class DbHolds {
  constructor(
    private readonly sql: Sql,
    private readonly schema: string,
  ) {}

  private get table(): string {
    return `${quoteSchema(this.schema)}.portal_legal_hold`;
  }

  async all(tx: Sql = this.sql): Promise<Set<string>> {
    await this.ensureTable(tx);
    const rows = await tx.query<{ ref: string }>(`SELECT ref FROM ${this.table}`);
    return new Set(rows.map((r) => r.ref));
  }

  /**
   * Creates the hold table, or gives one from before holds had owners its owner columns: its rows
   * stay holds, unowned (the default of the added column), until carry-out names their cases.
   * Looked up first, because ALTER TABLE locks the table even when the column is there.
   */
  private async ensureTable(tx: Sql): Promise<void> {
    await tx.exec(holdTableDdl(this.schema));
    if (await this.hasOwners(tx)) return;
    await tx.exec(
      `ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS holders text[] NOT NULL DEFAULT '{}', ADD COLUMN IF NOT EXISTS unowned boolean NOT NULL DEFAULT true`,
    );
  }

  private async hasOwners(tx: Sql): Promise<boolean> {
    const [row] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'portal_legal_hold' AND column_name IN ('holders', 'unowned')`,
      [this.schema],
    );
    return row?.n === 2;
  }

  /** The held ones among `refs`, without creating the hold table: reading changes nothing. */
  async heldAmong(refs: readonly string[], tx: Sql = this.sql): Promise<Set<string>> {
    return new Set((await this.holdsAmong(refs, tx)).keys());
  }

  /** Who holds each held one among `refs`; a table without owner columns holds them unowned. Changes nothing. */
  async holdsAmong(refs: readonly string[], tx: Sql = this.sql): Promise<Map<string, readonly string[]>> {
    const [exists] = await tx.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
      this.table,
    ]);
    if (!exists?.present || refs.length === 0) return new Map();
    const holders = (await this.hasOwners(tx)) ? "holders" : "'{}'::text[] AS holders";
    const rows = await tx.query<{ ref: string; holders: string[] }>(
      `SELECT ref, ${holders} FROM ${this.table} WHERE ref = ANY($1::text[])`,
      [refs],
    );
    return new Map(rows.map((r) => [r.ref, r.holders]));
  }

  /**
   * Sets or lifts `holder`'s holds. A hold is set only on a record the store holds (`exists`),
   * else the reference is not found; a reference already in the wanted state counts as changed,
   * because the state the caller asked for is confirmed. Lifting removes the holder and an unowned
   * hold; the row, and so the hold, stays while another holder remains.
   */
  async set(
    refs: readonly string[],
    hold: boolean,
    holder: string,
    exists: (tx: Sql, ref: string) => Promise<boolean | null>,
  ): Promise<ChangeResult> {
    return this.sql.transaction(async (tx) => {
      await this.ensureTable(tx);
      const result = emptyChangeResult();
      for (const ref of refs) {
        const present = await exists(tx, ref);
        if (present === null) result.failures.push({ ref, reason: NOT_A_REFERENCE });
        else if (!hold) {
          // Lifting needs no row: a hold may outlive the record it kept.
          await tx.query(
            `UPDATE ${this.table} SET holders = array_remove(holders, $2), unowned = false WHERE ref = $1`,
            [ref, holder],
          );
          await tx.query(
            `DELETE FROM ${this.table} WHERE ref = $1 AND cardinality(holders) = 0 AND NOT unowned`,
            [ref],
          );
          result.changed++;
        } else if (!present) result.notFound++;
        else {
          await tx.query(
            `INSERT INTO ${this.table} AS h (ref, holders, unowned) VALUES ($1, ARRAY[$2], false)
             ON CONFLICT (ref) DO UPDATE SET holders = CASE WHEN $2 = ANY(h.holders) THEN h.holders ELSE h.holders || $2 END`,
            [ref, holder],
          );
          result.changed++;
        }
      }
      return result;
    });
  }
}

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/**
 * "ticket/12" → { table: "ticket", id: "12" }. Every id a bigint key can hold, 0 and negative ones
 * too, written as PostgreSQL writes it (`id::text`, the form a finding's reference has): so a
 * reference names one row, and the row read again is found under the same text.
 */
export function parseRowRef(ref: string): { table: string; id: string } | null {
  const match = /^([a-z_]+)\/(0|-?[1-9]\d{0,18})$/.exec(ref);
  if (!match) return null;
  const id = BigInt(match[2]!);
  return id < BIGINT_MIN || id > BIGINT_MAX ? null : { table: match[1]!, id: match[2]! };
}

/** Is the row of a reference there? Null when the reference names no table of `tables`. */
export async function rowExists(
  tx: Sql,
  schema: string,
  tables: readonly string[],
  ref: string,
): Promise<boolean | null> {
  const parsed = parseRowRef(ref);
  if (!parsed || !tables.includes(parsed.table)) return null;
  const rows = await tx.query(`SELECT 1 FROM ${quoteSchema(schema)}.${parsed.table} WHERE id = $1::bigint`, [
    parsed.id,
  ]);
  return rows.length > 0;
}

/**
 * Reads the referenced rows again: present (with the current values of `fields` of their table)
 * or absent, and whether held. A reference to no table of the store is unknown; so is every
 * reference when the database cannot be read.
 */
export async function inspectRows(
  sql: Sql,
  schema: string,
  holds: DbHolds,
  refs: readonly string[],
  tables: Readonly<Record<string, readonly string[]>>,
): Promise<Map<string, RecordState>> {
  const states = new Map<string, RecordState>();
  const byTable = new Map<string, { ref: string; id: string }[]>();
  for (const ref of refs) {
    const parsed = parseRowRef(ref);
    if (!parsed || !(parsed.table in tables)) states.set(ref, { state: "unknown", reason: NOT_A_REFERENCE });
    else byTable.set(parsed.table, [...(byTable.get(parsed.table) ?? []), { ref, id: parsed.id }]);
  }
  try {
    const held = await holds.holdsAmong(refs);
    const holdOf = (ref: string): Hold => ({ held: held.has(ref), holders: held.get(ref) ?? [] });
    for (const [table, wanted] of byTable) {
      const fields = tables[table]!;
      const columns = ["id::text AS id", ...fields.map((f) => `${f}::text AS ${f}`)].join(", ");
      const rows = await sql.query<Record<string, string | null> & { id: string }>(
        `SELECT ${columns} FROM ${quoteSchema(schema)}.${table} WHERE id = ANY($1::bigint[])`,
        [wanted.map((w) => w.id)],
      );
      const found = new Map(rows.map((row) => [row.id, row]));
      for (const { ref, id } of wanted) {
        const row = found.get(id);
        states.set(
          ref,
          row
            ? {
                state: "present",
                ...holdOf(ref),
                fields: Object.fromEntries(fields.map((f) => [f, row[f] ?? null])),
              }
            : { state: "absent", ...holdOf(ref) },
        );
      }
    }
  } catch (error) {
    const reason = `the store's database could not be read (${(error as Error).message})`;
    for (const list of byTable.values())
      for (const { ref } of list) states.set(ref, { state: "unknown", reason });
  }
  return states;
}

/** Can the store's tables be read? Never throws. */
export async function checkTables(sql: Sql, schema: string, tables: readonly string[]): Promise<StoreCheck> {
  try {
    for (const table of tables) await sql.query(`SELECT 1 FROM ${quoteSchema(schema)}.${table} LIMIT 1`);
    return { ok: true, detail: `${tables.map((t) => `${schema}.${t}`).join(", ")} readable` };
  } catch (error) {
    return { ok: false, reason: `${schema}: ${(error as Error).message}` };
  }
}

/** Ends a connection the connector was given to own; the portal's shared one is never ended here. */
export class OwnedConnection {
  private closed = false;

  constructor(private readonly end?: () => Promise<void>) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.end?.();
  }
}
