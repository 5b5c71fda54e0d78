/**
 * Retrieval protocols of Melderegister look-ups (PostgreSQL, XMeld request/response XML). A record
 * concerns two kinds of people: the requesting official (user name, name, phone, fax, e-mail) and
 * the persons looked up (the criteria asked for, and every person the register returned as a hit,
 * each with a date of birth). Which look-up is a person's follows ADR 0007. Look-ups by security
 * authorities and hits on a person with an Auskunftssperre are flagged for the review (§ 21(3)
 * ThürDSG, § 51 BMG); the requesting authority is kept as the recipient of the data.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Sql } from "#db/sql";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindingFlag,
  type FindOptions,
  type MatchedIdentifier,
  noteAffected,
  type RecordState,
  type SweepRule,
  reportProblem,
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
  NOT_A_REFERENCE,
  OwnedConnection,
  parseRowRef,
  rowExists,
  toDate,
} from "./db-store.server";
import {
  ALWAYS_CANDIDATE,
  buildSearchIndex,
  forgetIndexedRows,
  type IndexedKey,
  type IndexedTable,
  searchRows,
} from "./search-index.server";

const TABLE = "abrufprotokoll";

// HTML 4.01's Latin-1 entity set (HTMLlat1.ent) names U+00A0…U+00FF in code point order; exports
// of German registers write umlauts with these names ("M&uuml;ller") as often as numerically.
const LATIN1_ENTITY_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(
    " ",
  );
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  ...Object.fromEntries(LATIN1_ENTITY_NAMES.map((name, i) => [name, String.fromCodePoint(0xa0 + i)])),
  // The Latin letters of HTMLspecial.ent (French and Czech/Slovak names).
  OElig: "Œ",
  oelig: "œ",
  Scaron: "Š",
  scaron: "š",
  Yuml: "Ÿ",
};

/**
 * Character references as fast-xml-parser's `entityDecoder` takes them: numeric ones (`&#252;`,
 * `&#xFC;`), XML's five, the Latin-1 names and the entities a document declares in its DOCTYPE.
 * One pass, so a declared entity is never expanded again (no "billion laughs"); an unknown name
 * stays as written. CDATA is not decoded (the parser does not call this for it).
 */
class CharacterReferences {
  private declared: Record<string, string> = {};

  reset(): void {
    this.declared = {};
  }
  setXmlVersion(): void {}
  setExternalEntities(entities: Record<string, string>): void {
    this.declared = { ...this.declared, ...entities };
  }
  addInputEntities(entities: Record<string, string>): void {
    this.declared = { ...this.declared, ...entities };
  }
  decode(text: string): string {
    if (!text.includes("&")) return text;
    return text.replace(
      /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));/g,
      (whole, dec?: string, hex?: string, name?: string) => {
        if (name)
          return Object.hasOwn(this.declared, name) ? this.declared[name]! : (NAMED_ENTITIES[name] ?? whole);
        const code = dec ? Number(dec) : parseInt(hex!, 16);
        const allowed =
          code === 0x9 ||
          code === 0xa ||
          code === 0xd ||
          (code >= 0x20 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff));
        return allowed ? String.fromCodePoint(code) : whole;
      },
    );
  }
}

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  // Trimming is done on the joined text (`str`): the parser would trim "Jörg " before a CDATA
  // "Peter" and glue the two into one word.
  trimValues: false,
  isArray: (name) => name === "person",
  jPath: false,
  entityDecoder: new CharacterReferences(),
});

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
const node = (value: unknown): Node =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Node) : {};
const list = (value: unknown): Node[] =>
  Array.isArray(value) ? value.map(node) : value ? [node(value)] : [];

/** Text of an element, trimmed; text and CDATA parts of one element belong together. */
function str(value: unknown): string | null {
  if (Array.isArray(value)) return str(value.filter((v) => typeof v === "string").join(""));
  if (typeof value === "object" && value && "#text" in value) return str((value as Node)["#text"]);
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

/** A date of birth as text, also where it is given in parts (`<jahr>1980</jahr><monat>00</monat>…`). */
function dateText(value: unknown): string | null {
  const text = str(value);
  if (text) return text;
  const parts = node(value);
  const year = str(parts.jahr);
  if (!year) return null;
  return `${year}-${(str(parts.monat) ?? "00").padStart(2, "0")}-${(str(parts.tag) ?? "00").padStart(2, "0")}`;
}

/**
 * UTF-8 that was read as Latin-1 on its way into the table ("MÃ¼ller"), as happens to XML declared
 * ISO-8859-1 but written in UTF-8. Repaired only when the whole text is Latin-1 and its bytes are
 * valid UTF-8: a real Latin-1 "Müller" (byte FC) is not, so it stays as it is.
 */
export function repairDoubleEncoding(text: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(text, "latin1"));
  } catch {
    return text;
  }
}

