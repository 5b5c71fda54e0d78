/**
 * The record-level rules of the copy: where a redaction applies, how content becomes JSON Schema
 * and CSV columns, and that the summary pass counts what the archive will hold.
 */
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { releasedFromArray, type ReleasedFinding } from "#app/server/answers/answer-input";
import { berlinWallClockAsUtc } from "#app/core/berlin-date";
import { berlinDateTimeFormatter } from "#app/server/answers/berlin-clock";
import { ChunkWriter } from "#app/server/answers/chunk-writer";
import { shapeSchema } from "#app/server/answers/json-schema";
import { contentColumns, csvHeader, csvRowBuilder } from "#app/server/answers/record-format";
import { blankRedacted, markerAt, redactionMap } from "#app/server/answers/redaction";
import { absorb, emptyShape, summarize } from "#app/server/answers/summary";
import type { JsonObject, JsonValue } from "#app/sources/connector";

describe("redaction paths", () => {
  const content: JsonObject = {
    to: ["a@example.org", "b@example.org"],
    person: { name: "Dritte", phone: "+49 1" },
    subject: "x",
  };

  it("blanks an array element, a nested member and a whole object, without touching the original", () => {
    const original = structuredClone(content);
    expect(blankRedacted(content, [{ field: "to.1" }])).toEqual({ ...content, to: ["a@example.org", null] });
    expect(blankRedacted(content, [{ field: "person.phone" }])).toEqual({
      ...content,
      person: { name: "Dritte", phone: null },
    });
    expect(blankRedacted(content, [{ field: "person" }, { field: "to.0" }])).toEqual({
      to: [null, "b@example.org"],
      person: null,
      subject: "x",
    });
    expect(content).toEqual(original);
  });

  it("shows a member the workflow removed as null, and ignores paths into nothing", () => {
    expect(blankRedacted({ subject: "x" }, [{ field: "cc" }])).toEqual({ subject: "x", cc: null });
    expect(blankRedacted(content, [{ field: "to.7" }, { field: "missing.deep" }])).toEqual(content);
  });

  it("finds the marker of a path or of any object above it", () => {
    const map = redactionMap([{ field: "person", reasonCode: "art-15-4" }], "de");
    expect(markerAt(map, "person")).toBe("[geschwärzt: Art. 15 Abs. 4 DS-GVO]");
    expect(markerAt(map, "person.name")).toBe("[geschwärzt: Art. 15 Abs. 4 DS-GVO]");
    expect(markerAt(map, "personal")).toBeUndefined();
    expect(markerAt(redactionMap([{ field: "to.1", reasonCode: "thuerdsg-21-3" }], "en"), "to.1")).toBe(
      "[redacted: section 21(3) ThürDSG]",
    );
  });
});

const json: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "c", "d"), tie("value"), { maxKeys: 3 }),
  ),
})).value as fc.Arbitrary<JsonValue>;

const record = fc.dictionary(fc.constantFrom("raw", "from", "cc", "meta", "n"), json, {
  maxKeys: 5,
}) as fc.Arbitrary<JsonObject>;

