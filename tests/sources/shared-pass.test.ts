/**
 * One pass over a line store serves every search running at the same time (ADR 0021): started
 * together, or while a pass is under way, each search gets exactly its own records of the answer
 * key — the same as alone — and a stranger whose address is a prefix of the subject's gets none.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSourcesConfig } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import { createAccessLogConnector } from "#app/sources/connectors/weblog.server";
import { createRegistry } from "#app/sources/registry.server";
import { type AnswerKey, type AnswerKeyPerson, subjectFromKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { cachedSample } from "../support/sample-cache";

const LINE_STORES: string[] = [SAMPLE_STORES.web.id, SAMPLE_STORES.login.id, SAMPLE_STORES.calls.id];

let dir: string;
let key: AnswerKey;
let connectors: Map<string, SourceConnector>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rp-shared-pass-"));
  key = (await cachedSample({ people: 30, days: 5, seed: "shared-pass", out: dir, messy: true })).answerKey;
  const shipped = loadSourcesConfig();
  connectors = createRegistry(
    parseSourcesConfig({ stores: shipped.stores.filter((s) => LINE_STORES.includes(s.id)) }),
    { dataDir: dir },
  ).connectors;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function search(connector: SourceConnector, subject: Subject) {
  const findings: Finding[] = [];
  let report: ScanReport | undefined;
  for await (const finding of connector.find(subject, { onReport: (r) => (report = r) }))
    findings.push(finding);
  return { refs: findings.map((f) => f.ref).sort(), report: report! };
}

const expected = (person: AnswerKeyPerson, store: string) =>
  [...new Set(person.records.filter((r) => r.store === store).map((r) => r.ref))].sort();

describe("searches at the same time share one pass", () => {
  it("every person of the key, all at once, gets exactly the key's records in every line store", async () => {
    for (const store of LINE_STORES) {
      const connector = connectors.get(store)!;
      const results = await Promise.all(key.persons.map((p) => search(connector, subjectFromKey(p))));
      for (const [i, person] of key.persons.entries())
        expect(results[i]!.refs, `${store} ${person.id}`).toEqual(expected(person, store));
      // Each search's report is its own and complete: every byte of the store counted once.
      for (const { report } of results) expect(report.scanned).toBe(report.total);
    }
  }, 120_000);

  it("a search that starts while a pass is under way joins it and still reads every file", async () => {
    const store = SAMPLE_STORES.web.id;
    const connector = connectors.get(store)!;
    const withWeb = key.persons.filter((p) => expected(p, store).length > 0);
    expect(withWeb.length).toBeGreaterThan(2);
    const [first, ...later] = withWeb;
    const running = connector.find(subjectFromKey(first!))[Symbol.asyncIterator]();
    // The first search has begun reading (its first finding is out) when the others start.
    const head = await running.next();
    expect(head.done).toBe(false);
    const others = Promise.all(later.map((p) => search(connector, subjectFromKey(p))));
    const refs = [(head.value as Finding).ref];
    for (let next = await running.next(); !next.done; next = await running.next()) refs.push(next.value.ref);
    expect(refs.sort()).toEqual(expected(first!, store));
    for (const [i, result] of (await others).entries())
      expect(result.refs, later[i]!.id).toEqual(expected(later[i]!, store));
  }, 120_000);

  it("a stranger whose address begins like the subject's gets none of the subject's lines", async () => {
    const logs = await mkdtemp(join(tmpdir(), "rp-shared-prefix-"));
    try {
      const line = (ip: string, n: number) =>
        `${ip} - - [10/Oct/2025:13:55:${String(n).padStart(2, "0")} +0200] "GET /a HTTP/1.1" 200 5 "-" "UA"\n`;
      await writeFile(
        join(logs, "access.log"),
        [line("198.51.100.23", 1), line("198.51.100.230", 2)].join(""),
      );
      await writeFile(join(logs, "access.log.1"), [line("10.0.0.1", 3), line("198.51.100.23", 4)].join(""));
      const connector = createAccessLogConnector("prefix", logs);
      const ip = (address: string): Subject => ({
        emails: [],
        names: [],
        phones: [],
        userNames: [],
        postalAddresses: [],
        ips: [{ address, proven: true }],
      });
      const [subject, stranger, other] = await Promise.all(
        ["198.51.100.23", "198.51.100.2", "198.51.100.230"].map((a) => search(connector, ip(a))),
      );
      expect(subject!.refs).toHaveLength(2);
      expect(subject!.refs.every((r) => !r.startsWith("access.log:") || r.startsWith("access.log:0:"))).toBe(
        true,
      );
      expect(stranger!.refs).toEqual([]);
      expect(other!.refs).toHaveLength(1);
      expect(other!.refs.some((r) => subject!.refs.includes(r))).toBe(false);
      await connector.close();
    } finally {
      await rm(logs, { recursive: true, force: true });
    }
  });
});
