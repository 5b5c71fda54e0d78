/**
 * The first pass over the released findings: counts per store and activity for the letter, and the
 * shape of each store's content (which fields, which JSON types) for its JSON Schema and its CSV
 * columns. Only this summary is kept in memory, never the findings.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import type { Finding, JsonValue, MatchedIdentifier, StoreKind } from "#app/sources/connector";
import { assertReleasedFinding, type ReleasedFinding, type ReleasedFindings } from "./answer-input";
import { blankRedacted, type RedactionReasonCode } from "./redaction";

export type JsonType = "string" | "number" | "boolean" | "null" | "array" | "object";

/** The union of everything seen at one place in the records. */
export interface Shape {
  types: Set<JsonType>;
  /** Object members, in the order first seen; null once there were too many to list (a map-like object). */
  properties: Map<string, Shape> | null;
  items: Shape | null;
}

export interface StoreSummary {
  store: string;
  storeKind: StoreKind;
  count: number;
  redactedRecords: number;
  activities: Map<ProcessingActivityId, number>;
  /** Roles and matching identifiers seen, up to two each: one means every record shares it. */
  roles: Set<Finding["role"]>;
  identifiers: Map<string, MatchedIdentifier>;
  content: Shape;
  /**
   * Counted up whenever a record changes what a row of the store's table in index.html
   * (`htmlLayout`: its top-level fields, the columns shown for more than one activity, role or
   * identifier, the redactions column) or of its CSV file (`csvLayout`: the content's columns)
   * looks like: a row made before the last change must be made again (archive.server.ts).
   */
  htmlLayout: number;
  csvLayout: number;
}

export interface CopySummary {
  /** Sorted by store id: the order of files in the archive and of lines in the letter. */
  stores: StoreSummary[];
  total: number;
  /** Records with at least one redaction of that reason. */
  redactedRecordsByReason: Map<RedactionReasonCode, number>;
  /** Records per activity, and the stores holding them. */
  activities: Map<ProcessingActivityId, { count: number; stores: Set<string> }>;
  /**
   * Recipients the released records themselves name, per activity, sorted (CJEU C-154/21: the
   * actual recipients, not only their categories). Withheld records are not released and so name
   * none; a redacted field is null here and names none either.
   */
  recipients: Map<ProcessingActivityId, string[]>;
}

const text = (value: JsonValue | undefined): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : null;

/**
 * Who received this person's data according to the record itself: the authority that looked the
 * person up in the Melderegister (a retrieval protocol where the person is the one looked up — for
 * the requesting official the authority is their own employer, not a recipient), and the addressee
 * of a ticket article an agent sent out to someone other than the person (a ticket forwarded).
 */
function recipientNamedBy(finding: ReleasedFinding): string | null {
  const content = finding.content;
  if (finding.storeKind === "retrieval-protocol-db")
    return finding.role === "looked-up" ? text(content.behoerde) : null;
  if (
    finding.storeKind === "servicedesk-db" &&
    content.table === "article" &&
    content.sender_type === "agent" &&
    content.internal === false
  ) {
    const to = text(content.to_addr);
    if (!to) return null;
    const own = [finding.matchedIdentifier.value, finding.matchedIdentifier.recordValue].map((v) =>
      v.toLowerCase(),
    );
    return own.some((v) => v !== "" && to.toLowerCase().includes(v)) ? null : to;
  }
  return null;
}

/** Objects with more members than this are treated as maps: their schema lists no members. */
const MAX_PROPERTIES = 300;

export function emptyShape(): Shape {
  return { types: new Set(), properties: new Map(), items: null };
}

function jsonType(value: JsonValue): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "string" | "number" | "boolean" | "object";
}

/**
 * Adds a value to the shape. True when that changed the CSV columns the shape gives
 * (contentColumns): a type or a member new at a place reached through members; what is new
 * inside a list's items gives no column of its own.
 */
export function absorb(shape: Shape, value: JsonValue): boolean {
  const type = jsonType(value);
  let changed = false;
  if (!shape.types.has(type)) {
    shape.types.add(type);
    changed = true;
  }
  if (type === "object" && shape.properties) {
    const object = value as Record<string, JsonValue>;
    for (const key in object) {
      const member = object[key]!;
      let child = shape.properties.get(key);
      if (!child) {
        if (shape.properties.size >= MAX_PROPERTIES) {
          shape.properties = null;
          return true;
        }
        child = emptyShape();
        shape.properties.set(key, child);
        changed = true;
      }
      if (absorb(child, member)) changed = true;
    }
  } else if (type === "array") {
    shape.items ??= emptyShape();
    for (const item of value as JsonValue[]) absorb(shape.items, item);
  }
  return changed;
}

/** Accepts an optional filter (the portability archive takes only some activities). */
export type FindingFilter = (finding: ReleasedFinding) => boolean;

/** Findings are handed on in batches: one await per batch instead of several per finding. */
const BATCH = 32;
/**
 * Every second batch the event loop gets a turn, even when the findings come from memory: the
 * compressor works on the thread pool but hands back each piece through a callback on this thread,
 * and without turns it would sit idle until a whole piece of the next file was made.
 */
