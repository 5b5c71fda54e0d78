/**
 * The mailboxes, records management and call records of a landscape searched alone, no database:
 * one subject's `find` per store, in rounds; wall and CPU seconds of this process, records found
 * and the load. Used to see where the file stores' CPU goes (issue 17 point 3, ADR 0021). Run as
 *   npx tsx scripts/bench/records-prefilter-profile.ts <landscape dir> [rounds=3] [person id]
 * (gather-latency's landscape is under node_modules/.cache/rp-bench/landscape/); without a person,
 * the one with records in the most stores (as gather-latency picks).
 */
import { loadavg } from "node:os";
import path from "node:path";
import type { SourceConnector } from "#app/sources/connector";
import { createCallRecordConnector } from "#app/sources/connectors/call-records.server";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { readAnswerKey } from "#app/sources/sample/answer-key.server";
import { subjectFromKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";

const dir = process.argv[2];
if (!dir) throw new Error("usage: records-prefilter-profile.ts <landscape dir> [rounds] [person id]");
const rounds = Number(process.argv[3] ?? 3);
const key = readAnswerKey(dir);
const person =
  key.persons.find((p) => p.id === process.argv[4]) ??
  [...key.persons].sort(
    (a, b) => new Set(b.records.map((r) => r.store)).size - new Set(a.records.map((r) => r.store)).size,
  )[0]!;
const subject = subjectFromKey(person);
// BLOCKING=1 reads the record files by blocking calls, as on a search thread (record-files.server.ts).
const blockingReads = process.env.BLOCKING === "1";

const stores: [string, () => SourceConnector][] = [
  [
    SAMPLE_STORES.poststelle.id,
    () =>
      new MaildirConnector(SAMPLE_STORES.poststelle.id, path.join(dir, SAMPLE_STORES.poststelle.path), {
        blockingReads,
      }),
  ],
  [
    SAMPLE_STORES.support.id,
    () =>
      new MaildirConnector(SAMPLE_STORES.support.id, path.join(dir, SAMPLE_STORES.support.path), {
        blockingReads,
      }),
  ],
  [
    SAMPLE_STORES.dms.id,
    () =>
      new RecordsConnector(SAMPLE_STORES.dms.id, path.join(dir, SAMPLE_STORES.dms.path), { blockingReads }),
  ],
  [
    SAMPLE_STORES.calls.id,
    () => createCallRecordConnector(SAMPLE_STORES.calls.id, path.join(dir, SAMPLE_STORES.calls.path)),
  ],
];
const only = process.env.STORES?.split(",");

for (let round = 1; round <= rounds; round++)
  for (const [id, make] of stores) {
    if (only && !only.includes(id)) continue;
    const connector = make();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let found = 0;
    let scanned = 0;
    for await (const _ of connector.find(subject, { onReport: (r) => (scanned = r.scanned) })) found++;
    const used = process.cpuUsage(cpu);
    console.log(
      JSON.stringify({
        round,
        store: id,
        wall: +((performance.now() - started) / 1000).toFixed(3),
        cpu: +((used.user + used.system) / 1e6).toFixed(3),
        scanned,
        found,
        load: +loadavg()[0]!.toFixed(2),
      }),
    );
    await connector.close();
  }
