/**
 * Turns the sources config into connectors, and searches all of them for one subject. A store
 * that is misconfigured, missing or unreadable fails alone: its error is reported and the other
 * stores are still searched.
 */
import postgres from "postgres";
import { type Sql, sqlFromPostgresJs } from "#db/sql";
import {
  isDatabaseStore,
  isMailServerStore,
  type SourcesConfig,
  type StoreConfig,
  storeKindOf,
} from "./config";
import {
  type Finding,
  type FindOptions,
  isPartial,
  type ScanProblem,
  type ScanProgress,
  type ScanReport,
  type SourceConnector,
  type StoreKind,
  type Subject,
} from "./connector";
import { ImapConnector } from "./connectors/imap.server";
import { RetrievalProtocolConnector } from "./connectors/retrieval.server";
import { ServiceDeskConnector } from "./connectors/servicedesk.server";
import { createFileConnector } from "./file-connector.server";
import { type SearchThreads, searchingOnThreads } from "./search-threads.server";

export interface RegistryOptions {
  /** Directory the file stores' paths are relative to. */
  dataDir: string;
  /** The portal's own database, for stores with `connection: "portal"`. */
  portalSql?: Sql;
  /** Where the file stores' searches run (ADR 0021); without it, in this thread. */
  searchThreads?: SearchThreads;
}

export interface StoreRegistry {
  connectors: Map<string, SourceConnector>;
  /** Stores that could not be set up, by id (or "#index" for an entry without a usable id). */
  failures: Map<string, { kind: StoreKind | null; message: string }>;
  /** The threads the file stores are searched on, closed with the stores (ADR 0021). */
  searchThreads?: SearchThreads;
}

/**
 * The connection a database store is read through: the portal's own (shared, never closed by a
 * connector), or one of its own by URL, which the connector ends on `close()`.
 */
function storeConnection(
  connection: string,
  options: RegistryOptions,
): { sql: Sql; close?: () => Promise<void> } {
  if (connection === "portal") {
    if (!options.portalSql) throw new Error("the portal database is not available to this process");
    return { sql: options.portalSql };
  }
  const client = postgres(connection, { max: 2, onnotice: () => undefined });
  return { sql: sqlFromPostgresJs(client), close: () => client.end() };
}

export function createConnector(store: StoreConfig, options: RegistryOptions): SourceConnector {
  if (isDatabaseStore(store)) {
    const { sql, close } = storeConnection(store.connection, options);
    return store.kind === "retrieval-protocol-db"
      ? new RetrievalProtocolConnector(store.id, sql, store.schema, { close })
      : new ServiceDeskConnector(store.id, sql, store.schema, { close });
  }
  if (isMailServerStore(store)) return new ImapConnector(store.id, store);
  const connector = createFileConnector(store, options.dataDir);
  return options.searchThreads
    ? searchingOnThreads(connector, store, options.dataDir, options.searchThreads)
    : connector;
}

export function createRegistry(config: SourcesConfig, options: RegistryOptions): StoreRegistry {
  const connectors = new Map<string, SourceConnector>();
  const failures: StoreRegistry["failures"] = new Map();
  for (const error of config.errors)
    failures.set(error.id ?? `#${error.index}`, {
      kind: null,
      message: `invalid configuration: ${error.message}`,
    });
  for (const store of config.stores) {
    try {
      connectors.set(store.id, createConnector(store, options));
    } catch (error) {
      failures.set(store.id, { kind: storeKindOf(store), message: (error as Error).message });
    }
  }
  return { connectors, failures, searchThreads: options.searchThreads };
}

interface StoreOutcome {
  store: string;
  kind: StoreKind | null;
  status: "ok" | "partial" | "failed";
  findings: number;
  report: ScanReport | null;
  error: string | null;
}

export type CrossStoreEvent =
  | { type: "finding"; finding: Finding }
  | { type: "progress"; store: string; progress: ScanProgress }
  | { type: "store-done"; outcome: StoreOutcome };

/**
 * Searches every store of the registry, one after the other, as a stream of events. Never throws
 * for a store: a failing store ends with a "failed" outcome; a store that could be read only in
 * part (a corrupt gzip file) with "partial". Aborting stops the whole search.
 */
async function* findAcrossStores(
  registry: StoreRegistry,
  subject: Subject,
  options: Pick<FindOptions, "signal"> = {},
): AsyncGenerator<CrossStoreEvent> {
  for (const [store, failure] of registry.failures) {
    yield {
      type: "store-done",
      outcome: {
        store,
        kind: failure.kind,
        status: "failed",
        findings: 0,
        report: null,
        error: failure.message,
      },
    };
  }
  for (const [store, connector] of registry.connectors) {
    let report: ScanReport | null = null;
    let findings = 0;
    const progress: ScanProgress[] = [];
    try {
      for await (const finding of connector.find(subject, {
        signal: options.signal,
        onProgress: (p) => progress.push(p),
        onReport: (r) => (report = r),
      })) {
        findings++;
        if (progress.length) yield { type: "progress", store, progress: progress.splice(0).pop()! };
        yield { type: "finding", finding };
      }
      const final = report as ScanReport | null;
      const partial = isPartial(final);
      yield {
        type: "store-done",
        outcome: {
          store,
          kind: connector.kind,
          status: partial ? "partial" : "ok",
          findings,
          report: final,
          error: partial ? describeProblems(final!) : null,
        },
      };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      yield {
        type: "store-done",
        outcome: {
          store,
          kind: connector.kind,
          status: "failed",
          findings,
          report,
          error: (error as Error).message,
        },
      };
    }
  }
}

/** findAcrossStores collected: all findings and one outcome per store. */
export async function collectAcrossStores(
  registry: StoreRegistry,
  subject: Subject,
  options: Pick<FindOptions, "signal"> = {},
) {
  const findings: Finding[] = [];
  const outcomes: StoreOutcome[] = [];
  for await (const event of findAcrossStores(registry, subject, options)) {
    if (event.type === "finding") findings.push(event.finding);
    else if (event.type === "store-done") outcomes.push(event.outcome);
  }
  return { findings, outcomes };
}

/** "access.log.2.gz line 17: malformed record" — a problem located, never its content. */
export function describeProblem(problem: ScanProblem): string {
  return `${problem.where}${problem.line ? ` line ${problem.line}` : ""}: ${problem.reason}`;
}

function describeProblems(report: ScanReport): string {
  const parts = report.problems.filter((p) => p.unsearched).map(describeProblem);
  if (report.problemsOmitted) parts.push(`${report.problemsOmitted} further problems`);
  return parts.join("; ");
}
