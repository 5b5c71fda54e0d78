/**
 * Delivery reports the parser cannot read, and reports a mail client attached as a file
 * (app/sources/connectors/mail-message.server.ts, ADR 0010 "Mail"):
 * - a report, or a message forwarding one, that mailparser cannot parse (here: more parts than it
 *   takes, EMAXLEN) is matched by its own header fields only. None of its bytes is read for
 *   recipients: they hold what a report returns, and a stranger's bounce returning a mail that
 *   names the person is the stranger's record, never the person's. Whose record it is cannot be
 *   told, so each search its headers do not find it for reports it as not searched, located;
 *   also when only a message forwarded inside a readable forward cannot be parsed.
 * - a bounce attached as a file named *.eml (application/octet-stream, text/plain; the name plain,
 *   RFC 2047 or RFC 2231 encoded) is read as a forwarded report; an ordinary mail attached so is
 *   nobody's by it (ADR 0007).
 * Checked by the parser alone, in a Maildir and on a real Dovecot.
 */
import { describe, expect, it } from "vitest";
import type { Subject } from "#app/sources/connector";
import {
  embedsReport,
  isDeliveryReport,
  matchDeliveryReport,
  matchHeaders,
  parseMessageBody,
  unreadReportsProblem,
} from "#app/sources/connectors/mail-message.server";
import { compileSubject } from "#app/sources/subject";
import { b64, b64Lines } from "../support/mail-messages";
import {
  addressed,
  beforeParsing,
  bounceOf,
  DATE,
  findAll,
  inMaildir,
  onDovecot,
  original,
  type ReportMailbox,
} from "./report-mailboxes";

const MAX = "max.mustermann@example.org";
/** A stranger whose local part is a prefix of Max's. */
const PREFIX = "max.muster@example.org";
const max = addressed(MAX);
const maxPrefix = addressed(PREFIX);

/** More parts than mailparser takes (1 000): it throws EMAXLEN. */
const CROWD = 1001;
const crowd = (boundary: string) =>
  `--${boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nAnlage\r\n`.repeat(CROWD);

/** A returned mail to `to`, Cc `cc`, whose text names Max as a bounce's recipient would. */
const namingMax = (to: string, cc: string) =>
  `Content-Type: message/rfc822\r\n\r\n${original(to, cc, `Final-Recipient: rfc822; ${MAX}`)}`;

/** The Poststelle forwards `parts` (each its headers and body) to the IT service, after its prose. */
const forwardParts = (parts: string[], tail = "") =>
  `From: Poststelle <poststelle@amt.example>\r\nTo: it-service@amt.example\r\nSubject: WG: Unzustellbar\r\n${DATE}` +
  `Content-Type: multipart/mixed; boundary="f"\r\n\r\n` +
  `--f\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBitte prüfen.\r\n` +
  parts.map((part) => `--f\r\n${part}\r\n`).join("") +
  `${tail}--f--\r\n`;

/** A message attached as a file: `type` and `disposition` as a client writes them, base64 unless `encoding` is given. */
const asFile = (message: string, type: string, disposition: string, encoding = "base64") =>
  `Content-Type: ${type}\r\nContent-Disposition: ${disposition}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n` +
  (encoding === "base64" ? b64Lines(message) : message);

const ENCODED_NAME = `=?UTF-8?B?${b64("Rückläufer.eml")}?=`;

/** A stranger's bounce that the parser cannot read (too many parts): it returns a mail naming Max. */
const prefixBounceUnreadable = bounceOf(PREFIX, namingMax(PREFIX, MAX), { tail: crowd("r") });

