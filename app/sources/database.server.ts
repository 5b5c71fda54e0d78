/**
 * The database stores of the sample (retrieval protocols, service desk) as PostgreSQL schemas:
 * DDL here, data from the generator's JSON-lines files. Loading is idempotent: the schemas are
 * dropped and created anew, in one transaction.
 */
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Sql } from "#db/sql";
import { RetrievalProtocolConnector } from "./connectors/retrieval.server";
import { ServiceDeskConnector } from "./connectors/servicedesk.server";
import { DATABASE_FILES } from "./sample/layout";

export interface DatabaseSchemas {
  melderegister: string;
  servicedesk: string;
}

export const DEFAULT_SCHEMAS: DatabaseSchemas = {
  melderegister: "melderegister",
  servicedesk: "servicedesk",
};

/** Schema names are interpolated into SQL, so only plain identifiers are accepted. */
export function quoteSchema(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name "${name}"`);
  return `"${name}"`;
}

/**
 * Side table for legal holds: the stores are not ours, so their tables stay as they are. One row
 * per held record: `holders` are the cases holding it, `unowned` a hold set before holds had
 * owners (a table of that time gains both columns, its rows unowned: see DbHolds).
 */
export function holdTableDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteSchema(schema)}.portal_legal_hold (ref text PRIMARY KEY, held_since timestamptz NOT NULL DEFAULT now(), holders text[] NOT NULL DEFAULT '{}', unowned boolean NOT NULL DEFAULT false);`;
}

function melderegisterDdl(schema: string): string {
  const s = quoteSchema(schema);
  return `
    DROP SCHEMA IF EXISTS ${s} CASCADE;
    CREATE SCHEMA ${s};
    CREATE TABLE ${s}.abrufprotokoll (
      id bigint PRIMARY KEY,
      protokolliert_am timestamptz NOT NULL,
      nachricht_id text NOT NULL,
      behoerde_dvdv text NOT NULL,
      sicherheitsbehoerde boolean NOT NULL,
      auskunftssperre boolean NOT NULL,
      anfrage_xml text NOT NULL,
      antwort_xml text NOT NULL
    );
    CREATE INDEX ON ${s}.abrufprotokoll (protokolliert_am);
    ${holdTableDdl(schema)}`;
}

function servicedeskDdl(schema: string): string {
  const s = quoteSchema(schema);
  return `
    DROP SCHEMA IF EXISTS ${s} CASCADE;
    CREATE SCHEMA ${s};
    CREATE TABLE ${s}.ticket (
      id bigint PRIMARY KEY,
      number text NOT NULL UNIQUE,
      title text NOT NULL,
      channel text NOT NULL,
      contact_form boolean NOT NULL,
      consent_opt_in boolean,
      consent_at timestamptz,
      consent_text text,
      customer_name text,
      customer_email text,
      customer_phone text,
      state text NOT NULL,
      created_at timestamptz NOT NULL,
      closed_at timestamptz
    );
    CREATE TABLE ${s}.article (
      id bigint PRIMARY KEY,
      ticket_id bigint NOT NULL REFERENCES ${s}.ticket(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      sender_type text NOT NULL,
      from_addr text,
      to_addr text,
      cc_addr text,
      subject text,
      body text,
      internal boolean NOT NULL
    );
    CREATE INDEX ON ${s}.article (ticket_id);
    ${holdTableDdl(schema)}`;
}

const COLUMNS = {
  abrufprotokoll: [
    "id",
    "protokolliert_am",
    "nachricht_id",
    "behoerde_dvdv",
    "sicherheitsbehoerde",
    "auskunftssperre",
    "anfrage_xml",
    "antwort_xml",
  ],
  ticket: [
    "id",
    "number",
    "title",
    "channel",
    "contact_form",
    "consent_opt_in",
    "consent_at",
    "consent_text",
    "customer_name",
    "customer_email",
    "customer_phone",
    "state",
    "created_at",
    "closed_at",
  ],
  article: [
    "id",
    "ticket_id",
    "created_at",
    "sender_type",
    "from_addr",
    "to_addr",
    "cc_addr",
    "subject",
    "body",
    "internal",
  ],
} as const;

const BATCH = 200;

async function insertFile(
  sql: Sql,
  path: string,
  table: string,
  columns: readonly string[],
): Promise<number> {
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  let batch: Record<string, unknown>[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const rows = batch.map((row) => `(${columns.map((c) => `$${params.push(row[c] ?? null)}`).join(", ")})`);
    await sql.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows.join(", ")}`, params);
    count += batch.length;
    batch = [];
  };
  for await (const line of lines) {
    if (!line.trim()) continue;
    batch.push(JSON.parse(line) as Record<string, unknown>);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return count;
}

/**
 * Creates the schemas of the database stores in the target database and loads the sample. We
 * write these rows, so their search keys are filed as they are written (ADR 0020), in the same
 * transaction.
 */
export async function loadDatabaseStores(
  sql: Sql,
  dir: string,
  schemas: DatabaseSchemas = DEFAULT_SCHEMAS,
): Promise<{ abrufprotokoll: number; ticket: number; article: number }> {
  return sql.transaction(async (tx) => {
    await tx.exec(melderegisterDdl(schemas.melderegister));
    await tx.exec(servicedeskDdl(schemas.servicedesk));
    const m = quoteSchema(schemas.melderegister);
    const s = quoteSchema(schemas.servicedesk);
    const loaded = {
      abrufprotokoll: await insertFile(
        tx,
        join(dir, DATABASE_FILES.abrufprotokoll),
        `${m}.abrufprotokoll`,
        COLUMNS.abrufprotokoll,
      ),
      ticket: await insertFile(tx, join(dir, DATABASE_FILES.ticket), `${s}.ticket`, COLUMNS.ticket),
      article: await insertFile(tx, join(dir, DATABASE_FILES.article), `${s}.article`, COLUMNS.article),
    };
    await new RetrievalProtocolConnector("sample", tx, schemas.melderegister).buildIndex();
    await new ServiceDeskConnector("sample", tx, schemas.servicedesk).buildIndex();
    return loaded;
  });
}
