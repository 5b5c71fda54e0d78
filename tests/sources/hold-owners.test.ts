/**
 * Holds have owners (Art. 18, ADR 0003): a store keeps one hold per case, and a record stays held
 * while any remains. Lists and tables written before holds had owners are read as they are: their
 * holds keep holding, owned by nobody, until a lift (for which carry-out names every case that
 * restricted the record first: tests/integration/hold-owners.test.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetrievalProtocolConnector } from "#app/sources/connectors/retrieval.server";
import { quoteSchema } from "#app/sources/database.server";
import { HoldList } from "#app/sources/files.server";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { type SampleFixture, sampleFixture } from "./fixture";

describe("a file store's hold list", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rp-holds-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps a record held while another case's hold remains", async () => {
    expect(await HoldList.update(dir, ["line-1"], true, "case-a")).toBe(1);
    expect(await HoldList.update(dir, ["line-1"], true, "case-b")).toBe(1);
    expect(await HoldList.update(dir, ["line-1"], true, "case-b")).toBe(0);
    expect(await HoldList.update(dir, ["line-1"], false, "case-b")).toBe(1);
    let list = await HoldList.open(dir);
    expect(list.holdOf("line-1")).toEqual({ held: true, holders: ["case-a"] });
    // A case that holds nothing lifts nothing.
    expect(await HoldList.update(dir, ["line-1"], false, "case-c")).toBe(0);
    expect(await HoldList.update(dir, ["line-1"], false, "case-a")).toBe(1);
    list = await HoldList.open(dir);
    expect(list.has("line-1")).toBe(false);
  });

  it("reads a list written before holds had owners: its holds hold, named by nobody, and a lift ends them", async () => {
    await writeFile(
      join(dir, ".legal-hold.json"),
      JSON.stringify({ holds: [{ key: "old-1", since: "2025-01-02T00:00:00.000Z" }] }),
    );
    let list = await HoldList.open(dir);
    expect(list.holdOf("old-1")).toEqual({ held: true, holders: [] });
    // A case restricting the record again is named beside the unowned hold, which stays.
    expect(await HoldList.update(dir, ["old-1"], true, "case-a")).toBe(1);
    const saved = JSON.parse(await readFile(join(dir, ".legal-hold.json"), "utf8")) as unknown;
    expect(saved).toEqual({
      holds: [{ key: "old-1", since: "2025-01-02T00:00:00.000Z", holders: ["case-a"], unowned: true }],
    });
    list = await HoldList.open(dir);
    expect(list.shows("old-1", false, "case-b")).toBe(false);
    // Lifting drops the unowned hold with the lifter's own; the named holders stay.
    expect(await HoldList.update(dir, ["old-1"], true, "case-b")).toBe(1);
    expect(await HoldList.update(dir, ["old-1"], false, "case-b")).toBe(1);
    list = await HoldList.open(dir);
    expect(list.holdOf("old-1")).toEqual({ held: true, holders: ["case-a"] });
    expect(list.shows("old-1", false, "case-b")).toBe(true);
  });
});

describe("a database store's hold table", () => {
  let fx: SampleFixture;
  let retrieval: RetrievalProtocolConnector;
  let m: string;
  let refs: string[];

  beforeAll(async () => {
    fx = await sampleFixture({ people: 40, days: 20, seed: "retrieval-index", messy: true });
    retrieval = new RetrievalProtocolConnector(
      SAMPLE_STORES.retrieval.id,
      fx.db.sql,
      fx.db.schemas.melderegister,
    );
    m = quoteSchema(fx.db.schemas.melderegister);
    const rows = await fx.db.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM ${m}.abrufprotokoll ORDER BY id LIMIT 2`,
    );
    refs = rows.map((r) => `abrufprotokoll/${r.id}`);
  }, 180_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it("keeps a record held while another case's hold remains, through erase", async () => {
    const [ref] = refs as [string];
    expect(await retrieval.restrict([ref], true, "case-a")).toMatchObject({ changed: 1, failures: [] });
    expect(await retrieval.restrict([ref], true, "case-b")).toMatchObject({ changed: 1, failures: [] });
    expect(await retrieval.restrict([ref], false, "case-b")).toMatchObject({ changed: 1, failures: [] });
    expect((await retrieval.inspect([ref])).get(ref)).toMatchObject({
      state: "present",
      held: true,
      holders: ["case-a"],
    });
    expect(await retrieval.erase([ref])).toMatchObject({ changed: 0, skippedOnHold: 1 });
    await retrieval.restrict([ref], false, "case-a");
    expect((await retrieval.inspect([ref])).get(ref)).toMatchObject({ held: false, holders: [] });
  });

  it("reads a table from before holds had owners, keeps its holds, and gives it the owner columns on the next change", async () => {
    const [, ref] = refs as [string, string];
    await fx.db.sql.exec(
      `DROP TABLE IF EXISTS ${m}.portal_legal_hold;
       CREATE TABLE ${m}.portal_legal_hold (ref text PRIMARY KEY, held_since timestamptz NOT NULL DEFAULT now());
       INSERT INTO ${m}.portal_legal_hold (ref) VALUES ('${ref}');`,
    );
    expect((await retrieval.inspect([ref])).get(ref)).toMatchObject({
      state: "present",
      held: true,
      holders: [],
    });
    expect(await retrieval.erase([ref])).toMatchObject({ changed: 0, skippedOnHold: 1 });
    expect(await retrieval.restrict([ref], true, "case-a")).toMatchObject({ changed: 1, failures: [] });
    const [row] = await fx.db.sql.query<{ holders: string[]; unowned: boolean }>(
      `SELECT holders, unowned FROM ${m}.portal_legal_hold WHERE ref = $1`,
      [ref],
    );
    expect(row).toEqual({ holders: ["case-a"], unowned: true });
    expect(await retrieval.restrict([ref], false, "case-b")).toMatchObject({ changed: 1, failures: [] });
    expect((await retrieval.inspect([ref])).get(ref)).toMatchObject({ held: true, holders: ["case-a"] });
    await retrieval.restrict([ref], false, "case-a");
    expect((await retrieval.inspect([ref])).get(ref)).toMatchObject({ held: false });
  });
});
