/**
 * Delivery reports (bounces) as mail systems write them, read as a mail client reads them
 * (app/sources/connectors/mail-message.server.ts, ADR 0010 "Mail"): the report part in base64 or
 * quoted-printable (a soft line break inside the address), the recipient fields only in a base64
 * explanation part, the report nested in the multipart/mixed of a gateway that added a disclaimer,
 * the `utf-8` address type of RFC 6533 (escaped in message/delivery-status, raw in
 * message/global-delivery-status) and "RFC822 ; <…>" in other case and spacing. Each is the
 * person's, found in a Maildir and on a real Dovecot alike, through the search before parsing
 * (record-prefilter.ts), which must let every bounce through. And none of the bounces of strangers
 * whose address is a prefix or a variant of the person's, or that name the person only in prose or
 * in the returned message, is the person's — each is its own owner's.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, SourceConnector, Subject } from "#app/sources/connector";
import {
  headerBlockEnd,
  isDeliveryReport,
  matchDeliveryReport,
  parseHeaderBlock,
  parseMessageBody,
} from "#app/sources/connectors/mail-message.server";
import { ImapConnector } from "#app/sources/connectors/imap.server";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { headerMayConcern, headerViewOfBlock, recordKeys } from "#app/sources/record-prefilter";
import { compileSubject } from "#app/sources/subject";
import { startDovecot, type TestDovecot } from "../support/dovecot";

const subjectOf = (email: string): Subject => ({
  emails: [{ value: email, proven: true }],
  names: [],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
});

const max = subjectOf("max.mustermann@example.org");
const joerg = subjectOf("jörg@müller-bau.example");
/** Local parts that are prefixes of the people's. */
const maxPrefix = subjectOf("max.muster@example.org");
const joergPrefix = subjectOf("jö@müller-bau.example");
/** Max's address continued: another domain, whose beginning is Max's address. */
const maxLonger = subjectOf("max.mustermann@example.org.uk");

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");

/** A bounce from the mail system as delivered (Return-Path <> as Postfix and Dovecot write it). */
function bounce(contentType: string, body: string, from = "MAILER-DAEMON@amt.example"): Buffer {
  return Buffer.from(
    `Return-Path: <>\r\nFrom: ${from}\r\nTo: poststelle@amt.example\r\nSubject: Undelivered Mail Returned to Sender\r\n` +
      `Date: Mon, 4 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n${body}`,
    "utf8",
  );
}

const REPORT = 'multipart/report; report-type=delivery-status; boundary="r"';
const EXPLANATION =
  "--r\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message could not be delivered.\r\n";

/** A report whose delivery-status part is written by `part` (headers and body). */
const report = (part: string, tail = "") =>
  bounce(REPORT, `${EXPLANATION}--r\r\n${part}\r\n${tail}--r--\r\n`);

const statusFields = (recipient: string) =>
  `Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: ${recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n`;

