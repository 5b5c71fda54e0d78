/**
 * Service-desk tickets and their articles (PostgreSQL). A ticket whose customer is the subject
 * belongs to them with all its articles; an article elsewhere belongs to them when they are its
 * sender or recipient or in CC — by address, or by the display name beside an unknown address
 * (a candidate only, ADR 0007). Contact-form tickets are a processing activity of their own, based
 * on consent (the opt-in is part of the record).
 *
 * Searched through the search index of ADR 0020: the customer fields of every ticket and the
 * address fields of every article are filed under their search keys, and only the rows that carry
 * one of the subject's keys are read and matched. The service desk writes both tables in its own
 * way (an agent corrects a customer's address in place, a mail is added to an old ticket, an
 * import writes ids below the mark), so both are tracked: a trigger notes every row written,
 * changed or deleted since the indexing run, and each search reads those rows too — a cost that
 * grows with the changes since the last run, not with the store.
 */
import addressparser from "nodemailer/lib/addressparser";
import type { Sql } from "#db/sql";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindingFlag,
  type FindOptions,
  type IndexProgress,
  type IndexRun,
  type IndexUse,
  type JsonObject,
  type MatchedIdentifier,
  noteAffected,
  type RecordState,
  ruleFor,
  type ScanReport,
  type SourceConnector,
  type StoreCheck,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import { quoteSchema } from "../database.server";
import { bestMatch, type CompiledSubject, compileSubject, searchKeys } from "../subject";
import {
  checkTables,
  DbHolds,
  emptyChangeResult,
  inspectRows,
  keysetScan,
  NOT_A_REFERENCE,
  OwnedConnection,
  parseRowRef,
  rowExists,
  toDate,
} from "./db-store.server";
import {
  buildSearchIndex,
  forgetIndexedRows,
  type IndexedKey,
  type IndexedTable,
  searchRows,
  unusableIndex,
} from "./search-index.server";

type Row = Record<string, unknown> & { id: string };

const RECTIFY_FIELDS = ["customer_name", "customer_email", "customer_phone"] as const;
const TABLES = { ticket: RECTIFY_FIELDS, article: [] } as const;
const ARTICLE_COLUMNS =
  "id::text AS id, ticket_id::text AS ticket_id, created_at, sender_type, from_addr, to_addr, cc_addr, subject, body, internal";
const TICKET_COLUMNS =
  "id::text AS id, number, title, channel, contact_form, consent_opt_in, consent_at, consent_text, customer_name, customer_email, customer_phone, state, created_at, closed_at";
/** The columns the keys are made of: a change of one of them is noted for the index (ADR 0020). */
const ARTICLE_KEY_COLUMNS = ["from_addr", "to_addr", "cc_addr"];
/** Columns a search reads beside the record, not part of it. */
const HELPER_COLUMNS = new Set(["ticket_contact_form"]);

function json(row: Row): JsonObject {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => !HELPER_COLUMNS.has(k))
      .map(([k, v]) => [
        k,
        v instanceof Date ? v.toISOString() : typeof v === "bigint" ? String(v) : (v as JsonObject[string]),
      ]),
  );
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);

/**
 * The subject among the mailboxes of an address field (`"Dr. Jörg Müller" <x@y>, mailto:a@b`):
 * by address, else by the display name (unproven). A field without any address is read as a name.
 */
function addressFieldMatch(compiled: CompiledSubject, field: string | null): MatchedIdentifier | null {
  if (!field) return null;
  const mailboxes = addressparser(field, { flatten: true });
  const matches = mailboxes.map((m) =>
    m.address.includes("@")
      ? compiled.mailbox(m.name, m.address)
      : compiled.name([m.name, m.address].filter(Boolean).join(" ")),
  );
  return bestMatch(compiled.email(field), ...matches);
}

/** The search keys of an address field: every key `addressFieldMatch` could match it through. */
function addressFieldKeys(field: string | null): string[] {
  if (!field) return [];
  return [
    ...searchKeys.email(field),
    ...addressparser(field, { flatten: true }).flatMap((m) =>
      m.address.includes("@")
        ? [...searchKeys.email(m.address), ...searchKeys.name(m.name)]
        : searchKeys.name([m.name, m.address].filter(Boolean).join(" ")),
    ),
  ];
}

const plainKeys = (keys: string[]): IndexedKey[] => keys.map((key) => ({ key, birth: null }));

/** A ticket's search keys: its customer's address, phone and name, as `find` matches them. */
export function ticketSearchKeys(ticket: Row): IndexedKey[] {
  return plainKeys([
    ...addressFieldKeys(text(ticket.customer_email)),
    ...searchKeys.phone(text(ticket.customer_phone)),
    ...searchKeys.name(text(ticket.customer_name)),
  ]);
}

