/**
 * Runs our connector's scan in a process of its own, so that its peak memory can be measured
 * alone. Prints one JSON line: scan seconds and CPU seconds, findings, malformed lines, peak RSS.
 */
import { createAccessLogConnector } from "#app/sources/connectors/weblog.server";
import type { ScanReport } from "#app/sources/connector";
import { describeProblem } from "#app/sources/registry.server";
import { ipSubject } from "./ip-subject";
import { procMemoryMb } from "./portal-process";

const [dir, ip] = process.argv.slice(2) as [string, string];
const connector = createAccessLogConnector("bench", dir);
let report: ScanReport | undefined;
const cpu = process.cpuUsage();
const started = performance.now();
let findings = 0;
for await (const _ of connector.find(ipSubject(ip), { onReport: (r) => (report = r) })) findings++;
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    findings,
    malformed: report?.malformed ?? 0,
    problems: (report?.problems ?? []).map(describeProblem),
    // VmHWM, the child's own peak: getrusage's maxRSS starts at the RSS of the parent it was forked from.
    maxRssKb: procMemoryMb(process.pid, "VmHWM") * 1024,
  }),
);
