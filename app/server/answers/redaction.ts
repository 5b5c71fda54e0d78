/**
 * Redactions in the copy: why a field was blanked out, how that is shown ("[geschwärzt: …]"), and
 * where in a record it sits. Every redaction stays visible as such in HTML, CSV and JSON.
 */
import type { Localized } from "../../core/processing-activities";
import type { Lang } from "../../i18n";
import type { JsonObject, JsonValue } from "../../sources/connector";

export const redactionReasonCodes = ["art-15-4", "thuerdsg-21-1-1", "thuerdsg-21-1-2", "thuerdsg-21-1-3", "thuerdsg-21-3"] as const;
export type RedactionReasonCode = (typeof redactionReasonCodes)[number];

interface RedactionReason {
  legalReference: Localized;
  /** Why such a field is blanked out, for the letter. */
  explanation: Localized;
}

export const redactionReasons: Readonly<Record<RedactionReasonCode, RedactionReason>> = {
  "art-15-4": {
    legalReference: { de: "Art. 15 Abs. 4 DS-GVO", en: "Art. 15(4) GDPR" },
    explanation: {
      de: "Die Angaben betreffen andere Personen, deren Rechte hier schwerer wiegen, zum Beispiel weitere Empfänger einer E-Mail.",
      en: "The details concern other people whose rights prevail here, for example further recipients of an e-mail.",
    },
  },
  "thuerdsg-21-1-1": {
    legalReference: { de: "§ 21 Abs. 1 Nr. 1 ThürDSG", en: "section 21(1) no. 1 ThürDSG" },
    explanation: {
      de: "Die Angaben offenzulegen würde die öffentliche Sicherheit gefährden oder dem Wohl des Bundes oder eines Landes Nachteile bereiten.",
      en: "Disclosing the details would endanger public security or harm the Federation or a Land.",
    },
  },
  "thuerdsg-21-1-2": {
    legalReference: { de: "§ 21 Abs. 1 Nr. 2 ThürDSG", en: "section 21(1) no. 2 ThürDSG" },
    explanation: {
      de: "Die Angaben müssen nach einer Rechtsvorschrift oder ihrem Wesen nach geheim bleiben, vor allem wegen überwiegender Rechte anderer.",
      en: "The details must be kept secret by law or by their nature, in particular because of the overriding rights of others.",
    },
  },
  "thuerdsg-21-1-3": {
    legalReference: { de: "§ 21 Abs. 1 Nr. 3 ThürDSG", en: "section 21(1) no. 3 ThürDSG" },
    explanation: {
      de: "Die Angaben offenzulegen würde die Verhütung oder Verfolgung von Straftaten beeinträchtigen.",
      en: "Disclosing the details would impair the prevention or prosecution of criminal offences.",
    },
  },
  "thuerdsg-21-3": {
    legalReference: { de: "§ 21 Abs. 3 ThürDSG", en: "section 21(3) ThürDSG" },
    explanation: {
      de: "Die Angaben betreffen eine Übermittlung an oder von einer Sicherheitsbehörde, die der Auskunft nicht zugestimmt hat.",
      en: "The details concern a transmission to or from a security authority that has not consented to their disclosure.",
    },
  },
};

export function redactionMarker(code: RedactionReasonCode, lang: Lang): string {
  return `[${lang === "de" ? "geschwärzt" : "redacted"}: ${redactionReasons[code].legalReference[lang]}]`;
}

/** Redacted paths of one record → the marker to show there. */
export type RedactionMap = ReadonlyMap<string, string>;

const NONE: RedactionMap = new Map();

export function redactionMap(redactions: readonly { field: string; reasonCode: RedactionReasonCode }[], lang: Lang): RedactionMap {
  return redactions.length === 0 ? NONE : new Map(redactions.map((r) => [r.field, redactionMarker(r.reasonCode, lang)]));
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
    return Number.isInteger(index) && index >= 0 && index < node.length ? (node[index] = copyOf(node[index]!)) : null;
  }
  if (node !== null && typeof node === "object" && Object.hasOwn(node, key)) return (node[key] = copyOf(node[key]!));
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
