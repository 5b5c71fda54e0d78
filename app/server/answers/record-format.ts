/**
 * One released finding as the copy shows it: the JSON record (exact, with null where redacted and
 * the list of redactions) and the CSV row (content flattened into one column per field, redacted
 * cells carrying the marker text).
 */
import type { CsvCell } from "#app/core/csv";
import type { Lang } from "#app/i18n";
import type { JsonObject, JsonValue, MatchedIdentifier } from "#app/sources/connector";
import type { Redaction, ReleasedFinding } from "./answer-input";
import { blankRedacted, markerAt, redactionMap, redactionReasons, type RedactionMap } from "./redaction";
import type { Shape } from "./summary";

const NO_REDACTIONS: readonly never[] = [];

/**
 * The record as one line of JSON. `content` is the finding's content with the redacted parts
 * blanked (blankRedacted), made here unless the caller has it.
 *
 * The line is put together from its members' own JSON rather than by JSON.stringify of a fresh
 * wrapper object: the wrapper's Date (toJSON) takes V8 off its fast path for the whole record, and
 * the wrapper and the identifier's copy are garbage per record (100 000 records: ~0.31 s against
 * ~0.2 s). The text is the same as JSON.stringify of the wrapper (exportRecordJsonPlain), which
 * any member of an unexpected type still takes (tests/unit/record-json.test.ts).
 */
export function exportRecordJson(
  finding: ReleasedFinding,
  lang: Lang,
  content = blankRedacted(finding.content, finding.redactions),
): string {
  const id = finding.matchedIdentifier;
  const at = finding.recordedAt;
  const role = finding.role;
  if (
    typeof finding.ref !== "string" ||
    typeof finding.processingActivityId !== "string" ||
    !(at === null || at === undefined || (at instanceof Date && Number.isFinite(at.getTime()))) ||
    !(role === null || role === undefined || typeof role === "string") ||
    typeof id.kind !== "string" ||
    typeof id.value !== "string" ||
    typeof id.recordValue !== "string"
  )
    return exportRecordJsonPlain(finding, lang, content);
  return (
    `{"ref":${JSON.stringify(finding.ref)},"processingActivityId":${JSON.stringify(finding.processingActivityId)}` +
    `,"recordedAt":${at ? `"${at.toISOString()}"` : "null"},"role":${role === null || role === undefined ? "null" : JSON.stringify(role)}` +
    `,"matchedIdentifier":{"kind":${JSON.stringify(id.kind)},"value":${JSON.stringify(id.value)},"recordValue":${JSON.stringify(id.recordValue)}}` +
    `,"content":${JSON.stringify(content)},"redactions":${finding.redactions.length === 0 ? "[]" : JSON.stringify(redactionsJson(finding.redactions, lang))}}`
  );
}

function redactionsJson(redactions: readonly Redaction[], lang: Lang) {
  return redactions.map((r) => ({
    field: r.field,
    reasonCode: r.reasonCode,
    legalReference: redactionReasons[r.reasonCode].legalReference[lang],
  }));
}

/** exportRecordJson as JSON.stringify of the record's object: the reference for its text. */
export function exportRecordJsonPlain(
  finding: ReleasedFinding,
  lang: Lang,
  content = blankRedacted(finding.content, finding.redactions),
): string {
  const id = finding.matchedIdentifier;
  return JSON.stringify({
    ref: finding.ref,
    processingActivityId: finding.processingActivityId,
    recordedAt: finding.recordedAt ?? null,
    role: finding.role ?? null,
    matchedIdentifier: { kind: id.kind, value: id.value, recordValue: id.recordValue },
    content,
    redactions: finding.redactions.length === 0 ? NO_REDACTIONS : redactionsJson(finding.redactions, lang),
  });
}

/**
 * What index.html and the CSV file show of a record: exactly what its JSON line holds. The archive
 * makes their rows from the finding on its one pass (shownRecordOf), and only the rows made before
 * the store's columns were all known again from the JSON lines it wrote (shownRecord).
 */
export type ShownRecord = Pick<
  ReleasedFinding,
  "ref" | "processingActivityId" | "recordedAt" | "role" | "content" | "redactions"
> & { matchedIdentifier: Pick<MatchedIdentifier, "kind" | "recordValue"> };

/** A record as exportRecordJson wrote it, parsed. */
interface ExportedRecord {
  ref: string;
  processingActivityId: ShownRecord["processingActivityId"];
  recordedAt: string | null;
  role: NonNullable<ShownRecord["role"]> | null;
  matchedIdentifier: ShownRecord["matchedIdentifier"];
  content: JsonObject;
  redactions: Redaction[];
}

