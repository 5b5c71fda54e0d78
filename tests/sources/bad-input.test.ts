/** A bad store fails alone, with a clear message; malformed input is counted, never fatal. */
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSourcesConfig } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import type { ScanReport } from "#app/sources/connector";
import { collectAcrossStores, createRegistry } from "#app/sources/registry.server";
import { subjectFromKey, type AnswerKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { cachedSample } from "../support/sample-cache";

let dir: string;
let key: AnswerKey;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rp-bad-"));
  key = (await cachedSample({ people: 12, days: 6, seed: "bad-input", out: dir })).answerKey;
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const erika = () => key.persons.find((p) => p.demo === "erika")!;

describe("configuration", () => {
  it("the shipped config names every store of the sample", async () => {
    const config = loadSourcesConfig();
    expect(config.errors).toEqual([]);
    expect(config.stores.map((s) => s.id).sort()).toEqual(
      Object.values(SAMPLE_STORES)
        .map((s) => s.id)
        .sort(),
    );
  });

  it("reports each bad entry on its own and keeps the good ones", () => {
    const config = parseSourcesConfig({
      stores: [
        { id: "web-tsr", title: "Web", kind: "nginx-access-log", path: "weblogs/tsr" },
        { id: "ftp", title: "FTP", kind: "ftp-log", path: "ftp" },
        { id: "escape", title: "X", kind: "maildir", path: "../../etc" },
        { id: "web-tsr", title: "Again", kind: "nginx-access-log", path: "weblogs/tsr" },
        { id: "remote", title: "DB", kind: "servicedesk-db", connection: "mysql://x", schema: "servicedesk" },
        { id: "rule", title: "Mail", kind: "maildir", path: "maildir/x", retention: "forever" },
      ],
    });
    expect(config.stores.map((s) => s.id)).toEqual(["web-tsr"]);
    expect(config.errors.map((e) => [e.index, e.id])).toEqual([
      [1, "ftp"],
      [2, "escape"],
      [3, "web-tsr"],
      [4, "remote"],
      [5, "rule"],
    ]);
    expect(config.errors[0]!.message).toMatch(/known kinds: nginx-access-log/);
    expect(config.errors[1]!.message).toMatch(/path: must be a path inside the data directory/);
    expect(config.errors[2]!.message).toMatch(/duplicate store id/);
    expect(config.errors[3]!.message).toMatch(/connection/);
    expect(config.errors[4]!.message).toMatch(/retention/);
    expect(() => parseSourcesConfig({ store: [] })).toThrow(/stores/);
  });

  it("a config file that cannot be read or parsed says so, naming the file", async () => {
    expect(() => loadSourcesConfig(join(dir, "nope.json"))).toThrow(/nope\.json cannot be read \(ENOENT\)/);
    await writeFile(join(dir, "broken.json"), "{ stores: ");
    expect(() => loadSourcesConfig(join(dir, "broken.json"))).toThrow(/broken\.json is not valid JSON/);
    await writeFile(join(dir, "shape.json"), JSON.stringify({ store: [] }));
    expect(() => loadSourcesConfig(join(dir, "shape.json"))).toThrow(
      /sources config .*shape\.json: stores: /,
    );
  });
});

describe("stores that fail", () => {
  it("searches the other stores when one is missing, misconfigured or has no database", async () => {
    const shipped = loadSourcesConfig();
    const config = parseSourcesConfig({
      stores: [
        ...shipped.stores,
        { id: "gone", title: "Gone", kind: "call-records-csv", path: "does/not/exist" },
        { id: "bad", kind: "maildir" },
      ],
    });
    const registry = createRegistry(config, { dataDir: dir });
    const { findings, outcomes } = await collectAcrossStores(registry, subjectFromKey(erika()));
    const status = Object.fromEntries(outcomes.map((o) => [o.store, o.status]));
    expect(status).toMatchObject({
      gone: "failed",
      bad: "failed",
      abrufprotokolle: "failed",
      servicedesk: "failed",
      "web-tsr": "ok",
      "beaus-login": "ok",
      "mail-poststelle": "ok",
      "mail-support": "ok",
      telefon: "ok",
      viskompakt: "ok",
    });
    expect(outcomes.find((o) => o.store === "gone")!.error).toMatch(
      /cannot read the store directory .*ENOENT/,
    );
    expect(outcomes.find((o) => o.store === "bad")!.error).toMatch(/invalid configuration/);
    expect(outcomes.find((o) => o.store === "servicedesk")!.error).toMatch(
      /portal database is not available/,
    );
    const fileStores = new Set([
      "web-tsr",
      "beaus-login",
      "mail-poststelle",
      "mail-support",
      "telefon",
      "viskompakt",
    ]);
    const expected = erika().records.filter((r) => fileStores.has(r.store)).length;
    expect(new Set(findings.map((f) => `${f.store} ${f.ref}`)).size).toBe(expected);
  });

  it("a corrupt gzip file is reported, and the rest of the store still searched", async () => {
    const person = erika();
    const webDir = join(dir, SAMPLE_STORES.web.path);
    const gzRefs = person.records.filter((r) => r.store === SAMPLE_STORES.web.id && r.ref.includes(".gz:"));
    const victim = gzRefs[0]?.ref.split(":")[0] ?? "access.log.3.gz";
    const bytes = await readFile(join(webDir, victim));
    bytes.fill(0x41, 20, Math.min(bytes.length - 8, 400));
    await writeFile(join(webDir, victim), bytes);
    const registry = createRegistry(
      parseSourcesConfig({
        stores: [{ id: "web-tsr", title: "Web", kind: "nginx-access-log", path: SAMPLE_STORES.web.path }],
      }),
      { dataDir: dir },
    );
    const { findings, outcomes } = await collectAcrossStores(registry, subjectFromKey(person));
    expect(outcomes[0]!.status).toBe("partial");
    expect(outcomes[0]!.error).toMatch(new RegExp(`${victim.replace(/\./g, "\\.")}: corrupt gzip data`));
    expect(outcomes[0]!.report!.problems).toContainEqual({
      where: victim,
      reason: expect.stringMatching(/^corrupt gzip data.*not searched$/),
      unsearched: true,
    });
    const outside = person.records
      .filter((r) => r.store === SAMPLE_STORES.web.id && !r.ref.startsWith(`${victim}:`))
      .map((r) => r.ref)
      .sort();
    expect(
      findings
        .map((f) => f.ref)
        .filter((r) => !r.startsWith(`${victim}:`))
        .sort(),
    ).toEqual(outside);
  });

  it("malformed lines are counted, even when they carry the subject's address", async () => {
    const person = erika();
    const webDir = join(dir, SAMPLE_STORES.web.path);
    const ip = person.identifiers.ips[0]!.address;
    const before = (await readFile(join(webDir, "access.log"), "utf8")).split("\n").length - 1;
    await appendFile(join(webDir, "access.log"), `${ip} - - [14/Nov/2025:10:00\n${ip} garbage\n\n`);
    await writeFile(
      join(webDir, "access.log.99.gz"),
      gzipSync(`${ip} - - [01/Jan/2025:00:00:00 +0100] "GET /\n`),
    );
    const registry = createRegistry(
      parseSourcesConfig({
        stores: [{ id: "web-tsr", title: "Web", kind: "nginx-access-log", path: SAMPLE_STORES.web.path }],
      }),
      { dataDir: dir },
    );
    let report: ScanReport | undefined;
    for await (const _ of registry.connectors
      .get("web-tsr")!
      .find(subjectFromKey(person), { onReport: (r) => (report = r) }))
      void _;
    expect(report!.malformed).toBeGreaterThanOrEqual(3);
    // Located by file and line, never quoting the line; one bad line leaves nothing unsearched.
    expect(report!.problems).toEqual(
      expect.arrayContaining([
        {
          where: "access.log",
          line: before + 1,
          reason: "malformed record, not searched",
          unsearched: false,
        },
        {
          where: "access.log",
          line: before + 2,
          reason: "malformed record, not searched",
          unsearched: false,
        },
        { where: "access.log.99.gz", line: 1, reason: "malformed record, not searched", unsearched: false },
      ]),
    );
    expect(JSON.stringify(report!.problems)).not.toContain(ip);
  });

  it("a file compressed in a way the portal cannot read is reported as not searched", async () => {
    const webDir = join(dir, SAMPLE_STORES.web.path);
    await writeFile(
      join(webDir, "access.log-20251001.xz"),
      Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]),
    );
    const registry = createRegistry(
      parseSourcesConfig({
        stores: [{ id: "web-tsr", title: "Web", kind: "nginx-access-log", path: SAMPLE_STORES.web.path }],
      }),
      { dataDir: dir },
    );
    const { outcomes } = await collectAcrossStores(registry, subjectFromKey(erika()));
    expect(outcomes[0]!.status).toBe("partial");
    expect(outcomes[0]!.report!.problems).toContainEqual({
      where: "access.log-20251001.xz",
      reason: expect.stringMatching(/compressed with xz/),
      unsearched: true,
    });
    expect(await registry.connectors.get("web-tsr")!.check()).toMatchObject({ ok: true });
  });
});
