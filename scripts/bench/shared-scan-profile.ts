/**
 * The shared pass's connector work alone, for profiling (ADR 0021): `find` for N subjects started
 * together over the shared-scan benchmark's web-log store (tmp/bench/weblog, written by
 * `npm run bench -- weblog-scan` or `shared-scan`), no database. The subject 198.51.100.23, a
 * stranger whose address is its prefix and N − 2 more (203.0.113.x). Prints wall and CPU seconds
 * and each search's findings. Run it as
 *   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx scripts/bench/shared-scan-profile.ts 50
 */
import { createAccessLogConnector } from "#app/sources/connectors/weblog.server";
import { ipSubject } from "./ip-subject";
import { BENCH_DIR, SUBJECT_IP } from "./weblog-data";

const count = Number(process.argv[2] ?? 1);
const ips = [
  SUBJECT_IP,
  SUBJECT_IP.slice(0, -1),
  ...Array.from({ length: 48 }, (_, i) => `203.0.113.${i + 1}`),
];
const connector = createAccessLogConnector("profile", BENCH_DIR);
const cpu = process.cpuUsage();
const started = performance.now();
const found = await Promise.all(
  ips.slice(0, count).map(async (ip) => {
    let n = 0;
    for await (const _ of connector.find(ipSubject(ip))) n++;
    return n;
  }),
);
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    subjects: count,
    wallSeconds: +((performance.now() - started) / 1000).toFixed(2),
    cpuSeconds: +((used.user + used.system) / 1e6).toFixed(2),
    findings: found.slice(0, 3),
    load: (await import("node:os")).loadavg().map((l) => +l.toFixed(1)),
  }),
);
await connector.close();
