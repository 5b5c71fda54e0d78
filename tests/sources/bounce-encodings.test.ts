/**
 * Delivery reports (bounces) as mail systems write them, read as a mail client reads them
 * (app/sources/connectors/mail-message.server.ts, ADR 0010 "Mail"): the report part in base64 or
 * quoted-printable (a soft line break inside the address), the recipient fields only in a base64
 * explanation part, the report nested in the multipart/mixed of a gateway that added a disclaimer,
 * a gateway's multipart/mixed that is a report only because the mail system sent it (its sender
 * beside an encoded word, in one, or with a comment inside the address),
 * the `utf-8` address type of RFC 6533 (escaped in message/delivery-status, raw in
 * message/global-delivery-status) and "RFC822 ; <…>" in other case and spacing. Each is the
 * person's, found in a Maildir and on a real Dovecot alike, through the search before parsing
 * (record-prefilter.ts), which must let every bounce through. And none of the bounces of strangers
 * whose address is a prefix or a variant of the person's, or that name the person only in prose or
 * in the returned message, is the person's — each is its own owner's.
 */
import { describe, expect, it } from "vitest";
import type { Subject } from "#app/sources/connector";
import {
  isDeliveryReport,
  matchDeliveryReport,
  parseHeaderBlock,
  parseMessageBody,
} from "#app/sources/connectors/mail-message.server";
import { headerViewOfBlock } from "#app/sources/record-prefilter";
import { compileSubject } from "#app/sources/subject";
import { b64Lines } from "../support/mail-messages";
import {
  addressed,
  beforeParsing,
  bounceHead,
  DATE,
  explanation,
  inMaildir,
  itFindsEachTheirOwn,
  onDovecot,
  statusFields,
} from "./report-mailboxes";

const max = addressed("max.mustermann@example.org");
const joerg = addressed("jörg@müller-bau.example");
/** Local parts that are prefixes of the people's. */
const maxPrefix = addressed("max.muster@example.org");
const joergPrefix = addressed("jö@müller-bau.example");
/** Max's address continued: another domain, whose beginning is Max's address. */
const maxLonger = addressed("max.mustermann@example.org.uk");

/** A bounce from the mail system as delivered. */
const bounce = (contentType: string, body: string, from?: string): Buffer =>
  Buffer.from(bounceHead(contentType, from) + body, "utf8");

const REPORT = 'multipart/report; report-type=delivery-status; boundary="r"';
const EXPLANATION = explanation("r");

/** A bounce a gateway wrapped into multipart/mixed, sent by `from`, with the recipient fields in its text only. */
const gatewayBounce = (from: string, subject = "Undelivered Mail"): Buffer =>
  Buffer.from(
    `Return-Path: <bounces@gateway.example>\r\nFrom: ${from}\r\nTo: poststelle@amt.example\r\nSubject: ${subject}\r\n${DATE}` +
      `Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n` +
      `Your message could not be delivered.\r\n\r\n${statusFields("max.mustermann@example.org")}\r\n--m--\r\n`,
    "utf8",
  );

/** A report whose delivery-status part is written by `part` (headers and body). */
const report = (part: string, tail = "") =>
  bounce(REPORT, `${EXPLANATION}--r\r\n${part}\r\n${tail}--r--\r\n`);

