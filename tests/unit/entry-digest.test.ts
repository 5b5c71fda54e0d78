import { createHash } from "node:crypto";
import { readdirSync, readlinkSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFLATE_SEGMENT } from "#app/server/answers/deflated-copy.server";
import { BlobReader, TextWriter, ZipReader } from "@zip.js/zip.js";
import { deflatedZipSink } from "#app/server/answers/deflated-zip.server";
import { digestEntries, MAX_DIGEST_THREADS } from "#app/server/answers/entry-digest.server";
import { SpooledPart, type EntryPart } from "#app/server/answers/entry-parts.server";
import { encryptedZipSink } from "#app/server/answers/zip-sink.server";
import { collectedBytes } from "../support/collected-bytes";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "entry-digest-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A part spooled to a file, as the answer's spool gives it (with its path). */
async function spooledFile(name: string, text: string): Promise<SpooledPart> {
  const raw = Buffer.from(text, "utf8");
  const file = join(dir, name);
  await writeFile(file, raw);
  return new SpooledPart(
    raw.length,
    async function* () {
      yield raw;
    },
    async function* () {
      yield deflateRawSync(raw, DEFLATE_SEGMENT);
    },
    file,
  );
}

function expected(text: string) {
  const bytes = Buffer.from(text, "utf8");
  return { size: bytes.length, crc: crc32(bytes), sha256: createHash("sha256").update(bytes).digest("hex") };
}

function pick({ size, sha256 }: { size: number; sha256: string }) {
  return { bytes: size, sha256 };
}

async function zipOf(entries: [string, EntryPart[]][], withDigests: boolean): Promise<Buffer> {
  const { out, bytes: written } = collectedBytes();
  const sink = deflatedZipSink(out, new Date("2025-11-20T10:00:00Z"));
  const digests = withDigests
    ? digestEntries(
        entries.map(([, parts]) => parts),
        { minBytes: 0 },
      )
    : null;
  for (const [i, [path, parts]] of entries.entries()) await sink.add(path, parts, digests?.digests[i]);
  await sink.finish();
  await digests?.stop();
  return written();
}

describe("an archive entry's sums worked out on a thread of their own", () => {
  it("are those of the entry's bytes, its spooled files read from disk", async () => {
    const rows = "<tr><td>Zeile ä</td></tr>\n".repeat(50_000);
    const parts: EntryPart[] = ["<table>\n", await spooledFile("rows", rows), Buffer.from("</table>\n")];
    const { digests, stop } = digestEntries([parts, ["nur Text"]], { minBytes: 0 });
    expect(digests[1]).toBeUndefined();
    expect(await digests[0]).toEqual(expected(`<table>\n${rows}</table>\n`));
    await stop();
  });

  it("give the same archive as sums taken while it is written", async () => {
    const entries: [string, EntryPart[]][] = [
      ["index.html", ["<p>", await spooledFile("a", "eins ".repeat(30_000)), "</p>\n"]],
      ["brief.pdf", [Buffer.from("%PDF")]],
      ["data.json", ["[", await spooledFile("b", "{}\n".repeat(10_000)), "]"]],
    ];
    expect(await zipOf(entries, true)).toEqual(await zipOf(entries, false));
  });

  it("serve the encrypted writer too: its entry opens with the password, its SHA-256 is the thread's", async () => {
    const text = "verschlüsselt ".repeat(20_000);
    const parts: EntryPart[] = ["<p>", await spooledFile("aes", text), "</p>"];
    const { digests, stop } = digestEntries([parts], { minBytes: 0 });
    const { out, bytes: written } = collectedBytes();
    const sink = await encryptedZipSink(out, new Date("2025-11-20T10:00:00Z"), "geheim-geheim");
    const entry = await sink.add("index.html", parts, digests[0]);
    await sink.finish();
    await stop();
    expect(entry).toEqual({ path: "index.html", ...pick(expected(`<p>${text}</p>`)) });
    const reader = new ZipReader(new BlobReader(new Blob([written()])), {
      password: "geheim-geheim",
    });
    const [file] = await reader.getEntries();
    expect(file!.directory ? null : await file!.getData(new TextWriter())).toBe(`<p>${text}</p>`);
    await reader.close();
  });

  it("fail when a spooled file does not hold the bytes the spool counted", async () => {
    const part = await spooledFile("short", "abc");
    const wrong = new SpooledPart(4, part.raw, part.deflated, part.file);
    const { digests, stop } = digestEntries([[wrong]], { minBytes: 0 });
    await expect(digests[0]).rejects.toThrow(/holds 3 bytes, not 4/);
    await stop();
  });

  it("end when the archive is given up mid-read, leaving no file of the spool open", async () => {
    const text = "x".repeat(64 * 1024 * 1024);
    const big = await spooledFile("big", text);
    const { digests, stop } = digestEntries([[big]], { minBytes: 0 });
    let done = false;
    void digests[0]!.then(() => (done = true));
    const opened = () => readdirSync("/proc/self/fd").some((fd) => linkOf(fd) === big.file);
    // Stopped while it reads the file; on a machine busy enough that this thread only looks again
    // after the read, the claim below still holds, without the read cut short.
    const until = Date.now() + 10_000;
    while (!opened() && !done && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 1));
    await stop();
    expect([null, expected(text)]).toContainEqual(await digests[0]);
    // A thread terminated inside its read loop: Node closes what it had open (a descriptor left
    // open would keep the removed spool's disk space until the process ends).
    expect(opened()).toBe(false);
  });

  it("leave the sums to the writer where the thread gave none: the same archive", async () => {
    const entries: [string, EntryPart[]][] = [
      ["index.html", ["<p>", await spooledFile("c", "zwei ".repeat(30_000)), "</p>\n"]],
    ];
    const { out, bytes: written } = collectedBytes();
    const sink = deflatedZipSink(out, new Date("2025-11-20T10:00:00Z"));
    const { digests, stop } = digestEntries([entries[0]![1]], { minBytes: 0 });
    await stop();
    const entry = await sink.add(entries[0]![0], entries[0]![1], digests[0]);
    await sink.finish();
    expect(entry).toEqual({ path: "index.html", ...pick(expected(`<p>${"zwei ".repeat(30_000)}</p>\n`)) });
    expect(written()).toEqual(await zipOf(entries, false));
  });

  it("are left to the writer for a small answer", () => {
    const part = new SpooledPart(
      10,
      async function* () {},
      async function* () {},
      "/nirgends",
    );
    expect(digestEntries([[part]]).digests).toEqual([undefined]);
  });

  it("are left to the writer while as many threads as allowed are alive, and a thread again once one ended", async () => {
    const text = "Zeile ö\n".repeat(20_000);
    const parts = [await spooledFile("capped", text)];
    const alive = Array.from({ length: MAX_DIGEST_THREADS }, () => digestEntries([parts], { minBytes: 0 }));
    expect(alive.every((a) => a.digests[0] instanceof Promise)).toBe(true);
    expect(digestEntries([parts], { minBytes: 0 }).digests).toEqual([undefined]);
    await alive[0]!.stop();
    const again = digestEntries([parts], { minBytes: 0 });
    expect(await again.digests[0]).toEqual(expected(text));
    await Promise.all([again.stop(), ...alive.slice(1).map((a) => a.stop())]);
  });
});

function linkOf(fd: string): string | null {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}
