/**
 * The archives of an answer, streamed into a Writable from the reviewed findings:
 * - the access archive (Art. 15(3)): index.html, the letter, per store one JSON and one CSV file,
 *   a JSON Schema per JSON file, manifest.json with the SHA-256 of every other file;
 * - the portability archive (Art. 20): only findings of activities with data portability (the
 *   contact form), as JSON with schemas and manifest.
 * Without encryption the same input gives the same bytes: fixed order (stores by id, records as the
 * source yields them), every date from `answeredAt`. The findings are read once: that pass checks
 * them, sums them up and writes their JSON lines and their rows of index.html and the CSV files to a
 * spool on disk, from which the files are made (answer-spool.server.ts); they are never held
 * together in memory.
 */
import type { Writable } from "node:stream";
import { csvLines, csvRecord, UTF8_BOM, type CsvCell, type CsvDialect } from "#app/core/csv";
import { processingActivityById } from "#app/core/processing-activities";
import type { AnswerKind } from "#app/core/request-kinds";
import { assertAnswerInput, type AnswerInput } from "./answer-input";
import { AnswerSpool } from "./answer-spool.server";
import { dataFile, INDEX_FILE, MANIFEST_FILE, schemaFileFor } from "./archive-layout";
import { HTML_END, htmlHead, storeTable, type StoreTable } from "./html";
import { manifestSchema, storeFileSchema } from "./json-schema";
import { letterContent, letterFileName, portabilityActivities } from "./letter-content";
import { renderAccessLetter } from "./letter-pdf.server";
import { csvHeader, csvRowBuilder, exportRecordJson, shownRecordOf, type ShownRecord } from "./record-format";
import { blankRedacted } from "./redaction";
import {
  findingBatches,
  SummaryBuilder,
  type CopySummary,
  type FindingFilter,
  type StoreSummary,
} from "./summary";
import { answerTexts } from "./texts";
import { deflatedZipSink } from "./deflated-zip.server";
import { digestEntries, type EntryDigest, type EntryDigests } from "./entry-digest.server";
import { partsOf, type EntryPart, type EntrySource } from "./entry-parts.server";
import { encryptedZipSink, type ArchiveEntry, type DeflatedEntryInfo, type ZipSink } from "./zip-sink.server";

export interface ArchiveOptions {
  /** AES-256 with this password (see archivePassword); without one the archive is plain and deterministic. */
  password?: string;
  /** Plain archives only: hears where each entry's deflated data lie (the archive stored at release). */
  onEntry?: (entry: DeflatedEntryInfo) => void;
}

export interface ArchiveResult {
  /** Every file but manifest.json, in archive order, as listed in the manifest. */
  entries: ArchiveEntry[];
  /** Size of the ZIP file. */
  bytes: number;
  summary: CopySummary;
}

/** RFC 4180 with commas (the files are for programs as much as for people); formulas neutralised. */
const CSV_DIALECT: CsvDialect = { delimiter: ",", escapeFormulas: true };
const CRLF = "\r\n";

/** How one store's rows are made while its columns are those of `htmlLayout` and `csvLayout`. */
interface RowMaker {
  htmlLayout: number;
  csvLayout: number;
  html: StoreTable["row"];
  csv: (record: ShownRecord) => CsvCell[];
}

/**
 * The one pass over the findings: each is checked (by the source: the database compares it with
 * the hash it was reviewed with), counted into the summary and written to the spool as its JSON
 * line and, for the access archive (a spool with rows), as its row of index.html's table and of the CSV
 * file. A row depends on its store's columns, which grow as records bring fields, roles,
 * activities or redactions not seen before: when they change, the rows made so far are dropped
 * (the spool's file starts again) and made again from the JSON lines when the archive is written.
 * Records bring their store's fields in the first few rows, so almost every row is made once, from
 * the finding, and no JSON line is parsed again (ADR 0006).
 */
