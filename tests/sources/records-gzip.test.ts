/**
 * Metadata an export gzip-compressed and left named .xml. The records management's listing no
 * longer opens every file to sniff for gzip (files.server.ts `gzipByContent`, issue 17 point 3):
 * the connector reads each metadata file whole anyway and tells gzip by the magic bytes of what it
 * read. Such a document must be searched like any other — a record of the person left unsearched
 * is a broken promise — on the main thread and by blocking reads (a search thread), and a change
 * to it must be written back compressed. A stranger's compressed metadata stays a stranger's; a
 * file that only begins like gzip is reported as not read, never passed over in silence.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, ScanReport, Subject } from "#app/sources/connector";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { readStoreDirectory } from "#app/sources/files.server";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-records-gzip-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const joerg: Subject = {
  names: [{ value: "Jörg Müller", proven: true }],
  postalAddresses: [{ value: "Rosmarinweg 12, 99089 Erfurt", proven: true }],
  emails: [{ value: "joerg@müller-bau.example", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
};

function metadata(id: string, sender: string, declared = "UTF-8"): string {
  return (
    `<?xml version="1.0" encoding="${declared}"?>\n` +
    `<vis:dokument xmlns:vis="urn:tlrz:viskompakt:metadaten:1" id="${id}">\n` +
    `  <vis:betreff>Antrag</vis:betreff>\n  <vis:eingangsdatum>2024-03-01T09:00:00Z</vis:eingangsdatum>\n` +
    `  <vis:absender>\n${sender}\n  </vis:absender>\n` +
    `  <vis:vorgang><vis:status>offen</vis:status></vis:vorgang>\n` +
    `  <vis:datei name="${id}.pdf"/>\n` +
    `</vis:dokument>\n`
  );
}

const JOERG =
  "    <vis:vorname>Jörg</vis:vorname>\n    <vis:nachname>Müller</vis:nachname>\n" +
  "    <vis:strasse>Rosmarinweg 12</vis:strasse>\n    <vis:postleitzahl>99089</vis:postleitzahl>\n" +
  "    <vis:ort>Erfurt</vis:ort>\n    <vis:email>joerg@müller-bau.example</vis:email>";
const STRANGER =
  "    <vis:vorname>Karin</vis:vorname>\n    <vis:nachname>Schulze</vis:nachname>\n" +
  "    <vis:strasse>Anger 3</vis:strasse>\n    <vis:postleitzahl>99084</vis:postleitzahl>\n" +
  "    <vis:ort>Erfurt</vis:ort>\n    <vis:email>k.schulze@example.org</vis:email>";
const PDF = Buffer.from("%PDF-1.4\n% scan\n%%EOF\n");

async function put(rel: string, content: string | Buffer): Promise<string> {
  const abs = join(root, rel);
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, content);
  return abs;
}

async function search(store: RecordsConnector): Promise<{ findings: Finding[]; report: ScanReport }> {
  let report: ScanReport | undefined;
  const findings: Finding[] = [];
  for await (const f of store.find(joerg, { onReport: (r) => (report = r) })) findings.push(f);
  return { findings, report: report! };
}

/** The landscape of each test: plain and compressed metadata of the person and of a stranger. */
async function exportWithCompressedMetadata(): Promise<void> {
  await put("2024/plain.xml", metadata("PLAIN", JOERG));
  await put("2024/packed.xml", gzipSync(metadata("PACKED", JOERG)));
  // Latin-1 inside the gzip: decoded by its declaration after gunzip.
  await put("2024/latin.xml", gzipSync(Buffer.from(metadata("LATIN", JOERG, "ISO-8859-1"), "latin1")));
  await put("2024/fremd.xml", gzipSync(metadata("FREMD", STRANGER)));
  // Only its first two bytes are gzip's.
  await put(
    "2024/kaputt.xml",
    Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(metadata("KAPUTT", JOERG))]),
  );
  for (const id of ["PLAIN", "PACKED", "LATIN", "FREMD", "KAPUTT"]) await put(`2024/${id}.pdf`, PDF);
}

