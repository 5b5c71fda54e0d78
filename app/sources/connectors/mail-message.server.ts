/**
 * One message of a mailbox as both mailbox connectors (Maildir files, IMAP) read it: the header
 * block parsed on its own (any length, folded lines, RFC 2047, UTF-8 or Latin-1 bytes), the
 * subject's part in it decided from the headers, and the finding's content from the whole message,
 * which is parsed only for a match.
 *
 * Matching rules (why):
 * - A message is the subject's when one of the subject's addresses is in a header that names a
 *   party of the message: From, Sender, Reply-To, Return-Path, Disposition-Notification-To,
 *   To, Cc, Bcc (a sent copy keeps it), the Resent-* headers of a forward, and what mail servers
 *   add on delivery — Delivered-To (Postfix local/virtual, Dovecot LDA/LMTP), X-Original-To
 *   (Postfix, the address before alias expansion), Envelope-To/X-Envelope-To (Exim and others),
 *   the `for <…>` clause of a Received line; and in a report — a delivery status notification (a
 *   bounce of a reply to the person) or a read receipt (RFC 8098 disposition notification) — the
 *   Final-Recipient/Original-Recipient of its report part, decoded as a mail client decodes it
 *   (base64, quoted-printable, nested in multipart/mixed, RFC 6533 `utf-8`), never the message it
 *   returns. See "Reports" below.
 * - A fax the gateway delivered is the sender's by the number in X-Fax-Sender.
 * - A display name alone never makes a message the subject's: anyone may write any name, a
 *   namesake or a relative writes the same one, and the address beside it is someone's address —
 *   if it were the subject's, the address would have matched. The one exception is an address a
 *   broken client put inside the (encoded) display name so that no address is left beside it.
 * Addresses are compared as keys of the subject (CompiledSubject.email): case, "+tag", IDN and
 * `mailto:` are its business, not this module's.
 *
 * Reports (why): a report's recipient fields state a fact about that address — the mail to it
 * failed, was delayed, was read or deleted unread — so the report is the record of whoever holds
 * it, whatever address sent it; the message it returns is evidence of what failed, and whoever is
 * named only there is a stranger to the report (ADR 0010 "Mail").
 * - A report is one by its headers: multipart/report of any report type (delivery status, read
 *   receipt), a single-part report (the whole message is message/delivery-status,
 *   message/disposition-notification or their RFC 6533 global forms: a gateway's or an old MTA's
 *   notice), or any multipart message the mail system sent (`isDeliveryReport`).
 * - A read receipt is the person's when it names their address as Final- or Original-Recipient
 *   (it reports what happened to the mail delivered to them), also when their client sent it from
 *   an address they did not give, or it passed an alias; From matches it as any header does.
 * - A report forwarded inside another message (message/rfc822 or message/global, attached or
 *   inline, any depth; a file named *.eml a client attached as application/octet-stream or
 *   text/plain; or a report part a client forwarded inline) still states its fact about its
 *   recipients: the forward is their record. An ordinary mail attached as *.eml is read for
 *   nothing (whether a forward is its mail's record is ADR 0007's matter, not decided here). The
 *   forward's own text is not read (a body never makes a message anyone's), nor what a forwarded
 *   report returns. Headers do not tell a forward, so the
 *   connectors look into every multipart message a search's keys are not in (`mayEmbedReport`,
 *   then `embedsReport` over its bytes) and parse only those that hold a message or a report part.
 * - What a report returns — message/rfc822 attached or inline (mailparser merges an inline one
 *   into the text and parts around it, so a report with one is parsed again with every embedded
 *   message kept apart), text/rfc822-headers, a bounce or a forward returned inside a bounce — is
 *   never read.
 * - A report the parser cannot read (too many parts, a header too long: mailparser throws), or a
 *   message forwarding one, is matched by its own header fields only; none of its bytes is taken
 *   for recipients, since they hold what a report returns (a stranger's bounce returning a mail
 *   that names the person would be handed to the person). Whose record it is cannot be told, so
 *   each search it is offered to and not found for by its headers reports it, located, as not
 *   searched (`MessageBody.unreadReports`); likewise a message forwarded inside a readable one
 *   that cannot be parsed, or one nested deeper than the parser reads.
 */
