/**
 * The search before parsing for stores whose records are messages and documents (mailboxes, the
 * records management), issue 17 point 3. A log line is searched in its raw bytes for the forms of
 * an identifier (byte-patterns.ts); a message or a document writes the same identifier in many
 * more ways — MIME encoded words (=?UTF-8?B?…?= and ?Q?), header folding, percent escapes of a
 * `mailto:`, UTF-8 or Latin-1 bytes, capitals, XML character references and CDATA, umlauts or
 * their transliteration (ü/ue, ß/ss), any encoding an XML declaration names (UTF-16 among them) —
 * and no expression over bytes follows them all. So the record is first turned into a text that
 * holds every reading the parser can give it (the header fields it matches by decoded, the
 * encoded words decoded beside them; the metadata decoded with its markup taken out and its
 * references resolved), that text is folded once by the same rule as the name keys
 * (`foldForSearch`), and each search asks whether its own folded keys occur in it. Only what
 * cannot hold a search's identifier is skipped.
 *
 * Why folding is safe: `foldForSearch` maps the text character by character (NFKC, ä→ae, ß→ss,
 * any-ascii, lower case) and then drops everything but letters and digits. A key of an address
 * the parser would read out of the text is the address's characters lower-cased, minus dots, a
 * "+tag" or "-tag" suffix (the providers' rules, emailMailboxKey); the fold of its local part is
 * therefore a piece of the fold of the text. A family name the matcher agrees with has the same key
 * (nameKey: the same fold, words apart), so each word of the subject's family name is a piece of
 * the fold of the record's text. Folding more of the text than the parser reads only adds places
 * where a key might occur: more records are parsed, none is missed.
 *
 * A telephone number (a fax sender, a document's telephone field) is looked for by its digits
 * (CompiledSubject `phoneExpressions`): every notation the matcher reads holds the national
 * number's digits in order, a few other characters between two of them. A message's fax sender is
 * tested as the parser reads its value; a document's folded text, which keeps the digits in order
 * and only drops what stands between them.
 */
import libmime from "libmime";
import { emailMailboxKey, nameKey, parsePersonName } from "#app/core/identifiers";
import type { Subject } from "./connector";
import { compileSubject } from "./subject";
import {
  deliveryReportByFields,
  type HeaderField,
  MATCHED_FIELDS,
  parseHeaderBlock,
} from "./connectors/mail-message.server";

/** A run of characters outside ASCII, with the ASCII character before it if any (a mark after it may compose with it). */
const NON_ASCII_RUN = /[\x00-\x7f]?[^\x00-\x7f]+/g;

/**
 * Letters and digits of the text as the name keys fold it (NFKC, ä→ae, ß→ss, any-ascii, lower
 * case), character by character. Each of these steps maps a text piece by piece wherever a piece
 * begins with an ASCII character: no character composes with an ASCII one that follows it (NFKC
 * composes a starter with the marks after it, and ASCII characters are starters that are no
 * second half of any composition), and the other steps map each code point alone. So the text is
 * folded as its pieces split before each ASCII character: a stretch of ASCII is only lower-cased
 * and stripped, and only a run of other characters, with the ASCII character before it, goes
 * through nameKey — most header text is ASCII with a few umlauts.
 */
