import { describe, expect, it } from "vitest";
import type { ReleasedFinding } from "#app/server/answers/answer-input";
import { exportRecordJson, exportRecordJsonPlain } from "#app/server/answers/record-format";
import { blankRedacted } from "#app/server/answers/redaction";

const base: ReleasedFinding = {
  store: "web-tsr",
  storeKind: "nginx-access-log",
  processingActivityId: "website-visit",
  ref: "web-tsr/1",
  matchedIdentifier: {
    kind: "email",
    value: "erika@example.org",
    recordValue: "Erika@Example.org",
    proven: true,
  },
  unproven: false,
  role: "subject",
  flags: [],
  recordedAt: new Date("2025-03-30T01:59:59.123Z"),
  content: { raw: 'GET /a?q="x"\n\u2028 ä 😀', status: 200, list: [1, null, { b: true }], empty: {} },
  redactions: [],
};

/** Findings whose members are at the edges of what the line's text depends on. */
const cases: [string, ReleasedFinding][] = [
  ["a plain finding", base],
  ["no time", { ...base, recordedAt: null }],
  ["time undefined", { ...base, recordedAt: undefined as never }],
  ["an invalid date (JSON null)", { ...base, recordedAt: new Date(Number.NaN) }],
  ["no role", { ...base, role: undefined }],
  ["an empty role", { ...base, role: "" as never }],
  [
    "quotes and controls in ref and identifier",
    { ...base, ref: 'a"b\\c\u0001', matchedIdentifier: { ...base.matchedIdentifier, value: "\t\u2029" } },
  ],
  [
    "redactions",
    {
      ...base,
      content: { to: "x@example.org", cc: ["a", "b"], raw: "line" },
      redactions: [
        { field: "cc.1", reasonCode: "art-15-4" },
        { field: "raw", reasonCode: "thuerdsg-21-3" },
      ],
    },
  ],
  ["a time given as text (not a Date)", { ...base, recordedAt: "2025-01-01T00:00:00Z" as never }],
  [
    "a missing identifier value",
    { ...base, matchedIdentifier: { kind: "email", recordValue: "x" } as never },
  ],
];

describe("a record's JSON line", () => {
  for (const [name, finding] of cases)
    for (const lang of ["de", "en"] as const)
      it(`is the text of JSON.stringify of the record: ${name} (${lang})`, () => {
        const content = blankRedacted(finding.content, finding.redactions);
        const line = exportRecordJson(finding, lang, content);
        expect(line).toBe(exportRecordJsonPlain(finding, lang, content));
        expect(JSON.parse(line)).toEqual(JSON.parse(exportRecordJsonPlain(finding, lang, content)));
      });
});