/** The document element of an XML text, or the line where it stops being well-formed. */
function readXml(raw: string | null): { root: Node } | { line: number | undefined } {
  const xml = repairDoubleEncoding(raw ?? "");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { line: valid.err.line };
  const parsed = node(parser.parse(xml));
  const key = Object.keys(parsed).find((k) => !k.startsWith("?"));
  return { root: key ? node(parsed[key]) : {} };
}

/** The persons a response returned: `ergebnis/person`, also grouped as `ergebnis/personen/person`. */
function hitsOf(result: Node): Node[] {
  return [...list(result.person), ...list(node(result.personen).person)];
}

/**
 * A person of a look-up as the matcher reads it: a register's hit lists its given names
 * (`vornamen`), the criteria the one asked for (`vorname`); each reads the other where its own is
 * missing.
 */
function lookedUpFields(
  person: Node,
  as: "hit" | "criteria",
): { first: string | null; last: string | null; birthDate: string | null } {
  return {
    first:
      as === "hit"
        ? (str(person.vornamen) ?? str(person.vorname))
        : (str(person.vorname) ?? str(person.vornamen)),
    last: str(person.familienname),
    birthDate: dateText(person.geburtsdatum),
  };
}

/** The parts of one protocol the search reads; a half that is not well-formed is empty, with its line. */
interface Protocol {
  request: Node;
  official: Node;
  criteria: Node;
  result: Node;
  hits: Node[];
  brokenRequest: { line: number | undefined } | null;
  brokenResponse: { line: number | undefined } | null;
}

function readProtocol(row: { anfrage_xml: string; antwort_xml: string }): Protocol {
  const requestXml = readXml(row.anfrage_xml);
  const responseXml = readXml(row.antwort_xml);
  const request = "root" in requestXml ? requestXml.root : {};
  const response = "root" in responseXml ? responseXml.root : {};
  const result = node(response.ergebnis);
  return {
    request,
    official: node(request.sachbearbeiter),
    criteria: node(request.suchkriterien),
    result,
    hits: hitsOf(result),
    brokenRequest: "root" in requestXml ? null : requestXml,
    brokenResponse: "root" in responseXml ? null : responseXml,
  };
}

/**
 * A protocol's search keys: the official's user name, name, e-mail, phone and fax, and every
 * looked-up person's name with the date of birth beside it — the fields `find` matches on. A
 * protocol with a broken half is always a candidate, so its problem is reported as in a scan.
 */
export function protocolSearchKeys(row: { anfrage_xml: string; antwort_xml: string }): IndexedKey[] {
  const { official, criteria, hits, brokenRequest, brokenResponse } = readProtocol(row);
  const plain = [
    ...searchKeys.userName(str(official.benutzername)),
    ...searchKeys.personName(str(official.vorname), str(official.familienname)),
    ...searchKeys.email(str(official.email)),
    ...searchKeys.phone(str(official.telefon)),
    ...searchKeys.phone(str(official.telefax)),
    ...(brokenRequest || brokenResponse ? [ALWAYS_CANDIDATE] : []),
  ].map((key) => ({ key, birth: null }));
  const people = [lookedUpFields(criteria, "criteria"), ...hits.map((hit) => lookedUpFields(hit, "hit"))];
  const lookedUp = people.flatMap(({ first, last, birthDate }) => {
    return searchKeys.personName(first, last).map((key) => ({ key, birth: birthDate }));
  });
  return [...plain, ...lookedUp];
}

/**
 * Is the subject a person this look-up was about (ADR 0007)? Each hit is checked with its own date
 * of birth. The criteria count when their date agrees, or when the register returned nobody who
 * could show whom the look-up meant (no hit, or only a block notice).
 */
function lookedUpMatch(
  compiled: CompiledSubject,
  criteria: Node,
  hits: readonly Node[],
): MatchedIdentifier | null {
  const fromHits = hits.map((hit) => {
    const { first, last, birthDate } = lookedUpFields(hit, "hit");
    return compiled.lookedUpPerson(first, last, birthDate);
  });
  const { first, last, birthDate: criteriaDate } = lookedUpFields(criteria, "criteria");
  const asked = compiled.lookedUpPerson(first, last, criteriaDate);
  const named = hits.some((hit) => str(hit.familienname));
  const criteriaCount = asked && (compiled.compareBirthDate(criteriaDate) === "same" || !named);
  return bestMatch(...fromHits, criteriaCount ? asked : null);
}