const MESSAGES: Record<string, string> = {
  // Unreadable: nobody's by its bytes; each search reports it as not searched.
  prefixBounceUnreadable,
  maxBounceUnreadable: bounceOf(MAX, namingMax(MAX, PREFIX), { tail: crowd("r") }),
  fwdOctetEmlUnreadable: forwardParts([
    asFile(
      prefixBounceUnreadable,
      'application/octet-stream; name="Unzustellbar.eml"',
      'attachment; filename="Unzustellbar.eml"',
      "7bit",
    ),
  ]),
  fwdRfc822Base64Unreadable: forwardParts([
    asFile(prefixBounceUnreadable, "message/rfc822", 'attachment; filename="Unzustellbar.eml"'),
  ]),
  // The forward itself cannot be read (it attaches Max's bounce among too many parts).
  fwdUnreadable: forwardParts([`Content-Type: message/rfc822\r\n\r\n${bounceOf(MAX)}`], crowd("f")),
  // Max's bounce readable beside a stranger's unreadable one: Max's; the stranger's search reports it.
  fwdMaxAndUnreadable: forwardParts([
    asFile(bounceOf(MAX), "application/octet-stream", 'attachment; filename="max.eml"'),
    asFile(prefixBounceUnreadable, "application/octet-stream", 'attachment; filename="anderer.eml"'),
  ]),

  // Max's: his bounce attached as a file named *.eml.
  fwdBounceOctetEml: forwardParts([
    asFile(
      bounceOf(MAX),
      'application/octet-stream; name="Unzustellbar.eml"',
      'attachment; filename="Unzustellbar.eml"',
    ),
  ]),
  fwdBounceTextEml: forwardParts([
    asFile(bounceOf(MAX), "text/plain; charset=utf-8", 'attachment; filename="Unzustellbar.eml"', "7bit"),
  ]),
  fwdBounceEmlEncodedName: forwardParts([
    asFile(
      bounceOf(MAX),
      `application/octet-stream; name="${ENCODED_NAME}"`,
      `attachment; filename="${ENCODED_NAME}"`,
    ),
  ]),
  fwdBounceEml2231: forwardParts([
    asFile(
      bounceOf(MAX),
      "application/octet-stream",
      `attachment;\r\n filename*0*=UTF-8''R%C3%BCckl%C3%A4ufer.e;\r\n filename*1="ml"`,
    ),
  ]),

  fwdBounceEmlPercent: forwardParts([
    asFile(bounceOf(MAX), "application/octet-stream", `attachment; filename*=UTF-8''Unzustellbar%2E%65ml`),
  ]),

  // The stranger's: his bounce attached as .eml, returning a mail naming Max.
  fwdPrefixBounceOctetEml: forwardParts([
    asFile(
      bounceOf(PREFIX, namingMax(PREFIX, MAX)),
      "application/octet-stream",
      'attachment; filename="Unzustellbar.eml"',
    ),
  ]),

  // Nobody's: an ordinary mail to Max attached as .eml is no report (ADR 0007 decides forwards).
  fwdOrdinaryEml: forwardParts([
    asFile(
      original(MAX, "", "Bitte um Rückruf."),
      "application/octet-stream",
      'attachment; filename="anfrage.eml"',
    ),
  ]),
};

/** Messages that hold no report, between the others. */
const FILLERS: Record<string, string> = {
  fillerPlain: original("poststelle@amt.example", "", "Guten Tag."),
  fillerPdf: forwardParts([
    asFile("%PDF-1.4 message/ ".repeat(200), "application/pdf", 'attachment; filename="a.pdf"'),
  ]),
  // A name in RFC 2231 form, as the sample generator writes non-ASCII ones: not looked into.
  fillerPdf2231: forwardParts([
    asFile(
      "%PDF-1.4 ".repeat(200),
      "application/pdf",
      `attachment; filename*=UTF-8''Bescheid%20%C3%BCber.pdf`,
    ),
  ]),
  fillerEmlx: forwardParts([
    asFile(original(MAX, "", "x"), "application/octet-stream", 'attachment; filename="notiz.emlx"'),
  ]),
};

const UNREADABLE = [
  "fwdOctetEmlUnreadable",
  "fwdRfc822Base64Unreadable",
  "fwdUnreadable",
  "maxBounceUnreadable",
  "prefixBounceUnreadable",
];