/** The finding as its JSON line (exportRecordJson, with the same `content`) shows it. */
export function shownRecordOf(finding: ReleasedFinding, content: JsonObject): ShownRecord {
  return {
    ref: finding.ref,
    processingActivityId: finding.processingActivityId,
    recordedAt: finding.recordedAt ?? null,
    role: finding.role ?? undefined,
    matchedIdentifier: finding.matchedIdentifier,
    content,
    redactions: finding.redactions,
  };
}

/** A JSON line of exportRecordJson, parsed, as the record it was written from. */
export function shownRecord(exported: ExportedRecord): ShownRecord {
  return {
    ref: exported.ref,
    processingActivityId: exported.processingActivityId,
    recordedAt: exported.recordedAt === null ? null : new Date(exported.recordedAt),
    role: exported.role ?? undefined,
    matchedIdentifier: exported.matchedIdentifier,
    content: exported.content,
    redactions: exported.redactions,
  };
}

/** Columns before the content's own: the record's frame, named like the JSON members. */
const META_COLUMNS = [
  "ref",
  "processingActivityId",
  "recordedAt",
  "role",
  "matchedIdentifier.kind",
  "matchedIdentifier.recordValue",
  "redactions",
];
const CONTENT = "content.";

export function isPlainObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Content paths that get a column: objects with known members are opened up, everything else is one cell. */
export function contentColumns(shape: Shape, prefix = ""): string[] {
  const columns: string[] = [];
  if (!shape.properties) return columns;
  for (const [key, child] of shape.properties) {
    const path = prefix ? `${prefix}.${key}` : key;
    const opened = child.types.has("object") && child.properties !== null && child.properties.size > 0;
    if (!opened || child.types.size > 1) columns.push(path);
    if (opened) columns.push(...contentColumns(child, path));
  }
  return columns;
}

/** Content whose members were too many to list (a map) goes into one column, as JSON. */
const WHOLE_CONTENT = "content";

export function csvHeader(content: Shape): string[] {
  return [
    ...META_COLUMNS,
    ...(content.properties ? contentColumns(content).map((path) => CONTENT + path) : [WHOLE_CONTENT]),
  ];
}

/** A JSON value with markers in place of redacted parts, for cells that hold a whole array or object. */
function withMarkers(value: JsonValue, path: string, redactions: RedactionMap): JsonValue {
  const marker = markerAt(redactions, path);
  if (marker) return marker;
  if (redactions.size === 0) return value;
  const child = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) return value.map((item, i) => withMarkers(item, child(i), redactions));
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withMarkers(v, child(k), redactions)]),
    );
  return value;
}

function cell(
  value: JsonValue | undefined,
  path: string,
  redactions: RedactionMap,
  opened: boolean,
): string | number {
  const marker = markerAt(redactions, path);
  if (marker) return marker;
  if (value === undefined || value === null) return "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "object")
    return opened && isPlainObject(value) ? "" : JSON.stringify(withMarkers(value, path, redactions));
  return value;
}

function lookup(content: JsonObject, keys: readonly string[]): JsonValue | undefined {
  let node: JsonValue | undefined = content;
  for (const key of keys) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A row builder for one store: the columns are fixed by the summary, so every row has the same cells. */
export function csvRowBuilder(content: Shape, lang: Lang): (finding: ShownRecord) => CsvCell[] {
  const columns = contentColumns(content);
  const openedPaths = new Set(
    columns.filter((path) => columns.some((other) => other.startsWith(`${path}.`))),
  );
  const cells = columns.map((path) => ({ path, keys: path.split("."), opened: openedPaths.has(path) }));
  return (finding) => {
    const redactions = redactionMap(finding.redactions, lang);
    const id = finding.matchedIdentifier;
    const row: CsvCell[] = [
      finding.ref,
      finding.processingActivityId,
      finding.recordedAt ? finding.recordedAt.toISOString() : "",
      finding.role ?? "",
      id.kind,
      id.recordValue,
      finding.redactions.map((r) => `${r.field}: ${redactions.get(r.field)}`).join("; "),
    ];
    if (!content.properties) row.push(JSON.stringify(withMarkers(finding.content, "", redactions)));
    for (const c of cells) row.push(cell(lookup(finding.content, c.keys), c.path, redactions, c.opened));
    return row;
  };
}