async function spoolFindings(
  input: AnswerInput,
  spool: AnswerSpool,
  filter?: FindingFilter,
): Promise<CopySummary> {
  const summary = new SummaryBuilder();
  const t = answerTexts(input.lang);
  const makers = new Map<string, RowMaker>();
  for await (const batch of findingBatches(input.released, filter)) {
    for (const finding of batch) {
      const content = blankRedacted(finding.content, finding.redactions);
      const store = summary.add(finding, content);
      const files = await spool.store(store.store);
      spool.addRecord(files, exportRecordJson(finding, input.lang, content));
      if (!files.html || !files.csv) continue;
      let maker = makers.get(store.store);
      if (!maker) {
        maker = { htmlLayout: -1, csvLayout: -1, html: () => "", csv: () => [] };
        makers.set(store.store, maker);
      }
      // This record is the first made with the store's columns as they are now.
      if (maker.htmlLayout !== store.htmlLayout) {
        maker.htmlLayout = store.htmlLayout;
        maker.html = storeTable(store, input, t).row;
        files.html.restart(store.count - 1);
      }
      if (maker.csvLayout !== store.csvLayout) {
        maker.csvLayout = store.csvLayout;
        maker.csv = csvRowBuilder(store.content, input.lang);
        files.csv.restart(store.count - 1);
      }
      const record = shownRecordOf(finding, content);
      files.html.write(maker.html(record, store.count));
      files.csv.write(csvRecord(maker.csv(record), CSV_DIALECT) + CRLF);
    }
    await spool.flush();
  }
  await spool.closeRecords();
  return summary.result();
}

function storeJson(input: AnswerInput, store: StoreSummary, spool: AnswerSpool): EntryPart[] {
  const names = Object.fromEntries(
    [...store.activities.keys()].sort().map((id) => [id, processingActivityById[id].name[input.lang]]),
  );
  const head = {
    reference: input.reference,
    answeredAt: input.answeredAt.toISOString(),
    store: store.store,
    storeKind: store.storeKind,
    processingActivities: names,
  };
  return [
    `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "records": [`,
    spool.recordPart(store.store),
    store.count === 0 ? "]\n}\n" : "\n  ]\n}\n",
  ];
}

/** index.html: the letter and overview, then each store's table with the rows from the spool. */
function indexHtml(input: AnswerInput, summary: CopySummary, spool: AnswerSpool): EntryPart[] {
  const t = answerTexts(input.lang);
  const parts: EntryPart[] = [htmlHead(input, summary, letterContent(input, summary))];
  for (const store of summary.stores) {
    const table = storeTable(store, input, t);
    parts.push(
      table.start,
      spool.staleRowPart(store.store, "html"),
      spool.rowPart(store.store, "html"),
      table.end,
    );
  }
  parts.push(HTML_END);
  return parts;
}

/**
 * A store's CSV file (per RFC 4180: CRLF, quoting as needed, UTF-8 with BOM so spreadsheet
 * programs read umlauts): the header, then the rows from the spool.
 */
function storeCsv(store: StoreSummary, spool: AnswerSpool): EntryPart[] {
  return [
    UTF8_BOM + csvLines([csvHeader(store.content)], CSV_DIALECT),
    spool.staleRowPart(store.store, "csv"),
    spool.rowPart(store.store, "csv"),
  ];
}

