/**
 * A web-log store of at least 1 GiB for the scan benchmark, kept in tmp/bench/weblog and reused
 * while its manifest (beside the store, not in it: the connector reports every file it does not
 * know) matches. Noise traffic from a large address space plus one subject whose address appears
 * in a few hundred lines spread over all files. As found in the wild: numbered and dated
 * (logrotate `dateext`) rotation names, plain and gzip, and a share of lines in common log format
 * and with extra trailing fields, for the subject as for everyone else.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import { createGzip } from "node:zlib";
import type { Writable } from "node:stream";
import { Rng } from "#app/sources/sample/prng";
import { formatAccessLine, noiseLine, rotatedName } from "#app/sources/sample/weblog.server";
import { USER_AGENTS } from "#app/sources/sample/pools";

export const BENCH_DIR = join("tmp", "bench", "weblog");
export const SUBJECT_IP = "198.51.100.23";

const MANIFEST = {
  version: 3,
  files: 16,
  plainFiles: 6,
  bytesPerFile: 68 * 1024 * 1024,
  subjectLinesPerFile: 25,
};
const END = Date.parse("2025-11-14T23:00:00Z");

export interface BenchStore {
  dir: string;
  plain: string[];
  gz: string[];
  uncompressedBytes: number;
}

/** access.log, access.log.1, then dated names plain, then numbered and dated names compressed. */
function fileName(age: number): string {
  if (age < 2) return rotatedName(age);
  const day = new Date(END - age * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
  if (age < MANIFEST.plainFiles) return `access.log-${day}`;
  return age % 2 === 0 ? rotatedName(age) : `access.log-${day}.gz`;
}

/** 2 % of lines in common log format, 2 % with nginx's extra timing fields appended. */
function vary(rng: Rng, line: string): string {
  const roll = rng.int(0, 99);
  if (roll < 2) return line.replace(/^(\S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} \S+) .*$/, "$1");
  if (roll < 4) return `${line} rt=0.004 uct="0.000" uht="0.004" urt="0.004"`;
  return line;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

export async function ensureBenchStore(log: (line: string) => void): Promise<BenchStore> {
  const names = Array.from({ length: MANIFEST.files }, (_, age) => fileName(age));
  const store: BenchStore = {
    dir: BENCH_DIR,
    plain: names.filter((n) => !n.endsWith(".gz")).map((n) => join(BENCH_DIR, n)),
    gz: names.filter((n) => n.endsWith(".gz")).map((n) => join(BENCH_DIR, n)),
    uncompressedBytes: MANIFEST.files * MANIFEST.bytesPerFile,
  };
  const manifestPath = `${BENCH_DIR}.manifest.json`;
  const existing = await readFile(manifestPath, "utf8").catch(() => null);
  if (existing === JSON.stringify(MANIFEST)) return store;

  log(
    `generating ${(store.uncompressedBytes / 2 ** 30).toFixed(2)} GiB of web logs in ${BENCH_DIR} (once; reused afterwards)`,
  );
  await rm(BENCH_DIR, { recursive: true, force: true });
  await mkdir(BENCH_DIR, { recursive: true });
  const rng = new Rng("bench-weblog");
  for (const [age, name] of names.entries()) {
    const file = createWriteStream(join(BENCH_DIR, name));
    const gzip = name.endsWith(".gz") ? createGzip({ level: 6 }) : null;
    gzip?.pipe(file);
    const sink: Writable = gzip ?? file;
    const dayStart = END - (age + 1) * 86_400_000;
    let written = 0;
    let subjectLeft = MANIFEST.subjectLinesPerFile;
    let t = dayStart;
    const step = 86_400_000 / (MANIFEST.bytesPerFile / 230);
    while (written < MANIFEST.bytesPerFile) {
      let batch = "";
      for (let i = 0; i < 2000; i++) {
        t += step;
        const at = new Date(Math.floor(t / 1000) * 1000);
        let line: string;
        if (subjectLeft > 0 && rng.chance(MANIFEST.subjectLinesPerFile / 300_000)) {
          subjectLeft--;
          line = formatAccessLine({
            remote: SUBJECT_IP,
            at,
            method: "GET",
            path: "/suche",
            status: 200,
            bytes: 5120,
            referer: "-",
            userAgent: rng.pick(USER_AGENTS),
            forwardedFor: "-",
          });
        } else {
          line = noiseLine(
            rng,
            `${rng.int(1, 197)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
            at,
          );
        }
        batch += `${vary(rng, line)}\n`;
      }
      written += Buffer.byteLength(batch);
      await write(sink, batch);
    }
    sink.end();
    await once(file, "close");
    log(`  ${name}: ${(written / 2 ** 20).toFixed(0)} MiB uncompressed`);
  }
  await writeFile(manifestPath, JSON.stringify(MANIFEST));
  return store;
}