export function foldForSearch(text: string): string {
  return text
    .replace(NON_ASCII_RUN, foldRun)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

/**
 * Short runs folded lately, at most `FOLDED_RUNS` of them: the same few (an umlaut with the letter
 * before it, "Mü") come again and again, and NFKC and any-ascii cost more than the look-up.
 */
const foldedRuns = new Map<string, string>();
const FOLDED_RUNS = 4096;
const SHORT_RUN = 16;

/**
 * A piece of text by nameKey's rules, folded where it stands. nameKey turns "Last, First" round
 * at the first comma; NFKC makes commas of other characters (a fullwidth comma), so they are taken
 * out after NFKC, not before: the fold stays character by character.
 */
function foldRun(piece: string): string {
  let folded = foldedRuns.get(piece);
  if (folded === undefined) {
    folded = nameKey(piece.normalize("NFKC").replace(/,/g, " ")).replace(/ /g, "");
    if (piece.length <= SHORT_RUN) {
      if (foldedRuns.size >= FOLDED_RUNS) foldedRuns.clear();
      foldedRuns.set(piece, folded);
    }
  }
  return folded;
}

/** The folded keys one search looks for; null for a search whose identifier has no folded form (every record is parsed). */
export interface RecordKeys {
  /** Folded local parts of the subject's e-mail addresses (the domain is left out: punycode and Unicode fold apart). */
  readonly mailboxes: readonly string[];
  /** For each of the subject's names that the matcher can use, the longest word of its family name, folded. */
  readonly familyWords: readonly string[];
  /**
   * The digits of the subject's telephone numbers as any notation the matcher reads holds them
   * (CompiledSubject `phoneExpressions`): a fax sender, a document's telephone field. None when the
   * subject gave none the matcher can use; null when a number's digits cannot be told (every
   * record with a number is parsed).
   */
  readonly phones: readonly RegExp[] | null;
}

/** The keys of `subject` as the matcher compiles them (CompiledSubject), or null when one of them has no folded form. */
export function recordKeys(subject: Subject): RecordKeys | null {
  const mailboxes = new Set<string>();
  for (const { value } of subject.emails) {
    const key = emailMailboxKey(value, { foldPlusAliasEverywhere: true });
    if (!key) continue;
    const local = foldForSearch(key.slice(0, key.lastIndexOf("@")));
    if (!local) return null;
    mailboxes.add(local);
  }
  const familyWords = new Set<string>();
  for (const { value } of subject.names) {
    const parts = parsePersonName(value);
    // CompiledSubject keeps only names with a given name; the others never match.
    if (!parts || parts.given.length === 0) continue;
    const words = parts.family.split(" ").filter(Boolean);
    if (words.length === 0) return null;
    familyWords.add(words.reduce((a, b) => (b.length > a.length ? b : a)));
  }
  const phones = compileSubject(subject).phoneExpressions();
  return {
    mailboxes: [...mailboxes],
    familyWords: [...familyWords],
    phones: phones && phones.map((digits) => new RegExp(digits)),
  };
}

// ---------------------------------------------------------------------------------------------
// Mail: the header block

/** An RFC 2047 encoded word as libmime decodes one (its `decodeWords`): a charset label of word characters, B or Q, any text up to "?=". */
const ENCODED_WORD = /=\?([\w_\-*]+)\?([QqBb])\?([^?]*)\?=/g;

/**
 * Two encoded words with only white space between (the words as libmime's `decodeWords` first
 * looks for them, before it decodes): it joins such words or closes the space up. Else it only
 * replaces each `ENCODED_WORD` by its `decodeWord` — unless the value holds the marker it joins by.
 */
const ADJACENT_WORDS = /=\?[^?]+\?[QqBb]\?[^?]*\?=\s*=\?[^?]+\?[QqBb]\?[^?]*\?=/;
const JOIN_MARKER = "__\x00JOIN\x00__";

/**
 * The encoded words of a header value decoded as the parser decodes them: mailparser runs
 * libmime's `decodeWords` over each display name and each encoded address of the value — adjacent
 * words of one charset joined, a charset libmime does not know read as UTF-8, as it reads them.
 * Here the whole value is decoded so, and each word also on its own, in case the address parser
 * splits a run of words between a name and an address. Where no words are adjacent, the whole
 * value's decoding is built from the words' own (`ADJACENT_WORDS`): the same text, each word
 * decoded once.
 */
export function decodedWords(value: string): string {
  try {
    const words = Array.from(value.matchAll(ENCODED_WORD), ([, charset, encoding, text]) =>
      libmime.decodeWord(charset!, encoding!, text!),
    );
    let whole: string;
    if (ADJACENT_WORDS.test(value) || value.includes(JOIN_MARKER)) whole = libmime.decodeWords(value);
    else {
      let next = 0;
      whole = value.replace(ENCODED_WORD, () => words[next++]!);
    }
    return [whole, ...words].join("\n");
  } catch {
    // mailparser keeps a value it cannot decode as it stands, which the view holds already.
    return "";
  }
}

/** Percent escapes decoded where they form valid UTF-8 (a `mailto:` URI), else byte by byte as Latin-1. */
export function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return Buffer.from(run.replace(/%/g, ""), "hex").toString("latin1");
      }
    });
  }
}

/** Without RFC 5322 comments ("max(work)@example.org" reads as max@example.org). */
function withoutComments(value: string): string {
  let text = value;
  for (let previous = ""; previous !== text;) {
    previous = text;
    text = text.replace(/\([^()]*\)/g, "");
  }
  return text;
}

/** What a message's header fields may tell a search, folded once for every search that asks. */
export interface HeaderView {
  /**
   * Folded text of the fields the parser matches by (of every field where the block is ASCII): as
   * decoded, its encoded words and percent escapes decoded, its comments left out.
   */
  folded: string;
  /** The message must be parsed for every search: a report, delivery status or read receipt (its recipients are in the body). */
  parseAlways: boolean;
  /** Its X-Fax-Sender values as the parser reads them: a search whose numbers one may be parses it. */
  faxSenders: readonly string[];
}

/** The view of parsed header fields (mail-message.server.ts `parseHeaderBlock`). */
function headerView(fields: readonly HeaderField[]): HeaderView {
  const texts: string[] = [];
  let parseAlways = false;
  const faxSenders: string[] = [];
  for (const { name, value } of fields) {
    if (name === "content-type" && /multipart\/report/i.test(value)) parseAlways = true;
    // A field the parser does not match by (a subject, a date, a message id) names nobody to it.
    if (!MATCHED_FIELDS.has(name)) continue;
    if (name === "x-fax-sender") faxSenders.push(value);
    texts.push(value);
    if (value.includes("=?")) {
      const decoded = decodedWords(value);
      texts.push(decoded, withoutComments(decoded));
    }
    if (value.includes("%")) texts.push(percentDecoded(value));
    if (value.includes("(")) texts.push(withoutComments(value));
  }
  const folded = foldForSearch(texts.join("\n"));
  // Multipart, it is a report if a From or Sender address begins "mailer-daemon@" or "postmaster@":
  // every address the parser reads has its local part folded in `folded` (the module comment), so
  // where neither fold occurs, no address is one, and the fields need not be parsed to know it.
  const report = deliveryReportByFields(fields);
  return {
    folded,
    parseAlways:
      parseAlways ||
      (report === "if the mail system sent it"
        ? folded.includes("mailerdaemon") || folded.includes("postmaster")
        : report),
    faxSenders,
  };
}

