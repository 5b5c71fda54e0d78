/**
 * The per-case database work of a gathering alone (ADR 0021): N cases gathering at once over a
 * tiny web-log store (tmp/bench/dbstore/weblog, 1 000 lines, written here), so the pass costs
 * nothing and what is timed is the cases' starts, store jobs and finishes on the embedded
 * database, through the job queue as in shared-scan. Prints wall and CPU ms per case and the
 * embedded database's statements and protocol messages per case (six for a statement with
 * parameters: parse, describe, bind, describe, execute, sync; two for BEGIN or COMMIT); with
 * TEXTS=1 also how often each statement ran per case.
 *   npx tsx scripts/bench/shared-scan-db.ts 50
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { benchCase, gatherAll, startGatherBench } from "./gather-bench";

const CASES = Number(process.argv[2] ?? 50);
const STORE = join("tmp", "bench", "dbstore");
mkdirSync(join(STORE, "weblog"), { recursive: true });
writeFileSync(
  join(STORE, "weblog", "access.log"),
  Array.from(
    { length: 1000 },
    (_, i) =>
      `192.0.2.77 - - [10/Oct/2025:13:55:${String(i % 60).padStart(2, "0")} +0200] "GET /${i} HTTP/1.1" 200 512\n`,
  ).join(""),
);
let calls = 0;
let statements = 0;
const proto = PGlite.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const raw = proto.execProtocolRawSync!;
const texts = new Map<string, number>();
proto.execProtocolRawSync = function (this: unknown, ...args: unknown[]) {
  calls++;
  const m = Buffer.from(args[0] as Uint8Array);
  if (m[0] === 0x50 || m[0] === 0x51) statements++;
  let text = `(${String.fromCharCode(m[0]!)})`;
  if (m[0] === 0x50) text = m.toString("utf8", 5, m.length).split("\0")[1]!;
  if (m[0] === 0x51) text = m.toString("utf8", 5, m.length - 1);
  text = text.replace(/\s+/g, " ").slice(0, 110);
  texts.set(text, (texts.get(text) ?? 0) + 1);
  return raw.apply(this, args);
};
const runner = await startGatherBench(STORE, [
  { id: "web-bench", title: "bench", kind: "nginx-access-log", path: "weblog", retention: "web-access-log" },
]);
for (const round of [1, 2, 3]) {
  for (const count of [1, CASES]) {
    const cases: string[] = [];
    for (let i = 0; i < count; i++)
      cases.push(await benchCase(runner.services, { ips: [`203.0.113.${(i % 250) + 1}`] }));
    calls = 0;
    statements = 0;
    texts.clear();
    const cpu = process.cpuUsage();
    const { seconds } = await gatherAll(runner.services, cases);
    const used = process.cpuUsage(cpu);
    console.log(
      JSON.stringify({
        round,
        cases: count,
        wallMsPerCase: +((seconds * 1000) / count).toFixed(1),
        cpuMsPerCase: +((used.user + used.system) / 1000 / count).toFixed(1),
        callsPerCase: +(calls / count).toFixed(1),
        statementsPerCase: +(statements / count).toFixed(1),
      }),
    );
    if (process.env.TEXTS && count > 1)
      for (const [t, n] of [...texts].sort((a, b) => b[1] - a[1]))
        console.log(`${(n / count).toFixed(2)} ${t}`);
  }
}
await runner.stop();
