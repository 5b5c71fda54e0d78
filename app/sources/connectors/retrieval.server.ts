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

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.retrievalProtocol);
    if (!rule) return result;
    const held = await this.holds.all();
    const expired: { id: string; at: Date }[] = [];
    for await (const row of keysetScan<{ id: string; protokolliert_am: unknown }>(this.sql, `SELECT id::text AS id, protokolliert_am FROM ${this.table} t`)) {
      const at = toDate(row.protokolliert_am);
      if (!at) result.malformed++;
      else if (rule.isExpired(at, now)) {
        if (held.has(`abrufprotokoll/${row.id}`)) result.skippedOnHold++;
        else expired.push({ id: row.id, at });
      }
    }
    if (expired.length === 0) return result;
    await this.sql.transaction(async (tx) => {
      const stillHeld = await this.holds.all(tx);
      const ids = expired.filter((e) => !stillHeld.has(`abrufprotokoll/${e.id}`));
      for (let i = 0; i < ids.length; i += 1000) {
        const deleted = await tx.query(`DELETE FROM ${this.table} WHERE id::text = ANY($1::text[]) RETURNING id`, [ids.slice(i, i + 1000).map((e) => e.id)]);
        result.deleted += deleted.length;
      }
      for (const e of ids) noteAffected(result, e.at);
    });
    return result;
  }
}