/** The rows the pass dropped, made again with each store's final columns (AnswerSpool.writeStaleRows). */
async function writeStaleRows(input: AnswerInput, summary: CopySummary, spool: AnswerSpool): Promise<void> {
  const t = answerTexts(input.lang);
  for (const store of summary.stores) {
    await spool.writeStaleRows(store.store, "html", storeTable(store, input, t).row);
    const row = csvRowBuilder(store.content, input.lang);
    await spool.writeStaleRows(store.store, "csv", (record) => csvRecord(row(record), CSV_DIALECT) + CRLF);
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function openSink(input: AnswerInput, out: Writable, options: ArchiveOptions): Promise<ZipSink> {
  return options.password
    ? encryptedZipSink(out, input.answeredAt, options.password)
    : deflatedZipSink(out, input.answeredAt, options.onEntry);
}

/** A file of the archive: its parts, and its sums where they are worked out apart (entry-digest.server.ts). */
interface ArchiveFile {
  path: string;
  source: EntrySource;
  digest?: Promise<EntryDigest | null>;
}

async function writeArchive(
  input: AnswerInput,
  out: Writable,
  options: ArchiveOptions,
  archive: AnswerKind,
  summary: CopySummary,
  files: ArchiveFile[],
): Promise<ArchiveResult> {
  const sink = await openSink(input, out, options);
  try {
    const entries: ArchiveEntry[] = [];
    for (const { path, source, digest } of files) entries.push(await sink.add(path, source, digest));
    const manifest = {
      reference: input.reference,
      archive,
      createdAt: input.answeredAt.toISOString(),
      algorithm: "SHA-256",
      files: entries,
    };
    await sink.add(MANIFEST_FILE, json(manifest));
    return { entries, bytes: await sink.finish(), summary };
  } catch (error) {
    sink.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

function schemaFiles(input: AnswerInput, summary: CopySummary, kind: AnswerKind): ArchiveFile[] {
  const t = answerTexts(input.lang);
  const title = kind === "access" ? t.letter.title(input.reference) : t.portability.title(input.reference);
  return [
    ...summary.stores.map((store): ArchiveFile => {
      const file = dataFile(store.store, "json");
      return { path: schemaFileFor(file), source: json(storeFileSchema(`${title}: ${file}`, store.content)) };
    }),
    { path: schemaFileFor(MANIFEST_FILE), source: json(manifestSchema(`${title}: ${MANIFEST_FILE}`)) },
  ];
}

/**
 * An archive whose pass over the findings is done: the summary, and for the access archive the
 * letter. A finding that fails its check refuses the archive here, before any byte is written, so a
 * download can still be answered with a clear refusal instead of breaking off.
 */
export interface PreparedArchive {
  summary: CopySummary;
  /** Writes the archive once; the spooled findings are removed afterwards, written or not. */
  writeTo(out: Writable, options?: ArchiveOptions): Promise<ArchiveResult>;
  /** Gives the archive up without writing it (the spooled findings are removed). */
  discard(): Promise<void>;
}

/** How an archive's files are made after the pass: the access archive also has its letter. */
interface ArchiveFiles {
  /** The files made from the spool and the summary, in archive order (the schemas follow them). */
  files(summary: CopySummary, spool: AnswerSpool): Promise<ArchiveFile[]>;
  /** The letter, second in the archive: laid out while the other files' sums are worked out. */
  letter?(summary: CopySummary): Promise<ArchiveFile>;
}

async function prepared(
  input: AnswerInput,
  archive: AnswerKind,
  filter: FindingFilter | undefined,
  make: ArchiveFiles,
): Promise<PreparedArchive> {
  assertAnswerInput(input);
  // Only the access archive has index.html and CSV files.
  const rows = archive === "access";
  const spool = await AnswerSpool.create(undefined, { rows });
  let digests: EntryDigests | null = null;
  const remove = async () => {
    await digests?.stop();
    await spool.remove();
  };
  try {
    const summary = await spoolFindings(input, spool, filter);
    const files = [...(await make.files(summary, spool)), ...schemaFiles(input, summary, archive)];
    digests = digestEntries(files.map((file) => partsOf(file.source)));
    digests.digests.forEach((digest, i) => (files[i]!.digest = digest));
    if (make.letter) files.splice(1, 0, await make.letter(summary));
    return {
      summary,
      writeTo: (out, options = {}) =>
        writeArchive(input, out, options, archive, summary, files).finally(remove),
      discard: remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

export function prepareAccessArchive(input: AnswerInput): Promise<PreparedArchive> {
  return prepared(input, "access", undefined, {
    async files(summary, spool) {
      await writeStaleRows(input, summary, spool);
      const files: ArchiveFile[] = [{ path: INDEX_FILE, source: indexHtml(input, summary, spool) }];
      for (const store of summary.stores) {
        files.push({ path: dataFile(store.store, "json"), source: storeJson(input, store, spool) });
        files.push({ path: dataFile(store.store, "csv"), source: storeCsv(store, spool) });
      }
      return files;
    },
    letter: async (summary) => ({
      path: letterFileName(input.lang),
      source: await renderAccessLetter(input, summary),
    }),
  });
}

export function preparePortabilityArchive(input: AnswerInput): Promise<PreparedArchive> {
  const portable = portabilityActivities();
  const filter: FindingFilter = (finding) => portable.has(finding.processingActivityId);
  return prepared(input, "portability", filter, {
    files: async (summary, spool) =>
      summary.stores.map((store) => ({
        path: dataFile(store.store, "json"),
        source: storeJson(input, store, spool),
      })),
  });
}

export async function writeAccessArchive(
  input: AnswerInput,
  out: Writable,
  options: ArchiveOptions = {},
): Promise<ArchiveResult> {
  return (await prepareAccessArchive(input)).writeTo(out, options);
}

export async function writePortabilityArchive(
  input: AnswerInput,
  out: Writable,
  options: ArchiveOptions = {},
): Promise<ArchiveResult> {
  return (await preparePortabilityArchive(input)).writeTo(out, options);
}