const MESSAGES: Record<string, Buffer> = {
  maxBase64Status: report(
    `Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(statusFields("rfc822; max.mustermann@example.org"))}`,
  ),
  // A soft line break inside the address, as an encoder cuts a long line.
  maxQuotedPrintableStatus: report(
    "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
      "Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: rfc822; max.muster=\r\nmann=40example.org\r\nAction: failed\r\n",
  ),
  // The recipient fields only in the explanation part, base64 (an Exchange-style report).
  maxBase64Explanation: bounce(
    REPORT,
    `--r\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(
      "Zustellung fehlgeschlagen.\r\n\r\nOriginal-Recipient: rfc822;max.mustermann@example.org\r\nAction: failed\r\n",
    )}\r\n--r--\r\n`,
  ),
  // A gateway wrapped the report into multipart/mixed to add its disclaimer.
  maxNestedInMixed: bounce(
    'multipart/mixed; boundary="m"',
    `--m\r\nContent-Type: ${REPORT}\r\n\r\n${EXPLANATION}--r\r\nContent-Type: message/delivery-status\r\n\r\n${statusFields("rfc822; max.mustermann@example.org")}--r--\r\n` +
      "--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDiese Nachricht wurde auf Viren gepr=C3=BCft.\r\n--m--\r\n",
  ),
  maxOddSpacing: report(
    `Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.amt.example\r\n\r\nfinal-recipient : RFC822 ;  <Max.Mustermann@Example.ORG>\r\nAction: failed\r\n`,
  ),
  // RFC 6533: non-ASCII escaped as \x{HEX} in message/delivery-status …
  joergUtf8Escaped: report(
    `Content-Type: message/delivery-status\r\n\r\n${statusFields("utf-8; j\\x{F6}rg@m\\x{FC}ller-bau.example")}`,
  ),
  // … and raw UTF-8 in message/global-delivery-status, base64 here.
  joergUtf8Global: report(
    `Content-Type: message/global-delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(statusFields("utf-8; jörg@müller-bau.example"))}`,
  ),

  // Strangers: the same encodings naming an address that begins like the person's.
  maxPrefixBase64: report(
    `Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(statusFields("rfc822; max.muster@example.org"))}`,
  ),
  maxLongerQuotedPrintable: report(
    "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
      "Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org=\r\n.uk\r\nAction: failed\r\n",
  ),
  joergPrefixUtf8: report(
    `Content-Type: message/delivery-status\r\n\r\n${statusFields("utf-8; j\\x{F6}@m\\x{FC}ller-bau.example")}`,
  ),
  // The prefix's bounce naming Max in prose and in the returned message: a body never makes it his.
  maxPrefixNamesMaxInBody: report(
    `Content-Type: message/delivery-status\r\n\r\n${statusFields("rfc822; max.muster@example.org")}`,
    "--r\r\nContent-Type: message/rfc822\r\n\r\nFrom: poststelle@amt.example\r\nTo: max.muster@example.org\r\nCc: max.mustermann@example.org\r\nSubject: Bescheid\r\n\r\n" +
      "Final-Recipient: rfc822; max.mustermann@example.org\r\n",
  ),
};

const EXPECTED: [Subject, string, string[]][] = [
  [
    max,
    "max",
    [
      "maxBase64Explanation",
      "maxBase64Status",
      "maxNestedInMixed",
      "maxOddSpacing",
      "maxQuotedPrintableStatus",
    ],
  ],
  [joerg, "joerg", ["joergUtf8Escaped", "joergUtf8Global"]],
  [maxPrefix, "maxPrefix", ["maxPrefixBase64", "maxPrefixNamesMaxInBody"]],
  [maxLonger, "maxLonger", ["maxLongerQuotedPrintable"]],
  [joergPrefix, "joergPrefix", ["joergPrefixUtf8"]],
];

/** Messages that are no bounce, between the bounces. */
const FILLERS: Record<string, Buffer> = {
  fillerPlain: Buffer.from(
    "From: buerger@example.de\r\nTo: poststelle@amt.example\r\nSubject: Anfrage\r\nContent-Type: text/plain\r\n\r\nGuten Tag.\r\n",
  ),
};

async function findAll(connector: SourceConnector, subject: Subject, nameOf: (ref: string) => string) {
  const findings: Finding[] = [];
  let problems: unknown[] = [];
  for await (const finding of connector.find(subject, { onReport: (r) => (problems = r.problems) }))
    findings.push(finding);
  return { names: findings.map((f) => nameOf(f.ref)).sort(), findings, problems };
}

