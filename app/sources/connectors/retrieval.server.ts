/**
 * Retrieval protocols of Melderegister look-ups (PostgreSQL, XMeld request/response XML). A record
 * concerns two people: the requesting official (user name, name, phone, fax, e-mail) and the person
 * looked up (name and date of birth). Look-ups by security authorities and hits on a person with an
 * Auskunftssperre are flagged for the review (§ 21(3) ThürDSG, § 51 BMG).
 */
import { XMLParser } from "fast-xml-parser";
import type { Sql } from "../../../db/sql";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindingFlag,
  type FindOptions,
  noteAffected,
  type RetentionRule,
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

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, trimValues: true });

interface Row {
  id: string;
  protokolliert_am: unknown;
  behoerde_dvdv: string;
  sicherheitsbehoerde: boolean;
  auskunftssperre: boolean;
  anfrage_xml: string;
  antwort_xml: string;
}

type Node = Record<string, unknown>;
const node = (value: unknown): Node => (value && typeof value === "object" ? (value as Node) : {});
const str = (value: unknown): string | null => (typeof value === "string" && value ? value : null);
const rootOf = (xml: string): Node => {
  const parsed = node(parser.parse(xml));
  const key = Object.keys(parsed).find((k) => !k.startsWith("?"));
  return key ? node(parsed[key]) : {};
};

