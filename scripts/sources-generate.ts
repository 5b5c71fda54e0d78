/**
 * npm run sources:generate -- --people N --days D --seed S --out DIR [--end YYYY-MM-DD] [--noise X]
 *   [--web-traffic X] [--namesakes SHARE] [--protocol-rows N] [--ticket-rows N] [--database-only] [--messy]
 * Writes a sample of every source store and its answer key (see app/sources/sample).
 */
import { spawnSync } from "node:child_process";
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
    "ticket-rows": { type: "string" },
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
    "ticket-rows": z.coerce.number().int().min(0).optional(),
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
 * What the generator keeps alive is the people and their registry (≈ 2.5 KB a person: the heap
 * after a full collection stays at 213–247 MiB at 100 000 people) and one day of web logs or one
 * store's plans; the rest it allocates is short-lived. V8 let that garbage grow to 1.2–1.4 GiB at
 * 100 000 people before collecting it, so this process collects itself (`gc`, exposed in a run of
 * its own) whenever the heap has doubled since the last collection at a progress report: memory
 * stays about twice what is alive, whatever the days and the stores' sizes (ADR 0023). A fixed
 * heap limit instead ran out at 100 000 people over 2 days (half the web sessions in one day).
 */
if (typeof globalThis.gc !== "function") {
  // Flags are fixed when Node starts: run again with gc exposed, the same loader (tsx) and arguments.
  const child = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", ...process.argv.slice(1)], {
    stdio: "inherit",
  });
  process.exit(child.status ?? 1);
}
const collect = globalThis.gc;
let alive = 0;
/** A full collection when the heap holds twice what was alive after the last one (at least 128 MiB). */
function collectWhenDoubled() {
  if (process.memoryUsage().heapUsed < Math.max(2 * alive, 128 * 2 ** 20)) return;
  collect();
  alive = process.memoryUsage().heapUsed;
}

const started = performance.now();
// Progress on stderr (stdout keeps the summary), at most every few seconds and whenever a store's writer starts.
let lastStore = "";
let lastAt = 0;
const onProgress = (store: string, done: number, total: number, unit: string) => {
  collectWhenDoubled();
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
  "ticket-rows": ticketRows,
  "database-only": databaseOnly,
  ...rest
} = options.data;
const result = await generateSample({
  ...rest,
  webTraffic,
  protocolRows,
  ticketRows,
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
