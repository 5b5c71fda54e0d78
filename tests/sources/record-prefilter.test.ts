/**
 * The search before parsing of mailboxes and of the records management (app/sources/record-prefilter.ts,
 * issue 17 point 3): a message or a document is skipped unparsed only when it cannot be the
 * person's. Each store gets the person's records in every form the connector reads — for mail:
 * capitals, "+tag", Gmail dots and googlemail.com, MIME encoded words (B and Q, one address split
 * across two words, a base64 word folded inside, UTF-8 and ISO-8859-1), folded headers, comments, spaces around "@", a quoted
 * local part, punycode and Unicode domains in UTF-8 and Latin-1 bytes, Received "for", a bounce,
 * a fax sender (in three notations, one on a folded line), a gzip-compressed message, an address at the end of a 70 KiB header; for documents:
 * transliteration (Mueller), capitals, character references (decimal, hex, named), CDATA (whole
 * and splitting the name), a comment inside the name, ISO-8859-1, undeclared windows-1252,
 * UTF-16 LE and BE, a decomposed umlaut, "Last, First" in one element, the address in capitals
 * and as a percent-escaped mailto:, the number in another notation — and strangers whose records
 * come close (a prefix of the address, Muller, Müllerei, a namesake's display name). Every one of
 * the person's must be found and none of theirs: a prefilter that drops a form fails here. Each
 * person's record is also checked to be found by the parser alone, so the forms are real ones.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import {
  headerBlockEnd,
  isDeliveryReport,
  matchDeliveryReport,
  matchHeaders,
  parseHeaderBlock,
  parseMessageBody,
} from "#app/sources/connectors/mail-message.server";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { headerMayConcern, headerViewOfBlock, recordKeys } from "#app/sources/record-prefilter";
import { compileSubject } from "#app/sources/subject";
import { b64, testMessage as message } from "../support/mail-messages";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-record-prefilter-"));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function search(
  connector: SourceConnector,
  subject: Subject,
): Promise<{ refs: string[]; findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | null = null;
  for await (const finding of connector.find(subject, { onReport: (r) => (report = r) }))
    findings.push(finding);
  return { refs: findings.map((f) => f.ref).sort(), findings, report: report! };
}

// ---------------------------------------------------------------------------------------------
// Mail

const max: Subject = {
  emails: [
    { value: "max.mustermann@example.org", proven: true },
    { value: "maxmustermann@gmail.com", proven: true },
    { value: "jörg@müller-bau.example", proven: true },
  ],
  names: [{ value: "Max Mustermann" }],
  phones: [{ value: "0361 9876543", proven: true }],
  userNames: [],
  ips: [],
  postalAddresses: [],
};

const stranger: Subject = {
  emails: [{ value: "maxi.mustermann@example.org", proven: true }],
  names: [{ value: "Maxi Mustermann" }],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
};

const MAX_MESSAGES: Record<string, Buffer> = {
  plain: message("From: Max Mustermann <max.mustermann@example.org>\r\nTo: poststelle@amt.example"),
  capitals: message("From: poststelle@amt.example\r\nTO: MAX.MUSTERMANN@EXAMPLE.ORG"),
  tag: message("From: Max <Max.Mustermann+Portal@example.org>"),
  gmail: message("From: M <Max.Muster.Mann+x@googlemail.com>"),
  encodedB: message(`From: =?UTF-8?B?${b64("max.mustermann@example.org")}?=`),
  encodedQ: message("From: =?UTF-8?Q?max=2Emustermann=40example=2Eorg?="),
  encodedSplit: message(`From: =?UTF-8?B?${b64("max.muste")}?=\r\n =?UTF-8?B?${b64("rmann@example.org")}?=`),
  encodedFoldedInside: message(
    `From: =?UTF-8?B?${b64("max.mustermann@example.org").slice(0, 12)}\r\n ${b64("max.mustermann@example.org").slice(12)}?=`,
  ),
  encodedLatin1: message("Reply-To: =?ISO-8859-1?Q?J=D6RG=40m=FCller-bau=2Eexample?="),
  encodedAddrSpec: message("From: Max <=?UTF-8?Q?max.mustermann?=@example.org>"),
  folded: message("To: poststelle@amt.example,\r\n\tmax.mustermann@example.org"),
  foldedAt: message("Cc: max.mustermann\r\n @example.org"),
  spacesAt: message("Cc: max.mustermann @ example.org"),
  comment: message("Bcc: max.mustermann(privat)@example.org"),
  quotedLocal: message('To: "max.mustermann"@example.org'),
  punycode: message("To: JÖRG@xn--mller-bau-q9a.example"),
  latin1Bytes: message(Buffer.from("To: J\xd6RG@M\xdcLLER-bau.example", "latin1")),
  received: message(
    "Received: from mx.example by mail.amt.example with ESMTP id 4711\r\n\tfor <max.mustermann@example.org>; Mon, 4 Mar 2024 10:00:00 +0100\r\nFrom: poststelle@amt.example",
  ),
  // Beside an encoded word, so that the search before parsing reads the fields one by one.
  receivedBesideEncodedWord: message(
    "Subject: =?UTF-8?Q?Bescheid_f=C3=BCr_Sie?=\r\nReceived: from mx.example by mail.amt.example\r\n\tfor <max.mustermann@example.org>; Mon, 4 Mar 2024 10:00:00 +0100\r\nFrom: poststelle@amt.example",
  ),
  returnPath: message("Return-Path: <max.mustermann@example.org>\r\nFrom: jemand@amt.example"),
  deliveredTo: message("Delivered-To: max.mustermann@example.org\r\nFrom: jemand@amt.example"),
  resent: message("Resent-To: max.mustermann@example.org\r\nFrom: jemand@amt.example"),
  fax: message("X-Fax-Sender: +49 (0)361 98-76543\r\nFrom: fax@amt.example"),
  // The number in other notations: a folded line, brackets and a slash, beside an encoded word.
  faxFolded: message("X-Fax-Sender: 0049 361\r\n 98 76 54 3\r\nFrom: fax@amt.example"),
  faxBesideEncodedWord: message(
    "Subject: =?UTF-8?Q?Fax_f=C3=BCr_Sie?=\r\nX-Fax-Sender: (0361) 987/65-43\r\nFrom: fax@amt.example",
  ),
  bounce: message(
    'From: MAILER-DAEMON@amt.example\r\nTo: poststelle@amt.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
    "\r\n--b\r\nContent-Type: text/plain\r\n\r\nUndeliverable.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; amt.example\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org\r\nAction: failed\r\n--b--\r\n",
  ),
  longHeader: message(
    `Cc: ${Array.from({ length: 2500 }, (_, i) => `person${i}@amt.example`).join(",\r\n ")},\r\n max.mustermann@example.org`,
  ),
};

/** Stored gzip-compressed (Dovecot's zlib plugin). */
const MAX_GZIPPED = gzipSync(message("From: Max <max.mustermann@example.org>"));