describe("metadata gzip-compressed under an .xml name", () => {
  for (const blockingReads of [false, true]) {
    it(`is searched like plain metadata (${blockingReads ? "blocking reads, as on a search thread" : "fs/promises"}); a stranger's is not the person's`, async () => {
      await exportWithCompressedMetadata();
      const store = new RecordsConnector("vis", root, { blockingReads });
      try {
        const { findings, report } = await search(store);
        expect(findings.map((f) => f.ref).sort()).toEqual(["LATIN", "PACKED", "PLAIN"]);
        for (const f of findings)
          expect(f.content.absender).toMatchObject({
            vorname: "Jörg",
            nachname: "Müller",
            strasse: "Rosmarinweg 12",
          });
        expect(report.scanned).toBe(5);
        expect(report.findings).toBe(3);
        // The only file not searched is the one that merely begins like gzip, and it is said so.
        expect(report.problems).toEqual([
          {
            where: "2024/kaputt.xml",
            reason: "metadata not read: gzip-compressed, but cannot be uncompressed (Z_DATA_ERROR)",
            unsearched: true,
          },
        ]);
        expect(report.malformed).toBe(1);
      } finally {
        await store.close();
      }
    });
  }

  it("rectify writes it back compressed; inspect and a new search read the new values", async () => {
    const abs = await put("a/packed.xml", gzipSync(metadata("PACKED", JOERG)));
    await put("a/PACKED.pdf", PDF);
    const store = new RecordsConnector("vis", root);
    try {
      expect(await store.rectify("PACKED", { ort: "Weimar" })).toEqual({
        changed: 1,
        notFound: 0,
        skippedOnHold: 0,
        failures: [],
      });
      const stored = await readFile(abs);
      expect([stored[0], stored[1]]).toEqual([0x1f, 0x8b]);
      const text = gunzipSync(stored).toString("utf8");
      expect(text).toContain("<vis:ort>Weimar</vis:ort>");
      expect(text).toBe(
        metadata("PACKED", JOERG).replace("<vis:ort>Erfurt</vis:ort>", "<vis:ort>Weimar</vis:ort>"),
      );
      expect((await store.inspect(["PACKED"])).get("PACKED")).toMatchObject({
        state: "present",
        fields: { ort: "Weimar", strasse: "Rosmarinweg 12" },
      });
      expect(await store.erase(["PACKED"])).toMatchObject({ changed: 1, failures: [] });
      expect((await store.inspect(["PACKED"])).get("PACKED")).toEqual({
        state: "absent",
        held: false,
        holders: [],
      });
    } finally {
      await store.close();
    }
  });
});

describe("the listing without the gzip sniff", () => {
  it("lists files the caller tells by content with their name's compression; the others are still sniffed", async () => {
    await put("packed.xml", gzipSync("<x/>"));
    await put("scan.pdf", gzipSync("%PDF"));
    await put("access.log", gzipSync("line\n"));
    const recognise = () => true;
    const sniffed = await readStoreDirectory("vis", root, recognise);
    expect(Object.fromEntries(sniffed.files.map((f) => [f.rel, f.gz]))).toEqual({
      "access.log": true,
      "packed.xml": true,
      "scan.pdf": true,
    });
    const byContent = await readStoreDirectory("vis", root, recognise, {
      gzipByContent: (rel) => rel.endsWith(".xml") || rel.endsWith(".pdf"),
    });
    expect(Object.fromEntries(byContent.files.map((f) => [f.rel, f.gz]))).toEqual({
      "access.log": true,
      "packed.xml": false,
      "scan.pdf": false,
    });
    expect(byContent.problems).toEqual([]);
  });

  it("by blocking calls (a search thread) lists and reports exactly what the asynchronous listing does", async () => {
    const outside = await mkdtemp(join(tmpdir(), "rp-records-gzip-outside-"));
    try {
      await put("a/plain.xml", "<x/>");
      await put("a/packed.xml", gzipSync("<x/>"));
      await put("a/empty.xml", "");
      await put("a/b/scan.pdf", "%PDF");
      await put("a/old.xml.bz2", "BZh9");
      await put("a/liesmich.txt", "Export");
      await put("a/.lost.xml.tmp-999999-0abc1234", "<x/>");
      await put("a/.plain.xml.tmp-999999-0abc1234", "<x/>");
      await writeFile(join(outside, "out.xml"), "<x/>");
      await symlink(join(outside, "out.xml"), join(root, "a/out.xml"));
      await symlink(join(root, "a/plain.xml"), join(root, "a/inside.xml"));
      await symlink(join(root, "gone.xml"), join(root, "a/dangling.xml"));
      const recognise = (rel: string) => /\.(xml|pdf)(\.bz2)?$/.test(rel);
      for (const gzipByContent of [undefined, () => true]) {
        const asynchronous = await readStoreDirectory("vis", root, recognise, { gzipByContent });
        const blocking = await readStoreDirectory("vis", root, recognise, { gzipByContent, blocking: true });
        expect(blocking).toEqual(asynchronous);
        expect(asynchronous.files.map((f) => [f.rel, f.gz, f.size, f.orphanOf])).toEqual([
          ["a/.lost.xml.tmp-999999-0abc1234", false, 4, "a/lost.xml"],
          ["a/b/scan.pdf", false, 4, undefined],
          ["a/empty.xml", false, 0, undefined],
          ["a/packed.xml", !gzipByContent, 24, undefined],
          ["a/plain.xml", false, 4, undefined],
        ]);
        expect(asynchronous.problems.map((p) => [p.where, p.unsearched])).toEqual([
          ["a/dangling.xml", true],
          ["a/inside.xml", false],
          ["a/liesmich.txt", true],
          ["a/old.xml.bz2", true],
          ["a/out.xml", true],
          ["a/.lost.xml.tmp-999999-0abc1234", false],
          ["a/.plain.xml.tmp-999999-0abc1234", false],
        ]);
      }
      await expect(
        readStoreDirectory("vis", join(root, "nowhere"), recognise, { blocking: true }),
      ).rejects.toThrow(/cannot read the store directory .*nowhere \(ENOENT\)/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
