/**
 * JSON in the canonical form of RFC 8785 (JCS): members sorted by their UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. The text is the same
 * as the `canonicalize` package's (tests/unit/canonical-json.test.ts proves them equal, with the
 * package as the reference), so the audit chain signed with the package still verifies. Ours
 * because a finding's content hash is computed for every released finding of every download
 * (100 000 findings: about a second with the package), and the package checks each string for lone
 * surrogates character by character in JavaScript; here the engine's isWellFormed does it. The audit
 * chain and the findings' hashes use this one function.
 */

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the TypeScript lib here is ES2023). */
type WellFormedString = string & { isWellFormed(): boolean };

function canonicalString(value: string): string {
  if (!(value as WellFormedString).isWellFormed()) throw new Error("Lone surrogate is not allowed");
  return JSON.stringify(value);
}

/**
 * The canonical JSON text of a value; undefined where the value has none (undefined itself).
 * Throws on NaN, infinities and lone surrogates, which have no canonical form.
 */
export function canonicalJson(value: unknown): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return canonicalString(value);
    case "number":
      if (Number.isNaN(value)) throw new Error("NaN is not allowed");
      if (!Number.isFinite(value)) throw new Error("Infinity is not allowed");
      return JSON.stringify(value);
    case "object":
      break;
    default:
      // booleans; undefined, functions and symbols have no JSON (undefined), bigints throw.
      return JSON.stringify(value);
  }
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof object.toJSON === "function") return canonicalJson(object.toJSON());
  if (Array.isArray(object)) {
    let out = "[";
    for (let i = 0; i < object.length; i++) {
      const item: unknown = object[i];
      if (i > 0) out += ",";
      out += item === undefined || typeof item === "symbol" ? "null" : (canonicalJson(item) ?? "");
    }
    return `${out}]`;
  }
  let out = "{";
  let first = true;
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined || typeof member === "symbol") continue;
    out += `${first ? "" : ","}${canonicalString(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}
