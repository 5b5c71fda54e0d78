/**
 * Delivery reports in the forms bounce-encodings.test.ts leaves out, and read receipts
 * (app/sources/connectors/mail-message.server.ts, ADR 0010 "Mail"):
 * - a bounce forwarded as an attachment (message/rfc822 or message/global around a
 *   multipart/report; disposition attachment or inline, base64, forwarded twice), and a report
 *   part a mail client forwarded inline (the forward carries the message/delivery-status part);
 * - a single-part report (the whole message is message/delivery-status or
 *   message/global-delivery-status), from the mail system or from a gateway;
 * - read receipts (multipart/report; report-type=disposition-notification, RFC 8098, and its
 *   RFC 6533 form), sent from an address the person did not give, with or without a null
 *   return path, naming the person as Final- or Original-Recipient.
 * Each is the person's whose address the report names as its recipient. None is the person's who
 * appears only in what a report returns (the returned message, inline or attached, a bounce
 * returned inside a bounce, the returned headers of a read receipt) or in the forwarder's prose.
 * Checked by the parser alone, in a Maildir and on a real Dovecot, through the search before
 * parsing (record-prefilter.ts) and the connectors' look into multipart messages.
 */
import { describe, expect, it } from "vitest";
import type { Subject } from "#app/sources/connector";
import {
  embedsReport,
  headerBlockEnd,
  isDeliveryReport,
  matchDeliveryReport,
  matchHeaders,
  mayEmbedReport,
  parseHeaderBlock,
  parseMessageBody,
} from "#app/sources/connectors/mail-message.server";
import { headerViewOfBlock } from "#app/sources/record-prefilter";
import { compileSubject } from "#app/sources/subject";
import { b64Lines } from "../support/mail-messages";
import {
  addressed,
  beforeParsing,
  bounceOf,
  DATE,
  findAll,
  inMaildir,
  itFindsEachTheirOwn,
  onDovecot,
  original,
  statusFields,
  type ReportMailbox,
} from "./report-mailboxes";

const MAX = "max.mustermann@example.org";
/** A stranger whose local part is a prefix of Max's. */
const PREFIX = "max.muster@example.org";
const max = addressed(MAX);
const maxPrefix = addressed(PREFIX);