/** An article's search keys: the mailboxes of its sender, recipient and CC fields. */
export function articleSearchKeys(article: Row): IndexedKey[] {
  return plainKeys(
    [article.from_addr, article.to_addr, article.cc_addr].flatMap((field) => addressFieldKeys(text(field))),
  );
}

/**
 * Which way the two tables were searched, for the gathering table: a scan of either is a scan of
 * the store; through the indexes, each table with its own mark, the rows read without them summed.
 */
function storeIndexUse(tickets: IndexUse, articles: IndexUse): IndexUse {
  if (tickets.via === "scan") return tickets;
  if (articles.via === "scan") return articles;
  const tables = (
    [
      ["ticket", tickets],
      ["article", articles],
    ] as const
  ).map(([table, use]) => ({
    table,
    // (A store-level use is never of several tables here; null, "covers no row yet", is no number.)
    coveredUpTo: "coveredUpTo" in use ? use.coveredUpTo : null,
    newerRows: use.newerRows,
    changedRows: use.changedRows ?? 0,
  }));
  return {
    via: "index",
    tables,
    newerRows: tables.reduce((n, t) => n + t.newerRows, 0),
    changedRows: tables.reduce((n, t) => n + t.changedRows, 0),
  };
}

export class ServiceDeskConnector implements SourceConnector {
  readonly kind = "servicedesk-db" as const;
  readonly capabilities: ConnectorCapabilities = {
    erase: true,
    restrict: true,
    rectifyFields: RECTIFY_FIELDS,
  };
  private readonly holds: DbHolds;
  private readonly connection: OwnedConnection;

  /** `options.close` ends a connection opened for this store alone (not the portal's own). */
  constructor(
    readonly id: string,
    private readonly sql: Sql,
    private readonly schema: string,
    options: { close?: () => Promise<void> } = {},
  ) {
    this.holds = new DbHolds(sql, schema);
    this.connection = new OwnedConnection(options.close);
  }

  private get s(): string {
    return quoteSchema(this.schema);
  }

  private finding(
    table: "ticket" | "article",
    row: Row,
    contactForm: boolean,
    identifier: MatchedIdentifier,
    role: Finding["role"],
  ): Finding {
    const flags: FindingFlag[] = [];
    if (contactForm) flags.push("consent");
    if (table === "article" && row.cc_addr) flags.push("third-party-data");
    return {
      store: this.id,
      storeKind: this.kind,
      processingActivityId: contactForm ? PROCESSING_ACTIVITY.contactForm : PROCESSING_ACTIVITY.supportTicket,
      ref: `${table}/${row.id}`,
      matchedIdentifier: identifier,
      unproven: !identifier.proven,
      role,
      flags,
      recordedAt: toDate(row.created_at),
      content: { table, ...json(row) },
    };
  }

  /** What the search index reads of the tickets and the keys it files them under (ADR 0020). */
  get indexedTickets(): IndexedTable<Row> {
    return {
      table: "ticket",
      select: `SELECT ${TICKET_COLUMNS} FROM ${this.s}.ticket t`,
      keysOf: ticketSearchKeys,
      tracked: RECTIFY_FIELDS,
    };
  }

  /** The articles, each with whether its ticket came through the contact form. */
  get indexedArticles(): IndexedTable<Row> {
    return {
      table: "article",
      select: `SELECT ${ARTICLE_COLUMNS}, (SELECT k.contact_form FROM ${this.s}.ticket k WHERE k.id = t.ticket_id) AS ticket_contact_form FROM ${this.s}.article t`,
      keysOf: articleSearchKeys,
      tracked: ARTICLE_KEY_COLUMNS,
    };
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const keys = compiled.searchKeys();
    // No key of this store carries a date of birth.
    const anyBirth = () => true;
    // Both tables through their indexes, or both scanned: "every record was read" must stay true.
    const scanFor =
      (await unusableIndex(this.sql, this.schema, this.indexedTickets)) ??
      (await unusableIndex(this.sql, this.schema, this.indexedArticles));
    const ticketSearch = await searchRows(
      this.sql,
      this.schema,
      this.indexedTickets,
      keys,
      anyBirth,
      options.signal,
      scanFor,
    );
    const articleSearch = await searchRows(
      this.sql,
      this.schema,
      this.indexedArticles,
      keys,
      anyBirth,
      options.signal,
      scanFor,
    );
    const total = ticketSearch.total + articleSearch.total;
    const report: ScanReport = {
      unit: "records",
      scanned: 0,
      total,
      findings: 0,
      malformed: 0,
      problems: [],
      index: storeIndexUse(ticketSearch.use, articleSearch.use),
    };
    const progress = () => {
      report.scanned++;
      if (report.scanned % 100 === 0)
        options.onProgress?.({ unit: "records", scanned: report.scanned, total });
    };
    const ticketsOfSubject = new Set<string>();
    for await (const ticket of ticketSearch.rows) {
      progress();
      const identifier = bestMatch(
        addressFieldMatch(compiled, text(ticket.customer_email)),
        compiled.phone(text(ticket.customer_phone)),
        compiled.name(text(ticket.customer_name)),
      );
      if (!identifier) continue;
      ticketsOfSubject.add(ticket.id);
      report.findings++;
      yield this.finding("ticket", ticket, Boolean(ticket.contact_form), identifier, "customer");
      const articles = await this.sql.query<Row>(
        `SELECT ${ARTICLE_COLUMNS} FROM ${this.s}.article WHERE ticket_id = $1::bigint ORDER BY id`,
        [ticket.id],
      );
      for (const article of articles) {
        report.findings++;
        yield this.finding("article", article, Boolean(ticket.contact_form), identifier, "customer");
      }
    }
    for await (const article of articleSearch.rows) {
      progress();
      if (ticketsOfSubject.has(article.ticket_id as string)) continue;
      const from = addressFieldMatch(compiled, text(article.from_addr));
      const to = addressFieldMatch(compiled, text(article.to_addr));
      const cc = addressFieldMatch(compiled, text(article.cc_addr));
      const identifier = bestMatch(from, to, cc);
      if (!identifier) continue;
      const role = identifier === from ? "sender" : identifier === to ? "recipient" : "cc";
      report.findings++;
      yield this.finding("article", article, Boolean(article.ticket_contact_form), identifier, role);
    }
    options.onReport?.(report);
  }

