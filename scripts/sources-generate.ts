/**
 * npm run sources:generate -- --people N --days D --seed S --out DIR [--end YYYY-MM-DD] [--noise X]
 *   [--web-traffic X] [--namesakes SHARE] [--messy]
 * Writes a sample of every source store and its answer key (see app/sources/sample).
 */
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
    messy: z.boolean(),
  })
  .safeParse(values);

if (!options.success) {
  console.error(
    `Invalid options: ${options.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
  process.exit(2);
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
const { "web-traffic": webTraffic, ...rest } = options.data;
const result = await generateSample({ ...rest, webTraffic, endDay: options.data.end, onProgress });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
// maxRSS is in kibibytes.
const peak = Math.round(process.resourceUsage().maxRSS / 1024);
const key = result.answerKeyMeta;
console.log(
  `Sample written to ${result.out}: ${key.people} people, ${key.records} attributed records, answer key ${result.answerKeyPath}`,
);
console.log(`${seconds} s, peak RSS ${peak} MiB`);
