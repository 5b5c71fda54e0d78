/**
 * Redactions in the copy: why a field was blanked out, how that is shown ("[geschwärzt: …]"), and
 * where in a record it sits. Every redaction stays visible as such in HTML, CSV and JSON.
 */
import { type RedactionReasonCode, redactionReasons } from "#app/core/restriction-grounds";
import type { Lang } from "#app/i18n";
import type { JsonObject, JsonValue } from "#app/sources/connector";

// The reasons are the grounds' own (app/core/restriction-grounds.ts); the answer's modules read them here.
export {
  redactionReasonCodes,
  redactionReasons,
  type RedactionReasonCode,
} from "#app/core/restriction-grounds";

function redactionMarker(code: RedactionReasonCode, lang: Lang): string {
  return `[${lang === "de" ? "geschwärzt" : "redacted"}: ${redactionReasons[code].legalReference[lang]}]`;
}

/** Redacted paths of one record → the marker to show there. */
export type RedactionMap = ReadonlyMap<string, string>;

const NONE: RedactionMap = new Map();

export function redactionMap(
  redactions: readonly { field: string; reasonCode: RedactionReasonCode }[],
  lang: Lang,
): RedactionMap {
  return redactions.length === 0
    ? NONE
    : new Map(redactions.map((r) => [r.field, redactionMarker(r.reasonCode, lang)]));
}

/** The marker for `path` when it, or an object or array containing it, was redacted. */
export function markerAt(map: RedactionMap, path: string): string | undefined {
  if (map.size === 0) return undefined;
  for (let end = path.length; end > 0; end = path.lastIndexOf(".", end - 1)) {
    const marker = map.get(path.slice(0, end));
    if (marker) return marker;
  }
  return undefined;
}

function copyOf(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return [...node];
  if (node !== null && typeof node === "object") return { ...node };
  return node;
}

/** The member or element `key` of `node`, replaced in `node` by a shallow copy that may be changed; null where there is none. */
function copiedChild(node: JsonValue, key: string): JsonValue {
  if (Array.isArray(node)) {
    const index = Number(key);
    return Number.isInteger(index) && index >= 0 && index < node.length
      ? (node[index] = copyOf(node[index]!))
      : null;
  }
  if (node !== null && typeof node === "object" && Object.hasOwn(node, key))
    return (node[key] = copyOf(node[key]!));
  return null;
}

/**
 * A copy of `content` with null at every redacted path; only the objects and arrays on the way are
 * copied. A member the workflow removed altogether comes back as null, so the copy still shows that
 * something was there.
 */
export function blankRedacted(content: JsonObject, redactions: readonly { field: string }[]): JsonObject {
  if (redactions.length === 0) return content;
  const copy = { ...content };
  for (const { field } of redactions) {
    const parts = field.split(".");
    const last = parts.pop()!;
    let node: JsonValue = copy;
    for (const key of parts) node = copiedChild(node, key);
    if (Array.isArray(node)) {
      const index = Number(last);
      if (Number.isInteger(index) && index >= 0 && index < node.length) node[index] = null;
    } else if (node !== null && typeof node === "object") {
      node[last] = null;
    }
  }
  return copy;
}

/**
 * The paths a decision's fields blank out in one record. A log line's `raw` member holds every other
 * field again, so redacting any field of a line blanks the raw line too.
 */
export function redactedPaths(content: JsonObject, fields: readonly string[]): string[] {
  if (fields.length === 0 || !Object.hasOwn(content, "raw") || fields.includes("raw")) return [...fields];
  return [...fields, "raw"];
}
