/**
 * npx tsx scripts/sources-measure.ts DIR [STORE ...]: one search that finds nothing (so every byte is read)
 * in each file store of config/sources.json under DIR (e.g. a landscape of sources:generate), three
 * rounds (ROUNDS=n for others): GB on disk, wall and CPU seconds, CPU per GB and the load. The file
 * stores' rates in app/sources/measured-throughput.ts come from it (ADR 0023).
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { loadavg } from "node:os";
import { isFileStore } from "#app/sources/config";
import { loadSourcesConfig } from "#app/sources/config.server";
import { createConnector } from "#app/sources/registry.server";

const dir = process.argv[2];
if (!dir) {
  console.error("Usage: npx tsx scripts/sources-measure.ts DIR [STORE ...]");
  process.exit(2);
}
const only = process.argv.slice(3);
const subject = {
  emails: [{ value: "nobody.here@example.invalid" }],
  names: [{ value: "Quirinus Zzyzxowski" }],
  phones: [{ value: "+49 361 9999999" }],
  userNames: [{ value: "zzyzx" }],
  ips: [{ address: "192.0.2.254" }],
  postalAddresses: [],
  birthDate: "1901-01-01",
};
function bytesUnder(p: string): number {
  let t = 0;
  for (const e of readdirSync(p, { withFileTypes: true, recursive: true }))
    if (e.isFile()) t += statSync(path.join(e.parentPath, e.name)).size;
  return t;
}
for (const store of loadSourcesConfig().stores.filter(isFileStore)) {
  if (only.length && !only.includes(store.id)) continue;
  const connector = createConnector(store, { dataDir: dir });
  const bytes = bytesUnder(path.join(dir, store.path));
  for (let round = 1; round <= Number(process.env.ROUNDS ?? 3); round++) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    for await (const finding of connector.find(subject)) if (finding) n++;
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const c = (used.user + used.system) / 1e6;
    console.log(
      `${store.id} round ${round}: ${(bytes / 1e9).toFixed(4)} GB, ${n} findings, wall ${wall.toFixed(2)} s, cpu ${c.toFixed(2)} s, cpu/GB ${(c / (bytes / 1e9)).toFixed(1)}, load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}