const MESSAGES: Record<string, Buffer> = {
  maxBase64Status: report(
    `Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines(statusFields("max.mustermann@example.org"))}`,
  ),
  // A soft line break inside the address, as an encoder cuts a long line.
  maxQuotedPrintableStatus: report(
    "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
      "Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: rfc822; max.muster=\r\nmann=40example.org\r\nAction: failed\r\n",
  ),
  // The recipient fields only in the explanation part, base64 (an Exchange-style report).
  maxBase64Explanation: bounce(
    REPORT,
    `--r\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines(
      "Zustellung fehlgeschlagen.\r\n\r\nOriginal-Recipient: rfc822;max.mustermann@example.org\r\nAction: failed\r\n",
    )}\r\n--r--\r\n`,
  ),
  // A gateway wrapped the report into multipart/mixed to add its disclaimer.
  maxNestedInMixed: bounce(
    'multipart/mixed; boundary="m"',
    `--m\r\nContent-Type: ${REPORT}\r\n\r\n${EXPLANATION}--r\r\nContent-Type: message/delivery-status\r\n\r\n${statusFields("max.mustermann@example.org")}--r--\r\n` +
      "--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDiese Nachricht wurde auf Viren gepr=C3=BCft.\r\n--m--\r\n",
  ),
  // A gateway's bounce in multipart/mixed, a report only because the mail system sent it (no null
  // Return-Path, no report part; the recipient in the explanation), the header holding an encoded
  // word, so that the search before parsing reads its fields: the sender's name encoded, …
  maxMixedFromEncodedName: gatewayBounce("=?UTF-8?Q?Mail_Delivery_System?= <MAILER-DAEMON@amt.example>"),
  // … the sender's local part in an encoded word, …
  maxMixedFromEncodedAddress: gatewayBounce("System <=?UTF-8?Q?postmaster?=@amt.example>"),
  // … or with a comment inside it and the subject encoded.
  maxMixedFromCommentedAddress: gatewayBounce(
    "Mailer-Daemon(Mail Delivery System)@amt.example",
    "=?UTF-8?Q?Unzustellbar=3A_Bescheid_f=C3=BCr_Sie?=",
  ),
  maxOddSpacing: report(
    `Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.amt.example\r\n\r\nfinal-recipient : RFC822 ;  <Max.Mustermann@Example.ORG>\r\nAction: failed\r\n`,
  ),
  // RFC 6533: non-ASCII escaped as \x{HEX} in message/delivery-status …
  joergUtf8Escaped: report(
    `Content-Type: message/delivery-status\r\n\r\n${statusFields("j\\x{F6}rg@m\\x{FC}ller-bau.example", "utf-8")}`,
  ),
  // … and raw UTF-8 in message/global-delivery-status, base64 here.
  joergUtf8Global: report(
    `Content-Type: message/global-delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines(statusFields("jörg@müller-bau.example", "utf-8"))}`,
  ),

  // Strangers: the same encodings naming an address that begins like the person's.
  maxPrefixBase64: report(
    `Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines(statusFields("max.muster@example.org"))}`,
  ),
  maxLongerQuotedPrintable: report(
    "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
      "Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org=\r\n.uk\r\nAction: failed\r\n",
  ),
  joergPrefixUtf8: report(
    `Content-Type: message/delivery-status\r\n\r\n${statusFields("j\\x{F6}@m\\x{FC}ller-bau.example", "utf-8")}`,
  ),
  // The prefix's bounce naming Max in prose and in the returned message: a body never makes it his.
  maxPrefixNamesMaxInBody: report(
    `Content-Type: message/delivery-status\r\n\r\n${statusFields("max.muster@example.org")}`,
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
      "maxMixedFromCommentedAddress",
      "maxMixedFromEncodedAddress",
      "maxMixedFromEncodedName",
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

describe("delivery reports in every encoding", () => {
  it("the parser alone takes each bounce for its own recipient's and for nobody else's", async () => {
    for (const [subject, who, own] of EXPECTED) {
      const compiled = compileSubject(subject);
      const found: string[] = [];
      for (const { name, bytes, fields, prefilter } of beforeParsing(subject, MESSAGES)) {
        expect({ name, report: isDeliveryReport(fields) }).toEqual({ name, report: true });
        expect({ name, prefilter }).toEqual({ name, prefilter: true });
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
    const mailbox = inMaildir("rp-bounce-encodings-", { ...MESSAGES, ...FILLERS });
    itFindsEachTheirOwn(
      "$who gets exactly the bounces naming their address",
      mailbox,
      EXPECTED,
      (finding) => {
        expect(finding.role).toBe("recipient");
        expect(finding.unproven).toBe(false);
      },
    );
  });

  describe("on a Dovecot IMAP server", () => {
    const mailbox = onDovecot("bounce", { ...FILLERS, ...MESSAGES });
    itFindsEachTheirOwn("$who gets exactly the bounces naming their address", mailbox, EXPECTED, (finding) =>
      expect(finding.role).toBe("recipient"),
    );
  });
});