const BATCHES_PER_TURN = 2;

/** Every finding, validated and filtered, in batches: the one pass an answer makes over them. */
export async function* findingBatches(
  released: ReleasedFindings,
  filter?: FindingFilter,
): AsyncGenerator<ReleasedFinding[]> {
  let batch: ReleasedFinding[] = [];
  let handedOn = 0;
  const source = released.list();
  const take = (finding: ReleasedFinding): boolean => {
    assertReleasedFinding(finding);
    if (filter && !filter(finding)) return false;
    batch.push(finding);
    return batch.length === BATCH;
  };
  if (Symbol.iterator in source) {
    for (const finding of source) {
      if (!take(finding)) continue;
      yield batch;
      batch = [];
      if (++handedOn % BATCHES_PER_TURN === 0) await nextTurn();
    }
  } else {
    for await (const finding of source) {
      if (!take(finding)) continue;
      yield batch;
      batch = [];
      if (++handedOn % BATCHES_PER_TURN === 0) await nextTurn();
    }
  }
  if (batch.length) yield batch;
}

/**
 * The columns of the store's table in index.html as one number (see storeTable): those shown only
 * for more than one activity, role or identifier, the redactions column, and the content's
 * top-level fields (members are only ever added, so their count tells them; -1 for a map).
 */
function tableColumns(store: StoreSummary): number {
  const shown =
    (store.activities.size > 1 ? 1 : 0) |
    (store.roles.size > 1 ? 2 : 0) |
    (store.identifiers.size > 1 ? 4 : 0) |
    (store.redactedRecords > 0 ? 8 : 0);
  return shown + 16 * (store.content.properties ? store.content.properties.size + 1 : 0);
}

/** The summary, gathered finding by finding as they pass (the archive writes them out on the same pass). */
export class SummaryBuilder {
  private readonly stores = new Map<string, StoreSummary>();
  private readonly redactedRecordsByReason = new Map<RedactionReasonCode, number>();
  private readonly activities = new Map<ProcessingActivityId, { count: number; stores: Set<string> }>();
  private readonly recipients = new Map<ProcessingActivityId, Set<string>>();
  private total = 0;

  /**
   * Counts the finding in; `content` is its content with the redacted parts blanked (blankRedacted),
   * made here unless the caller has it. Returns the finding's store.
   */
  add(finding: ReleasedFinding, content = blankRedacted(finding.content, finding.redactions)): StoreSummary {
    let store = this.stores.get(finding.store);
    if (!store) {
      store = {
        store: finding.store,
        storeKind: finding.storeKind,
        count: 0,
        redactedRecords: 0,
        activities: new Map(),
        roles: new Set(),
        identifiers: new Map(),
        content: emptyShape(),
        htmlLayout: 0,
        csvLayout: 0,
      };
      this.stores.set(finding.store, store);
    }
    const columns = tableColumns(store);
    if (store.roles.size < 2) store.roles.add(finding.role);
    if (store.identifiers.size < 2) {
      const id = finding.matchedIdentifier;
      store.identifiers.set(`${id.kind}\u0000${id.recordValue}`, id);
    }
    store.count++;
    this.total++;
    store.activities.set(
      finding.processingActivityId,
      (store.activities.get(finding.processingActivityId) ?? 0) + 1,
    );
    const activity = this.activities.get(finding.processingActivityId) ?? {
      count: 0,
      stores: new Set<string>(),
    };
    activity.count++;
    activity.stores.add(finding.store);
    this.activities.set(finding.processingActivityId, activity);
    const recipient = recipientNamedBy(finding.redactions.length > 0 ? { ...finding, content } : finding);
    if (recipient) {
      const named = this.recipients.get(finding.processingActivityId) ?? new Set<string>();
      named.add(recipient);
      this.recipients.set(finding.processingActivityId, named);
    }
    if (absorb(store.content, content)) store.csvLayout++;
    if (finding.redactions.length > 0) {
      store.redactedRecords++;
      for (const code of new Set(finding.redactions.map((r) => r.reasonCode))) {
        this.redactedRecordsByReason.set(code, (this.redactedRecordsByReason.get(code) ?? 0) + 1);
      }
    }
    if (tableColumns(store) !== columns) store.htmlLayout++;
    return store;
  }

  result(): CopySummary {
    return {
      stores: [...this.stores.values()].sort((a, b) => (a.store < b.store ? -1 : a.store > b.store ? 1 : 0)),
      total: this.total,
      redactedRecordsByReason: this.redactedRecordsByReason,
      activities: this.activities,
      recipients: new Map(
        [...this.recipients].map(([id, names]) => [id, [...names].sort((a, b) => a.localeCompare(b, "de"))]),
      ),
    };
  }
}

/** The summary alone (the letter without its archive): one pass over the findings. */
export async function summarize(released: ReleasedFindings, filter?: FindingFilter): Promise<CopySummary> {
  const summary = new SummaryBuilder();
  for await (const batch of findingBatches(released, filter))
    for (const finding of batch) summary.add(finding);
  return summary.result();
}
