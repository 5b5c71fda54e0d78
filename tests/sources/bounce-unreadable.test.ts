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
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, ScanProblem, SourceConnector, Subject } from "#app/sources/connector";
import {
  embedsReport,
  headerBlockEnd,
  isDeliveryReport,
  matchDeliveryReport,
  matchHeaders,
  mayEmbedReport,
  parseHeaderBlock,
  parseMessageBody,
  unreadReportsProblem,
} from "#app/sources/connectors/mail-message.server";
import { ImapConnector } from "#app/sources/connectors/imap.server";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { headerMayConcern, headerViewOfBlock, recordKeys } from "#app/sources/record-prefilter";
import { compileSubject } from "#app/sources/subject";
import { startDovecot, type TestDovecot } from "../support/dovecot";
import { b64 } from "../support/mail-messages";

const subjectOf = (email: string): Subject => ({
  emails: [{ value: email, proven: true }],
  names: [],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
});

const MAX = "max.mustermann@example.org";
/** A stranger whose local part is a prefix of Max's. */
const PREFIX = "max.muster@example.org";
const max = subjectOf(MAX);
const maxPrefix = subjectOf(PREFIX);

const lines76 = (text: string) => b64(text).replace(/.{76}/g, "$&\r\n");
const DATE = "Date: Mon, 4 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n";

/** More parts than mailparser takes (1 000): it throws EMAXLEN. */
const CROWD = 1001;
const crowd = (boundary: string) =>
  `--${boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nAnlage\r\n`.repeat(CROWD);

