/**
 * The access archive makes each row of index.html's tables and of the CSV files on its one pass
 * over the findings, before it knows all of a store's columns; rows made before the columns
 * changed are made again from the spooled JSON lines. Whatever the order in which a store's
 * records bring new fields, roles, activities, identifiers and redactions, every row must be the
 * one made from the store's final columns — what the archive wrote when it made all rows after
 * the pass (ADR 0006).
 */
import { PassThrough } from "node:stream";
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import { describe, expect, it } from "vitest";
import { csvLines } from "#app/core/csv";
import { releasedFromArray, type AnswerInput, type ReleasedFinding } from "#app/server/answers/answer-input";
import { writeAccessArchive } from "#app/server/answers/archive.server";
import { storeTable } from "#app/server/answers/html";
import { csvHeader, csvRowBuilder, shownRecord } from "#app/server/answers/record-format";
import { answerTexts } from "#app/server/answers/texts";
import type { JsonObject } from "#app/sources/connector";

const EMAIL = "erika.musterfrau@example.org";
const COUNT = 300;

/** Record i of a store whose columns keep changing far into it (the spool reads groups of 64). */
function finding(store: string, i: number): ReleasedFinding {
  const content: JsonObject = { user: "erika", n: i, text: `Zeile ${i}, "zitiert"\n=1+1` };
  // A new top-level field late: a new column of the table and the CSV file.
  if (i >= 70) content.late = `spät ${i}`;
  // A field that turns into an object: its CSV column is opened up into its members.
  content.detail = i >= 130 ? { code: i, note: "<b>fett</b>" } : `detail ${i}`;
  if (i >= 200) content.tags = [`t${i}`, { nested: i }];
  return {
    store,
    storeKind: "login-jsonl",
    processingActivityId: i >= 150 ? "website-visit" : "beauskunftung-login",
    ref: `${store}/${String(i).padStart(4, "0")}`,
    matchedIdentifier:
      i >= 260
        ? { kind: "userName", value: "erika", recordValue: "erika", proven: true }
        : { kind: "email", value: EMAIL, recordValue: EMAIL, proven: true },
    unproven: false,
    role: i >= 100 ? "sender" : "subject",
    flags: [],
    recordedAt: i % 7 === 0 ? null : new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    content,
    redactions: i >= 230 && i % 3 === 0 ? [{ field: "user", reasonCode: "art-15-4" }] : [],
  };
}

/** One store whose columns change late, one whose records all look alike. */
const findings = [
  ...Array.from({ length: COUNT }, (_, i) => finding("changing", i)),
  ...Array.from({ length: COUNT }, (_, i) => ({
    ...finding("steady", i % 50),
    ref: `steady/${String(i).padStart(4, "0")}`,
  })),
];

const input: AnswerInput = {
  reference: "DSR-2025-000300",
  lang: "de",
  receivedAt: new Date("2025-11-03T09:00:00Z"),
  answeredAt: new Date("2025-11-20T10:00:00Z"),
  recipient: { name: "Erika Musterfrau", email: EMAIL },
  kinds: ["auskunft"],
  released: releasedFromArray(findings),
  withheld: [],
};

async function entries(zip: Buffer): Promise<Map<string, string>> {
  const reader = new ZipReader(new Uint8ArrayReader(zip));
  const files = new Map<string, string>();
  for (const entry of await reader.getEntries()) {
    if (entry.directory) continue;
    files.set(entry.filename, Buffer.from(await entry.getData(new Uint8ArrayWriter())).toString("utf8"));
  }
  await reader.close();
  return files;
}

describe("the rows of index.html and the CSV files", () => {
  it("are those made from each store's final columns, however late the columns change", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await writeAccessArchive(input, out);
    const files = await entries(Buffer.concat(chunks));
    const html = files.get("index.html")!;
    const t = answerTexts("de");

    for (const store of result.summary.stores) {
      // The records as the JSON file holds them, made into rows with the final columns.
      const json = JSON.parse(files.get(`data/${store.store}.json`)!) as {
        records: Parameters<typeof shownRecord>[0][];
      };
      const records = json.records.map(shownRecord);
      expect(records).toHaveLength(COUNT);
      const table = storeTable(store, input, t);
      const expectedHtml = table.start + records.map((r, i) => table.row(r, i + 1)).join("") + table.end;
      expect(html).toContain(expectedHtml);
      const row = csvRowBuilder(store.content, "de");
      const dialect = { delimiter: ",", escapeFormulas: true } as const;
      expect(files.get(`data/${store.store}.csv`)).toBe(
        "\uFEFF" + csvLines([csvHeader(store.content), ...records.map(row)], dialect),
      );
    }
    // The changing store's final columns hold what came late.
    const changing = result.summary.stores.find((s) => s.store === "changing")!;
    expect([...changing.content.properties!.keys()]).toEqual(["user", "n", "text", "detail", "late", "tags"]);
    expect(csvHeader(changing.content)).toContain("content.detail.code");
    for (const label of [t.html.meta.activity, t.html.meta.role, t.html.meta.matched, t.html.meta.redactions])
      expect(html).toContain(`<th scope="col">${label}</th>`);
  });
});
