/**
 * answer-archive: the access archive (letter, index.html, JSON + CSV per store, schemas, manifest)
 * for one person with 100 000 findings (scripts/bench/archive-person.ts), against Info-ZIP `zip -6 -r`
 * over the same files on disk (our archive unpacked into a directory first; only zip is timed).
 * Ours runs in a child process, which reads the findings from a generator as from a database
 * cursor, so its time and peak RSS are the archive writer's own; answer-download measures the
 * whole download with the findings read from the database.
 *
 * Run alone: npx tsx scripts/bench/answer-archive.ts
 */
import { createWriteStream } from "node:fs";
import { writeAccessArchive } from "#app/server/answers/archive.server";
import { EMAIL, FINDINGS, NAME, generatedFindings } from "./archive-person";
import { invokedDirectly } from "./harness";
import type { Benchmark } from "./index";
import { bundleForNode, childMeter, compareWithZip, requireZipTools, runChild } from "./zip-rounds";

async function child(outFile: string): Promise<void> {
  // The findings' contents are made before the meter starts, as a database holds its rows before
  // the query: what is measured is the archive, not the sample generator (~0.06 s CPU).
  const released = generatedFindings(FINDINGS);
  const meter = childMeter();
  const result = await writeAccessArchive(
    {
      reference: "DSR-2025-100000",
      lang: "de",
      receivedAt: new Date("2025-11-03T09:00:00Z"),
      answeredAt: new Date("2025-11-20T10:00:00Z"),
      recipient: { name: NAME, email: EMAIL, postalAddress: "Musterweg 1\n99084 Erfurt" },
      kinds: ["auskunft"],
      released,
      withheld: [],
    },
    createWriteStream(outFile),
  );
  const unpacked = result.entries.reduce((sum, e) => sum + e.bytes, 0);
  console.log(
    meter({
      findings: result.summary.total,
      files: result.entries.length + 1,
      unpacked,
      bytes: result.bytes,
    }),
  );
}

export const benchmark: Benchmark = {
  name: "answer-archive",
  description: `access archive for ${FINDINGS.toLocaleString("en")} findings: ours (deflated on the pass, streamed) vs Info-ZIP zip -6 -r over the same files`,
  async run() {
    await requireZipTools("answer-archive");
    const module = await bundleForNode(import.meta.url, "answer-archive");
    await compareWithZip("answer-archive", (zipPath) => runChild(module, ["--child", zipPath]));
  },
};

if (invokedDirectly(import.meta.url)) {
  const childAt = process.argv.indexOf("--child");
  if (childAt !== -1) await child(process.argv[childAt + 1]!);
  else await benchmark.run();
}