/** A message the Poststelle sent: To `to`, Cc `cc`, its body `body`. */
const original = (to: string, cc: string, body: string) =>
  `From: poststelle@amt.example\r\nTo: ${to}\r\n${cc ? `Cc: ${cc}\r\n` : ""}Subject: Bescheid\r\n${DATE}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

/** A returned mail to `to`, Cc `cc`, whose text names Max as a bounce's recipient would. */
const namingMax = (to: string, cc: string) =>
  `Content-Type: message/rfc822\r\n\r\n${original(to, cc, `Final-Recipient: rfc822; ${MAX}`)}`;

const statusFields = (recipient: string) =>
  `Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: rfc822; ${recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n`;

/** The mail system's bounce of a mail to `recipient`, returning `returned` (a part: its headers and body), then `tail` (parts). */
const bounceOf = (
  recipient: string,
  returned = `Content-Type: message/rfc822\r\n\r\n${original(recipient, "", "Guten Tag.")}`,
  tail = "",
) =>
  `Return-Path: <>\r\nFrom: MAILER-DAEMON@amt.example\r\nTo: poststelle@amt.example\r\nSubject: Undelivered Mail Returned to Sender\r\n${DATE}` +
  `Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n` +
  `--r\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message could not be delivered.\r\n` +
  `--r\r\nContent-Type: message/delivery-status\r\n\r\n${statusFields(recipient)}\r\n` +
  `--r\r\n${returned}\r\n${tail}--r--\r\n`;

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
  (encoding === "base64" ? lines76(message) : message);

const ENCODED_NAME = `=?UTF-8?B?${b64("Rückläufer.eml")}?=`;

/** A stranger's bounce that the parser cannot read (too many parts): it returns a mail naming Max. */
const prefixBounceUnreadable = bounceOf(PREFIX, namingMax(PREFIX, MAX), crowd("r"));

const MESSAGES: Record<string, string> = {
  // Unreadable: nobody's by its bytes; each search reports it as not searched.
  prefixBounceUnreadable,
  maxBounceUnreadable: bounceOf(MAX, namingMax(MAX, PREFIX), crowd("r")),
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

async function findAll(connector: SourceConnector, subject: Subject, nameOf: (ref: string) => string) {
  const findings: Finding[] = [];
  let problems: ScanProblem[] = [];
  for await (const finding of connector.find(subject, { onReport: (r) => (problems = r.problems) }))
    findings.push(finding);
  return {
    found: findings.map((f) => nameOf(f.ref)).sort(),
    unread: problems
      .filter((p) => p.unsearched && /cannot be read/.test(p.reason) && /not searched/.test(p.reason))
      .map((p) => nameOf(p.where))
      .sort(),
    others: problems.filter((p) => !(p.unsearched && /not searched/.test(p.reason))),
    findings,
  };
}

describe("delivery reports the parser cannot read, and reports attached as .eml", () => {
  it("the parser alone takes none by its bytes, names what it could not read, and reads .eml", async () => {
    for (const [subject, who, expected] of EXPECTED) {
      const compiled = compileSubject(subject);
      const keys = recordKeys(subject);
      const found: string[] = [];
      const unread: string[] = [];
      for (const [name, text] of Object.entries({ ...MESSAGES, ...FILLERS })) {
        const bytes = Buffer.from(text, "utf8");
        const head = bytes.subarray(0, headerBlockEnd(bytes));
        const fields = parseHeaderBlock(head);
        const offered = headerMayConcern(headerViewOfBlock(head), keys) || mayEmbedReport(head);
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

  describe("in a Maildir", () => {
    let root: string;
    let mailbox: MaildirConnector;
    const nameOf = (ref: string) => ref.replace(/^INBOX\//, "").replace(/:2,S$/, "");

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), "rp-bounce-unreadable-"));
      await mkdir(join(root, "cur"), { recursive: true });
      await mkdir(join(root, "new"), { recursive: true });
      for (const [name, text] of Object.entries({ ...MESSAGES, ...FILLERS }))
        await writeFile(join(root, "cur", `${name}:2,S`), text);
      mailbox = new MaildirConnector("mail", root);
    });

    afterAll(async () => {
      await mailbox?.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it.each(EXPECTED.map(([subject, who, expected]) => ({ subject, who, expected })))(
      "$who: found only by what a report states, the unreadable reported as not searched",
      async ({ subject, expected }) => {
        const result = await findAll(mailbox, subject, nameOf);
        expect({ found: result.found, unread: result.unread }).toEqual(expected);
        expect(result.others).toEqual([]);
      },
    );

    it("two searches at once get what each gets alone", async () => {
      const both = await Promise.all(EXPECTED.map(([subject]) => findAll(mailbox, subject, nameOf)));
      expect(both.map((r) => ({ found: r.found, unread: r.unread }))).toEqual(EXPECTED.map(([, , e]) => e));
    });
  });

  describe("on a Dovecot IMAP server", () => {
    const PASSWORD_ENV = "RP_TEST_IMAP_BOUNCE_UNREADABLE_PASSWORD";
    let dovecot: TestDovecot;
    let connector: ImapConnector;
    const names = new Map<string, string>();
    const nameOf = (ref: string) => names.get(ref) ?? ref;

    beforeAll(async () => {
      dovecot = await startDovecot({ password: "bounce-unreadable-secret" });
      process.env[PASSWORD_ENV] = dovecot.password;
      const admin = await dovecot.connectAsOwner();
      try {
        for (const [name, text] of Object.entries({ ...FILLERS, ...MESSAGES })) {
          const appended = await admin.append("INBOX", Buffer.from(text, "utf8"), ["\\Seen"]);
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

    it.each(EXPECTED.map(([subject, who, expected]) => ({ subject, who, expected })))(
      "$who: found only by what a report states, the unreadable reported as not searched",
      async ({ subject, expected }) => {
        const result = await findAll(connector, subject, nameOf);
        expect({ found: result.found, unread: result.unread }).toEqual(expected);
        expect(result.others).toEqual([]);
      },
    );

    it("two searches at once get what each gets alone", async () => {
      const both = await Promise.all(EXPECTED.map(([subject]) => findAll(connector, subject, nameOf)));
      expect(both.map((r) => ({ found: r.found, unread: r.unread }))).toEqual(EXPECTED.map(([, , e]) => e));
    });
  });
});