import { type ParsedMail, parseAddressHeader, simpleParser } from "mailparser";
import type { StoreActivityId } from "#app/core/processing-activities";
import { PROCESSING_ACTIVITY } from "../activities";
import type { Finding, FindingFlag, JsonObject, MatchedIdentifier } from "../connector";
import { bestMatch, type CompiledSubject } from "../subject";

export interface HeaderField {
  /** Lower case. */
  name: string;
  /** Unfolded; raw bytes read as UTF-8 (RFC 6532) or, where that is invalid, as Latin-1. */
  value: string;
}

interface MailAddress {
  name: string;
  address: string;
}

type Role = NonNullable<Finding["role"]>;

/** Headers naming a party of the message, in the order their role wins a tie. */
const ADDRESS_HEADERS: readonly (readonly [string, Role])[] = [
  ["from", "sender"],
  ["sender", "sender"],
  ["reply-to", "sender"],
  ["resent-from", "sender"],
  ["resent-sender", "sender"],
  ["return-path", "sender"],
  ["disposition-notification-to", "sender"],
  ["to", "recipient"],
  ["resent-to", "recipient"],
  ["delivered-to", "recipient"],
  ["x-original-to", "recipient"],
  ["envelope-to", "recipient"],
  ["x-envelope-to", "recipient"],
  ["cc", "cc"],
  ["resent-cc", "cc"],
  ["bcc", "cc"],
  ["resent-bcc", "cc"],
];

const CRLF_CRLF = Buffer.from("\r\n\r\n");
const LF_LF = Buffer.from("\n\n");

