import { PassThrough } from "node:stream";
import { deflateRawSync } from "node:zlib";
import { BlobReader, TextWriter, ZipReader } from "@zip.js/zip.js";
import { describe, expect, it } from "vitest";
import { DEFLATE_SEGMENT } from "#app/server/answers/deflated-copy.server";
import { deflatedZipSink } from "#app/server/answers/deflated-zip.server";
import { SpooledPart } from "#app/server/answers/entry-parts.server";
import { collectedBytes } from "../support/collected-bytes";

/** A part as the spool gives it: its bytes and their deflated copy, made apart from the rest. */
function spooled(text: string): SpooledPart {
  const raw = Buffer.from(text, "utf8");
  const deflated = deflateRawSync(raw, DEFLATE_SEGMENT);
  return new SpooledPart(
    raw.length,
    async function* () {
      yield raw;
    },
    async function* () {
      yield deflated;
    },
  );
}

describe("the plain ZIP writer for parts deflated beforehand", () => {
  it("joins parts deflated apart into one entry that reads back whole", async () => {
    const { out, bytes: written } = collectedBytes();
    const sink = deflatedZipSink(out, new Date("2025-11-20T10:00:00Z"));
    const rows = "<tr><td>Zeile</td></tr>\n".repeat(2000);
    const entry = await sink.add("index.html", ["<table>\n", spooled(rows), "</table>\n", spooled("ü"), ""]);
    await sink.add("leer.txt", []);
    const bytes = await sink.finish();
    const zip = written();
    expect(bytes).toBe(zip.length);
    expect(entry.bytes).toBe(Buffer.byteLength(`<table>\n${rows}</table>\nü`));
    const reader = new ZipReader(new BlobReader(new Blob([zip])));
    const entries = await reader.getEntries();
    expect(entries.map((e) => e.filename)).toEqual(["index.html", "leer.txt"]);
    const texts = await Promise.all(entries.map((e) => (e.directory ? null : e.getData(new TextWriter()))));
    expect(texts).toEqual([`<table>\n${rows}</table>\nü`, ""]);
    await reader.close();
  });

  it("gives up, instead of waiting for ever, when the download is broken off", async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const sink = deflatedZipSink(out, new Date("2025-11-20T10:00:00Z"));
    setTimeout(() => out.destroy(), 10);
    await expect(sink.add("data.json", spooled("x".repeat(100_000)))).rejects.toThrow(/went away/);
  });
});
