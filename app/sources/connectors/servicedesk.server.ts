/**
 * Service-desk tickets and their articles (PostgreSQL). A ticket whose customer is the subject
 * belongs to them with all its articles; an article elsewhere belongs to them when they are its
 * sender or recipient or in CC. Contact-form tickets are a processing activity of their own,
 * based on consent (the opt-in is part of the record).
 */
import type { Sql } from "../../../db/sql";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindingFlag,
  type FindOptions,
  type JsonObject,
  type MatchedIdentifier,
  noteAffected,
  ruleFor,
  type ScanReport,
  type SourceConnector,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import { quoteSchema } from "../database.server";
import { bestMatch, compileSubject } from "../subject";
import { DbHolds, keysetScan, parseRowRef, toDate } from "./db-store.server";

type Row = Record<string, unknown> & { id: string };

const RECTIFY_FIELDS = ["customer_name", "customer_email", "customer_phone"] as const;

function json(row: Row): JsonObject {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === "bigint" ? String(v) : (v as JsonObject[string])]),
  );
}

export class ServiceDeskConnector implements SourceConnector {
  readonly kind = "servicedesk-db" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: RECTIFY_FIELDS };
  private readonly holds: DbHolds;

  constructor(
    readonly id: string,
    private readonly sql: Sql,
    private readonly schema: string,
  ) {
    this.holds = new DbHolds(sql, schema);
  }

  private get s(): string {
    return quoteSchema(this.schema);
  }

  private finding(table: "ticket" | "article", row: Row, contactForm: boolean, identifier: MatchedIdentifier, role: Finding["role"]): Finding {
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

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const [counts] = await this.sql.query<{ tickets: number; articles: number }>(
      `SELECT (SELECT count(*)::int FROM ${this.s}.ticket) AS tickets, (SELECT count(*)::int FROM ${this.s}.article) AS articles`,
    );
    const total = (counts?.tickets ?? 0) + (counts?.articles ?? 0);
    const report: ScanReport = { unit: "records", scanned: 0, total, findings: 0, malformed: 0, problems: [] };
    const progress = () => {
      report.scanned++;
      if (report.scanned % 100 === 0) options.onProgress?.({ unit: "records", scanned: report.scanned, total });
    };
    const ticketsOfSubject = new Map<string, boolean>();
    const contactFormTickets = new Set<string>();
    for await (const ticket of keysetScan<Row>(this.sql, `SELECT id::text AS id, number, title, channel, contact_form, consent_opt_in, consent_at, consent_text, customer_name, customer_email, customer_phone, state, created_at, closed_at FROM ${this.s}.ticket t`, options.signal)) {
      progress();
      if (ticket.contact_form) contactFormTickets.add(ticket.id);
      const identifier = bestMatch(
        compiled.email(ticket.customer_email as string | null),
        compiled.name(ticket.customer_name as string | null),
        compiled.phone(ticket.customer_phone as string | null),
      );
      if (!identifier) continue;
      ticketsOfSubject.set(ticket.id, true);
      report.findings++;
      yield this.finding("ticket", ticket, Boolean(ticket.contact_form), identifier, "customer");
      const articles = await this.sql.query<Row>(`SELECT id::text AS id, ticket_id::text AS ticket_id, created_at, sender_type, from_addr, to_addr, cc_addr, subject, body, internal FROM ${this.s}.article WHERE ticket_id = $1::bigint ORDER BY id`, [ticket.id]);
      for (const article of articles) {
        report.findings++;
        yield this.finding("article", article, Boolean(ticket.contact_form), identifier, "customer");
      }
    }
    for await (const article of keysetScan<Row>(this.sql, `SELECT id::text AS id, ticket_id::text AS ticket_id, created_at, sender_type, from_addr, to_addr, cc_addr, subject, body, internal FROM ${this.s}.article t`, options.signal)) {
      progress();
      if (ticketsOfSubject.has(article.ticket_id as string)) continue;
      const from = bestMatch(compiled.email(article.from_addr as string | null));
      const to = bestMatch(compiled.email(article.to_addr as string | null));
      const cc = bestMatch(compiled.email(article.cc_addr as string | null));
      const identifier = from ?? to ?? cc;
      if (!identifier) continue;
      report.findings++;
      yield this.finding("article", article, contactFormTickets.has(article.ticket_id as string), identifier, from ? "sender" : to ? "recipient" : "cc");
    }
    options.onReport?.(report);
  }

  /** Erasing a ticket erases its articles (the store's foreign key cascades); held ones stop it. */
  async erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.sql.transaction(async (tx) => {
      const held = await this.holds.all(tx);
      const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0 };
      for (const ref of refs) {
        const parsed = parseRowRef(ref);
        if (!parsed || (parsed.table !== "ticket" && parsed.table !== "article")) {
          result.notFound++;
          continue;
        }
        if (held.has(ref) || (parsed.table === "ticket" && (await this.heldArticles(tx, parsed.id, held)))) {
          result.skippedOnHold++;
          continue;
        }
        const deleted = await tx.query(`DELETE FROM ${this.s}.${parsed.table} WHERE id = $1::bigint RETURNING id`, [parsed.id]);
        if (deleted.length) result.changed++;
        else result.notFound++;
      }
      return result;
    });
  }

  private async heldArticles(tx: Sql, ticketId: string, held: Set<string>): Promise<boolean> {
    if (held.size === 0) return false;
    const rows = await tx.query<{ id: string }>(`SELECT id::text AS id FROM ${this.s}.article WHERE ticket_id = $1::bigint`, [ticketId]);
    return rows.some((r) => held.has(`article/${r.id}`));
  }

  restrict(refs: readonly string[], hold: boolean): Promise<ChangeResult> {
    return this.holds.set(refs, hold);
  }

  async rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult> {
    const parsed = parseRowRef(ref);
    const fields = Object.keys(changes);
    const unknown = fields.filter((f) => !(RECTIFY_FIELDS as readonly string[]).includes(f));
    if (!parsed || parsed.table !== "ticket" || unknown.length) {
      throw new UnsupportedOperationError(this.id, `changing ${unknown.length ? unknown.join(", ") : "this record"}`);
    }
    return this.sql.transaction(async (tx) => {
      const params = fields.map((f) => changes[f]);
      const sets = fields.map((f, i) => `${f} = $${i + 2}`).join(", ");
      const rows = await tx.query(`UPDATE ${this.s}.ticket SET ${sets} WHERE id = $1::bigint RETURNING id`, [parsed.id, ...params]);
      return { changed: rows.length, notFound: rows.length ? 0 : 1, skippedOnHold: 0 };
    });
  }

  /** Retention runs from the closure of the ticket; open tickets are never expired. */
  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const held = await this.holds.all();
    const expired: { id: string; at: Date }[] = [];
    for await (const ticket of keysetScan<{ id: string; contact_form: boolean; closed_at: unknown }>(this.sql, `SELECT id::text AS id, contact_form, closed_at FROM ${this.s}.ticket t`)) {
      const rule = ruleFor(rules, ticket.contact_form ? PROCESSING_ACTIVITY.contactForm : PROCESSING_ACTIVITY.supportTicket);
      const closed = toDate(ticket.closed_at);
      if (!rule || !closed || !rule.isExpired(closed, now)) continue;
      if (held.has(`ticket/${ticket.id}`) || (await this.heldArticles(this.sql, ticket.id, held))) result.skippedOnHold++;
      else expired.push({ id: ticket.id, at: closed });
    }
    if (expired.length === 0) return result;
    await this.sql.transaction(async (tx) => {
      for (let i = 0; i < expired.length; i += 1000) {
        const deleted = await tx.query(`DELETE FROM ${this.s}.ticket WHERE id::text = ANY($1::text[]) RETURNING id`, [expired.slice(i, i + 1000).map((e) => e.id)]);
        result.deleted += deleted.length;
      }
      for (const e of expired) noteAffected(result, e.at);
    });
    return result;
  }
}