/** Each search: what it finds, and where it reports a report it could not read. */
const EXPECTED: [Subject, string, { found: string[]; unread: string[] }][] = [
  [
    max,
    "max",
    {
      found: [
        "fwdBounceEml2231",
        "fwdBounceEmlEncodedName",
        "fwdBounceEmlPercent",
        "fwdBounceOctetEml",
        "fwdBounceTextEml",
        "fwdMaxAndUnreadable",
      ],
      unread: UNREADABLE,
    },
  ],
  [
    maxPrefix,
    "maxPrefix",
    { found: ["fwdPrefixBounceOctetEml"], unread: [...UNREADABLE, "fwdMaxAndUnreadable"].sort() },
  ],
];

/** One search: what it finds, the reports it could not read, its other problems. */
async function searchIn(mailbox: ReportMailbox, subject: Subject) {
  const { names, problems } = await findAll(mailbox, subject);
  return {
    found: names,
    unread: problems
      .filter((p) => p.unsearched && /cannot be read/.test(p.reason) && /not searched/.test(p.reason))
      .map((p) => mailbox.nameOf(p.where))
      .sort(),
    others: problems.filter((p) => !(p.unsearched && /not searched/.test(p.reason))),
  };
}

describe("delivery reports the parser cannot read, and reports attached as .eml", () => {
  it("the parser alone takes none by its bytes, names what it could not read, and reads .eml", async () => {
    for (const [subject, who, expected] of EXPECTED) {
      const compiled = compileSubject(subject);
      const found: string[] = [];
      const unread: string[] = [];
      for (const { name, bytes, fields, offered } of beforeParsing(subject, { ...MESSAGES, ...FILLERS })) {
        const header = matchHeaders(fields, compiled);
        expect({ name, header }).toEqual({ name, header: null });
        if (!isDeliveryReport(fields) && !embedsReport(bytes)) continue;
        expect({ name, offered }).toEqual({ name, offered: true });
        const body = await parseMessageBody(fields, bytes);
        const hit = matchDeliveryReport(body, compiled);
        if (hit) {
          expect({ name, role: hit.role }).toEqual({ name, role: "recipient" });
          found.push(name);
        } else if (unreadReportsProblem(body)) unread.push(name);
      }
      expect({ who, found: found.sort(), unread: unread.sort() }).toEqual({ who, ...expected });
    }
  });

  it("a forward is looked into for a file named .eml, also under an encoded name, not for .emlx", () => {
    const bytes = (name: string) => Buffer.from(MESSAGES[name] ?? FILLERS[name]!, "utf8");
    for (const name of [
      "fwdBounceOctetEml",
      "fwdBounceEmlEncodedName",
      "fwdBounceEml2231",
      "fwdBounceEmlPercent",
      "fwdBounceTextEml",
    ])
      expect({ name, embeds: embedsReport(bytes(name)) }).toEqual({ name, embeds: true });
    for (const name of ["fillerPdf", "fillerPdf2231", "fillerEmlx", "fillerPlain"])
      expect({ name, embeds: embedsReport(bytes(name)) }).toEqual({ name, embeds: false });
  });

  /** The searches in `mailbox`, alone and two at once. */
  function searchesIn(mailbox: ReportMailbox) {
    it.each(EXPECTED.map(([subject, who, expected]) => ({ subject, who, expected })))(
      "$who: found only by what a report states, the unreadable reported as not searched",
      async ({ subject, expected }) => {
        const result = await searchIn(mailbox, subject);
        expect({ found: result.found, unread: result.unread }).toEqual(expected);
        expect(result.others).toEqual([]);
      },
    );

    it("two searches at once get what each gets alone", async () => {
      const both = await Promise.all(EXPECTED.map(([subject]) => searchIn(mailbox, subject)));
      expect(both.map((r) => ({ found: r.found, unread: r.unread }))).toEqual(EXPECTED.map(([, , e]) => e));
    });
  }

  describe("in a Maildir", () => searchesIn(inMaildir("rp-bounce-unreadable-", { ...MESSAGES, ...FILLERS })));

  describe("on a Dovecot IMAP server", () =>
    searchesIn(onDovecot("bounce-unreadable", { ...FILLERS, ...MESSAGES })));
});
