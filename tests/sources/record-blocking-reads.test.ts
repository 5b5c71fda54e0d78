/**
 * The Maildir mailbox and the records management read their files by blocking calls on a search
 * thread and through fs/promises on the main thread (app/sources/record-files.server.ts, ADR 0021).
 * Both must read the same bytes, so each store is searched both ways here and must give the same
 * findings and the same report — and exactly the person's records: messages whose header block
 * ends just before, across or after the first read of 16 KiB or a later one of 64 KiB, a header
 * block without a body, a gzip-compressed message, encoded words (B split across two words, Q,
 * Latin-1), a bounce whose recipient is only in its body; documents with character references
 * (decimal, hex, named), CDATA splitting the name, a comment inside it, ISO-8859-1 and UTF-16. The
 * strangers' records come close: the person's address only in a quoted-printable body, a base64
 * attachment or an HTML entity of the body (a message is the person's by its party headers, ADR
 * 0010), an address the person's is a prefix of, a namesake. A blocking pass must also let the
 * event loop run between its units (a timer set at the start fires before the pass ends).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { b64, testMessage as message } from "../support/mail-messages";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-record-blocking-"));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function search(
  connector: SourceConnector,
  subject: Subject,
  onProgress?: (scanned: number) => void,
): Promise<{ refs: string[]; findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | null = null;
  for await (const finding of connector.find(subject, {
    onReport: (r) => (report = r),
    onProgress: (p) => onProgress?.(p.scanned),
  }))
    findings.push(finding);
  return { refs: findings.map((f) => f.ref).sort(), findings, report: report! };
}

const max: Subject = {
  emails: [{ value: "max.mustermann@example.org", proven: true }],
  names: [{ value: "Max Mustermann" }],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
};

/** A header block padded with X-Pad lines so that its blank line starts `offset` bytes into the file. */
function paddedTo(offset: number, party: string): Buffer {
  const tail = `${party}\r\nSubject: Anfrage\r\nDate: Mon, 4 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n`;
  // The blank line starts at the block's last CRLF: the pad lines take what the tail leaves.
  let pad = offset + 2 - Buffer.byteLength(tail);
  const lines: string[] = [];
  while (pad > 0) {
    // "X-Pad: " and CRLF are 9 bytes; no line shorter than 10 bytes is left for the last.
    const length = pad > 1800 ? 900 : pad > 900 ? Math.ceil(pad / 2) : pad;
    lines.push(`X-Pad: ${"a".repeat(length - 9)}\r\n`);
    pad -= length;
  }
  return Buffer.concat([Buffer.from(`${lines.join("")}${tail}`), Buffer.from("\r\nGuten Tag.\r\n")]);
}

const MAX_MESSAGES: Record<string, Buffer> = {
  plain: message("From: Max Mustermann <max.mustermann@example.org>"),
  encodedB: message(`From: =?UTF-8?B?${b64("max.mustermann@example.org")}?=`),
  encodedSplit: message(`From: =?UTF-8?B?${b64("max.muste")}?=\r\n =?UTF-8?B?${b64("rmann@example.org")}?=`),
  encodedQ: message("From: =?UTF-8?Q?max=2Emustermann=40example=2Eorg?="),
  encodedLatin1Name: message("From: =?ISO-8859-1?Q?M=E4x_M=FCstermann?= <max.mustermann@example.org>"),
  bounce: message(
    'From: MAILER-DAEMON@amt.example\r\nTo: poststelle@amt.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
    "\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org\r\nAction: failed\r\n--b--\r\n",
  ),
  headersOnly: Buffer.from("From: max.mustermann@example.org\r\nSubject: ohne Text"),
  // The blank line ending the headers just before, across and after the first read (16 KiB).
  beforeFirstRead: paddedTo(16 * 1024 - 8, "To: max.mustermann@example.org"),
  acrossFirstRead: paddedTo(16 * 1024 - 2, "To: max.mustermann@example.org"),
  afterFirstRead: paddedTo(16 * 1024 + 3, "To: max.mustermann@example.org"),
  // … and across the second read (16 + 64 KiB), the address at the end.
  acrossSecondRead: paddedTo(80 * 1024 - 1, "Cc: max.mustermann@example.org"),
};

const MAX_GZIPPED = gzipSync(paddedTo(20 * 1024, "From: Max <max.mustermann@example.org>"));

const OTHER_MESSAGES: Record<string, Buffer> = {
  prefixOfAddress: message("From: Maxi <maxi.mustermann@example.org>"),
  nameOnly: message("From: Max Mustermann <m.mustermann@other.example>"),
  bodyQuotedPrintable: message(
    "From: jemand@amt.example",
    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBitte an max.muster=\r\nmann=40example.org\r\n",
  ),
  bodyBase64AndEntity: message(
    'From: jemand@amt.example\r\nContent-Type: multipart/mixed; boundary="m"',
    `\r\n--m\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>max.mustermann&#64;example.org</p>\r\n--m\r\nContent-Type: text/plain; name="a.txt"\r\nContent-Disposition: attachment; filename="a.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64("max.mustermann@example.org")}\r\n--m--\r\n`,
  ),
  strangerPadded: paddedTo(16 * 1024 - 2, "To: maxi.mustermann@example.org"),
};

