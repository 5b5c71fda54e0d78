/**
 * A generated sample in a temp directory with its database stores loaded: on PGlite (a copy of the
 * run's template database) by default, on PostgreSQL (uniquely named schemas, dropped afterwards)
 * when DATABASE_URL is set.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { type Sql, sqlFromPostgresJs } from "#db/sql";
import { isDatabaseStore, parseSourcesConfig, type StoreConfig } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import { type DatabaseSchemas, loadDatabaseStores } from "#app/sources/database.server";
import { createRegistry, type StoreRegistry } from "#app/sources/registry.server";
import { type AnswerKey, subjectFromKey, type AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { createTestDatabase } from "../support/database";
import { cachedSample } from "../support/sample-cache";

export interface TestDatabase {
  sql: Sql;
  schemas: DatabaseSchemas;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    // A copy of the run's template (the portal's tables beside the stores' schemas): ~0.6 s of CPU,
    // where an empty in-memory PGlite runs initdb for ~5 s.
    const database = await createTestDatabase();
    return {
      sql: database.sql,
      schemas: { melderegister: "melderegister", servicedesk: "servicedesk" },
      close: () => database.close(),
    };
  }
  const client = postgres(url, { max: 2, onnotice: () => undefined });
  const prefix = `src_${randomBytes(5).toString("hex")}`;
  const schemas = { melderegister: `${prefix}_melderegister`, servicedesk: `${prefix}_servicedesk` };
  return {
    sql: sqlFromPostgresJs(client),
    schemas,
    async close() {
      await client.unsafe(
        `DROP SCHEMA IF EXISTS "${schemas.melderegister}" CASCADE; DROP SCHEMA IF EXISTS "${schemas.servicedesk}" CASCADE;`,
      );
      await client.end();
    },
  };
}

export interface SampleFixture {
  dir: string;
  key: AnswerKey;
  end: Date;
  db: TestDatabase;
  stores: StoreConfig[];
  registry: StoreRegistry;
  connector(id: string): SourceConnector;
  cleanup(): Promise<void>;
}

/** `messy`: the sample "as found in the wild" (see app/sources/sample/messy). */
export async function sampleFixture(
  options: { people?: number; days?: number; seed?: string; messy?: boolean } = {},
): Promise<SampleFixture> {
  const dir = await mkdtemp(join(tmpdir(), "rp-sources-"));
  // A copy of the sample the generator made for these options in an earlier run (tests/support/sample-cache.ts).
  const sample = await cachedSample({
    people: options.people ?? 60,
    days: options.days ?? 30,
    seed: options.seed ?? "tests",
    out: dir,
    messy: options.messy,
  });
  const db = await openTestDatabase();
  await loadDatabaseStores(db.sql, dir, db.schemas);
  const shipped = loadSourcesConfig();
  const stores = shipped.stores.map((s) =>
    isDatabaseStore(s)
      ? {
          ...s,
          schema: s.kind === "retrieval-protocol-db" ? db.schemas.melderegister : db.schemas.servicedesk,
        }
      : s,
  );
  const registry = createRegistry(parseSourcesConfig({ stores }), { dataDir: dir, portalSql: db.sql });
  return {
    dir,
    key: sample.answerKey,
    end: sample.end,
    db,
    stores,
    registry,
    connector(id) {
      const c = registry.connectors.get(id);
      if (!c) throw new Error(`no connector ${id}`);
      return c;
    },
    async cleanup() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function findAll(connector: SourceConnector, subject: Subject): Promise<Finding[]> {
  const findings: Finding[] = [];
  for await (const finding of connector.find(subject)) findings.push(finding);
  return findings;
}

/** A search's findings and the report it gave of how it searched (scan or index, newer rows). */
export async function findWithReport(
  connector: SourceConnector,
  subject: Subject,
): Promise<{ findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | null = null;
  for await (const f of connector.find(subject, { onReport: (r) => (report = r) })) findings.push(f);
  if (!report) throw new Error("the search gave no report");
  return { findings, report };
}

/**
 * Every person of the key, and each member of the messy cast under other spellings of their name
 * (reordered, in capitals, with a title and an initial), searched by name and date of birth only:
 * what a search index must find as a scan does.
 */
export function castSpellingSubjects(key: AnswerKey): { label: string; subject: Subject }[] {
  const all = key.persons.map((p) => ({ label: p.id, subject: subjectFromKey(p) }));
  for (const member of Object.values(MESSY_CAST)) {
    const base = subjectFromKey(key.persons.find((p) => p.id === member.id)!);
    for (const name of base.names) {
      const words = name.value.split(" ");
      const last = words.at(-1)!;
      const first = words.slice(0, -1).join(" ");
      for (const variant of [
        `${last}, ${first}`,
        `${last.toUpperCase()} ${first}`,
        `Dr. ${first[0]}. ${last}`,
      ])
        all.push({
          label: `${member.id} as "${variant}"`,
          subject: {
            ...base,
            emails: [],
            phones: [],
            userNames: [],
            names: [{ value: variant, proven: false }],
          },
        });
    }
  }
  return all;
}

export function expectedRefs(person: AnswerKeyPerson, store: string): string[] {
  return [...new Set(person.records.filter((r) => r.store === store).map((r) => r.ref))].sort();
}

export { subjectFromKey };
