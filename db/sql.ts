import type { PGlite, Transaction } from "@electric-sql/pglite";
import type postgres from "postgres";

/**
 * The smallest SQL surface the portal needs below drizzle: pg-boss, the database-backed source
 * connectors and maintenance scripts talk to PGlite and to PostgreSQL through this one shape,
 * so none of them has to know which backend runs.
 */
export interface Sql {
  /** One statement with `$1`-style parameters; returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations, DDL); returns the rows of the last one. */
  exec<T = Record<string, unknown>>(text: string): Promise<T[]>;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R>;
}

type PgliteLike = Pick<PGlite, "query" | "exec" | "transaction"> | Transaction;

export function sqlFromPglite(pg: PgliteLike): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      const result = await pg.query<T>(text, params as unknown[]);
      return result.rows;
    },
    async exec<T>(text: string) {
      const results = await pg.exec(text);
      return (results.at(-1)?.rows ?? []) as T[];
    },
    async transaction(fn) {
      if (!("transaction" in pg)) {
        // Already inside a transaction: PGlite has no nested transactions, so join the outer one.
        return fn(sqlFromPglite(pg));
      }
      return pg.transaction((tx) => fn(sqlFromPglite(tx)));
    },
  };
}

export function sqlFromPostgresJs(client: postgres.Sql | postgres.TransactionSql): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      const rows = await client.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
    async exec<T>(text: string) {
      // postgres.js answers a multi-statement text with one row list per statement.
      const result = (await client.unsafe(text)) as unknown as unknown[];
      const last = Array.isArray(result.at(-1)) ? result.at(-1) : result;
      return last as T[];
    },
    async transaction(fn) {
      if (!("begin" in client)) return fn(sqlFromPostgresJs(client));
      return (await client.begin((tx) => fn(sqlFromPostgresJs(tx)))) as Awaited<ReturnType<typeof fn>>;
    },
  };
}