export class RetrievalProtocolConnector implements SourceConnector {
  readonly kind = "retrieval-protocol-db" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: [] };
  private readonly holds: DbHolds;

  constructor(
    readonly id: string,
    private readonly sql: Sql,
    private readonly schema: string,
  ) {
    this.holds = new DbHolds(sql, schema);
  }

  private get table(): string {
    return `${quoteSchema(this.schema)}.abrufprotokoll`;
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const [{ total }] = (await this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${this.table}`)) as [{ total: number }];
    const report: ScanReport = { unit: "records", scanned: 0, total, findings: 0, malformed: 0, problems: [] };
    const select = `SELECT id::text AS id, protokolliert_am, behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml FROM ${this.table} t`;
    for await (const row of keysetScan<Row>(this.sql, select, options.signal)) {
      report.scanned++;
      if (report.scanned % 100 === 0) options.onProgress?.({ unit: "records", scanned: report.scanned, total });
      let request: Node;
      let response: Node;
      try {
        request = rootOf(row.anfrage_xml);
        response = rootOf(row.antwort_xml);
      } catch {
        report.malformed++;
        continue;
      }
      const official = node(request.sachbearbeiter);
      const criteria = node(request.suchkriterien);
      const result = node(response.ergebnis);
      const hitPerson = node(result.person);
      const asRequester = bestMatch(
        compiled.userName(str(official.benutzername)),
        compiled.personName(str(official.vorname), str(official.familienname)),
        compiled.email(str(official.email)),
        compiled.phone(str(official.telefon)),
        compiled.phone(str(official.telefax)),
      );
      const asLookedUp = bestMatch(
        compiled.lookedUpPerson(str(criteria.vorname), str(criteria.familienname), str(criteria.geburtsdatum)),
        compiled.lookedUpPerson(str(hitPerson.vornamen), str(hitPerson.familienname), str(hitPerson.geburtsdatum)),
      );
      const identifier = asRequester ?? asLookedUp;
      if (!identifier) continue;
      const flags: FindingFlag[] = ["third-party-data"];
      if (row.sicherheitsbehoerde) flags.push("security-authority");
      if (row.auskunftssperre) flags.push("information-block");
      report.findings++;
      yield {
        store: this.id,
        storeKind: this.kind,
        processingActivityId: PROCESSING_ACTIVITY.retrievalProtocol,
        ref: `abrufprotokoll/${row.id}`,
        matchedIdentifier: identifier,
        unproven: !identifier.proven,
        role: asRequester ? "requester" : "looked-up",
        flags,
        recordedAt: toDate(row.protokolliert_am),
        content: {
          id: row.id,
          protokolliertAm: toDate(row.protokolliert_am)?.toISOString() ?? null,
          behoerde: str(node(request.anfragendeStelle).behoerde),
          dvdvKennung: row.behoerde_dvdv,
          sicherheitsbehoerde: row.sicherheitsbehoerde,
          auskunftssperre: row.auskunftssperre,
          aktenzeichen: str(request.aktenzeichen),
          anlass: str(request.anlass),
          sachbearbeiter: Object.fromEntries(
            ["nutzerkennung", "benutzername", "vorname", "familienname", "telefon", "telefax", "email"].map((k) => [k, str(official[k])]),
          ),
          suchkriterien: { familienname: str(criteria.familienname), vorname: str(criteria.vorname), geburtsdatum: str(criteria.geburtsdatum) },
          trefferanzahl: Number(str(result.trefferanzahl) ?? 0),
          anfrageXml: row.anfrage_xml,
          antwortXml: row.antwort_xml,
        },
      };
    }
    options.onReport?.(report);
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.sql.transaction(async (tx) => {
      const held = await this.holds.all(tx);
      const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0 };
      const ids: string[] = [];
      for (const ref of refs) {
        const parsed = parseRowRef(ref);
        if (!parsed || parsed.table !== "abrufprotokoll") result.notFound++;
        else if (held.has(ref)) result.skippedOnHold++;
        else ids.push(parsed.id);
      }
      if (ids.length) {
        const deleted = await tx.query(`DELETE FROM ${this.table} WHERE id::text = ANY($1::text[]) RETURNING id`, [ids]);
        result.changed = deleted.length;
        result.notFound += ids.length - deleted.length;
      }
      return result;
    });
  }

  restrict(refs: readonly string[], hold: boolean): Promise<ChangeResult> {
    return this.holds.set(refs, hold);
  }

  async rectify(): Promise<ChangeResult> {
    throw new UnsupportedOperationError(this.id, "rectification of a retrieval protocol (it records what was asked)");
  }

  /**
   * Deletes the expired protocols in short batches along the index on `protokolliert_am`: each
   * batch is one statement over a time window of about `batchSize` rows (its own transaction), so
   * row locks last only as long as one batch and a sweep stopped half way leaves whole batches. The
   * rule becomes one cutoff instant (see `firstUnexpiredStart`); held records are left out by the
   * same statement, which reads the hold table in its own snapshot. `dryRun` only counts, without
   * changing anything (not even creating the hold table).
   */
  async sweep(now: Date, rules: SweepRules, options: { dryRun?: boolean; batchSize?: number } = {}): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.retrievalProtocol);
    if (!rule) return result;
    // Instants go to the driver as ISO text: postgres.js cannot bind a Date to an untyped parameter.
    const cutoff = firstUnexpiredStart(rule, now).toISOString();
    const holdTable = `${quoteSchema(this.schema)}.portal_legal_hold`;
    const [exists] = await this.sql.query<{ held: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS held`, [holdTable]);
    if (!exists?.held) {
      if (options.dryRun) return this.countExpired(result, cutoff, "true");
      await this.holds.all();
    }
    const heldIds = `SELECT substring(h.ref from 16)::bigint FROM ${holdTable} h WHERE h.ref ~ '^abrufprotokoll/[0-9]+$'`;
    const [held] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.table} t WHERE t.id IN (${heldIds}) AND t.protokolliert_am < $1::text::timestamptz`,
      [cutoff],
    );
    result.skippedOnHold = held?.n ?? 0;
    const notHeld = `t.id <> ALL(ARRAY(${heldIds}))`;
    if (options.dryRun) return this.countExpired(result, cutoff, notHeld);
    const limit = options.batchSize ?? 10_000;
    // Window bounds travel as PostgreSQL's own text: a JavaScript Date would drop the microseconds.
    const at = (param: number) => `$${param}::text::timestamptz`;
    const [first] = await this.sql.query<{ at: string | null }>(`SELECT min(protokolliert_am)::text AS at FROM ${this.table} WHERE protokolliert_am < ${at(1)}`, [cutoff]);
    let from = first?.at ?? null;
    while (from !== null) {
      // The window ends `limit` rows on (rows sharing one instant stay together), or at the cutoff.
      const [end] = await this.sql.query<{ at: string | null }>(
        `SELECT protokolliert_am::text AS at FROM ${this.table} WHERE protokolliert_am > ${at(1)} AND protokolliert_am < ${at(2)}
         ORDER BY protokolliert_am OFFSET ${limit - 1} LIMIT 1`,
        [from, cutoff],
      );
      const upper = end?.at ?? null;
      const [batch] = await this.sql.query<{ n: number; oldest: unknown; newest: unknown }>(
        `WITH gone AS (
           DELETE FROM ${this.table} t WHERE t.protokolliert_am >= ${at(1)} AND t.protokolliert_am < ${at(2)} AND ${notHeld} RETURNING t.protokolliert_am
         )
         SELECT count(*)::int AS n, min(protokolliert_am) AS oldest, max(protokolliert_am) AS newest FROM gone`,
        [from, upper ?? cutoff],
      );
      if (batch && batch.n > 0) {
        result.deleted += batch.n;
        noteAffected(result, toDate(batch.oldest)!);
        noteAffected(result, toDate(batch.newest)!);
      }
      from = upper;
    }
    return result;
  }

  private async countExpired(result: SweepResult, cutoff: string, notHeld: string): Promise<SweepResult> {
    const [row] = await this.sql.query<{ n: number; oldest: unknown; newest: unknown }>(
      `SELECT count(*)::int AS n, min(protokolliert_am) AS oldest, max(protokolliert_am) AS newest
       FROM ${this.table} t WHERE t.protokolliert_am < $1::text::timestamptz AND ${notHeld}`,
      [cutoff],
    );
    result.deleted = row?.n ?? 0;
    result.oldestAffected = toDate(row?.oldest);
    result.newestAffected = toDate(row?.newest);
    return result;
  }
}

// Far enough back for any retention a records directive knows; a longer rule expires nothing.
const SEARCH_SPAN_MS = 200 * 366 * 86_400_000;

/**
 * The earliest start instant whose record is not yet expired at `now`; everything that started
 * before it is due. Lets a database delete by one indexed comparison instead of judging each row.
 * Sound because every rule of the deletion concept is "start + period (+ rounding to a year end)",
 * which never moves the deletion instant earlier for a later start: expiry is monotone in the
 * start, so a binary search over milliseconds (about 45 evaluations of the rule) is exact.
 */
export function firstUnexpiredStart(rule: RetentionRule, now: Date): Date {
  let expired = now.getTime() - SEARCH_SPAN_MS;
  if (!rule.isExpired(new Date(expired), now)) return new Date(expired);
  let kept = now.getTime() + 1;
  if (rule.isExpired(new Date(kept), now)) return new Date(kept);
  while (kept - expired > 1) {
    const middle = Math.floor((expired + kept) / 2);
    if (rule.isExpired(new Date(middle), now)) expired = middle;
    else kept = middle;
  }
  return new Date(kept);
}
