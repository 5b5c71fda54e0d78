/**
 * What the tests of mail reports (bounce-encodings, bounce-forms, bounce-unreadable) share: the
 * parts their messages are built of, the mailboxes they put them in (a Maildir of real files and a
 * real Dovecot, set up before the tests of a describe block and torn down after), each message as
 * a search sees it before parsing, one search's findings and problems by message name, and the test
 * that each search gets exactly its own.
 * Each file keeps its own messages, expectations and assertions.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Finding, ScanProblem, SourceConnector, Subject } from "#app/sources/connector";
import { ImapConnector } from "#app/sources/connectors/imap.server";
import {
  headerBlockEnd,
  mayEmbedReport,
  parseHeaderBlock,
} from "#app/sources/connectors/mail-message.server";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { headerMayConcern, headerViewOfBlock, recordKeys } from "#app/sources/record-prefilter";
import { startDovecot } from "../support/dovecot";
import { subjectOf } from "./search-results";

/** The person, or a stranger, known by one proven address. */
export const addressed = (email: string): Subject => subjectOf({ emails: [{ value: email, proven: true }] });

export const DATE = "Date: Mon, 4 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n";

/** A message the Poststelle sent: To `to`, Cc `cc`, its body `body`. */
export const original = (to: string, cc: string, body: string) =>
  `From: poststelle@amt.example\r\nTo: ${to}\r\n${cc ? `Cc: ${cc}\r\n` : ""}Subject: Bescheid\r\n${DATE}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;

/** The fields of a delivery-status part naming `recipient` (of address type `type`) as failed. */
export const statusFields = (recipient: string, type = "rfc822") =>
  `Reporting-MTA: dns; mail.amt.example\r\n\r\nFinal-Recipient: ${type}; ${recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n`;

/** The head of a bounce from the mail system as delivered (Return-Path <> as Postfix and Dovecot write it), up to its body. */
export const bounceHead = (contentType: string, from = "MAILER-DAEMON@amt.example") =>
  `Return-Path: <>\r\nFrom: ${from}\r\nTo: poststelle@amt.example\r\nSubject: Undelivered Mail Returned to Sender\r\n${DATE}` +
  `Content-Type: ${contentType}\r\n\r\n`;

/** A bounce's first part: the explanation for people, after boundary `boundary`. */
export const explanation = (boundary: string) =>
  `--${boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message could not be delivered.\r\n`;

/**
 * The mail system's bounce of a mail to `recipient`, returning `returned` (a part: its headers and
 * body), then `tail` (parts), its boundary `boundary`.
 */
export const bounceOf = (
  recipient: string,
  returned = `Content-Type: message/rfc822\r\n\r\n${original(recipient, "", "Guten Tag.")}`,
  { boundary = "r", tail = "" } = {},
) =>
  bounceHead(`multipart/report; report-type=delivery-status; boundary="${boundary}"`) +
  explanation(boundary) +
  `--${boundary}\r\nContent-Type: message/delivery-status\r\n\r\n${statusFields(recipient)}\r\n` +
  `--${boundary}\r\n${returned}\r\n${tail}--${boundary}--\r\n`;

/**
 * Each of `messages` (name → bytes) as `subject`'s search sees it before parsing: its bytes and
 * header fields, whether the search before parsing lets it through (`prefilter`), and whether it is
 * offered to the parser (`offered`: let through, or a multipart message the connectors look into).
 */
export function* beforeParsing(subject: Subject, messages: Record<string, string | Buffer>) {
  const keys = recordKeys(subject);
  for (const [name, text] of Object.entries(messages)) {
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    const head = bytes.subarray(0, headerBlockEnd(bytes));
    const prefilter = headerMayConcern(headerViewOfBlock(head), keys);
    yield {
      name,
      bytes,
      fields: parseHeaderBlock(head),
      prefilter,
      offered: prefilter || mayEmbedReport(head),
    };
  }
}

/** A mailbox under test: its connector (once the describe block's setup ran) and the name of the message a reference points at. */
export interface ReportMailbox {
  readonly connector: SourceConnector;
  nameOf(ref: string): string;
}

/** A Maildir of real files in a temporary directory holding `messages` (name → bytes), for the tests of the describe block it is called in. */
export function inMaildir(prefix: string, messages: Record<string, string | Buffer>): ReportMailbox {
  let root: string | undefined;
  let mailbox: MaildirConnector | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
    await mkdir(join(root, "cur"), { recursive: true });
    await mkdir(join(root, "new"), { recursive: true });
    for (const [name, bytes] of Object.entries(messages))
      await writeFile(join(root, "cur", `${name}:2,S`), bytes);
    mailbox = new MaildirConnector("mail", root);
  });
  afterAll(async () => {
    await mailbox?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return {
    get connector() {
      return mailbox!;
    },
    nameOf: (ref) => ref.replace(/^INBOX\//, "").replace(/:2,S$/, ""),
  };
}

/**
 * A real Dovecot whose INBOX holds `messages` (name → bytes, appended in this order), for the tests
 * of the describe block it is called in; `key` names its password (`<key>-secret`) and the
 * environment variable the connector reads it from (RP_TEST_IMAP_<KEY>_PASSWORD).
 */
export function onDovecot(key: string, messages: Record<string, string | Buffer>): ReportMailbox {
  const passwordEnv = `RP_TEST_IMAP_${key.toUpperCase().replace(/-/g, "_")}_PASSWORD`;
  let dovecot: Awaited<ReturnType<typeof startDovecot>> | undefined;
  let connector: ImapConnector | undefined;
  const names = new Map<string, string>();
  beforeAll(async () => {
    dovecot = await startDovecot({ password: `${key}-secret` });
    process.env[passwordEnv] = dovecot.password;
    const admin = await dovecot.connectAsOwner();
    try {
      for (const [name, bytes] of Object.entries(messages)) {
        const appended = await admin.append(
          "INBOX",
          typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes,
          ["\\Seen"],
        );
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
      passwordEnv,
    });
  }, 60_000);
  afterAll(async () => {
    await connector?.close();
    await dovecot?.stop();
    delete process.env[passwordEnv];
  });
  return {
    get connector() {
      return connector!;
    },
    nameOf: (ref) => names.get(ref) ?? ref,
  };
}

/** One search to its end: the names of the messages found (sorted), the findings, and the problems of its last report. */
export async function findAll(mailbox: ReportMailbox, subject: Subject) {
  const findings: Finding[] = [];
  let problems: ScanProblem[] = [];
  for await (const finding of mailbox.connector.find(subject, {
    onReport: (r) => (problems = r.problems),
  }))
    findings.push(finding);
  return { names: findings.map((f) => mailbox.nameOf(f.ref)).sort(), findings, problems };
}

/**
 * For each search of `expected` (subject, who, the names of its own messages): it finds exactly its
 * own in `mailbox`, with no problem, and `check` holds for each finding (given the message's name).
 */
export function itFindsEachTheirOwn(
  title: string,
  mailbox: ReportMailbox,
  expected: [Subject, string, string[]][],
  check: (finding: Finding, name: string) => void,
) {
  it.each(expected.map(([subject, who, own]) => ({ subject, who, own })))(title, async ({ subject, own }) => {
    const result = await findAll(mailbox, subject);
    expect(result.names).toEqual(own);
    expect(result.problems).toEqual([]);
    for (const finding of result.findings) check(finding, mailbox.nameOf(finding.ref));
  });
}
