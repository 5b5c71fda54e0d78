/**
 * The archives of an answer, streamed into a Writable from the reviewed findings:
 * - the access archive (Art. 15(3)): index.html, the letter, per store one JSON and one CSV file,
 *   a JSON Schema per JSON file, manifest.json with the SHA-256 of every other file;
 * - the portability archive (Art. 20): only findings of activities with data portability (the
 *   contact form), as JSON with schemas and manifest.
 * Without encryption the same input gives the same bytes: fixed order (stores by id, records as the
 * source yields them), every date from `answeredAt`. The findings are read once for a summary and
 * then once per file, never held together in memory.
 */
import type { Writable } from "node:stream";
import { csvLines, UTF8_BOM, type CsvDialect } from "#app/core/csv";
import { processingActivityById } from "#app/core/processing-activities";
import { assertAnswerInput, type AnswerInput, type ReleasedFinding } from "./answer-input";
import { ChunkWriter } from "./chunk-writer";
import { dataFile, INDEX_FILE, MANIFEST_FILE, schemaFileFor } from "./archive-layout";
import { HTML_END, htmlHead, storeTable } from "./html";
import { manifestSchema, storeFileSchema } from "./json-schema";
import { letterContent, letterFileName, portabilityActivities } from "./letter-content";
import { renderAccessLetter } from "./letter-pdf.server";
import { csvHeader, csvRowBuilder, exportRecordJson } from "./record-format";
import {
  findingBatches,
  summarize,
  type CopySummary,
  type FindingFilter,
  type StoreSummary,
} from "./summary";
import { answerTexts } from "./texts";
import {
  encryptedZipSink,
  plainZipSink,
  type ArchiveEntry,
  type EntrySource,
  type ZipSink,
} from "./zip-sink.server";

export interface ArchiveOptions {
  /** AES-256 with this password (see archivePassword); without one the archive is plain and deterministic. */
  password?: string;
}

export interface ArchiveResult {
  /** Every file but manifest.json, in archive order, as listed in the manifest. */
  entries: ArchiveEntry[];
  /** Size of the ZIP file. */
  bytes: number;
  summary: CopySummary;
}

function batchesOf(
  input: AnswerInput,
  store: StoreSummary,
  filter?: FindingFilter,
): AsyncGenerator<ReleasedFinding[]> {
  return findingBatches(input.released, store.store, filter, store.count);
}

async function* storeJson(
  input: AnswerInput,
  store: StoreSummary,
  filter?: FindingFilter,
): AsyncGenerator<Buffer> {
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
  const out = new ChunkWriter();
  out.write(`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "records": [`);
  let separator = "\n    ";
  for await (const batch of batchesOf(input, store, filter)) {
    for (const finding of batch) {
      out.write(separator);
      out.write(exportRecordJson(finding, input.lang));
      separator = ",\n    ";
    }
    yield* out.take();
  }
  out.write(store.count === 0 ? "]\n}\n" : "\n  ]\n}\n");
  yield* out.end();
}

/** RFC 4180 with commas (the files are for programs as much as for people); formulas neutralised. */
const CSV_DIALECT: CsvDialect = { delimiter: ",", escapeFormulas: true };

/** CSV per RFC 4180 (CRLF, quoting as needed), UTF-8 with BOM so spreadsheet programs read umlauts. */
async function* storeCsv(input: AnswerInput, store: StoreSummary): AsyncGenerator<Buffer> {
  const out = new ChunkWriter();
  out.write(UTF8_BOM + csvLines([csvHeader(store.content)], CSV_DIALECT));
  const row = csvRowBuilder(store.content, input.lang);
  for await (const batch of batchesOf(input, store)) {
    out.write(csvLines(batch.map(row), CSV_DIALECT));
    yield* out.take();
  }
  yield* out.end();
}

async function* indexHtml(input: AnswerInput, summary: CopySummary): AsyncGenerator<Buffer> {
  const t = answerTexts(input.lang);
  const out = new ChunkWriter();
  out.write(htmlHead(input, summary, letterContent(input, summary)));
  for (const store of summary.stores) {
    const table = storeTable(store, input, t);
    out.write(table.start);
    let n = 0;
    for await (const batch of batchesOf(input, store)) {
      for (const finding of batch) out.write(table.row(finding, ++n));
      yield* out.take();
    }
    out.write(table.end);
  }
  out.write(HTML_END);
  yield* out.end();
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function openSink(input: AnswerInput, out: Writable, options: ArchiveOptions): Promise<ZipSink> {
  return options.password
    ? encryptedZipSink(out, input.answeredAt, options.password)
    : plainZipSink(out, input.answeredAt);
}

type Producer = [path: string, source: () => EntrySource];

async function writeArchive(
  input: AnswerInput,
  out: Writable,
  options: ArchiveOptions,
  archive: "access" | "portability",
  summary: CopySummary,
  files: Producer[],
): Promise<ArchiveResult> {
  const sink = await openSink(input, out, options);
  try {
    const entries: ArchiveEntry[] = [];
    for (const [path, source] of files) entries.push(await sink.add(path, source()));
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

function schemaFiles(input: AnswerInput, summary: CopySummary, kind: "access" | "portability"): Producer[] {
  const t = answerTexts(input.lang);
  const title = kind === "access" ? t.letter.title(input.reference) : t.portability.title(input.reference);
  return [
    ...summary.stores.map((store): Producer => {
      const file = dataFile(store.store, "json");
      return [schemaFileFor(file), () => json(storeFileSchema(`${title}: ${file}`, store.content))];
    }),
    [schemaFileFor(MANIFEST_FILE), () => json(manifestSchema(`${title}: ${MANIFEST_FILE}`))],
  ];
}

/**
 * An archive whose first pass over the findings is done: the summary, and for the access archive the
 * letter. A finding that fails its check refuses the archive here, before any byte is written, so a
 * download can still be answered with a clear refusal instead of breaking off.
 */
export interface PreparedArchive {
  summary: CopySummary;
  writeTo(out: Writable, options?: ArchiveOptions): Promise<ArchiveResult>;
}

export async function prepareAccessArchive(input: AnswerInput): Promise<PreparedArchive> {
  assertAnswerInput(input);
  const summary = await summarize(input.released);
  const letter = await renderAccessLetter(input, summary);
  const files: Producer[] = [
    [INDEX_FILE, () => indexHtml(input, summary)],
    [letterFileName(input.lang), () => letter],
  ];
  for (const store of summary.stores) {
    files.push([dataFile(store.store, "json"), () => storeJson(input, store)]);
    files.push([dataFile(store.store, "csv"), () => storeCsv(input, store)]);
  }
  files.push(...schemaFiles(input, summary, "access"));
  return {
    summary,
    writeTo: (out, options = {}) => writeArchive(input, out, options, "access", summary, files),
  };
}

export async function preparePortabilityArchive(input: AnswerInput): Promise<PreparedArchive> {
  assertAnswerInput(input);
  const portable = portabilityActivities();
  const filter: FindingFilter = (finding) => portable.has(finding.processingActivityId);
  const summary = await summarize(input.released, filter);
  const files: Producer[] = summary.stores.map((store) => [
    dataFile(store.store, "json"),
    () => storeJson(input, store, filter),
  ]);
  files.push(...schemaFiles(input, summary, "portability"));
  return {
    summary,
    writeTo: (out, options = {}) => writeArchive(input, out, options, "portability", summary, files),
  };
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