const OTHER_MESSAGES: Record<string, Buffer> = {
  prefixOfAddress: message("From: Maxi <maxi.mustermann@example.org>"),
  nameOnly: message("From: Max Mustermann <m.mustermann@other.example>"),
  encodedNameOnly: message(`From: =?UTF-8?B?${b64("Max Mustermann")}?= <m.mustermann@other.example>`),
  otherDomainTag: message("From: max.mustermann.sen@example.org"),
  otherFax: message("X-Fax-Sender: +49 361 1234567\r\nFrom: fax@amt.example"),
  // The address in the subject and a message id only: fields that name nobody to the parser.
  subjectOnly: message(
    "From: jemand@amt.example\r\nSubject: =?UTF-8?Q?Anfrage_von_max.mustermann=40example.org?=\r\nMessage-ID: <max.mustermann@example.org>",
  ),
  // Max's digits with one more in the middle: another number.
  otherFaxLonger: message("X-Fax-Sender: 0361 98765543\r\nFrom: fax@amt.example"),
  // The address in the body only: a message is found by the parties its headers name (ADR 0010).
  bodyPlain: message(
    "From: jemand@amt.example",
    "Content-Type: text/plain\r\n\r\nBitte an max.mustermann@example.org weiterleiten.\r\n",
  ),
  bodyQuotedPrintable: message(
    "From: jemand@amt.example",
    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBitte an max.muster=\r\nmann=40example.org\r\n",
  ),
  bodyBase64Attachment: message(
    'From: jemand@amt.example\r\nContent-Type: multipart/mixed; boundary="m"',
    `\r\n--m\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>max.mustermann&#64;example.org</p>\r\n--m\r\nContent-Type: text/plain; name="a.txt"\r\nContent-Disposition: attachment; filename="a.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64("max.mustermann@example.org")}\r\n--m--\r\n`,
  ),
  strangerBounce: message(
    'From: MAILER-DAEMON@amt.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
    "\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; maxi.mustermann@example.org\r\nAction: failed\r\n--b--\r\n",
  ),
};