/** The Poststelle forwards `attached` (a part: its headers and body) to the IT service, in a multipart/mixed with boundary `boundary`. */
const forwardPart = (part: string, boundary = "f", text = "Bitte die Adresse prüfen.") =>
  `From: Poststelle <poststelle@amt.example>\r\nTo: it-service@amt.example\r\nSubject: WG: Undelivered Mail Returned to Sender\r\n${DATE}` +
  `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
  `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n` +
  `--${boundary}\r\n${part}\r\n--${boundary}--\r\n`;

/** … a whole message as an attachment (message/rfc822 unless given). */
const forward = (
  message: string,
  { boundary = "f", type = "message/rfc822", disposition = "attachment", base64 = false } = {},
) =>
  forwardPart(
    `Content-Type: ${type}\r\nContent-Disposition: ${disposition}; filename="weitergeleitet.eml"\r\n` +
      (base64 ? `Content-Transfer-Encoding: base64\r\n\r\n${b64Lines(message)}` : `\r\n${message}`),
    boundary,
  );

/** A read receipt (RFC 8098): `from` with `returnPath`, the report part `part` (its headers and body), the returned headers `returned`. */
const receipt = (
  from: string,
  returnPath: string,
  part: string,
  returned = original("x@amt.example", "", ""),
) =>
  `Return-Path: ${returnPath}\r\nFrom: ${from}\r\nTo: poststelle@amt.example\r\nSubject: Gelesen: Bescheid\r\n${DATE}` +
  `Content-Type: multipart/report; report-type=disposition-notification; boundary="d"\r\n\r\n` +
  `--d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIhre Nachricht wurde angezeigt.\r\n` +
  `--d\r\n${part}\r\n` +
  `--d\r\nContent-Type: text/rfc822-headers\r\n\r\n${returned.slice(0, returned.indexOf("\r\n\r\n") + 2)}\r\n--d--\r\n`;

const dispositionFields = (original: string | null, final: string) =>
  "Reporting-UA: mail.example; Thunderbird\r\n" +
  (original ? `Original-Recipient: ${original}\r\n` : "") +
  `Final-Recipient: ${final}\r\nOriginal-Message-ID: <b@amt.example>\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n`;

/** A single-part report: the whole message is the status part. */
const singlePart = (from: string, returnPath: string, contentType: string, body: string, encoding = "") =>
  `Return-Path: ${returnPath}\r\nFrom: ${from}\r\nTo: poststelle@amt.example\r\nSubject: Delivery Status Notification\r\n${DATE}` +
  `Content-Type: ${contentType}\r\n${encoding}\r\n${body}`;

/** IT's forward of Max's bounce with the bounce's parts inline (what a stranger's bounce below returns). */
const inlineForwardOfMaxsBounce =
  `From: it-service@amt.example\r\nTo: ${PREFIX}\r\nSubject: WG: Unzustellbar\r\n${DATE}Content-Type: multipart/mixed; boundary="i"\r\n\r\n` +
  `--i\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFinal-Recipient: rfc822; ${MAX}\r\n` +
  `--i\r\nContent-Type: message/delivery-status\r\n\r\n${statusFields(MAX)}\r\n--i--\r\n`;

/**
 * Max's bounce forwarded behind a text part padded so that "message/rfc822" of the forward's part
 * header begins 7 bytes before `offset` of the message: a Maildir search reads the first 16 KiB,
 * then 64 KiB at a time through one buffer for the pass, and must find it across either edge (the bounce in base64 names no other
 * message/* type in the bytes).
 */
function forwardAcross(offset: number): string {
  const build = (pad: number) =>
    forwardPart(
      `Content-Type: text/plain; charset=us-ascii\r\n\r\n${`${"a".repeat(74)}\r\n`.repeat(Math.ceil(pad / 76) + 1).slice(0, pad)}\r\n` +
        `--f\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines(bounceOf(MAX))}`,
    );
  const at = (text: string) => Buffer.from(text, "utf8").indexOf("message/rfc822");
  const message = build(offset - 7 - at(build(0)));
  if (at(message) !== offset - 7) throw new Error("padding missed its offset");
  return message;
}

const MESSAGES: Record<string, string> = {
  // Max's: a bounce of a mail to him, forwarded.
  fwdBounce: forward(bounceOf(MAX)),
  fwdBounceInline: forward(bounceOf(MAX), { disposition: "inline" }),
  fwdBounceBase64: forward(bounceOf(MAX), { base64: true }),
  fwdBounceTwice: forward(forward(bounceOf(MAX), { boundary: "g" })),
  fwdGlobalBounce: forward(bounceOf(MAX), { type: "message/global" }),
  fwdAcrossFirstRead: forwardAcross(16 * 1024),
  fwdAcrossChunk: forwardAcross(16 * 1024 + 64 * 1024),
  // A mail client's inline forward: the forwarder's text, the report part attached.
  fwdStatusPartOnly: forwardPart(
    `Content-Type: message/delivery-status\r\nContent-Disposition: attachment; filename="details.txt"\r\n\r\n${statusFields(MAX)}`,
  ),
  // Max's: the whole message is the report part.
  singleStatus: singlePart("MAILER-DAEMON@amt.example", "<>", "message/delivery-status", statusFields(MAX)),
  singleStatusGateway: singlePart(
    "gateway@amt.example",
    "<gateway@amt.example>",
    "message/delivery-status",
    b64Lines(statusFields(MAX)),
    "Content-Transfer-Encoding: base64\r\n",
  ),
  singleGlobalStatus: singlePart(
    "gateway@amt.example",
    "<gateway@amt.example>",
    "message/global-delivery-status",
    statusFields(MAX, "utf-8"),
  ),
  // Max's: read receipts for a mail delivered to him, sent from an address he did not give.
  mdnFromOtherAddress: receipt(
    "Max Mustermann <m.mustermann@privat.example>",
    "<m.mustermann@privat.example>",
    `Content-Type: message/disposition-notification\r\n\r\n${dispositionFields(`rfc822;${MAX}`, `rfc822;${MAX}`)}`,
  ),
  // Forwarded by an alias: delivered to another mailbox, addressed to his.
  mdnNullReturnPath: receipt(
    "m.mustermann@neu.example",
    "<>",
    `Content-Type: message/disposition-notification\r\nContent-Disposition: attachment\r\n\r\n${dispositionFields(`rfc822;${MAX}`, "rfc822;m.mustermann@neu.example")}`,
  ),
  mdnGlobal: receipt(
    "m.mustermann@privat.example",
    "<m.mustermann@privat.example>",
    `Content-Type: message/global-disposition-notification\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines(dispositionFields(null, `utf-8; ${MAX}`))}`,
  ),

  // The stranger's: Max only in what the report returns, or in prose.
  fwdPrefixBounceNamingMax: forward(
    bounceOf(
      PREFIX,
      `Content-Type: message/rfc822\r\n\r\n${original(PREFIX, MAX, `Final-Recipient: rfc822; ${MAX}`)}`,
    ),
  ),
  // The stranger's bounce returns IT's inline forward of Max's bounce, as an inline part.
  prefixBounceInlineOriginal: bounceOf(
    PREFIX,
    `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${inlineForwardOfMaxsBounce}`,
  ),
  // … or returns a forward of Max's bounce as an attachment: never read.
  prefixBounceReturnsMaxBounce: bounceOf(
    PREFIX,
    `Content-Type: message/rfc822\r\n\r\n${forward(bounceOf(MAX, undefined, { boundary: "r2" }), { boundary: "h" })}`,
  ),
  // The stranger's read receipt returns headers naming Max (Cc, and the Original-Recipient his MTA wrote).
  prefixMdnNamingMaxInOriginal: receipt(
    PREFIX,
    "<>",
    `Content-Type: message/disposition-notification\r\n\r\n${dispositionFields(null, `rfc822;${PREFIX}`)}`,
    `Original-Recipient: rfc822;${MAX}\r\n${original(PREFIX, MAX, "")}`,
  ),
  singlePrefixStatus: singlePart(
    "MAILER-DAEMON@amt.example",
    "<>",
    "message/delivery-status",
    statusFields(PREFIX),
  ),

  // Nobody's of these two: the forwarder quotes a bounce in prose and attaches an ordinary mail.
  fwdOrdinaryQuotesMax: forwardPart(
    `Content-Type: message/rfc822\r\n\r\n${original("poststelle@amt.example", "", "Bitte um Rückruf.")}`,
    "f",
    `Die Meldung lautete:\r\nFinal-Recipient: rfc822; ${MAX}\r\nAction: failed`,
  ),
};

/** Messages that hold no report, between the others: a plain mail, a PDF attachment. */
const FILLERS: Record<string, string> = {
  fillerPlain: original("poststelle@amt.example", "", "Guten Tag."),
  fillerPdf: forwardPart(
    `Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64Lines("%PDF-1.4 message/ ".repeat(200))}`,
  ),
};

const EXPECTED: [Subject, string, string[]][] = [
  [
    max,
    "max",
    [
      "fwdAcrossChunk",
      "fwdAcrossFirstRead",
      "fwdBounce",
      "fwdBounceBase64",
      "fwdBounceInline",
      "fwdBounceTwice",
      "fwdGlobalBounce",
      "fwdStatusPartOnly",
      "mdnFromOtherAddress",
      "mdnGlobal",
      "mdnNullReturnPath",
      "singleGlobalStatus",
      "singleStatus",
      "singleStatusGateway",
    ],
  ],
  [
    maxPrefix,
    "maxPrefix",
    [
      "fwdPrefixBounceNamingMax",
      "prefixBounceInlineOriginal",
      "prefixBounceReturnsMaxBounce",
      "prefixMdnNamingMaxInOriginal",
      "singlePrefixStatus",
    ],
  ],
];

/** The role each finding has: the recipient a report names, but the stranger's own read receipt by its sender. */
const roleOf = (name: string) => (name === "prefixMdnNamingMaxInOriginal" ? "sender" : "recipient");

describe("delivery reports forwarded, single-part, and read receipts", () => {
  it("the parser alone takes each for its own recipient's and for nobody else's", async () => {
    for (const [subject, who, own] of EXPECTED) {
      const compiled = compileSubject(subject);
      const found: string[] = [];
      // What the connectors do: the search before parsing, or a look into a multipart message.
      for (const { name, bytes, fields, offered } of beforeParsing(subject, { ...MESSAGES, ...FILLERS })) {
        const hit =
          matchHeaders(fields, compiled) ??
          (isDeliveryReport(fields) || embedsReport(bytes)
            ? matchDeliveryReport(await parseMessageBody(fields, bytes), compiled)
            : null);
        if (hit) {
          expect({ name, offered }).toEqual({ name, offered: true });
          expect({ name, role: hit.role }).toEqual({ name, role: roleOf(name) });
          found.push(name);
        }
      }
      expect({ who, found: found.sort() }).toEqual({ who, found: own });
    }
  });

  it("a report is recognised by its headers; a forward only by what it holds", () => {
    const head = (name: string) => {
      const bytes = Buffer.from(MESSAGES[name] ?? FILLERS[name]!, "utf8");
      return bytes.subarray(0, headerBlockEnd(bytes));
    };
    for (const name of ["singleStatusGateway", "singleGlobalStatus", "mdnFromOtherAddress", "mdnGlobal"]) {
      expect({ name, report: isDeliveryReport(parseHeaderBlock(head(name))) }).toEqual({
        name,
        report: true,
      });
      expect({ name, parseAlways: headerViewOfBlock(head(name)).parseAlways }).toEqual({
        name,
        parseAlways: true,
      });
    }
    expect(isDeliveryReport(parseHeaderBlock(head("fwdBounce")))).toBe(false);
    expect(mayEmbedReport(head("fwdBounce"))).toBe(true);
    expect(mayEmbedReport(head("fillerPlain"))).toBe(false);
    expect(embedsReport(Buffer.from(MESSAGES.fwdBounce!))).toBe(true);
    // A PDF is no report: the whole is read and left unparsed.
    expect(embedsReport(Buffer.from(FILLERS.fillerPdf!))).toBe(false);
  });

  /** The searches in `mailbox`, alone and two at once. */
  function searchesIn(mailbox: ReportMailbox) {
    itFindsEachTheirOwn(
      "$who gets exactly the reports naming their address",
      mailbox,
      EXPECTED,
      (finding, name) => expect({ name, role: finding.role }).toEqual({ name, role: roleOf(name) }),
    );

    it("two searches at once get what each gets alone", async () => {
      const [a, b] = await Promise.all(EXPECTED.map(([subject]) => findAll(mailbox, subject)));
      expect([a!.names, b!.names]).toEqual(EXPECTED.map(([, , own]) => own));
    });
  }

  describe("in a Maildir", () => searchesIn(inMaildir("rp-bounce-forms-", { ...MESSAGES, ...FILLERS })));

  describe("on a Dovecot IMAP server", () =>
    searchesIn(onDovecot("bounce-forms", { ...FILLERS, ...MESSAGES })));
});
