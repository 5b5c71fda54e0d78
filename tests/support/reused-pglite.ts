import type { Database } from "#db/client";

/**
 * One embedded database per test worker, handed from file to file: a test file's `close()` puts its
 * database back in the state the run's template had, and the worker's next file takes it instead of
 * copying and starting a new PGlite (~0.4–0.5 s of CPU a start, ~55 database files a run; ADR 0024).
 *
 * A file must never see another file's rows, so a database is only handed on when it can be shown
 * to be the template again: on close every table is emptied and the template's own rows put back
 * (the migrations' journal, the roles and their permissions, pg-boss's version, queues and
 * schedules), every sequence set to where the template left it, every schema the file made
 * dropped, every planner statistic of its tables removed; when the next file takes it, the
 * catalogue (tables, columns, functions, triggers, constraints, types, roles, extensions, settings,
 * the tables' planner statistics) must hash as the template's did and every table
 * hold as many rows as the template's — checked then rather than on close, so that it also sees a
 * query of the file before that ran after its close. Anything else — a leftover the reset does not
 * know, a late write, a failed statement — and the database is closed and removed, and the next
 * file copies the template as before.
 */
export interface TemplateState {
  catalogue: string;
  /** The schemas of the template; any other one a file made is dropped. */
  schemas: string[];
  /** Every table of those schemas, partitions left to their parents, as quoted names. */
  tables: string[];
  /** The template's rows of the tables that had any, as JSON, with the columns to insert them into. */
  seeds: { table: string; columns: string; rows: string }[];
  /** Each table's row count in the template, in the order of `tables`. */
  counts: number[];
  sequences: { name: string; value: string; called: boolean }[];
}

const SYSTEM_SCHEMA = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

/** The catalogue of everything a test file could add or change, one line per object, hashed. */
const CATALOGUE = `
select md5(coalesce(string_agg(line, E'\\n' order by line), '')) as hash from (
  select format('schema %s', n.nspname) as line from pg_namespace n where ${SYSTEM_SCHEMA}
  union all
  select format('relation %s.%s %s %s', n.nspname, c.relname, c.relkind, c.relpersistence)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${SYSTEM_SCHEMA}
  union all
  select format('column %s.%s.%s %s %s %s %s', n.nspname, c.relname, a.attname,
      format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated, pg_get_expr(d.adbin, d.adrelid))
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped and ${SYSTEM_SCHEMA}
  union all
  select format('function %s %s', p.oid::regprocedure, md5(p.prosrc))
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${SYSTEM_SCHEMA}
  union all
  select format('trigger %s %s %s', t.tgrelid::regclass, t.tgname, t.tgenabled)
    from pg_trigger t where not t.tgisinternal
  union all
  select format('constraint %s %s %s', n.nspname, c.conname, pg_get_constraintdef(c.oid))
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace where ${SYSTEM_SCHEMA}
  union all
  select format('type %s.%s %s', n.nspname, t.typname, t.typtype)
    from pg_type t join pg_namespace n on n.oid = t.typnamespace where ${SYSTEM_SCHEMA}
  union all
  select format('label %s %s', e.enumtypid::regtype, e.enumlabel) from pg_enum e
  union all
  select format('role %s %s %s', r.rolname, r.rolsuper, r.rolcanlogin) from pg_roles r
  union all
  select format('extension %s %s', x.extname, x.extversion) from pg_extension x
  union all
  select format('setting %s %s %s', s.setdatabase, s.setrole, s.setconfig) from pg_db_role_setting s
  union all
  select format('statistics %s.%s %s %s', n.nspname, c.relname, s.staattnum, s.stainherit)
    from pg_statistic s join pg_class c on c.oid = s.starelid join pg_namespace n on n.oid = c.relnamespace
    where ${SYSTEM_SCHEMA}
) lines`;