/** The parser alone, without the search before it: does it take the message for the subject's? */
async function parserFinds(bytes: Buffer, subject: Subject): Promise<boolean> {
  const compiled = compileSubject(subject);
  const end = headerBlockEnd(bytes);
  const fields = parseHeaderBlock(end === -1 ? bytes : bytes.subarray(0, end));
  return Boolean(
    matchHeaders(fields, compiled) ??
    (isDeliveryReport(fields) && matchDeliveryReport(await parseMessageBody(fields, bytes), compiled)),
  );
}

describe("mailboxes: the search before parsing", () => {
  let mailbox: MaildirConnector;

  beforeAll(async () => {
    const dir = join(root, "maildir");
    await mkdir(join(dir, "cur"), { recursive: true });
    await mkdir(join(dir, "new"), { recursive: true });
    for (const [name, bytes] of Object.entries({ ...MAX_MESSAGES, ...OTHER_MESSAGES }))
      await writeFile(join(dir, "cur", `${name}:2,S`), bytes);
    await writeFile(join(dir, "new", "gzipped"), MAX_GZIPPED);
    mailbox = new MaildirConnector("mail", dir);
  });

  it("each of the person's forms is one the parser alone takes for his, and no stranger's is", async () => {
    for (const [name, bytes] of Object.entries(MAX_MESSAGES))
      expect({ name, found: await parserFinds(bytes, max) }).toEqual({ name, found: true });
    for (const [name, bytes] of Object.entries(OTHER_MESSAGES))
      expect({ name, found: await parserFinds(bytes, max) }).toEqual({ name, found: false });
  });

  it("finds every form of the person's addresses and number, and nothing else", async () => {
    const { refs, report } = await search(mailbox, max);
    expect(refs).toEqual(
      [...Object.keys(MAX_MESSAGES).map((name) => `INBOX/${name}`), "INBOX/gzipped"].sort(),
    );
    expect(report.problems).toEqual([]);
  });

  it("a fax from another number or his address in a subject is not parsed for him, his number in any notation is", () => {
    const mayConcern = (bytes: Buffer) =>
      headerMayConcern(headerViewOfBlock(bytes.subarray(0, headerBlockEnd(bytes))), recordKeys(max));
    for (const name of ["fax", "faxFolded", "faxBesideEncodedWord"])
      expect({ name, parsed: mayConcern(MAX_MESSAGES[name]!) }).toEqual({ name, parsed: true });
    for (const name of ["otherFax", "otherFaxLonger", "subjectOnly"])
      expect({ name, parsed: mayConcern(OTHER_MESSAGES[name]!) }).toEqual({ name, parsed: false });
  });

  it("the stranger whose address the person's is a prefix of finds his messages only", async () => {
    const { refs } = await search(mailbox, stranger);
    expect(refs).toEqual(["INBOX/prefixOfAddress", "INBOX/strangerBounce"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Records management

const HOME = "Anger 1, 99084 Erfurt";
const joerg: Subject = {
  names: [{ value: "Jörg Müller", proven: true }],
  postalAddresses: [{ value: HOME, proven: true }],
  emails: [{ value: "joerg.mueller@example.org", proven: true }],
  phones: [{ value: "0361 9876543", proven: true }],
  userNames: [],
  ips: [],
};

const anna: Subject = {
  names: [{ value: "Anna Schmidt", proven: true }],
  postalAddresses: [],
  emails: [{ value: "anna.schmidt@example.org", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
};

type Encoding = "utf-8" | "iso-8859-1" | "windows-1252-undeclared" | "utf-16le" | "utf-16be";

/** Metadata of one document; without `scan` it names none, and its scan is the file of the same name. */
function metadata(id: string, sender: string, encoding: Encoding = "utf-8", scan?: string): Buffer {
  const declared =
    encoding === "windows-1252-undeclared"
      ? ""
      : `<?xml version="1.0" encoding="${encoding.toUpperCase()}"?>\n`;
  const text = `${declared}<vis:dokument xmlns:vis="urn:tlrz:viskompakt:metadaten:1" id="${id}">
  <vis:aktenzeichen>31-1/2024</vis:aktenzeichen>
  <vis:betreff>Anfrage zur Straßenreinigung</vis:betreff>
  <vis:eingangsdatum>2024-03-04</vis:eingangsdatum>
  <vis:absender>${sender}</vis:absender>
  <vis:vorgang><vis:status>offen</vis:status></vis:vorgang>
  ${scan ? `<vis:datei name="${scan}"/>` : ""}
</vis:dokument>
`;
  if (encoding === "utf-16le") return Buffer.from(`\ufeff${text}`, "utf16le");
  if (encoding === "utf-16be") return Buffer.from(`\ufeff${text}`, "utf16le").swap16();
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  return Buffer.from(text, "latin1");
}

const el = (name: string, value: string) => `<vis:${name}>${value}</vis:${name}>`;
const person = (first: string, last: string, more = "") =>
  `${el("vorname", first)}${el("nachname", last)}${more}`;

const JOERG_DOCS: Record<string, Buffer> = {
  plain: metadata("J-PLAIN", person("Jörg", "Müller")),
  transliterated: metadata("J-TRANS", person("Joerg", "Mueller")),
  capitals: metadata("J-CAPS", person("JÖRG", "MÜLLER")),
  decimalRef: metadata("J-DEC", person("J&#246;rg", "M&#252;ller")),
  hexRef: metadata("J-HEX", person("J&#xF6;rg", "M&#xFC;ller")),
  namedRef: metadata("J-NAMED", person("J&ouml;rg", "M&uuml;ller")),
  cdata: metadata("J-CDATA", person("<![CDATA[Jörg]]>", "<![CDATA[Müller]]>")),
  cdataSplit: metadata("J-CDSPLIT", person("Jörg", "M<![CDATA[ü]]>ller")),
  commentInside: metadata("J-COMMENT", person("Jörg", "Mü<!-- geprüft -->ller")),
  latin1: metadata("J-LATIN1", person("Jörg", "Müller"), "iso-8859-1"),
  windows1252: metadata("J-CP1252", person("Jörg", "Müller"), "windows-1252-undeclared"),
  utf16le: metadata("J-UTF16LE", person("Jörg", "Müller"), "utf-16le"),
  utf16be: metadata("J-UTF16BE", person("Jörg", "Müller"), "utf-16be"),
  decomposed: metadata("J-NFD", person("Jo\u0308rg", "Mu\u0308ller")),
  oneElement: metadata("J-ONE", el("name", "Müller, Jörg")),
  emailCapitals: metadata("J-MAIL", el("email", "JOERG.MUELLER@EXAMPLE.ORG")),
  emailMailto: metadata("J-MAILTO", el("email", "mailto:joerg.m%75eller@example.org")),
  phone: metadata("J-PHONE", el("telefon", "+49 (0)361 98-76543")),
  // Read by normalisePhone, but not in the fold: the context's digits come after the number's, and
  // full-width digits are not ASCII ones there.
  phoneContext: metadata("J-PHONE-CONTEXT", el("telefon", "tel:9876543;phone-context=+49361")),
  phoneFullWidth: metadata("J-PHONE-FULLWIDTH", el("telefon", "０３６１ ９８７６５４３")),
  initialAtAddress: metadata(
    "J-INITIAL",
    person("J.", "Müller", `${el("strasse", "Anger 1")}${el("postleitzahl", "99084")}${el("ort", "Erfurt")}`),
  ),
  ownScanName: metadata("J-SCAN", person("Jörg", "Müller"), "utf-8", "scan-j.pdf"),
};

const OTHER_DOCS: Record<string, Buffer> = {
  muller: metadata("O-MULLER", person("Jörg", "Muller")),
  muellerei: metadata("O-MUELLEREI", person("Jörg", "Müllerei")),
  anna: metadata("O-ANNA", person("Anna", "Schmidt", el("email", "anna.schmidt@example.org"))),
  strangerScanName: metadata("O-SCAN", person("Karl", "Berg"), "utf-8", "scan-o.pdf"),
  // Whole, but refused by the parser (an end tag that does not match): it names Anna, not Jörg.
  mismatched: Buffer.from(
    `<vis:dokument xmlns:vis="urn:x" id="O-BROKEN"><vis:absender>${person("Anna", "Schmidt")}</vis:sender></vis:dokument>\n`,
  ),
  // Cut off: what is missing may have named anyone, so it is reported to every search.
  cut: Buffer.from(`<vis:dokument xmlns:vis="urn:x" id="O-CUT"><vis:absender><vis:vorname>Kar`),
};

/** The scans: each document's own, and the two that carry another name. */
const SCANS = [
  ...Object.keys({ ...JOERG_DOCS, ...OTHER_DOCS })
    .filter((name) => name !== "ownScanName" && name !== "strangerScanName")
    .map((name) => `${name}.pdf`),
  "scan-j.pdf",
  "scan-o.pdf",
];

describe("records management: the search before parsing", () => {
  let vis: RecordsConnector;

  beforeAll(async () => {
    const dir = join(root, "viskompakt", "2024");
    await mkdir(dir, { recursive: true });
    for (const [name, bytes] of Object.entries({ ...JOERG_DOCS, ...OTHER_DOCS }))
      await writeFile(join(dir, `${name}.xml`), bytes);
    for (const scan of SCANS) await writeFile(join(dir, scan), "%PDF-1.4\n%%EOF\n");
    vis = new RecordsConnector("vis", join(root, "viskompakt"));
  });

  it("the fixtures are what they claim: UTF-16 is UTF-16, Latin-1 has no UTF-8", async () => {
    const dir = join(root, "viskompakt", "2024");
    expect((await readFile(join(dir, "utf16le.xml"))).subarray(0, 4)).toEqual(
      Buffer.from([0xff, 0xfe, 0x3c, 0]),
    );
    expect((await readFile(join(dir, "utf16be.xml"))).subarray(0, 4)).toEqual(
      Buffer.from([0xfe, 0xff, 0, 0x3c]),
    );
    expect((await readFile(join(dir, "latin1.xml"))).includes(Buffer.from("ü"))).toBe(false);
    expect((await readFile(join(dir, "latin1.xml"))).includes(Buffer.from([0xfc]))).toBe(true);
  });

  it("finds every form of the person's name, address and number, and nothing else", async () => {
    const { findings, report } = await search(vis, joerg);
    const ids = Object.values(JOERG_DOCS).map((bytes) => {
      const text = bytes[0] === 0xff || bytes[0] === 0xfe ? "" : bytes.toString("latin1");
      return /id="([^"]+)"/.exec(text)?.[1];
    });
    expect(findings.map((f) => f.ref).sort()).toEqual(
      [...ids.filter(Boolean), "J-UTF16LE", "J-UTF16BE"].sort(),
    );
    // The cut-off file is reported to every search; the whole but refused one only to a search it can concern.
    expect(report.problems.filter((p) => p.unsearched).map((p) => p.where)).toEqual(["2024/cut.xml"]);
    // Every scan belongs to its metadata, also for documents skipped unparsed.
    expect(report.problems.filter((p) => /scan without/.test(p.reason))).toEqual([]);
    expect(report.problems.filter((p) => !p.unsearched).map((p) => p.where)).toEqual([
      "2024/windows1252.xml",
    ]);
  });

  it("Anna finds her document, and the refused file that names her is reported to her", async () => {
    const { refs, report } = await search(vis, anna);
    expect(refs).toEqual(["O-ANNA"]);
    expect(
      report.problems
        .filter((p) => p.unsearched)
        .map((p) => p.where)
        .sort(),
    ).toEqual(["2024/cut.xml", "2024/mismatched.xml"]);
  });
});