  /** Files the tickets and articles above their marks under their search keys, resumable (ADR 0020). */
  async buildIndex(
    options: { signal?: AbortSignal; onProgress?: (progress: IndexProgress) => void } = {},
  ): Promise<IndexRun> {
    const tickets = await buildSearchIndex(this.sql, this.schema, this.indexedTickets, {
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ ...p, highWater: `ticket/${p.highWater}` }),
    });
    const articles = await buildSearchIndex(this.sql, this.schema, this.indexedArticles, {
      signal: options.signal,
      onProgress: (p) =>
        options.onProgress?.({
          indexed: tickets.indexed + p.indexed,
          total: tickets.indexed + p.total,
          highWater: `article/${p.highWater}`,
        }),
    });
    return {
      indexed: tickets.indexed + articles.indexed,
      pruned: tickets.pruned + articles.pruned,
      ...(tickets.busy || articles.busy ? { busy: true as const } : {}),
      highWater: [
        ["ticket", tickets.highWater],
        ["article", articles.highWater],
      ]
        .map(([table, mark]) => (mark === null ? `${table}: no row (empty)` : `${table}/${mark}`))
        .join(", "),
    };
  }

  /**
   * Erasing a ticket erases its articles (the store's foreign key cascades): held ones stop it, and
   * so do articles not asked to be erased with it in the same call. The search finds every article
   * of a person's ticket as a record of its own, so an article the review kept or withheld would
   * otherwise be deleted with its ticket while the portal says it was not (ADR 0003).
   */
  async erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.sql.transaction(async (tx) => {
      const held = await this.holds.heldAmong(await this.withArticles(tx, refs), tx);
      const asked = new Set(refs);
      const result = emptyChangeResult();
      for (const ref of refs) {
        const parsed = parseRowRef(ref);
        if (!parsed || !(parsed.table in TABLES)) {
          result.failures.push({ ref, reason: NOT_A_REFERENCE });
          continue;
        }
        // A ticket's articles go with it: read once, for their holds and for the articles asked.
        const cascaded = parsed.table === "ticket" ? await this.articleIds(tx, [parsed.id]) : [];
        if (held.has(ref) || cascaded.some((id) => held.has(`article/${id}`))) {
          result.skippedOnHold++;
          continue;
        }
        const left = cascaded.filter((id) => !asked.has(`article/${id}`));
        if (left.length > 0) {
          result.failures.push({
            ref,
            reason: `the ticket's ${cascaded.length} articles are deleted with it, and ${left.length} of them were not to be erased with it: nothing was deleted (erase them with the ticket, or the articles alone)`,
          });
          continue;
        }
        const deleted = await tx.query(
          `DELETE FROM ${this.s}.${parsed.table} WHERE id = $1::bigint RETURNING id`,
          [parsed.id],
        );
        if (deleted.length) {
          result.changed++;
          // The index holds the record's names and addresses: they go with it (and its articles').
          await forgetIndexedRows(tx, this.schema, parsed.table, [parsed.id]);
          await forgetIndexedRows(tx, this.schema, "article", cascaded);
        } else result.notFound++;
      }
      return result;
    });
  }

  /** The references and those of the articles of referenced tickets: a held article keeps its ticket. */
  private async withArticles(tx: Sql, refs: readonly string[]): Promise<string[]> {
    const tickets = refs
      .map(parseRowRef)
      .filter((p) => p?.table === "ticket")
      .map((p) => p!.id);
    if (tickets.length === 0) return [...refs];
    const rows = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM ${this.s}.article WHERE ticket_id = ANY($1::bigint[])`,
      [tickets],
    );
    return [...refs, ...rows.map((r) => `article/${r.id}`)];
  }

  private async articleIds(tx: Sql, ticketIds: readonly string[]): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM ${this.s}.article WHERE ticket_id = ANY($1::bigint[])`,
      [ticketIds],
    );
    return rows.map((r) => r.id);
  }

  private async heldArticles(tx: Sql, ticketId: string, held: Set<string>): Promise<boolean> {
    if (held.size === 0) return false;
    const rows = await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM ${this.s}.article WHERE ticket_id = $1::bigint`,
      [ticketId],
    );
    return rows.some((r) => held.has(`article/${r.id}`));
  }

  restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult> {
    return this.holds.set(refs, hold, holder, (tx, ref) =>
      rowExists(tx, this.schema, Object.keys(TABLES), ref),
    );
  }

  /**
   * Changes a ticket's customer fields and reads them back in the same transaction: a value the
   * store did not keep as given (a trigger, a shorter column) is a failure, not a change.
   */
  async rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult> {
    const fields = Object.keys(changes);
    const unknown = fields.filter((f) => !(RECTIFY_FIELDS as readonly string[]).includes(f));
    if (unknown.length || fields.length === 0)
      throw new UnsupportedOperationError(
        this.id,
        `changing ${unknown.length ? unknown.join(", ") : "nothing"}`,
      );
    const parsed = parseRowRef(ref);
    const result = emptyChangeResult();
    if (!parsed || parsed.table !== "ticket") {
      result.failures.push({
        ref,
        reason:
          parsed?.table === "article"
            ? "an article is rectified through its ticket's customer fields"
            : NOT_A_REFERENCE,
      });
      return result;
    }
    return this.sql.transaction(async (tx) => {
      const sets = fields.map((f, i) => `${f} = $${i + 2}`).join(", ");
      const rows = await tx.query<Record<string, string | null>>(
        `UPDATE ${this.s}.ticket SET ${sets} WHERE id = $1::bigint RETURNING ${fields.map((f) => `${f}::text AS ${f}`).join(", ")}`,
        [parsed.id, ...fields.map((f) => changes[f])],
      );
      const row = rows[0];
      if (!row) result.notFound++;
      else if (fields.every((f) => row[f] === changes[f])) result.changed++;
      else
        result.failures.push({
          ref,
          reason: `the store kept other values for ${fields.filter((f) => row[f] !== changes[f]).join(", ")}`,
        });
      return result;
    });
  }

  inspect(refs: readonly string[]): Promise<Map<string, RecordState>> {
    return inspectRows(this.sql, this.schema, this.holds, refs, TABLES);
  }

  check(): Promise<StoreCheck> {
    return checkTables(this.sql, this.schema, Object.keys(TABLES));
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** Retention runs from the closure of the ticket; open tickets are never expired. */
  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const held = await this.holds.all();
    const expired: { id: string; at: Date }[] = [];
    for await (const ticket of keysetScan<{ id: string; contact_form: boolean; closed_at: unknown }>(
      this.sql,
      `SELECT id::text AS id, contact_form, closed_at FROM ${this.s}.ticket t`,
    )) {
      const rule = ruleFor(
        rules,
        ticket.contact_form ? PROCESSING_ACTIVITY.contactForm : PROCESSING_ACTIVITY.supportTicket,
      );
      const closed = toDate(ticket.closed_at);
      if (!rule || !closed || !rule.isExpired(closed, now)) continue;
      if (held.has(`ticket/${ticket.id}`) || (await this.heldArticles(this.sql, ticket.id, held)))
        result.skippedOnHold++;
      else expired.push({ id: ticket.id, at: closed });
    }
    if (expired.length === 0) return result;
    await this.sql.transaction(async (tx) => {
      for (let i = 0; i < expired.length; i += 1000) {
        const ids = expired.slice(i, i + 1000).map((e) => e.id);
        const cascaded = await this.articleIds(tx, ids);
        const deleted = await tx.query<{ id: string }>(
          `DELETE FROM ${this.s}.ticket WHERE id::text = ANY($1::text[]) RETURNING id::text AS id`,
          [ids],
        );
        await forgetIndexedRows(
          tx,
          this.schema,
          "ticket",
          deleted.map((d) => d.id),
        );
        await forgetIndexedRows(tx, this.schema, "article", cascaded);
        result.deleted += deleted.length;
      }
      for (const e of expired) noteAffected(result, e.at);
    });
    return result;
  }
}
