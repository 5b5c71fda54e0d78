/**
 * npm run sources:generate -- --people N --days D --seed S --out DIR [--end YYYY-MM-DD] [--noise X]
 *   [--web-traffic X] [--namesakes SHARE] [--protocol-rows N] [--database-only] [--messy]
 * Writes a sample of every source store and its answer key (see app/sources/sample).
 */
import { spawnSync } from "node:child_process";
import { getHeapStatistics } from "node:v8";
import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_NAMESAKES, generateSample } from "../app/sources/sample/generate.server";

const { values } = parseArgs({
  options: {
    people: { type: "string", default: "200" },
    days: { type: "string", default: "30" },
    seed: { type: "string", default: "rechteportal" },
    out: { type: "string", default: "data/sources" },
    end: { type: "string" },
    noise: { type: "string", default: "1" },
    "web-traffic": { type: "string", default: "1" },
    namesakes: { type: "string", default: String(DEFAULT_NAMESAKES) },
    "protocol-rows": { type: "string" },
    "database-only": { type: "boolean", default: false },
    messy: { type: "boolean", default: false },
  },
});

const options = z
  .object({
    people: z.coerce.number().int().min(3),
    days: z.coerce.number().int().min(2).max(400),
    seed: z.string().min(1),
    out: z.string().min(1),
    end: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    noise: z.coerce.number().min(0).max(1000),
    "web-traffic": z.coerce.number().min(0).max(1000),
    namesakes: z.coerce.number().min(0).max(0.5),
    "protocol-rows": z.coerce.number().int().min(0).optional(),
    "database-only": z.boolean(),
    messy: z.boolean(),
  })
  .safeParse(values);

if (!options.success) {
  console.error(
    `Invalid options: ${options.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
  process.exit(2);
}

/**
 * The heap this many people need, in MiB: what the generator keeps alive is the people and their
 * registry (≈ 2.5 KB a person, heap after a full collection 213–247 MiB at 100 000 people) and one
 * day of web logs or one store's plans; the rest it allocates is short-lived. Without a limit V8
 * lets that garbage grow to 1.2–1.4 GiB before collecting it at 100 000 people; with this one the
 * RSS stays near it, whatever the days and the stores' sizes (ADR 0023).
 */
const heapMiB = 256 + Math.ceil((options.data.people * 4) / 1024);
if (getHeapStatistics().heap_size_limit > (heapMiB + 64) * 2 ** 20) {
  // The limit is fixed when Node starts: run again under it, with the same loader (tsx) and arguments.
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${heapMiB}`, ...process.argv.slice(1)],
    { stdio: "inherit" },
  );
  process.exit(child.status ?? 1);
}

const started = performance.now();
// Progress on stderr (stdout keeps the summary), at most every few seconds and whenever a store's writer starts.
let lastStore = "";
let lastAt = 0;
const onProgress = (store: string, done: number, total: number, unit: string) => {
  const now = performance.now();
  if (store === lastStore && now - lastAt < 3000 && done < total) return;
  lastStore = store;
  lastAt = now;
  const memory = process.memoryUsage();
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  console.error(
    `[${((now - started) / 1000).toFixed(0)} s] ${store}: ${done}/${total} ${unit} (RSS ${mib(memory.rss)} MiB, heap ${mib(memory.heapUsed)} MiB)`,
  );
};
const {
  "web-traffic": webTraffic,
  "protocol-rows": protocolRows,
  "database-only": databaseOnly,
  ...rest
} = options.data;
const result = await generateSample({
  ...rest,
  webTraffic,
  protocolRows,
  databaseOnly,
  endDay: options.data.end,
  onProgress,
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
// maxRSS is in kibibytes.
const peak = Math.round(process.resourceUsage().maxRSS / 1024);
const key = result.answerKeyMeta;
console.log(
  `Sample written to ${result.out}: ${key.people} people, ${key.records} attributed records, answer key ${result.answerKeyPath}`,
);
console.log(`${seconds} s, peak RSS ${peak} MiB`);
