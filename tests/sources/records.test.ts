/**
 * The records-management connector on hand-made VISkompakt exports: declared encodings, character
 * references, CDATA, other namespace prefixes, documents whose id is not their file name; changes
 * confirmed by reading the store again (rectify in the file's own encoding and mode, erase resumed
 * after a killed run); unreadable metadata located, the rest still searched and changed.
 */
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, RecordState, ScanReport, Subject } from "#app/sources/connector";
import { RecordsConnector } from "#app/sources/connectors/records.server";

let root: string;
let store: RecordsConnector;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-records-"));
  store = new RecordsConnector("vis", root);
});

afterEach(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

const HOME = "Rosmarinweg 12, 99089 Erfurt";
const joerg: Subject = {
  names: [{ value: "Jörg Müller", proven: true }],
  postalAddresses: [{ value: HOME, proven: true }],
  emails: [{ value: "joerg@müller-bau.example", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
};

interface DocOptions {
  id: string;
  /** Namespace prefix without colon; "" for a default namespace. */
  prefix?: string;
  declared?: string | null;
  /** The sender element's inner XML, written with `{p}` for the prefix. */
  sender?: string;
  extra?: string;
  pdf?: string | null;
}

const JOERG_SENDER =
  "<{p}vorname>Jörg</{p}vorname><{p}nachname>Müller</{p}nachname><{p}strasse>Rosmarinweg 12</{p}strasse><{p}postleitzahl>99089</{p}postleitzahl><{p}ort>Erfurt</{p}ort>";

function metadata(o: DocOptions): string {
  const prefix = o.prefix ?? "vis";
  const p = prefix ? `${prefix}:` : "";
  const ns = prefix ? `xmlns:${prefix}` : "xmlns";
  const sender = (o.sender ?? JOERG_SENDER).replaceAll("{p}", p);
  const declaration =
    o.declared === null ? "" : `<?xml version="1.0" encoding="${o.declared ?? "UTF-8"}"?>\n`;
  return (
    `${declaration}<${p}dokument ${ns}="urn:tlrz:viskompakt:metadaten:1" id="${o.id}">\n` +
    `  <${p}betreff>Antrag</${p}betreff>\n  <${p}eingangsdatum>2024-03-01T09:00:00Z</${p}eingangsdatum>\n` +
    `  <${p}absender>\n    ${sender.replace(/></g, ">\n    <")}\n  </${p}absender>\n` +
    (o.extra ?? "").replaceAll("{p}", p) +
    `  <${p}vorgang><${p}status>offen</${p}status></${p}vorgang>\n` +
    (o.pdf === null ? "" : `  <${p}datei name="${o.pdf ?? `${o.id}.pdf`}"/>\n`) +
    `</${p}dokument>\n`
  );
}

async function put(rel: string, content: string | Buffer, mode?: number): Promise<string> {
  const abs = join(root, rel);
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, content);
  if (mode !== undefined) await chmod(abs, mode);
  return abs;
}

const PDF = Buffer.from("%PDF-1.4\n% scan\n%%EOF\n");

async function scan(subject: Subject = joerg): Promise<{ findings: Finding[]; report: ScanReport }> {
  let report: ScanReport | undefined;
  const findings: Finding[] = [];
  for await (const f of store.find(subject, { onReport: (r) => (report = r) })) findings.push(f);
  return { findings, report: report! };
}

const refs = (findings: Finding[]) => findings.map((f) => f.ref).sort();
const sender = (f: Finding) => f.content.absender as Record<string, string>;

async function state(ref: string): Promise<RecordState> {
  const states = await store.inspect([ref]);
  expect([...states.keys()]).toEqual([ref]);
  return states.get(ref)!;
}

describe("reading real exports", () => {
  it("decodes declared ISO-8859-1, windows-1252, UTF-8 with BOM, UTF-16 and undeclared Latin-1", async () => {
    await put("2024/a.xml", Buffer.from(metadata({ id: "A", declared: "ISO-8859-1" }), "latin1"));
    const euro = metadata({ id: "B", declared: "windows-1252" }).replace("Antrag", "Gebühr 25 €");
    await put("2024/b.xml", Buffer.from(euro.replace("€", "\x80"), "latin1"));
    await put(
      "2024/c.xml",
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(metadata({ id: "C" }).replace(/\n/g, "\r\n"), "utf8"),
      ]),
    );
    await put(
      "2024/d.xml",
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(metadata({ id: "D", declared: "UTF-16" }), "utf16le"),
      ]),
    );
    await put("2024/e.xml", Buffer.from(metadata({ id: "E", declared: null }), "latin1"));
    for (const id of "ABCDE") await put(`2024/${id}.pdf`, PDF);
    const { findings, report } = await scan();
    expect(refs(findings)).toEqual(["A", "B", "C", "D", "E"]);
    for (const f of findings) {
      expect(sender(f)).toMatchObject({ vorname: "Jörg", nachname: "Müller", strasse: "Rosmarinweg 12" });
      expect(f.unproven).toBe(false);
    }
    expect(findings.find((f) => f.ref === "B")!.content.betreff).toBe("Gebühr 25 €");
    // Undeclared bytes that are not UTF-8 are read as windows-1252, and staff are told where.
    expect(report.problems).toEqual([
      { where: "2024/e.xml", reason: "metadata is not valid UTF-8; read as windows-1252", unsearched: false },
    ]);
  });

  it("reads character references, CDATA, other prefixes and a default namespace", async () => {
    const refsSender =
      "<{p}vorname>J&#246;rg</{p}vorname><{p}nachname>M&#xFC;ller</{p}nachname><{p}strasse>Rosmarinweg&#32;12</{p}strasse><{p}postleitzahl>99089</{p}postleitzahl><{p}ort>Erfurt</{p}ort>";
    const cdataSender =
      "<{p}vorname><![CDATA[Jörg]]></{p}vorname><{p}nachname> <![CDATA[Mül]]>ler </{p}nachname><{p}strasse>Rosmarinweg 12</{p}strasse><{p}postleitzahl>99089</{p}postleitzahl><{p}ort>Erfurt</{p}ort>";
    await put(
      "r.xml",
      metadata({ id: "R", prefix: "v", sender: refsSender }).replace(
        "Antrag",
        "Auskunft &amp; L&ouml;schung &lt;dringend&gt;",
      ),
    );
    await put("c.xml", metadata({ id: "K", prefix: "dms", sender: cdataSender }));
    await put("n.xml", metadata({ id: "N", prefix: "" }));
    await put(
      "x.xml",
      `<?xml version="1.0"?>\n<!DOCTYPE dokument [ <!ENTITY x "y"> ]>\n<!-- Export -->\n${metadata({ id: "X", prefix: "ns0", declared: null })}`,
    );
    const { findings, report } = await scan();
    expect(refs(findings)).toEqual(["K", "N", "R", "X"]);
    for (const f of findings)
      expect(sender(f)).toMatchObject({ vorname: "Jörg", nachname: "Müller", strasse: "Rosmarinweg 12" });
    expect(findings.find((f) => f.ref === "R")!.content.betreff).toBe("Auskunft & Löschung <dringend>");
    expect(report.problems).toEqual([]);
  });

  it("names each of several senders and co-signers, and flags the others' data", async () => {
    const anna =
      "<{p}vorname>Anna</{p}vorname><{p}nachname>Müller</{p}nachname><{p}strasse>Rosmarinweg 12</{p}strasse><{p}postleitzahl>99089</{p}postleitzahl><{p}ort>Erfurt</{p}ort>";
    await put(
      "two.xml",
      metadata({ id: "TWO", sender: anna, extra: `  <{p}mitzeichner>${JOERG_SENDER}</{p}mitzeichner>\n` }),
    );
    await put(
      "persons.xml",
      metadata({
        id: "PERSONS",
        prefix: "",
        sender: `<person>${anna}</person><person>${JOERG_SENDER}</person>`,
      }),
    );
    await put("anna.xml", metadata({ id: "ANNA", sender: anna }));
    const { findings } = await scan();
    expect(refs(findings)).toEqual(["PERSONS", "TWO"]);
    for (const f of findings) {
      expect(f.flags).toContain("third-party-data");
      expect(sender(f).vorname).toBe("Jörg");
      expect((f.content.weitereAbsender as Record<string, string>[])[0]!.vorname).toBe("Anna");
    }
  });

  it("an outgoing reply names the person as its recipient; a whole name in one element counts at the address", async () => {
    const address =
      "<{p}strasse>Rosmarinweg 12</{p}strasse><{p}postleitzahl>99089</{p}postleitzahl><{p}ort>Erfurt</{p}ort>";
    const reply = metadata({ id: "REPLY", sender: "<{p}name>Landesrechenzentrum</{p}name>" }).replace(
      "</vis:absender>",
      `</vis:absender>\n  <vis:empfaenger><vis:name>Herrn Dr. Jörg Müller</vis:name>${address.replaceAll("{p}", "vis:")}</vis:empfaenger>`,
    );
    await put("reply.xml", reply);
    await put(
      "whole.xml",
      metadata({ id: "WHOLE", sender: `<{p}name>Jörg Peter Müller</{p}name>${address}` }),
    );
    await put("initials.xml", metadata({ id: "INITIALS", sender: `<{p}name>J. Müller</{p}name>${address}` }));
    await put("anna.xml", metadata({ id: "ANNA", sender: `<{p}name>Anna Müller</{p}name>${address}` }));
    const { findings } = await scan({ ...joerg, emails: [] });
    expect(findings.map((f) => [f.ref, f.role, f.unproven])).toEqual([
      ["REPLY", "recipient", false],
      ["WHOLE", "sender", false],
    ]);
    expect((findings[0]!.content.empfaenger as Record<string, string>).name).toBe("Herrn Dr. Jörg Müller");
    expect((await store.rectify("REPLY", { ort: "Jena" })).failures[0]!.reason).toMatch(/several persons/);
  });

  it("a namesake elsewhere, a relative at the address and a different date of birth are not the person", async () => {
    const gotha =
      "<{p}vorname>Jörg</{p}vorname><{p}nachname>Müller</{p}nachname><{p}strasse>Brühl 3</{p}strasse><{p}postleitzahl>99867</{p}postleitzahl><{p}ort>Gotha</{p}ort>";
    await put("gotha.xml", metadata({ id: "GOTHA", sender: gotha }));
    await put(
      "mail.xml",
      metadata({
        id: "MAIL",
        sender:
          "<{p}vorname>Jörg</{p}vorname><{p}nachname>Müller</{p}nachname><{p}email>j.mueller75@example.com</{p}email>",
      }),
    );
    await put(
      "born.xml",
      metadata({ id: "BORN", sender: `${JOERG_SENDER}<{p}geburtsdatum>05.05.1975</{p}geburtsdatum>` }),
    );
    await put(
      "gerda.xml",
      metadata({
        id: "GERDA",
        sender: JOERG_SENDER.replace("Jörg", "Gerda").replace(">Müller<", ">Schmidt-Müller<"),
      }),
    );
    await put("initial.xml", metadata({ id: "INITIAL", sender: JOERG_SENDER.replace("Jörg", "J.") }));
    await put(
      "alone.xml",
      metadata({ id: "ALONE", sender: "<{p}vorname>Jörg</{p}vorname><{p}nachname>Müller</{p}nachname>" }),
    );
    const { findings } = await scan({ ...joerg, birthDate: "1980-01-01" });
    // The initial at the address and the name alone are candidates for review, never proven.
    expect(refs(findings)).toEqual(["ALONE", "INITIAL"]);
    expect(findings.every((f) => f.unproven)).toBe(true);
    // The e-mail address proves a letter whatever name it is signed with.
    expect(
      refs((await scan({ ...joerg, emails: [{ value: "J.Mueller75@example.com", proven: true }] })).findings),
    ).toContain("MAIL");
  });

  it("a document is its @id, not its file name; a missing scan and a scan without metadata are told apart", async () => {
    await put("2023/05/scan_0042.xml", metadata({ id: "VIS-2023-000777", pdf: "scan_0042.pdf" }));
    await put("2023/05/scan_0042.pdf", PDF);
    await put("2023/lost.xml", metadata({ id: "VIS-2023-000778", pdf: "lost.pdf" }));
    await put("2023/VIS-2023-000779.pdf", PDF);
    const { findings, report } = await scan();
    expect(refs(findings)).toEqual(["VIS-2023-000777", "VIS-2023-000778"]);
    expect(findings.map((f) => [f.ref, f.content.pdfVorhanden, f.content.metadataFile])).toEqual([
      ["VIS-2023-000777", true, "2023/05/scan_0042.xml"],
      ["VIS-2023-000778", false, "2023/lost.xml"],
    ]);
    expect(report.problems).toEqual([
      {
        where: "2023/VIS-2023-000779.pdf",
        reason: "scan without a metadata file; not searched",
        unsearched: true,
      },
    ]);
  });
});