/** Messages of nobody in particular, so that a pass has several units of 64. */
const FILLERS = 150;

describe("Maildir: blocking reads and reads through fs/promises give the same", () => {
  let dir: string;
  const expected = [...Object.keys(MAX_MESSAGES).map((name) => `INBOX/${name}`), "INBOX/zz-gzipped"].sort();

  beforeAll(async () => {
    dir = join(root, "maildir");
    await mkdir(join(dir, "cur"), { recursive: true });
    await mkdir(join(dir, "new"), { recursive: true });
    for (const [name, bytes] of Object.entries({ ...MAX_MESSAGES, ...OTHER_MESSAGES }))
      await writeFile(join(dir, "cur", `${name}:2,S`), bytes);
    await writeFile(join(dir, "new", "zz-gzipped"), MAX_GZIPPED);
    for (let i = 0; i < FILLERS; i++)
      await writeFile(
        join(dir, "new", `filler-${String(i).padStart(3, "0")}`),
        message(`From: buerger${i}@example.net\r\nTo: poststelle@amt.example`),
      );
  });

  it("the fixtures' header blocks end where they claim", () => {
    const blank = (bytes: Buffer) => bytes.indexOf("\r\n\r\n");
    expect(blank(MAX_MESSAGES.beforeFirstRead!)).toBe(16 * 1024 - 8);
    expect(blank(MAX_MESSAGES.acrossFirstRead!)).toBe(16 * 1024 - 2);
    expect(blank(MAX_MESSAGES.afterFirstRead!)).toBe(16 * 1024 + 3);
    expect(blank(MAX_MESSAGES.acrossSecondRead!)).toBe(80 * 1024 - 1);
  });

  it("finds exactly the person's messages either way, with the same findings and report", async () => {
    const blocking = await search(new MaildirConnector("mail", dir, { blockingReads: true }), max);
    const promised = await search(new MaildirConnector("mail", dir, { blockingReads: false }), max);
    expect(blocking.refs).toEqual(expected);
    expect(blocking.report.problems).toEqual([]);
    expect(blocking.report.scanned).toBe(
      Object.keys({ ...MAX_MESSAGES, ...OTHER_MESSAGES }).length + 1 + FILLERS,
    );
    expect(blocking.findings).toEqual(promised.findings);
    expect(blocking.report).toEqual(promised.report);
  });

  it("searches started together share the pass the same way either way", async () => {
    const maxi: Subject = { ...max, emails: [{ value: "maxi.mustermann@example.org", proven: true }] };
    for (const blockingReads of [true, false]) {
      const mailbox = new MaildirConnector("mail", dir, { blockingReads });
      const [a, b] = await Promise.all([search(mailbox, max), search(mailbox, maxi)]);
      expect(a.refs).toEqual(expected);
      expect(b.refs).toEqual(["INBOX/prefixOfAddress", "INBOX/strangerPadded"]);
    }
  });

  it("a blocking pass lets the event loop run between its units", async () => {
    let scannedWhenTimerRan: number | null = null;
    let scanned = 0;
    // The timer is set once the reading has begun (the listing before it waits on the disk anyway).
    // Only messages of others, none compressed: nothing in the pass waits on the thread pool.
    const fillers = join(root, "maildir-fillers");
    await mkdir(join(fillers, "cur"), { recursive: true });
    for (let i = 0; i < FILLERS; i++)
      await writeFile(
        join(fillers, "cur", `filler-${String(i).padStart(3, "0")}:2,S`),
        message(`From: buerger${i}@example.net\r\nTo: poststelle@amt.example`),
      );
    const { report } = await search(
      new MaildirConnector("mail", fillers, { blockingReads: true }),
      max,
      (n) => {
        scanned = n;
        if (n === 1) setTimeout(() => (scannedWhenTimerRan = scanned), 0);
      },
    );
    expect(scannedWhenTimerRan).not.toBeNull();
    expect(scannedWhenTimerRan!).toBeLessThan(report.scanned);
  });
});

// ---------------------------------------------------------------------------------------------
// Records management

