/** Shared by the database connectors: batched keyset scans and the legal-hold side table. */
import type { Sql } from "../../../db/sql";
import type { ChangeResult } from "../connector";
import { holdTableDdl, quoteSchema } from "../database.server";

export const BATCH_SIZE = 500;

/**
 * Rows in primary-key order, `BATCH_SIZE` at a time: never the whole table in memory. `select`
 * names its table `t` (the key is compared and ordered as a number, the row's id comes as text).
 */
export async function* keysetScan<T extends { id: string }>(
  sql: Sql,
  select: string,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  let last = "0";
  for (;;) {
    signal?.throwIfAborted();
    const rows = await sql.query<T>(`${select} WHERE t.id > $1::bigint ORDER BY t.id LIMIT ${BATCH_SIZE}`, [last]);
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

export class DbHolds {
  constructor(
    private readonly sql: Sql,
    private readonly schema: string,
  ) {}

  private get table(): string {
    return `${quoteSchema(this.schema)}.portal_legal_hold`;
  }

  async all(tx: Sql = this.sql): Promise<Set<string>> {
    await tx.exec(holdTableDdl(this.schema));
    const rows = await tx.query<{ ref: string }>(`SELECT ref FROM ${this.table}`);
    return new Set(rows.map((r) => r.ref));
  }

  async set(refs: readonly string[], hold: boolean): Promise<ChangeResult> {
    return this.sql.transaction(async (tx) => {
      await tx.exec(holdTableDdl(this.schema));
      let changed = 0;
      for (const ref of refs) {
        const rows = hold
          ? await tx.query(`INSERT INTO ${this.table} (ref) VALUES ($1) ON CONFLICT DO NOTHING RETURNING ref`, [ref])
          : await tx.query(`DELETE FROM ${this.table} WHERE ref = $1 RETURNING ref`, [ref]);
        changed += rows.length;
      }
      return { changed, notFound: 0, skippedOnHold: 0 };
    });
  }
}

/** "ticket/12" → { table: "ticket", id: "12" }. */
export function parseRowRef(ref: string): { table: string; id: string } | null {
  const match = /^([a-z_]+)\/(\d+)$/.exec(ref);
  return match ? { table: match[1]!, id: match[2]! } : null;
}