describe("what else exports do", () => {
  it("upper-case names, a scan in a sub-folder, the id as an element: found, erased with their scans", async () => {
    await put("2021/BRIEF_7.XML", metadata({ id: "UP", pdf: "BRIEF_7.pdf" }));
    await put("2021/BRIEF_7.PDF", PDF);
    await put("2021/meta/m1.xml", metadata({ id: "SUB", pdf: "../scans/m1.pdf" }));
    await put("2021/scans/m1.pdf", PDF);
    await put(
      "2021/e.xml",
      metadata({ id: "IGNORED", pdf: "../../../etc/passwd.pdf" })
        .replace(' id="IGNORED"', "")
        .replace("<vis:betreff>", "<vis:id>ELEMENT</vis:id><vis:betreff>"),
    );
    await put("2021/e.pdf", PDF);
    const { findings, report } = await scan();
    expect(findings.map((f) => [f.ref, f.content.pdfVorhanden]).sort()).toEqual([
      ["ELEMENT", true],
      ["SUB", true],
      ["UP", true],
    ]);
    expect(report.problems).toEqual([]);
    expect((await store.erase(["UP", "SUB", "ELEMENT"])).changed).toBe(3);
    expect(await readdir(join(root, "2021"), { recursive: true })).toEqual(
      expect.arrayContaining(["meta", "scans"]),
    );
    expect(
      (await readdir(join(root, "2021"), { recursive: true })).filter((n) => /\.(pdf|xml)$/i.test(n)),
    ).toEqual([]);
  });

  it("never deletes a scan behind a link out of the store", async () => {
    const outside = await mkdtemp(join(tmpdir(), "rp-records-outside-"));
    try {
      await writeFile(join(outside, "x.pdf"), PDF);
      await symlink(outside, join(root, "linked"));
      await put("l.xml", metadata({ id: "LINKED", pdf: "linked/x.pdf" }));
      const { findings, report } = await scan();
      expect(findings.map((f) => [f.ref, f.content.pdfVorhanden])).toEqual([["LINKED", false]]);
      expect(report.problems).toEqual([expect.objectContaining({ where: "linked", unsearched: true })]);
      expect((await store.erase(["LINKED"])).changed).toBe(1);
      expect(await readFile(join(outside, "x.pdf"))).toEqual(PDF);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("sweeps by a German closure date and keeps a document whose date cannot be read", async () => {
    const closed = (id: string, date: string) =>
      metadata({ id }).replace(
        "<vis:status>offen</vis:status>",
        `<vis:status>abgeschlossen</vis:status><vis:abschlussdatum>${date}</vis:abschlussdatum><vis:archivangebot>transferred</vis:archivangebot>`,
      );
    await put("old.xml", closed("OLD", "31.12.2014"));
    await put("new.xml", closed("NEW", "01.02.2025"));
    await put("bad.xml", closed("BAD", "31.02.2014"));
    const tenYears = {
      isExpired: (start: Date, now: Date) => now.getTime() - start.getTime() > 10 * 365.25 * 86_400_000,
    };
    const result = await store.sweep(new Date("2025-06-01T00:00:00Z"), tenYears);
    expect(result).toMatchObject({ deleted: 1, malformed: 1, skippedPendingArchive: 0 });
    expect(result.oldestAffected).toEqual(new Date("2014-12-30T23:00:00Z"));
    expect((await store.inspect(["OLD", "NEW", "BAD"])).get("OLD")).toEqual({
      state: "absent",
      held: false,
      holders: [],
    });
  });
});

describe("changes confirmed by the store", () => {
  it("rectify rewrites the element whatever its prefix or CDATA, in ISO-8859-1, keeping mode 0640; inspect shows the new values", async () => {
    const cdata =
      "<{p}vorname>Jörg</{p}vorname><{p}nachname><![CDATA[Müller]]></{p}nachname><{p}strasse>Rosmarinweg 12</{p}strasse><{p}postleitzahl>99089</{p}postleitzahl><{p}ort>Erfurt</{p}ort><{p}email/>";
    const original = Buffer.from(
      metadata({ id: "VIS-1", prefix: "v", declared: "ISO-8859-1", sender: cdata }),
      "latin1",
    );
    const abs = await put("2024/eingang-17.xml", original, 0o640);
    const result = await store.rectify("VIS-1", {
      nachname: "Müller-Łęcka",
      ort: "Weimar",
      email: "neu@example.org",
      telefon: "0361 123",
    });
    expect(result).toEqual({ changed: 1, notFound: 0, skippedOnHold: 0, failures: [] });
    expect((await stat(abs)).mode & 0o777).toBe(0o640);
    const bytes = await readFile(abs);
    const text = bytes.toString("latin1");
    // Still ISO-8859-1: "ü" one byte, the letters Latin-1 lacks as character references; the prefix kept, the new element in it.
    expect(text).toContain("<v:nachname>M\xfcller-&#x141;&#x119;cka</v:nachname>");
    expect(text).toContain("<v:ort>Weimar</v:ort>");
    expect(text).toContain("<v:email>neu@example.org</v:email>");
    expect(text).toMatch(/\n {4}<v:telefon>0361 123<\/v:telefon>\n {2}<\/v:absender>/);
    expect(bytes.includes(Buffer.from("ü", "utf8"))).toBe(false);
    // Everything outside the sender is byte for byte what it was.
    const outside = (b: Buffer) => b.toString("latin1").replace(/<v:absender>[\s\S]*<\/v:absender>/, "");
    expect(outside(bytes)).toBe(outside(original));
    const after = await state("VIS-1");
    expect(after).toEqual({
      state: "present",
      held: false,
      holders: [],
      fields: {
        vorname: "Jörg",
        nachname: "Müller-Łęcka",
        strasse: "Rosmarinweg 12",
        postleitzahl: "99089",
        ort: "Weimar",
        email: "neu@example.org",
        telefon: "0361 123",
      },
    });
    // A repeat changes nothing and writes nothing.
    const mtime = (await stat(abs)).mtimeMs;
    expect(await store.rectify("VIS-1", { ort: "Weimar" })).toEqual({
      changed: 0,
      notFound: 0,
      skippedOnHold: 0,
      failures: [],
    });
    expect((await stat(abs)).mtimeMs).toBe(mtime);
  });

  it("rectify finds the document by its id in a default namespace and UTF-8 with BOM and CRLF", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const abs = await put(
      "x/17.xml",
      Buffer.concat([bom, Buffer.from(metadata({ id: "VIS-2", prefix: "" }).replace(/\n/g, "\r\n"))]),
    );
    expect((await store.rectify("VIS-2", { strasse: "Anger 1" })).changed).toBe(1);
    const bytes = await readFile(abs);
    expect(bytes.subarray(0, 3)).toEqual(bom);
    expect(bytes.toString("utf8")).toContain("<strasse>Anger 1</strasse>\r\n");
    expect(await state("VIS-2")).toMatchObject({
      state: "present",
      fields: { strasse: "Anger 1", ort: "Erfurt" },
    });
  });

  it("a field that cannot be changed is a failure with its reason, and nothing is written", async () => {
    const two = metadata({ id: "TWO", extra: `  <{p}mitzeichner>${JOERG_SENDER}</{p}mitzeichner>\n` });
    const twice = metadata({ id: "TWICE", sender: `${JOERG_SENDER}<{p}ort>Weimar</{p}ort>` });
    const empty = metadata({ id: "EMPTY" }).replace(
      /<vis:absender>[\s\S]*<\/vis:absender>/,
      "<vis:absender/>",
    );
    for (const [name, xml] of [
      ["two", two],
      ["twice", twice],
      ["empty", empty],
    ] as const)
      await put(`${name}.xml`, xml);
    const before = await Promise.all(["two", "twice", "empty"].map((n) => readFile(join(root, `${n}.xml`))));
    const two1 = await store.rectify("TWO", { ort: "Jena" });
    expect(two1.changed).toBe(0);
    expect(two1.failures).toEqual([
      { ref: "TWO", reason: expect.stringMatching(/^two\.xml: .*several persons/) },
    ]);
    expect((await store.rectify("TWICE", { ort: "Jena", strasse: "Markt 1" })).failures[0]!.reason).toMatch(
      /ort more than once/,
    );
    expect((await store.rectify("EMPTY", { ort: "Jena" })).failures[0]!.reason).toMatch(
      /ort is missing and the person's element is empty/,
    );
    expect((await store.rectify("TWICE", { vorname: "Jörg\u0001" })).failures[0]!.reason).toMatch(
      /characters XML cannot hold/,
    );
    const after = await Promise.all(["two", "twice", "empty"].map((n) => readFile(join(root, `${n}.xml`))));
    expect(after).toEqual(before);
    expect(await store.rectify("NONE", { ort: "Jena" })).toEqual({
      changed: 0,
      notFound: 1,
      skippedOnHold: 0,
      failures: [],
    });
    await expect(store.rectify("TWO", { betreff: "x" })).rejects.toThrow(/not possible/);
  });

  it("erase removes scan and metadata found by id; a killed erase (scan gone, metadata left) is found and finished", async () => {
    await put("2022/scan_1.xml", metadata({ id: "VIS-9", pdf: "scan_1.pdf" }));
    await put("2022/scan_1.pdf", PDF);
    await put("2022/other.xml", metadata({ id: "VIS-10" }));
    await put("2022/VIS-10.pdf", PDF);
    // An erase killed after the scan went: the metadata is still there and the record still found.
    await unlink(join(root, "2022/scan_1.pdf"));
    expect(refs((await scan()).findings)).toEqual(["VIS-10", "VIS-9"]);
    expect((await state("VIS-9")).state).toBe("present");
    expect(await store.erase(["VIS-9"])).toEqual({ changed: 1, notFound: 0, skippedOnHold: 0, failures: [] });
    expect(await state("VIS-9")).toEqual({ state: "absent", held: false, holders: [] });
    expect(await readdir(join(root, "2022"))).toEqual(["VIS-10.pdf", "other.xml"]);
    expect(await store.erase(["VIS-9", "VIS-10"])).toEqual({
      changed: 1,
      notFound: 1,
      skippedOnHold: 0,
      failures: [],
    });
    expect(await readdir(join(root, "2022"))).toEqual([]);
    expect((await scan()).findings).toEqual([]);
  });

  it("a held document is neither erased nor swept; a hold is set only on a document the store has", async () => {
    await put(
      "h.xml",
      metadata({ id: "HELD" }).replace(
        "<vis:status>offen</vis:status>",
        "<vis:status>abgeschlossen</vis:status><vis:abschlussdatum>2010-01-01</vis:abschlussdatum><vis:archivangebot>not-archival</vis:archivangebot>",
      ),
    );
    expect(await store.restrict(["HELD", "GONE"], true, "case-1")).toEqual({
      changed: 1,
      notFound: 1,
      skippedOnHold: 0,
      failures: [],
    });
    expect(await state("HELD")).toMatchObject({ state: "present", held: true, holders: ["case-1"] });
    expect(await store.restrict(["HELD"], true, "case-1")).toEqual({
      changed: 0,
      notFound: 0,
      skippedOnHold: 0,
      failures: [],
    });
    expect((await store.erase(["HELD"])).skippedOnHold).toBe(1);
    const expired = { isExpired: () => true };
    expect((await store.sweep(new Date("2025-01-01"), expired)).skippedOnHold).toBe(1);
    await store.restrict(["HELD"], false, "case-1");
    expect((await store.sweep(new Date("2025-01-01"), expired)).deleted).toBe(1);
    expect(await state("HELD")).toEqual({ state: "absent", held: false, holders: [] });
  });
});

describe("problems located, never content", () => {
  it("an unparseable or undecodable metadata file is reported with its path and line; the rest is searched and changed", async () => {
    await put("2024/ok.xml", metadata({ id: "OK" }));
    await put("2024/broken.xml", metadata({ id: "BROKEN" }).replace("</vis:nachname>", "</vis:name>"));
    await put("2024/cut.xml", metadata({ id: "CUT" }).slice(0, 300));
    await put("2024/utf16.xml", metadata({ id: "U16", declared: "UTF-16" }));
    await put("2024/sjis.xml", metadata({ id: "SJ", declared: "Shift_JIS" }));
    await put("2024/bad-ref.xml", metadata({ id: "BADREF" }).replace("Antrag", "&#0;"));
    await put("2024/no-id.xml", metadata({ id: "" }));
    const { findings, report } = await scan();
    expect(refs(findings)).toEqual(["OK"]);
    const unsearched = Object.fromEntries(
      report.problems
        .filter((p) => p.unsearched && p.where.endsWith(".xml"))
        .map((p) => [p.where, [p.line, p.reason]]),
    );
    expect(unsearched).toEqual({
      "2024/broken.xml": [7, "metadata not read: end tag does not match its start tag"],
      "2024/cut.xml": [expect.any(Number), "metadata not read: the file ends inside an element"],
      "2024/utf16.xml": [1, "metadata not read: UTF-16 declared, but the file is not UTF-16"],
      "2024/sjis.xml": [1, 'metadata not read: encoding "shift_jis" is not supported'],
      "2024/bad-ref.xml": [3, "metadata not read: invalid character reference"],
      "2024/no-id.xml": [undefined, "metadata not read: document metadata without an id"],
    });
    expect(report.malformed).toBe(6);
    expect(JSON.stringify(report.problems)).not.toMatch(/Müller|Rosmarinweg|Antrag/);
  });

  it("with unreadable metadata, a reference not found is unknown, never absent; the others are still changed", async () => {
    await put("ok.xml", metadata({ id: "OK" }));
    await put("ok.pdf", PDF);
    await put("broken.xml", "<vis:dokument");
    const result = await store.erase(["OK", "MAYBE"]);
    expect(result.changed).toBe(1);
    expect(result.notFound).toBe(0);
    expect(result.failures).toEqual([
      { ref: "MAYBE", reason: expect.stringContaining("could not be read (broken.xml)") },
    ]);
    expect(await state("MAYBE")).toEqual({ state: "unknown", reason: expect.stringContaining("broken.xml") });
    expect(await state("OK")).toEqual({ state: "unknown", reason: expect.any(String) });
    expect((await store.rectify("MAYBE", { ort: "Jena" })).failures).toHaveLength(1);
  });

  it("metadata cut off after its start tag holds up only its own id; a stray text file none", async () => {
    await put("ok.xml", metadata({ id: "OK" }));
    await put("cut.xml", metadata({ id: "CUT" }).slice(0, 200));
    await put("liesmich.txt", "Export vom 3. März");
    const { report } = await scan();
    expect(report.problems.map((p) => p.where).sort()).toEqual(["cut.xml", "liesmich.txt"]);
    expect(await store.erase(["OK", "GONE"])).toEqual({
      changed: 1,
      notFound: 1,
      skippedOnHold: 0,
      failures: [],
    });
    const states = await store.inspect(["OK", "GONE", "CUT"]);
    expect(states.get("OK")).toEqual({ state: "absent", held: false, holders: [] });
    expect(states.get("CUT")).toEqual({ state: "unknown", reason: expect.stringContaining("(cut.xml)") });
    expect((await store.erase(["CUT"])).failures).toEqual([
      { ref: "CUT", reason: expect.stringContaining("cut.xml") },
    ]);
  });

  it("a leftover of an interrupted rewrite is reported and removed by the next rewrite", async () => {
    const abs = await put("a.xml", metadata({ id: "A" }));
    const leftover = await put(".a.xml.tmp-999999-deadbeef", "<vis:dokument");
    const { report } = await scan();
    expect(report.problems).toContainEqual(
      expect.objectContaining({ where: ".a.xml.tmp-999999-deadbeef", unsearched: false }),
    );
    expect((await store.rectify("A", { ort: "Jena" })).changed).toBe(1);
    await expect(stat(leftover)).rejects.toThrow(/ENOENT/);
    expect((await readFile(abs, "utf8")).includes("<vis:ort>Jena</vis:ort>")).toBe(true);
  });

  it("check says whether the store can be read, and never throws", async () => {
    await put("a.xml", metadata({ id: "A" }));
    await put("a.pdf", PDF);
    expect(await store.check()).toEqual({ ok: true, detail: "1 metadata files, 1 scans" });
    const missing = new RecordsConnector("gone", join(root, "nope"));
    expect(await missing.check()).toEqual({ ok: false, reason: expect.stringMatching(/gone.*ENOENT/) });
    await put(".legal-hold.json", "{ broken");
    expect((await store.check()).ok).toBe(false);
  });
});