/**
 * What may make a multipart message a delivery report (`isDeliveryReport`) in a lower-cased ASCII
 * header block: wider than it (anywhere in the block, not only in its field), never narrower.
 */
const MAIL_SYSTEM_HINT = /return-path:\s*<\s*>|mailer-daemon|postmaster|x-failed-recipients/;

/** A single-part report: the whole message is a report part (`isDeliveryReport`), in a lower-cased block. */
const SINGLE_REPORT_HINT = /message\/(?:global-)?(?:delivery-status|disposition-notification)/;

/**
 * The view of a raw header block. A block of ASCII bytes without an encoded word ("=?") or a
 * percent escape is read by the parser as it stands (NFKC and any-ascii leave ASCII alone), so its
 * view is its bytes lower-cased, without what is not a letter or digit, with and without its
 * comments — no parsing at all, which is most messages. Any other block is parsed
 * (`parseHeaderBlock`, each line UTF-8 or Latin-1 as the connector reads it) and viewed field by field.
 */
export function headerViewOfBlock(head: Buffer): HeaderView {
  const text = head.toString("latin1");
  if (/[\x80-\xff%]|=\?/.test(text)) return headerView(parseHeaderBlock(head));
  const lower = text.toLowerCase();
  const strip = (t: string) => t.replace(/[^a-z0-9]+/g, "");
  return {
    folded: lower.includes("(") ? `${strip(lower)}\n${strip(withoutComments(lower))}` : strip(lower),
    parseAlways:
      lower.includes("multipart/report") ||
      SINGLE_REPORT_HINT.test(lower) ||
      (lower.includes("multipart/") && MAIL_SYSTEM_HINT.test(lower)),
    // Only a fax's fields are parsed, for the number as the parser reads it (folded lines joined).
    faxSenders: lower.includes("x-fax-sender")
      ? parseHeaderBlock(head)
          .filter((field) => field.name === "x-fax-sender")
          .map((field) => field.value)
      : [],
  };
}

/** Whether the message may be the subject's (its keys, `recordKeys`); false only when it cannot be. */
export function headerMayConcern(view: HeaderView, keys: RecordKeys | null): boolean {
  if (keys === null || view.parseAlways) return true;
  if (view.faxSenders.some((sender) => mayBeNumber(sender, keys.phones))) return true;
  return keys.mailboxes.some((local) => view.folded.includes(local));
}

// ---------------------------------------------------------------------------------------------
// Records management: a document's metadata

/** Markup of an XML text: CDATA (its content is text), comments, tags and declarations; the rest is text. */
const XML_PARTS = /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<[^>]*>?|([^<]+)/g;

/**
 * The text content of XML (decoded already), character references resolved by `resolve`, tags,
 * comments and declarations left out (attribute values too: the matcher reads person fields from
 * elements only), CDATA kept as it stands; each piece apart from the next by nothing, as a parser
 * joins text and CDATA of one element.
 */
export function xmlTextContent(xml: string, resolve: (text: string) => string): string {
  const parts: string[] = [];
  for (const match of xml.matchAll(XML_PARTS)) {
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(resolve(match[2]));
  }
  return parts.join("");
}

/**
 * Whether a document whose folded text content is `folded` may name the subject: an e-mail
 * address's local part, a telephone number's national digits or a family name's longest word
 * occurs in it. Every way the matcher agrees (ADR 0007) goes through one of them: an address, a
 * number, or a name whose family name is the subject's (alone, at the subject's address, with the
 * date of birth).
 */
export function documentMayConcern(
  { folded, text }: { folded: string; text: string },
  keys: RecordKeys | null,
): boolean {
  if (keys === null) return true;
  if (keys.mailboxes.some((local) => folded.includes(local))) return true;
  if (keys.familyWords.some((word) => folded.includes(word))) return true;
  // The fold keeps a number's digits in order (full-width and other digits turned ASCII), except
  // behind a phone context, whose digits come after the number's: such a text is looked at as it
  // stands. (Not every text: the expressions let any non-ASCII text through, which the metadata of
  // nearly every document holds — a German name.)
  return mayBeNumber(folded, keys.phones) || (/phone-context/i.test(text) && mayBeNumber(text, keys.phones));
}

/** Whether `text` may hold one of the numbers whose digits are `phones` (`RecordKeys`). */
function mayBeNumber(text: string, phones: RecordKeys["phones"]): boolean {
  return phones === null || phones.some((digits) => digits.test(text));
}