const joerg: Subject = {
  names: [{ value: "Jörg Müller", proven: true }],
  postalAddresses: [{ value: "Anger 1, 99084 Erfurt", proven: true }],
  emails: [{ value: "joerg.mueller@example.org", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
};

function metadata(
  id: string,
  sender: string,
  encoding: "utf-8" | "iso-8859-1" | "utf-16le" = "utf-8",
): Buffer {
  const text = `<?xml version="1.0" encoding="${encoding.toUpperCase()}"?>
<vis:dokument xmlns:vis="urn:tlrz:viskompakt:metadaten:1" id="${id}">
  <vis:aktenzeichen>31-1/2024</vis:aktenzeichen>
  <vis:betreff>Anfrage zur Straßenreinigung</vis:betreff>
  <vis:eingangsdatum>2024-03-04</vis:eingangsdatum>
  <vis:absender>${sender}</vis:absender>
  <vis:vorgang><vis:status>offen</vis:status></vis:vorgang>
</vis:dokument>
`;
  if (encoding === "utf-16le") return Buffer.from(`\ufeff${text}`, "utf16le");
  return Buffer.from(text, encoding === "utf-8" ? "utf8" : "latin1");
}

const el = (name: string, value: string) => `<vis:${name}>${value}</vis:${name}>`;
const person = (first: string, last: string) => `${el("vorname", first)}${el("nachname", last)}`;

const JOERG_DOCS: Record<string, Buffer> = {
  plain: metadata("J-PLAIN", person("Jörg", "Müller")),
  decimalRef: metadata("J-DEC", person("J&#246;rg", "M&#252;ller")),
  hexRef: metadata("J-HEX", person("J&#xF6;rg", "M&#xFC;ller")),
  namedRef: metadata("J-NAMED", person("J&ouml;rg", "M&uuml;ller")),
  cdataSplit: metadata("J-CDSPLIT", person("Jörg", "M<![CDATA[ü]]>ller")),
  commentInside: metadata("J-COMMENT", person("Jörg", "Mü<!-- geprüft -->ller")),
  latin1: metadata("J-LATIN1", person("Jörg", "Müller"), "iso-8859-1"),
  utf16le: metadata("J-UTF16LE", person("Jörg", "Müller"), "utf-16le"),
  emailRef: metadata("J-MAIL", el("email", "joerg.mueller&#64;example.org")),
};

const OTHER_DOCS: Record<string, Buffer> = {
  muller: metadata("O-MULLER", person("Jörg", "Muller")),
  muellerei: metadata("O-MUELLEREI", person("Jörg", "Müllerei")),
  cut: Buffer.from(`<vis:dokument xmlns:vis="urn:x" id="O-CUT"><vis:absender><vis:vorname>Kar`),
};

describe("records management: blocking reads and reads through fs/promises give the same", () => {
  let dir: string;

  beforeAll(async () => {
    dir = join(root, "viskompakt");
    await mkdir(join(dir, "2024"), { recursive: true });
    for (const [name, bytes] of Object.entries({ ...JOERG_DOCS, ...OTHER_DOCS })) {
      await writeFile(join(dir, "2024", `${name}.xml`), bytes);
      await writeFile(join(dir, "2024", `${name}.pdf`), "%PDF-1.4\n%%EOF\n");
    }
    for (let i = 0; i < FILLERS; i++) {
      const name = `filler-${String(i).padStart(3, "0")}`;
      await writeFile(join(dir, "2024", `${name}.xml`), metadata(`F-${i}`, person("Karl", `Berg${i}`)));
      await writeFile(join(dir, "2024", `${name}.pdf`), "%PDF-1.4\n%%EOF\n");
    }
  });

  it("finds exactly the person's documents either way, with the same findings and report", async () => {
    const blocking = await search(new RecordsConnector("vis", dir, { blockingReads: true }), joerg);
    const promised = await search(new RecordsConnector("vis", dir, { blockingReads: false }), joerg);
    expect(blocking.refs).toEqual(
      [
        "J-PLAIN",
        "J-DEC",
        "J-HEX",
        "J-NAMED",
        "J-CDSPLIT",
        "J-COMMENT",
        "J-LATIN1",
        "J-UTF16LE",
        "J-MAIL",
      ].sort(),
    );
    // The cut-off file is reported, to this search too.
    expect(blocking.report.problems.map((p) => p.where)).toEqual(["2024/cut.xml"]);
    expect(blocking.findings).toEqual(promised.findings);
    expect(blocking.report).toEqual(promised.report);
  });

  it("a blocking pass lets the event loop run between its units", async () => {
    let scannedWhenTimerRan: number | null = null;
    let scanned = 0;
    // The timer is set once the reading has begun (the listing before it waits on the disk anyway).
    const { report } = await search(new RecordsConnector("vis", dir, { blockingReads: true }), joerg, (n) => {
      scanned = n;
      if (n === 1) setTimeout(() => (scannedWhenTimerRan = scanned), 0);
    });
    expect(scannedWhenTimerRan).not.toBeNull();
    expect(scannedWhenTimerRan!).toBeLessThan(report.scanned);
  });
});