/** Reads what a freshly copied template holds, once per worker, to put every later reset back to it. */
export async function readTemplateState(database: Database): Promise<TemplateState> {
  const { sql } = database;
  const [catalogue] = await sql.query<{ hash: string }>(CATALOGUE);
  const schemas = await sql.query<{ name: string }>(
    `select n.nspname as name from pg_namespace n where ${SYSTEM_SCHEMA} order by 1`,
  );
  const tables = await sql.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and ${SYSTEM_SCHEMA} order by 1`,
  );
  const names = tables.map((t) => t.name);
  const counts = await countRows(database, names);
  const seeds: TemplateState["seeds"] = [];
  for (const [i, table] of names.entries()) {
    if (counts[i] === 0) continue;
    const [columns] = await sql.query<{ list: string }>(
      `select string_agg(format('%I', attname), ', ' order by attnum) as list from pg_attribute
        where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''`,
      [table],
    );
    const [rows] = await sql.query<{ rows: string }>(`select json_agg(t)::text as rows from ${table} t`);
    seeds.push({ table, columns: columns!.list, rows: rows!.rows });
  }
  const sequences = await sql.query<{ name: string; value: string; called: boolean }>(
    `select format('%I.%I', schemaname, sequencename) as name,
            coalesce(last_value, start_value)::text as value, last_value is not null as called
       from pg_sequences order by 1`,
  );
  return {
    catalogue: catalogue!.hash,
    schemas: schemas.map((s) => s.name),
    tables: names,
    seeds,
    counts,
    sequences,
  };
}

/**
 * Puts `database` back into the template's state; false when a statement failed and it must be
 * thrown away. Throws nothing: a reset that fails only means the next file copies the template.
 * Whether the reset left the template is `isTemplate`'s to prove, when the next file takes it.
 */
export async function resetToTemplate(database: Database, template: TemplateState): Promise<boolean> {
  const { sql } = database;
  try {
    // A file that failed amid a transaction, changed a setting or held an advisory lock leaves it
    // in the session, which is the one session of this embedded database.
    // (Two statements: PGlite runs one text's statements in one transaction, which DISCARD refuses.)
    await sql.exec("rollback");
    await sql.exec("discard all");
    const schemas = await sql.query<{ name: string }>(
      `select format('%I', n.nspname) as name from pg_namespace n where ${SYSTEM_SCHEMA} and not (n.nspname = any($1))`,
      [template.schemas],
    );
    // Triggers off: the audit tables refuse TRUNCATE, and the template's rows go back as they were.
    await sql.exec("set session_replication_role = replica;");
    try {
      for (const { name } of schemas) await sql.exec(`drop schema ${name} cascade;`);
      await sql.exec(`truncate table ${template.tables.join(", ")} restart identity cascade;`);
      // A file's ANALYZE (the answer's release runs one) leaves planner statistics that TRUNCATE
      // keeps: the next file's queries would be planned for the rows the file before had.
      await sql.exec(
        `delete from pg_statistic s using pg_class c, pg_namespace n
          where c.oid = s.starelid and n.oid = c.relnamespace and ${SYSTEM_SCHEMA};`,
      );
      for (const seed of template.seeds)
        await sql.query(
          `insert into ${seed.table} (${seed.columns}) overriding system value
           select ${seed.columns} from json_populate_recordset(null::${seed.table}, $1::json)`,
          [seed.rows],
        );
      for (const sequence of template.sequences)
        await sql.query("select setval($1::regclass, $2::bigint, $3)", [
          sequence.name,
          sequence.value,
          sequence.called,
        ]);
    } finally {
      await sql.exec("set session_replication_role = default;");
    }
    return true;
  } catch {
    return false;
  }
}

/** Whether the catalogue hashes as the template's and every table holds the template's number of rows. */
export async function isTemplate(database: Database, template: TemplateState): Promise<boolean> {
  try {
    const [catalogue] = await database.sql.query<{ hash: string }>(CATALOGUE);
    if (catalogue?.hash !== template.catalogue) return false;
    const counts = await countRows(database, template.tables);
    return counts.every((count, i) => count === template.counts[i]);
  } catch {
    return false;
  }
}

async function countRows(database: Database, tables: string[]): Promise<number[]> {
  if (tables.length === 0) return [];
  const [row] = await database.sql.query<{ counts: number[] }>(
    `select array[${tables.map((t) => `(select count(*) from ${t})::int`).join(", ")}] as counts`,
  );
  return row!.counts;
}