describe("delivery reports in every encoding", () => {
  it("the parser alone takes each bounce for its own recipient's and for nobody else's", async () => {
    for (const [subject, who, own] of EXPECTED) {
      const compiled = compileSubject(subject);
      const found: string[] = [];
      for (const [name, bytes] of Object.entries(MESSAGES)) {
        const end = headerBlockEnd(bytes);
        const fields = parseHeaderBlock(bytes.subarray(0, end));
        expect({ name, report: isDeliveryReport(fields) }).toEqual({ name, report: true });
        const keys = recordKeys(subject);
        expect({
          name,
          prefilter: headerMayConcern(headerViewOfBlock(bytes.subarray(0, end)), keys),
        }).toEqual({
          name,
          prefilter: true,
        });
        if (matchDeliveryReport(await parseMessageBody(fields, bytes), compiled)) found.push(name);
      }
      expect({ who, found: found.sort() }).toEqual({ who, found: own });
    }
  });

  it("a multipart message the mail system did not send is no delivery report", () => {
    const mixed = Buffer.from(
      'From: buerger@example.de\r\nReturn-Path: <buerger@example.de>\r\nContent-Type: multipart/mixed; boundary="m"\r\n\r\n',
    );
    expect(isDeliveryReport(parseHeaderBlock(mixed))).toBe(false);
    expect(headerViewOfBlock(mixed).parseAlways).toBe(false);
  });

  describe("in a Maildir", () => {
    let root: string;
    let mailbox: MaildirConnector;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), "rp-bounce-encodings-"));
      await mkdir(join(root, "cur"), { recursive: true });
      await mkdir(join(root, "new"), { recursive: true });
      for (const [name, bytes] of Object.entries({ ...MESSAGES, ...FILLERS }))
        await writeFile(join(root, "cur", `${name}:2,S`), bytes);
      mailbox = new MaildirConnector("mail", root);
    });

    afterAll(async () => {
      await mailbox?.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it.each(EXPECTED.map(([subject, who, own]) => ({ subject, who, own })))(
      "$who gets exactly the bounces naming their address",
      async ({ subject, own }) => {
        const result = await findAll(mailbox, subject, (ref) =>
          ref.replace(/^INBOX\//, "").replace(/:2,S$/, ""),
        );
        expect(result.names).toEqual(own);
        expect(result.problems).toEqual([]);
        for (const finding of result.findings) {
          expect(finding.role).toBe("recipient");
          expect(finding.unproven).toBe(false);
        }
      },
    );
  });

  describe("on a Dovecot IMAP server", () => {
    const PASSWORD_ENV = "RP_TEST_IMAP_BOUNCE_PASSWORD";
    let dovecot: TestDovecot;
    let connector: ImapConnector;
    const names = new Map<string, string>();

    beforeAll(async () => {
      dovecot = await startDovecot({ password: "bounce-secret" });
      process.env[PASSWORD_ENV] = dovecot.password;
      const admin = await dovecot.connectAsOwner();
      try {
        for (const [name, bytes] of Object.entries({ ...FILLERS, ...MESSAGES })) {
          const appended = await admin.append("INBOX", bytes, ["\\Seen"]);
          if (!appended || appended.uid === undefined || appended.uidValidity === undefined)
            throw new Error(`append of ${name} gave no UID`);
          names.set(`INBOX/${String(appended.uidValidity)}/${appended.uid}`, name);
        }
      } finally {
        await admin.logout();
      }
      connector = new ImapConnector("mail", {
        host: dovecot.host,
        port: dovecot.port,
        tls: "none",
        user: dovecot.user,
        passwordEnv: PASSWORD_ENV,
      });
    }, 60_000);

    afterAll(async () => {
      await connector?.close();
      await dovecot?.stop();
      delete process.env[PASSWORD_ENV];
    });

    it.each(EXPECTED.map(([subject, who, own]) => ({ subject, who, own })))(
      "$who gets exactly the bounces naming their address",
      async ({ subject, own }) => {
        const result = await findAll(connector, subject, (ref) => names.get(ref) ?? ref);
        expect(result.names).toEqual(own);
        expect(result.problems).toEqual([]);
        for (const finding of result.findings) expect(finding.role).toBe("recipient");
      },
    );
  });
});