/** Offset just after the blank line that ends the header block, or -1 if `bytes` holds none. */
export function headerBlockEnd(bytes: Buffer): number {
  if (bytes.length > 0 && (bytes[0] === 0x0a || (bytes[0] === 0x0d && bytes[1] === 0x0a)))
    return bytes[0] === 0x0a ? 1 : 2;
  const crlf = bytes.indexOf(CRLF_CRLF);
  const lf = bytes.indexOf(LF_LF);
  if (crlf === -1) return lf === -1 ? -1 : lf + 2;
  if (lf === -1 || crlf < lf) return crlf + 4;
  return lf + 2;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeBytes(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/** The lines of a block, each decoded on its own: one gateway's Latin-1 header must not garble another's UTF-8. */
function decodedLines(block: Buffer): string[] {
  // A block that is UTF-8 as a whole is so line by line (a line feed is no byte of another
  // character): decoded at once. The decoder drops a byte-order mark at the start of what it
  // decodes, so a block holding one anywhere is decoded line by line, as each line drops its own.
  if (block.indexOf(BYTE_ORDER_MARK) === -1) {
    let text: string | null = null;
    try {
      text = utf8.decode(block);
    } catch {
      // A line that is not UTF-8: each line is decoded on its own below.
    }
    // A block ending in a line feed splits into one more, empty line, which ends it as a blank line does.
    if (text !== null)
      return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  }
  const lines: string[] = [];
  let start = 0;
  while (start < block.length) {
    let end = block.indexOf(0x0a, start);
    if (end === -1) end = block.length;
    const line = block.subarray(start, end > start && block[end - 1] === 0x0d ? end - 1 : end);
    lines.push(decodeBytes(line));
    start = end + 1;
  }
  return lines;
}

/** A field's value: its lines joined, white space as one space. */
function fieldOf(name: string, lines: readonly string[]): HeaderField {
  return { name, value: lines.join(" ").replace(/\s+/g, " ").trim() };
}

/** The header fields of a header block (the block may include the blank line; nothing after it is read). */
export function parseHeaderBlock(block: Buffer): HeaderField[] {
  const end = headerBlockEnd(block);
  const fields: HeaderField[] = [];
  let name: string | null = null;
  let lines: string[] = [];
  for (const line of decodedLines(end === -1 ? block : block.subarray(0, end))) {
    if (line === "") break;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // A folded continuation; a stray one before any field is dropped.
      if (name !== null) lines.push(line.trim());
      continue;
    }
    if (name !== null) fields.push(fieldOf(name, lines));
    const colon = line.indexOf(":");
    name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : null;
    lines = name === null ? [] : [line.slice(colon + 1).trim()];
  }
  if (name !== null) fields.push(fieldOf(name, lines));
  return fields;
}

function headerValues(fields: readonly HeaderField[], name: string): string[] {
  return fields.filter((f) => f.name === name).map((f) => f.value);
}

/** Every mailbox of the named headers, groups flattened, display names decoded, domains as written. */
function addressesOf(fields: readonly HeaderField[], name: string): MailAddress[] {
  const values = headerValues(fields, name);
  if (values.length === 0) return [];
  return parseAddressHeader(values, { flatten: true, decodePunycode: false }).value.map((a) => ({
    name: a.name ?? "",
    address: a.address ?? "",
  }));
}

function formatAddress(a: MailAddress): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The Date header read directly: an unreadable date is null, never "now". */
export function dateOf(fields: readonly HeaderField[]): Date | null {
  const value = headerValues(fields, "date")[0];
  if (!value) return null;
  const date = new Date(value.replace(/\([^)]*\)\s*$/, "").trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface MessageMatch {
  identifier: MatchedIdentifier;
  role: Role;
  activity: StoreActivityId;
}

/** A sender of delivery reports: the mail system itself. */
const MAIL_SYSTEM = /^(?:mailer-daemon|postmaster)@/i;

/** The machine-readable part of a report: delivery status (RFC 3464) or disposition (RFC 8098), and their RFC 6533 global forms. */
const REPORT_PART = /^message\/(?:global-)?(?:delivery-status|disposition-notification)$/i;

/** A message inside a message: forwarded as an attachment or inline, or returned by a report. */
const EMBEDDED_MESSAGE = /^message\/(?:rfc822|global)$/i;

/**
 * A report (a delivery status notification or a read receipt) names its recipients in the report
 * part, not in the headers, so it is parsed for every search. It is one when its Content-Type is
 * multipart/report (of any report type), or a report part as the whole message (single-part) —
 * or, as a gateway wraps a bounce into multipart/mixed (a disclaimer, a virus scanner), any
 * multipart message the mail system sent: an empty Return-Path (RFC 3464 and RFC 8098 send a report
 * with a null return path; delivery writes it), a MAILER-DAEMON or postmaster sender, or Exim's
 * X-Failed-Recipients. `headerViewOfBlock` (record-prefilter.ts) must never be narrower.
 */
export function isDeliveryReport(fields: readonly HeaderField[]): boolean {
  const report = deliveryReportByFields(fields);
  return report === "if the mail system sent it" ? sentByMailSystem(fields) : report;
}

/**
 * `isDeliveryReport` as far as it is told without reading addresses: true or false, or "if the
 * mail system sent it" — a multipart message that is one only when its From or Sender address is
 * a MAILER-DAEMON's or postmaster's (`sentByMailSystem`, which parses the address fields).
 */
export function deliveryReportByFields(
  fields: readonly HeaderField[],
): boolean | "if the mail system sent it" {
  const types = headerValues(fields, "content-type");
  if (types.some((v) => /multipart\/report/i.test(v))) return true;
  if (types.some((v) => REPORT_PART.test(v.split(";")[0]!.trim()))) return true;
  if (!types.some((v) => /^\s*multipart\//i.test(v))) return false;
  if (headerValues(fields, "return-path").some((v) => /^<\s*>$/.test(v.trim()))) return true;
  if (fields.some((f) => f.name === "x-failed-recipients")) return true;
  return "if the mail system sent it";
}

/** A From or Sender address is the mail system's (`MAIL_SYSTEM`). */
function sentByMailSystem(fields: readonly HeaderField[]): boolean {
  return ["from", "sender"].some((name) =>
    addressesOf(fields, name).some((a) => MAIL_SYSTEM.test(a.address.trim())),
  );
}

/** The fields `matchHeaders` reads: the address headers, Received (its "for" clause) and X-Fax-Sender. */
export const MATCHED_FIELDS: ReadonlySet<string> = new Set([
  ...ADDRESS_HEADERS.map(([header]) => header),
  "received",
  "x-fax-sender",
]);

/** Decides from the headers whether the message is the subject's, and in which part (`MATCHED_FIELDS` only). */
export function matchHeaders(fields: readonly HeaderField[], subject: CompiledSubject): MessageMatch | null {
  const candidates: { id: MatchedIdentifier; role: Role }[] = [];
  const consider = (id: MatchedIdentifier | null, role: Role) => {
    if (id) candidates.push({ id, role });
  };
  for (const [header, role] of ADDRESS_HEADERS) {
    for (const mailbox of addressesOf(fields, header)) {
      consider(mailbox.address ? subject.email(mailbox.address) : subject.email(mailbox.name), role);
    }
  }
  for (const received of headerValues(fields, "received")) {
    const forClause = /\bfor\s+<?([^\s<>;]+@[^\s<>;]+?)>?\s*(?:;|\(|$)/i.exec(received);
    if (forClause) consider(subject.email(forClause[1]!), "recipient");
  }
  const fax = headerValues(fields, "x-fax-sender")[0];
  if (fax !== undefined) consider(subject.phone(fax), "sender");
  if (candidates.length === 0) return null;
  const best = bestMatch(...candidates.map((c) => c.id))!;
  const role = candidates.find((c) => c.id === best)!.role;
  return {
    identifier: best,
    role,
    activity: fax !== undefined ? PROCESSING_ACTIVITY.fax : PROCESSING_ACTIVITY.email,
  };
}

/** A recipient field of a delivery report: RFC 3464 Final-/Original-Recipient, Sendmail's X-Actual-Recipient. */
const RECIPIENT_FIELD =
  /^(?:final|original|x-actual)-recipient[ \t]*:[ \t]*(?:([a-z0-9][a-z0-9.+-]*)[ \t]*;)?[ \t]*(\S+)/gim;

/**
 * The addresses the recipient fields of delivery reports in `text` name, folded lines joined. The
 * address type is read in any case and spacing ("RFC822 ; <a@b>"); `utf-8` (RFC 6533) has its
 * `\\x{HEX}` escapes decoded; an address of another type (x400, unknown) is no mail address.
 */
function deliveryRecipients(text: string): string[] {
  const found: string[] = [];
  for (const field of text.replace(/\r?\n[ \t]+/g, " ").matchAll(RECIPIENT_FIELD)) {
    const type = field[1]?.toLowerCase();
    const address = field[2]!;
    if (type === undefined || type === "rfc822") found.push(address);
    else if (type === "utf-8")
      found.push(
        address.replace(/\\x\{([0-9a-f]{1,6})\}/gi, (escape, hex: string) => {
          const point = Number.parseInt(hex, 16);
          return point <= 0x10ffff ? String.fromCodePoint(point) : escape;
        }),
      );
  }
  return found;
}

/**
 * Whether a message may hold a forwarded report, by its header block alone: it is multipart or a
 * message inside a message (message/rfc822, message/global). Wider than the parser (the words
 * anywhere in the block), never narrower; a message without them has one part and holds no other.
 */
export function mayEmbedReport(head: Buffer): boolean {
  return /multipart\/|message\//i.test(head.toString("latin1"));
}

/**
 * What may make the parser find a message or a report part inside a message: the content type of
 * such a part, which a part's header carries unencoded, or a file name ending .eml
 * (`isAttachedMessageName`) — as written, with RFC 2231 percent escapes, split over RFC 2231
 * continuations (`name*0`) or in RFC 2047 encoded words (`name="=?`), the last two whatever they
 * name. Read over the whole message's bytes (the part headers are between its boundaries), wider
 * than the parser, never narrower.
 */
const EMBEDDED_HINT =
  /message\/(?:rfc822|global|(?:global-)?delivery-status|(?:global-)?disposition-notification)|(?:\.|%2e)(?:e|%65)(?:m|%6d)(?:l|%6c)\b|name\*[0-9]|name\s{0,8}=\s{0,8}"?\s{0,8}=\?/i;

/** The longest text `EMBEDDED_HINT` matches: a text read in pieces keeps this much of the piece before. */
export const EMBEDDED_HINT_LENGTH = "message/global-disposition-notification".length;

/**
 * A file a mail client attached as a message: named *.eml (the name decoded), whatever type it was
 * given (application/octet-stream, text/plain). Read as message/rfc822 only to find a report it
 * holds (module comment, "Reports"); an ordinary mail attached so is not matched (ADR 0007).
 */
export function isAttachedMessageName(name: string | null | undefined): boolean {
  return /\.eml\s*$/i.test(name ?? "");
}

/** Whether a piece of a message's bytes, read as Latin-1, may hold a report to read (`embedsReport`). */
export function embedsReportText(text: string): boolean {
  return EMBEDDED_HINT.test(text);
}

/** Whether a message that is no report holds a report to read (`mayEmbedReport` first): a forwarded one. */
export function embedsReport(message: Buffer): boolean {
  return embedsReportText(message.toString("latin1"));
}

/** The match by the recipients a report names (`MessageBody.deliveryRecipients`). */
export function matchDeliveryReport(body: MessageBody, subject: CompiledSubject): MessageMatch | null {
  const found: MatchedIdentifier[] = [];
  for (const address of body.deliveryRecipients) {
    const id = subject.email(address);
    if (id) found.push(id);
  }
  const best = bestMatch(...found);
  return best ? { identifier: best, role: "recipient", activity: PROCESSING_ACTIVITY.email } : null;
}

export interface MessageFinding {
  identifier: MatchedIdentifier;
  role: Role;
  activity: StoreActivityId;
  flags: FindingFlag[];
  recordedAt: Date | null;
  content: JsonObject;
  /** Set when the body could not be parsed: the finding then carries the header fields only. */
  bodyProblem: string | null;
}

/** What the whole message adds to a finding, whoever it is found for: its subject, text and attachments. */
export interface MessageBody {
  subject: string | null;
  text: string | null;
  attachments: JsonObject[];
  /**
   * The recipients its report parts name, decoded as a mail client decodes them (base64,
   * quoted-printable, charset; a report nested in multipart/mixed) — of the message if it is a
   * report, else of the reports it forwards; never what a report returns (`reportRecipients`).
   */
  deliveryRecipients: string[];
  /** Set when the body could not be parsed: the finding then carries the header fields only. */
  problem: string | null;
  /**
   * What of its reports could not be read: the message is a report, or forwards a message, that
   * the parser cannot read. Its recipients are then not known — nothing of its bytes is taken for
   * them, as those hold what the report returns — so a search it is not found for by its headers
   * reports it as not searched (the connectors).
   */
  unreadReports: string[];
}

/** Why a parse failed, in words for staff: the parser's code (EMAXLEN: too many parts, a header too long) or the error's name. */
function parseFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "unknown error";
}

/** The problem a search reports for a message whose reports could not be read (`MessageBody.unreadReports`). */
export function unreadReportsProblem(body: MessageBody): string | null {
  return body.unreadReports.length === 0
    ? null
    : `${body.unreadReports.join("; ")}: whose record it is cannot be told, not searched`;
}

/**
 * Parses the whole message. It does not depend on whose the message is, so a pass that finds it
 * for several searches parses it once (ADR 0021) and describes it for each with `describeMessage`.
 */
export async function parseMessageBody(
  fields: readonly HeaderField[],
  message: Buffer,
): Promise<MessageBody> {
  const subject = headerValues(fields, "subject")[0] ?? null;
  try {
    const parsed = await simpleParser(message);
    const reports = await reportRecipients(fields, message, parsed, 0);
    return {
      subject: parsed.subject ?? subject,
      text: parsed.text ?? null,
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename ?? null,
        contentType: a.contentType,
        size: a.size,
      })),
      deliveryRecipients: reports.recipients,
      problem: null,
      unreadReports: reports.unread,
    };
  } catch (error) {
    // Unparsable: matched by its own header fields only. Its bytes are not read for recipients —
    // they hold what a report returns, a stranger's bounce may return a mail naming the person —
    // so a report, or a message that may forward one, is reported as not searched instead.
    const failure = parseFailure(error);
    const unreadReports = isDeliveryReport(fields)
      ? [`a delivery report or read receipt whose parts cannot be read (${failure})`]
      : embedsReport(message)
        ? [`a message that may forward a delivery report or read receipt cannot be read (${failure})`]
        : [];
    return {
      subject,
      text: null,
      attachments: [],
      deliveryRecipients: [],
      problem: `message body could not be parsed (${failure}); found by its headers`,
      unreadReports,
    };
  }
}

/** Forwards inside forwards read at most this deep (a message is no deeper in practice; a crafted one is cut off). */
const MAX_EMBEDDING = 8;

/** mailparser merges an embedded message/rfc822 into the text and parts around it when its disposition is inline (wider than that). */
const MERGES_EMBEDDED = (text: string) =>
  /message\/rfc822/i.test(text) && /content-disposition\s*:\s*"?\s*inline/i.test(text);

/**
 * The recipients the reports of a message name (module comment, "Reports"). Of a report: its own
 * recipient fields — in its text (an explanation, a delivery-status part mailparser reads as text)
 * and its report parts — and nothing of an embedded message (what it returns). Of any other
 * message: the report parts it carries (a client's inline forward) and, for each message embedded
 * in it, that message's reports, read by the same rule. `parsed` is the message as parsed for the
 * finding; it is parsed again, every embedded message kept apart, only where mailparser may have
 * merged one into it (an inline message/rfc822) or, in a message that is no report, read a
 * delivery-status part into its text. An embedded message (or a file named *.eml) is parsed only
 * if it is a report or holds a message or a report part itself; one that cannot be parsed is named
 * in `unread`, and nothing of its bytes is read.
 */
async function reportRecipients(
  fields: readonly HeaderField[],
  message: Buffer,
  parsed: ParsedMail | null,
  depth: number,
): Promise<{ recipients: string[]; unread: string[] }> {
  const report = isDeliveryReport(fields);
  const bytes = message.toString("latin1");
  if (!report && !EMBEDDED_HINT.test(bytes)) return { recipients: [], unread: [] };
  // The parse for the finding will do unless it may have merged an embedded message, or, for a
  // message that is no report, read a delivery-status part into its text (mailparser's default).
  const apart =
    parsed && !MERGES_EMBEDDED(bytes) && (report || !/delivery-status/i.test(bytes))
      ? parsed
      : await simpleParser(message, {
          ignoreEmbedded: true,
          keepDeliveryStatus: true,
          skipHtmlToText: !report,
          skipTextToHtml: true,
          skipImageLinks: true,
          skipTextLinks: true,
          checksumAlgo: false,
        });
  const found = report ? deliveryRecipients(apart.text ?? "") : [];
  const unread: string[] = [];
  for (const part of apart.attachments) {
    if (REPORT_PART.test(part.contentType)) found.push(...deliveryRecipients(decodeBytes(part.content)));
    else if (!report && (EMBEDDED_MESSAGE.test(part.contentType) || isAttachedMessageName(part.filename))) {
      if (depth >= MAX_EMBEDDING) {
        if (
          EMBEDDED_HINT.test(part.content.toString("latin1")) ||
          isDeliveryReport(parseHeaderBlock(part.content))
        )
          unread.push(`a message forwarded inside more than ${MAX_EMBEDDING} others is not read`);
        continue;
      }
      const end = headerBlockEnd(part.content);
      const inner = parseHeaderBlock(end === -1 ? part.content : part.content.subarray(0, end));
      try {
        const nested = await reportRecipients(inner, part.content, null, depth + 1);
        found.push(...nested.recipients);
        unread.push(...nested.unread);
      } catch (error) {
        // As for a message that is itself unparsable (parseMessageBody): none of its bytes is
        // taken for recipients (they hold what a report returns), it is reported unread.
        if (isDeliveryReport(inner) || EMBEDDED_HINT.test(part.content.toString("latin1")))
          unread.push(
            `a forwarded message that may be a delivery report or read receipt cannot be read (${parseFailure(error)})`,
          );
      }
    }
  }
  return { recipients: found, unread };
}

/**
 * The finding's facts and content; the whole message is parsed here, for a match only — or
 * before, once for every search it matches (`parseMessageBody`), and passed in as `parsed`.
 */
export async function describeMessage(
  folder: string,
  fields: readonly HeaderField[],
  message: Buffer,
  hit: MessageMatch,
  parsed?: Promise<MessageBody>,
): Promise<MessageFinding> {
  const list = (name: string) => addressesOf(fields, name).map(formatAddress);
  const to = list("to");
  const cc = list("cc");
  const bcc = list("bcc");
  const recordedAt = dateOf(fields);
  const body = await (parsed ?? parseMessageBody(fields, message));
  const bodyProblem = body.problem;
  const fax = headerValues(fields, "x-fax-sender")[0];
  const others = to.length + cc.length + bcc.length > 1;
  return {
    identifier: hit.identifier,
    role: hit.role,
    activity: hit.activity,
    flags: others || hit.role === "cc" ? ["third-party-data"] : [],
    recordedAt,
    content: {
      folder,
      messageId: headerValues(fields, "message-id")[0] ?? null,
      from: list("from").join(", ") || null,
      to,
      cc,
      ...(bcc.length ? { bcc } : {}),
      subject: body.subject,
      date: recordedAt?.toISOString() ?? null,
      text: body.text,
      // A copy each: the parsed body may be described for several searches' findings.
      attachments: body.attachments.map((a) => ({ ...a })),
      ...(fax !== undefined ? { faxSender: fax } : {}),
    },
    bodyProblem,
  };
}