export class RetrievalProtocolConnector implements SourceConnector {
  readonly kind = "retrieval-protocol-db" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: [] };
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

  private get table(): string {
    return `${quoteSchema(this.schema)}.${TABLE}`;
  }

  /** What the search index reads of the table, and the keys it files each row under. */
  get indexed(): IndexedTable<Row> {
    return {
      table: TABLE,
      select: `SELECT id::text AS id, protokolliert_am, behoerde_dvdv, sicherheitsbehoerde, auskunftssperre, anfrage_xml, antwort_xml FROM ${this.table} t`,
      keysOf: protocolSearchKeys,
      tracked: ["anfrage_xml", "antwort_xml"],
    };
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const search = await searchRows(
      this.sql,
      this.schema,
      this.indexed,
      compiled.searchKeys(),
      (birth) => compiled.compareBirthDate(birth) !== "different",
      options.signal,
    );
    const total = search.total;
    const report: ScanReport = {
      unit: "records",
      scanned: 0,
      total,
      findings: 0,
      malformed: 0,
      problems: [],
      index: search.use,
    };
    for await (const row of search.rows) {
      report.scanned++;
      if (report.scanned % 100 === 0)
        options.onProgress?.({ unit: "records", scanned: report.scanned, total });
      const where = `${TABLE}/${row.id}`;
      const { request, official, criteria, result, hits, brokenRequest, brokenResponse } = readProtocol(row);
      // A record whose one half is broken is still searched in the other; staff learn which half.
      if (brokenRequest)
        reportProblem(report, {
          where,
          line: brokenRequest.line,
          reason: "request XML (anfrage_xml) is not well-formed",
          unsearched: false,
        });
      if (brokenResponse)
        reportProblem(report, {
          where,
          line: brokenResponse.line,
          reason: "response XML (antwort_xml) is not well-formed",
          unsearched: false,
        });
      if (brokenRequest || brokenResponse) report.malformed++;
      const asRequester = bestMatch(
        compiled.userName(str(official.benutzername)),
        compiled.personName(str(official.vorname), str(official.familienname)),
        compiled.email(str(official.email)),
        compiled.phone(str(official.telefon)),
        compiled.phone(str(official.telefax)),
      );
      const asLookedUp = lookedUpMatch(compiled, criteria, hits);
      const identifier = bestMatch(asRequester, asLookedUp);
      if (!identifier) continue;
      const flags: FindingFlag[] = ["third-party-data"];
      if (row.sicherheitsbehoerde) flags.push("security-authority");
      if (row.auskunftssperre) flags.push("information-block");
      const authority = node(request.anfragendeStelle);
      report.findings++;
      yield {
        store: this.id,
        storeKind: this.kind,
        processingActivityId: PROCESSING_ACTIVITY.retrievalProtocol,
        ref: where,
        matchedIdentifier: identifier,
        unproven: !identifier.proven,
        role: asRequester ? "requester" : "looked-up",
        flags,
        recordedAt: toDate(row.protokolliert_am),
        content: {
          id: row.id,
          protokolliertAm: toDate(row.protokolliert_am)?.toISOString() ?? null,
          behoerde: str(authority.behoerde),
          dvdvKennung: row.behoerde_dvdv,
          sicherheitsbehoerde: row.sicherheitsbehoerde,
          auskunftssperre: row.auskunftssperre,
          // Who received the looked-up person's data: the requesting authority (Art. 15(1)(c)).
          empfaenger: {
            behoerde: str(authority.behoerde),
            dvdvKennung: str(authority.dvdvKennung) ?? row.behoerde_dvdv,
            sicherheitsbehoerde: row.sicherheitsbehoerde,
          },
          aktenzeichen: str(request.aktenzeichen),
          anlass: str(request.anlass),
          sachbearbeiter: Object.fromEntries(
            ["nutzerkennung", "benutzername", "vorname", "familienname", "telefon", "telefax", "email"].map(
              (k) => [k, str(official[k])],
            ),
          ),
          suchkriterien: {
            familienname: str(criteria.familienname),
            vorname: str(criteria.vorname),
            geburtsdatum: dateText(criteria.geburtsdatum),
          },
          trefferanzahl: Number.isFinite(Number(str(result.trefferanzahl)))
            ? Number(str(result.trefferanzahl))
            : null,
          anfrageXml: row.anfrage_xml,
          antwortXml: row.antwort_xml,
        },
      };
    }
    options.onReport?.(report);
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.sql.transaction(async (tx) => {
      const held = await this.holds.heldAmong(refs, tx);
      const result = emptyChangeResult();
      const ids: string[] = [];
      for (const ref of refs) {
        const parsed = parseRowRef(ref);
        if (!parsed || parsed.table !== TABLE) result.failures.push({ ref, reason: NOT_A_REFERENCE });
        else if (held.has(ref)) result.skippedOnHold++;
        else ids.push(parsed.id);
      }
      if (ids.length) {
        const deleted = await tx.query<{ id: string }>(
          `DELETE FROM ${this.table} WHERE id = ANY($1::bigint[]) RETURNING id::text AS id`,
          [ids],
        );
        // The index holds the record's names and addresses: they go with it.
        await forgetIndexedRows(
          tx,
          this.schema,
          TABLE,
          deleted.map((d) => d.id),
        );
        result.changed = deleted.length;
        result.notFound += ids.length - deleted.length;
      }
      return result;
    });
  }

  restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult> {
    return this.holds.set(refs, hold, holder, (tx, ref) => rowExists(tx, this.schema, [TABLE], ref));
  }

  async rectify(): Promise<ChangeResult> {
    throw new UnsupportedOperationError(
      this.id,
      "rectification of a retrieval protocol (it records what was asked)",
    );
  }

  inspect(refs: readonly string[]): Promise<Map<string, RecordState>> {
    return inspectRows(this.sql, this.schema, this.holds, refs, { [TABLE]: [] });
  }

  check(): Promise<StoreCheck> {
    return checkTables(this.sql, this.schema, [TABLE]);
  }

  buildIndex(options?: Parameters<NonNullable<SourceConnector["buildIndex"]>>[0]) {
    return buildSearchIndex(this.sql, this.schema, this.indexed, options);
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /**
   * Deletes the expired protocols in short batches along the index on `protokolliert_am`: each
   * batch is one statement over a time window of about `batchSize` rows (its own transaction), so
   * row locks last only as long as one batch and a sweep stopped half way leaves whole batches. The
   * rule becomes one cutoff instant (see `firstUnexpiredStart`); held records are left out by the
   * same statement, which reads the hold table in its own snapshot. `dryRun` only counts, without
   * changing anything (not even creating the hold table).
   */
  async sweep(
    now: Date,
    rules: SweepRules,
    options: { dryRun?: boolean; batchSize?: number } = {},
  ): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.retrievalProtocol);
    if (!rule) return result;
    // Instants go to the driver as ISO text: postgres.js cannot bind a Date to an untyped parameter.
    const cutoff = firstUnexpiredStart(rule, now).toISOString();
    const holdTable = `${quoteSchema(this.schema)}.portal_legal_hold`;
    const [exists] = await this.sql.query<{ held: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS held`, [
      holdTable,
    ]);
    if (!exists?.held) {
      if (options.dryRun) return this.countExpired(result, cutoff, "true");
      await this.holds.all();
    }
    const heldIds = `SELECT substring(h.ref from 16)::bigint FROM ${holdTable} h WHERE h.ref ~ '^abrufprotokoll/-?[0-9]+$'`;
    const [held] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.table} t WHERE t.id IN (${heldIds}) AND t.protokolliert_am < $1::text::timestamptz`,
      [cutoff],
    );
    result.skippedOnHold = held?.n ?? 0;
    const notHeld = `t.id <> ALL(ARRAY(${heldIds}))`;
    if (options.dryRun) return this.countExpired(result, cutoff, notHeld);
    const limit = options.batchSize ?? 10_000;
    // The search index's keys of a swept row go in the same statement as the row.
    const [indexed] = await this.sql.query<{ present: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS present`,
      [`${quoteSchema(this.schema)}.portal_search_key`],
    );
    const forgetKeys = indexed?.present
      ? `, forgotten AS (DELETE FROM ${quoteSchema(this.schema)}.portal_search_key k WHERE k.source = '${TABLE}' AND k.row_id IN (SELECT id FROM gone))`
      : "";
    // Window bounds travel as PostgreSQL's own text: a JavaScript Date would drop the microseconds.
    const at = (param: number) => `$${param}::text::timestamptz`;
    const [first] = await this.sql.query<{ at: string | null }>(
      `SELECT min(protokolliert_am)::text AS at FROM ${this.table} WHERE protokolliert_am < ${at(1)}`,
      [cutoff],
    );
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
           DELETE FROM ${this.table} t WHERE t.protokolliert_am >= ${at(1)} AND t.protokolliert_am < ${at(2)} AND ${notHeld} RETURNING t.id, t.protokolliert_am
         )${forgetKeys}
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
export function firstUnexpiredStart(rule: SweepRule, now: Date): Date {
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
