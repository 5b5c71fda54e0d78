/**
 * The shared pass over the mailboxes and the records management alone (ADR 0021), no database:
 * `find` for 1 and for N subjects of a generated landscape started together, three rounds in
 * turns, per store; wall and CPU seconds of this process and the load. The landscape is kept in
 * tmp/bench/records-<people>x<days>. Run it as
 *   npx tsx scripts/bench/shared-records-profile.ts [N=20] [people=900] [days=90]
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";
import type { Subject } from "#app/sources/connector";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { type AnswerKey, subjectFromKey } from "#app/sources/sample/answer-key";
import { generateSample } from "#app/sources/sample/generate.server";
import { SAMPLE_STORES } from "#app/sources/sample/layout";

const count = Number(process.argv[2] ?? 20);
const people = Number(process.argv[3] ?? 900);
const days = Number(process.argv[4] ?? 90);
const dir = path.resolve(`tmp/bench/records-${people}x${days}`);
const keyFile = path.join(dir, "answer-key.bench.json");
if (!existsSync(keyFile)) {
  const { answerKey } = await generateSample({ people, days, seed: "shared-records", out: dir });
  await writeFile(keyFile, JSON.stringify(answerKey));
}
const key = JSON.parse(await readFile(keyFile, "utf8")) as AnswerKey;
const subjects: Subject[] = key.persons.slice(0, count).map(subjectFromKey);

const stores = [SAMPLE_STORES.poststelle, SAMPLE_STORES.support, SAMPLE_STORES.dms].map((s) => ({
  id: s.id,
  root: path.join(dir, s.path),
}));
const filesUnder = (root: string) => {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) {
      files++;
      bytes += statSync(path.join(e.parentPath, e.name)).size;
    }
  return { files, mib: +(bytes / 2 ** 20).toFixed(1) };
};

async function measure(n: number) {
  const result: Record<string, { wall: number; cpu: number; findings: number }> = {};
  for (const store of stores) {
    const connector =
      store.id === SAMPLE_STORES.dms.id
        ? new RecordsConnector(store.id, store.root)
        : new MaildirConnector(store.id, store.root);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const found = await Promise.all(
      subjects.slice(0, n).map(async (subject) => {
        let k = 0;
        for await (const _ of connector.find(subject)) k++;
        return k;
      }),
    );
    const used = process.cpuUsage(cpu);
    result[store.id] = {
      wall: +((performance.now() - started) / 1000).toFixed(3),
      cpu: +((used.user + used.system) / 1e6).toFixed(3),
      findings: found.reduce((a, b) => a + b, 0),
    };
    await connector.close();
  }
  return result;
}

console.log(JSON.stringify({ stores: Object.fromEntries(stores.map((s) => [s.id, filesUnder(s.root)])) }));
for (let round = 1; round <= 3; round++)
  for (const n of [1, count])
    console.log(
      JSON.stringify({
        round,
        searches: n,
        ...(await measure(n)),
        load: loadavg().map((l) => +l.toFixed(1)),
      }),
    );
