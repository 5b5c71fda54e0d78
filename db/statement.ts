import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";

/** postgres.js answers db.execute with the rows, PGlite with an object holding them. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * A statement written with `$1`-style parameters (pg-boss's) as drizzle SQL, so that it runs on the
 * connection of a drizzle transaction and commits or rolls back with it. Every `$n` becomes a
 * parameter of its own; the text is taken as is, so it must not hold `$n` inside a string literal
 * or a dollar-quoted body (pg-boss's job statements hold none). An undefined value is sent as null,
 * as node-postgres does (postgres.js refuses undefined).
 */
function statementOf(text: string, params: readonly unknown[]): SQL {
  const chunks: SQL[] = [];
  let from = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(from, match.index)));
    const value = params[Number(match[1]) - 1];
    chunks.push(sql`${sql.param(value === undefined ? null : value)}`);
    from = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(from)));
  return sql.join(chunks);
}

/** Runs a `$1`-style statement in `db`, which may be a transaction; returns its rows. */
export async function queryIn<T>(db: Db, text: string, params: readonly unknown[] = []): Promise<T[]> {
  return rowsOf<T>(await db.execute(statementOf(text, params)));
}
