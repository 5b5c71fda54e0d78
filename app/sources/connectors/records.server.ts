/**
 * Records management (VISkompakt): per document a PDF scan and an XML metadata file. Found through
 * the metadata: e-mail, sender name, or postal address together with the family name (letters
 * signed with an initial). Erasure honours § 23 ThürDSG: a sweep deletes an expired record only
 * after the public archive has declined it or taken it over.
 */
import { readFile, unlink } from "node:fs/promises";
import { XMLParser } from "fast-xml-parser";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindOptions,
  type JsonObject,
  noteAffected,
  ruleFor,
  type ScanReport,
  type SourceConnector,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import { HoldList, listStoreFiles, type StoreFile, writeFileAtomic } from "../files.server";
import { bestMatch, compileSubject } from "../subject";
import { parseDate } from "../time";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: true, parseTagValue: false, trimValues: true });

const SENDER_FIELDS = ["vorname", "nachname", "strasse", "postleitzahl", "ort", "email", "telefon"] as const;
const ARCHIVE_DONE = new Set(["not-archival", "transferred"]);

interface DocumentRecord {
  id: string;
  file: StoreFile;
  sender: Partial<Record<(typeof SENDER_FIELDS)[number], string>>;
  received: Date | null;
  closed: Date | null;
  archive: string | null;
  fields: JsonObject;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

export class RecordsConnector implements SourceConnector {
  readonly kind = "records-management" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: SENDER_FIELDS };

  constructor(
    readonly id: string,
    private readonly root: string,
  ) {}

  private files(): Promise<StoreFile[]> {
    return listStoreFiles(this.id, this.root, /(^|\/)VIS-[^/]+\.xml$/);
  }

  private async read(file: StoreFile): Promise<DocumentRecord | null> {
    const parsed = parser.parse(await readFile(file.abs, "utf8")) as { dokument?: Record<string, unknown> };
    const doc = parsed.dokument;
    const id = text(doc?.["@id"]);
    if (!doc || !id) return null;
    const sender = (doc.absender ?? {}) as Record<string, unknown>;
    const process = (doc.vorgang ?? {}) as Record<string, unknown>;
    const datei = (doc.datei ?? {}) as Record<string, unknown>;
    const senderFields = Object.fromEntries(SENDER_FIELDS.map((f) => [f, text(sender[f])]).filter(([, v]) => v)) as DocumentRecord["sender"];
    return {
      id,
      file,
      sender: senderFields,
      received: parseDate(text(doc.eingangsdatum)),
      closed: parseDate(text(process.abschlussdatum)),
      archive: text(process.archivangebot),
      fields: {
        id,
        aktenzeichen: text(doc.aktenzeichen),
        betreff: text(doc.betreff),
        eingangsart: text(doc.eingangsart),
        eingangsdatum: text(doc.eingangsdatum),
        absender: senderFields,
        status: text(process.status),
        abschlussdatum: text(process.abschlussdatum),
        archivangebot: text(process.archivangebot),
        pdf: text(datei["@name"]),
        metadataFile: file.rel,
      },
    };
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const files = await this.files();
    const report: ScanReport = { unit: "records", scanned: 0, total: files.length, findings: 0, malformed: 0, problems: [] };
    for (const file of files) {
      options.signal?.throwIfAborted();
      report.scanned++;
      options.onProgress?.({ unit: "records", scanned: report.scanned, total: report.total });
      let record: DocumentRecord | null;
      try {
        record = await this.read(file);
      } catch (error) {
        record = null;
        report.problems.push(`${file.rel}: unreadable metadata (${(error as Error).message})`);
      }
      if (!record) {
        report.malformed++;
        continue;
      }
      const s = record.sender;
      const address = s.strasse && s.postleitzahl && s.ort ? `${s.strasse}, ${s.postleitzahl} ${s.ort}` : null;
      const identifier = bestMatch(
        compiled.email(s.email),
        compiled.personName(s.vorname, s.nachname),
        compiled.phone(s.telefon),
        compiled.familyNameAtAddress(s.nachname, address),
      );
      if (!identifier) continue;
      report.findings++;
      yield {
        store: this.id,
        storeKind: this.kind,
        processingActivityId: PROCESSING_ACTIVITY.recordsManagement,
        ref: record.id,
        matchedIdentifier: identifier,
        unproven: !identifier.proven,
        role: "sender",
        flags: [],
        recordedAt: record.received,
        content: record.fields,
      };
    }
    options.onReport?.(report);
  }

  private async byId(): Promise<Map<string, StoreFile>> {
    return new Map((await this.files()).map((f) => [f.rel.replace(/^.*\//, "").replace(/\.xml$/, ""), f]));
  }

  /** The PDF goes first: a metadata file left by an interrupted erase is still found and erased again. */
  private async remove(file: StoreFile): Promise<void> {
    await unlink(file.abs.replace(/\.xml$/, ".pdf")).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    await unlink(file.abs);
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    const holds = await HoldList.open(this.root);
    const files = await this.byId();
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0 };
    for (const ref of refs) {
      const file = files.get(ref);
      if (holds.has(ref)) result.skippedOnHold++;
      else if (!file) result.notFound++;
      else {
        await this.remove(file);
        result.changed++;
      }
    }
    return result;
  }

  async restrict(refs: readonly string[], hold: boolean): Promise<ChangeResult> {
    return { changed: await HoldList.update(this.root, refs, hold), notFound: 0, skippedOnHold: 0 };
  }

  /** Rewrites only the changed sender elements of the metadata file; the scan stays as received. */
  async rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult> {
    const unknown = Object.keys(changes).filter((f) => !(SENDER_FIELDS as readonly string[]).includes(f));
    if (unknown.length) throw new UnsupportedOperationError(this.id, `changing ${unknown.join(", ")}`);
    const file = (await this.byId()).get(ref);
    if (!file) return { changed: 0, notFound: 1, skippedOnHold: 0 };
    const xml = await readFile(file.abs, "utf8");
    let updated = xml;
    for (const [field, value] of Object.entries(changes)) {
      const escaped = value.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!);
      const element = new RegExp(`(<vis:${field}>)[^<]*(</vis:${field}>)`);
      updated = element.test(updated)
        ? updated.replace(element, `$1${escaped}$2`)
        : updated.replace("</vis:absender>", `  <vis:${field}>${escaped}</vis:${field}>\n  </vis:absender>`);
    }
    if (updated === xml) return { changed: 0, notFound: 0, skippedOnHold: 0 };
    await writeFileAtomic(file.abs, updated);
    return { changed: 1, notFound: 0, skippedOnHold: 0 };
  }

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.recordsManagement);
    if (!rule) return result;
    const holds = await HoldList.open(this.root);
    for (const file of await this.files()) {
      const record = await this.read(file).catch(() => null);
      if (!record) {
        result.malformed++;
        continue;
      }
      if (!record.closed || !rule.isExpired(record.closed, now)) continue;
      if (holds.has(record.id)) result.skippedOnHold++;
      else if (!record.archive || !ARCHIVE_DONE.has(record.archive)) result.skippedPendingArchive++;
      else {
        await this.remove(file);
        result.deleted++;
        noteAffected(result, record.closed);
      }
    }
    return result;
  }
}