describe("schemas derived from the content", () => {
  it("accept every record they were derived from and reject an unseen member", () => {
    const ajv = new Ajv2020({ allowUnionTypes: true });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), (records) => {
        const shape = emptyShape();
        for (const r of records) absorb(shape, r);
        const validate = ajv.compile(shapeSchema(shape));
        for (const r of records) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
        expect(validate({ ...records[0], unseen: 1 })).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe("CSV rows", () => {
  const finding = (content: JsonObject, redactions: ReleasedFinding["redactions"] = []): ReleasedFinding => ({
    store: "s",
    storeKind: "maildir",
    processingActivityId: "email",
    ref: "r",
    matchedIdentifier: { kind: "email", value: "x@example.org", recordValue: "x@example.org", proven: true },
    unproven: false,
    flags: [],
    recordedAt: null,
    content,
    redactions,
  });

  it("open objects into columns, keep arrays as JSON and mark redactions in every cell they cover", () => {
    const a = { from: "x@example.org", who: { name: "A", phone: "1" }, cc: ["b@example.org"] };
    const b = { from: "y@example.org", who: null, cc: [], extra: true };
    const shape = emptyShape();
    absorb(shape, a);
    absorb(shape, b);
    expect(contentColumns(shape)).toEqual(["from", "who", "who.name", "who.phone", "cc", "extra"]);
    const row = csvRowBuilder(shape, "de");
    const cells = (f: ReleasedFinding) => row(f).slice(7);
    expect(cells(finding(a))).toEqual(["x@example.org", "", "A", "1", '["b@example.org"]', ""]);
    expect(cells(finding(b))).toEqual(["y@example.org", "", "", "", "[]", "true"]);
    const marked = cells(
      finding(a, [
        { field: "who", reasonCode: "art-15-4" },
        { field: "cc.0", reasonCode: "art-15-4" },
      ]),
    );
    expect(marked).toEqual([
      "x@example.org",
      "[geschwärzt: Art. 15 Abs. 4 DS-GVO]",
      "[geschwärzt: Art. 15 Abs. 4 DS-GVO]",
      "[geschwärzt: Art. 15 Abs. 4 DS-GVO]",
      '["[geschwärzt: Art. 15 Abs. 4 DS-GVO]"]',
      "",
    ]);
  });

  it("put map-like content (too many members to list) into one JSON column, with markers", () => {
    const map: JsonObject = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`h${i}`, `v${i}`]));
    const shape = emptyShape();
    absorb(shape, map);
    expect(shape.properties).toBeNull();
    expect(csvHeader(shape).slice(7)).toEqual(["content"]);
    const cells = csvRowBuilder(
      shape,
      "en",
    )(finding(map, [{ field: "h3", reasonCode: "art-15-4" }])).slice(7);
    expect(JSON.parse(cells[0] as string)).toMatchObject({ h2: "v2", h3: "[redacted: Art. 15(4) GDPR]" });
    const validate = new Ajv2020({ allowUnionTypes: true }).compile(shapeSchema(shape));
    expect(validate(map)).toBe(true);
  });
});

describe("summary pass", () => {
  it("counts per store and activity and records per redaction reason", async () => {
    const base = {
      storeKind: "maildir" as const,
      matchedIdentifier: { kind: "email" as const, value: "x", recordValue: "x", proven: true },
      unproven: false,
      flags: [],
      recordedAt: null,
    };
    const findings: ReleasedFinding[] = [
      {
        ...base,
        store: "b-mail",
        processingActivityId: "email",
        ref: "1",
        content: { cc: ["z"] },
        redactions: [
          { field: "cc.0", reasonCode: "art-15-4" },
          { field: "cc", reasonCode: "art-15-4" },
        ],
      },
      { ...base, store: "a-mail", processingActivityId: "fax", ref: "2", content: {}, redactions: [] },
      { ...base, store: "b-mail", processingActivityId: "fax", ref: "3", content: {}, redactions: [] },
    ];
    const summary = await summarize(releasedFromArray(findings));
    expect(summary.stores.map((s) => [s.store, s.count, s.redactedRecords])).toEqual([
      ["a-mail", 1, 0],
      ["b-mail", 2, 1],
    ]);
    expect(summary.redactedRecordsByReason.get("art-15-4")).toBe(1);
    expect(summary.activities.get("fax")).toEqual({ count: 2, stores: new Set(["a-mail", "b-mail"]) });
    const onlyEmail = await summarize(releasedFromArray(findings), (f) => f.processingActivityId === "email");
    expect(onlyEmail.total).toBe(1);
  });
});

describe("helpers", () => {
  it("formats Berlin time the same way Intl does, across both daylight-saving changes", () => {
    const format = berlinDateTimeFormatter("de-DE", (date, time) => `${date}, ${time}`);
    const reference = new Intl.DateTimeFormat("de-DE", {
      dateStyle: "medium",
      timeStyle: "medium",
      timeZone: "Europe/Berlin",
    });
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2026-12-31T23:59:59Z") }),
        (ms) => {
          expect(format(new Date(ms))).toBe(reference.format(new Date(ms)));
        },
      ),
      { numRuns: 2000 },
    );
    for (const iso of [
      "2025-03-30T00:59:59Z",
      "2025-03-30T01:00:00Z",
      "2025-10-26T00:59:59Z",
      "2025-10-26T01:00:00Z",
    ]) {
      expect(format(new Date(iso))).toBe(reference.format(new Date(iso)));
    }
    expect(berlinWallClockAsUtc(new Date("2025-07-01T10:00:00Z")).toISOString()).toBe(
      "2025-07-01T12:00:00.000Z",
    );
  });

  it("packs text into pieces without splitting a character", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 30_000 }), { maxLength: 20 }),
        (parts) => {
          const writer = new ChunkWriter();
          const pieces: Buffer[] = [];
          for (const part of parts) {
            writer.write(part);
            pieces.push(...writer.take());
          }
          pieces.push(...writer.end());
          expect(Buffer.concat(pieces).toString("utf8")).toBe(parts.join(""));
          for (const piece of pieces)
            expect(Buffer.from(piece.toString("utf8"), "utf8").equals(piece)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
