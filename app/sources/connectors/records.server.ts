/**
 * Records management (VISkompakt): per document a PDF scan and an XML metadata file. Found through
 * the persons the metadata names (senders, co-signers, the addressee of a reply) by the rules of
 * ADR 0007: e-mail, telephone, the name at the subject's postal address (an initial only as a
 * candidate), the name alone only where the record's contact data do not name somebody else.
 * Erasure honours § 23 ThürDSG: a sweep deletes an expired record only after the public archive
 * has declined it or taken it over.
 *
 * Real exports differ from the sample in ways that matter, so the metadata is read as bytes:
 * the declared encoding (ISO-8859-1, windows-1252, UTF-16, a UTF-8 byte-order mark) decides how
 * they are decoded and how a rectified file is written back; any namespace prefix (or a default
 * namespace) is accepted; character references and CDATA are decoded. A document is addressed by
 * its `@id`, never by its file name: every change builds an id → file index by reading the
 * metadata. A file that cannot be read or parsed is reported with its path and line (never its
 * content), and the rest of the store is still searched and changed.
 */
import { readFile, stat, unlink } from "node:fs/promises";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import { gunzip, gunzipSync, gzipSync } from "node:zlib";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindOptions,
  type JsonObject,
  type MatchedIdentifier,
  noteAffected,
  type RecordState,
  reportProblem,
  ruleFor,
  type ScanProblem,
  type ScanReport,
  type SourceConnector,
  StoreError,
  type StoreCheck,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import {
  HoldList,
  readStoreDirectory,
  removeFile,
  removeLeftoverTemps,
  startsAsGzip,
  type StoreFile,
  writeFileAtomic,
} from "../files.server";
import {
  documentMayConcern,
  foldForSearch,
  percentDecoded,
  type RecordKeys,
  recordKeys,
  xmlTextContent,
} from "../record-prefilter";
import { BLOCKING_READS_DEFAULT, readRecordFile, yieldBetweenUnits } from "../record-files.server";
import { countRecordRead, type Participant, SharedPasses } from "../shared-pass.server";
import { bestMatch, type CompiledSubject, compileSubject } from "../subject";
import { berlinDay, parseBerlinLocal, parseLogTime } from "../time";

const SENDER_FIELDS = ["vorname", "nachname", "strasse", "postleitzahl", "ort", "email", "telefon"] as const;
type SenderField = (typeof SENDER_FIELDS)[number];
const ARCHIVE_DONE = new Set(["not-archival", "transferred"]);
/**
 * Elements that name a person of the document and the person's part in it: the sender(s) and
 * co-signers of an incoming letter, the addressee of an outgoing one (a reply is the person's data too).
 */
const PERSON_ELEMENTS: Record<string, "sender" | "recipient"> = {
  absender: "sender",
  mitzeichner: "sender",
  empfaenger: "recipient",
};
const STORE_FILES = /\.(xml|pdf)$/i;

/** Why a metadata file could not be read, with the line where that was noticed. Never its content. */
class MetadataError extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
  ) {
    super(line ? `${reason} (line ${line})` : reason);
    this.name = "MetadataError";
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes ↔ text in the file's own encoding

/** WHATWG single-byte encodings: every byte is one character, so a rewrite keeps the other bytes as they were. */
const SINGLE_BYTE = new Set([
  "ibm866",
  "iso-8859-2",
  "iso-8859-3",
  "iso-8859-4",
  "iso-8859-5",
  "iso-8859-6",
  "iso-8859-7",
  "iso-8859-8",
  "iso-8859-8-i",
  "iso-8859-10",
  "iso-8859-13",
  "iso-8859-14",
  "iso-8859-15",
  "iso-8859-16",
  "koi8-r",
  "koi8-u",
  "macintosh",
  "windows-874",
  "windows-1250",
  "windows-1251",
  "windows-1252",
  "windows-1253",
  "windows-1254",
  "windows-1255",
  "windows-1256",
  "windows-1257",
  "windows-1258",
  "x-mac-cyrillic",
]);

interface DecodedText {
  text: string;
  /** The WHATWG name of the encoding the bytes were read in; the file is written back in it. */
  encoding: string;
  /** Set when the bytes did not match the declaration and were read otherwise. */
  note?: string;
  /** The file is gzip-compressed (told by its magic bytes): it is read gunzipped and written back compressed. */
  gzip?: boolean;
}

function declaredEncoding(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 256).toString("latin1");
  if (!head.startsWith("<?xml")) return null;
  const end = head.indexOf("?>");
  const match = /\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]{0,39})["']/.exec(
    end === -1 ? head : head.slice(0, end),
  );
  return match ? match[1]! : null;
}

const gunzipAsync = promisify(gunzip);

/**
 * A metadata file's text from its bytes as stored. An export may have gzip-compressed a metadata
 * file and kept its name (a.xml): the listing does not open the files to tell (files.server.ts
 * `gzipByContent`), so it is told here by the magic bytes of the content read anyway, and the
 * document is read gunzipped rather than left unsearched. With `blocking` (on a search thread, as
 * the file was read) gunzipped by a blocking call.
 */
async function readMetadata(stored: Buffer, blocking = false): Promise<DecodedText> {
  // No XML, in any encoding, begins with gzip's magic bytes.
  if (!startsAsGzip(stored)) return decodeMetadata(stored);
  let bytes: Buffer;
  try {
    bytes = blocking ? gunzipSync(stored) : await gunzipAsync(stored);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MetadataError(`gzip-compressed, but cannot be uncompressed${code ? ` (${code})` : ""}`);
  }
  return { ...decodeMetadata(bytes), gzip: true };
}

/**
 * Decodes a metadata file: a byte-order mark wins, then the XML declaration, else UTF-8. Bytes that
 * are not valid UTF-8 although UTF-8 is declared or assumed (an exporter that wrote Latin-1 and
 * declared nothing) are read as windows-1252 and noted, never silently garbled.
 */
function decodeMetadata(bytes: Buffer): DecodedText {
  let label: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = "utf-8";
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = "utf-16le";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = "utf-16be";
  else if (bytes[0] === 0x3c && bytes[1] === 0x00) label = "utf-16le";
  else if (bytes[0] === 0x00 && bytes[1] === 0x3c) label = "utf-16be";
  else label = declaredEncoding(bytes) ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    throw new MetadataError(`declared encoding "${label}" is not supported`, 1);
  }
  const encoding = decoder.encoding;
  if (encoding === "utf-16le" || encoding === "utf-16be") {
    const [a, b] = encoding === "utf-16le" ? [bytes[0], bytes[1]] : [bytes[1], bytes[0]];
    // A byte-order mark, or "<" as the first UTF-16 code unit.
    if (!((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0x00))) {
      throw new MetadataError("UTF-16 declared, but the file is not UTF-16", 1);
    }
  } else if (encoding !== "utf-8" && !SINGLE_BYTE.has(encoding)) {
    throw new MetadataError(`encoding "${encoding}" is not supported`, 1);
  }
  if (SINGLE_BYTE.has(encoding)) return { text: decodeSingleByte(bytes, encoding), encoding };
  try {
    return { text: decoder.decode(bytes), encoding };
  } catch {
    if (encoding !== "utf-8") throw new MetadataError(`bytes that are not ${encoding}`);
    return {
      text: decodeSingleByte(bytes, "windows-1252"),
      encoding: "windows-1252",
      note: "metadata is not valid UTF-8; read as windows-1252",
    };
  }
}

/**
 * windows-1252's characters for 0x80–0x9F (WHATWG; the five unassigned bytes stay C1 controls).
 * Node 20's TextDecoder reads windows-1252 and ISO-8859-1 as plain Latin-1, which turns "€" into
 * a control character, so this one table is applied here.
 */
const WINDOWS_1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeSingleByte(bytes: Uint8Array, encoding: string): string {
  if (encoding !== "windows-1252") return new TextDecoder(encoding).decode(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!);
}

const reverseTables = new Map<string, Map<string, number>>();

/** Character → byte of a single-byte encoding, from its own decoder (so decode and encode agree). */
function reverseTable(encoding: string): Map<string, number> {
  let table = reverseTables.get(encoding);
  if (!table) {
    table = new Map();
    for (let byte = 0; byte < 256; byte++) {
      const char = decodeSingleByte(Uint8Array.of(byte), encoding);
      if (char !== "\ufffd" && !table.has(char)) table.set(char, byte);
    }
    reverseTables.set(encoding, table);
  }
  return table;
}

function canEncode(encoding: string, char: string): boolean {
  return !SINGLE_BYTE.has(encoding) || reverseTable(encoding).has(char);
}

function encodeMetadata(text: string, encoding: string): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  if (encoding === "utf-16le") return Buffer.from(text, "utf16le");
  if (encoding === "utf-16be") return Buffer.from(text, "utf16le").swap16();
  const table = reverseTable(encoding);
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const byte = table.get(text[i]!);
    if (byte === undefined) throw new MetadataError(`a character cannot be written in ${encoding}`);
    out[i] = byte;
  }
  return out;
}

/** Text content for an element: markup escaped, characters the file's encoding lacks as character references. */
function escapeValue(value: string, encoding: string): string {
  let out = "";
  for (const char of value) {
    if (char === "&") out += "&amp;";
    else if (char === "<") out += "&lt;";
    else if (char === ">") out += "&gt;";
    else if (canEncode(encoding, char)) out += char;
    else out += `&#x${char.codePointAt(0)!.toString(16).toUpperCase()};`;
  }
  return out;
}

/** Characters XML 1.0 cannot hold at all, not even as a reference. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

// ---------------------------------------------------------------------------------------------
// A small XML reader that keeps source positions, so that a rectification edits exactly the
// element that was read (whatever its prefix, CDATA or self-closing form) and nothing else.

interface XmlText {
  text: string;
}

interface XmlElement {
  qname: string;
  local: string;
  /** "vis:" or "" — a new child element gets its parent's prefix. */
  prefix: string;
  attrs: Map<string, string>;
  children: (XmlElement | XmlText)[];
  /** Offsets in the decoded text: the start tag's "<", the content, and past the end tag's ">". */
  start: number;
  contentStart: number;
  contentEnd: number;
  end: number;
  selfClosing: boolean;
}

const isElement = (node: XmlElement | XmlText): node is XmlElement => "qname" in node;

/** The character references of XML plus the HTML names German exporters are known to write. */
const NAMED_REFS: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  auml: "ä",
  ouml: "ö",
  uuml: "ü",
  Auml: "Ä",
  Ouml: "Ö",
  Uuml: "Ü",
  szlig: "ß",
  eacute: "é",
  egrave: "è",
  aacute: "á",
  agrave: "à",
};

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function decodeRefs(raw: string, src: string, at: number): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(
    /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,7});/g,
    (whole, ref: string, index: number) => {
      if (ref.startsWith("#")) {
        const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
        const char =
          code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : null;
        if (!char || NOT_XML.test(char))
          throw new MetadataError("invalid character reference", lineAt(src, at + index));
        return char;
      }
      // An unknown name is kept as written: it cannot be a person's identifier.
      return NAMED_REFS[ref] ?? whole;
    },
  );
}

const NAME = /[\p{L}_][\p{L}\p{N}_.-]*(?::[\p{L}_][\p{L}\p{N}_.-]*)?/uy;
const SPACE = /\s*/y;

function parseXml(src: string): XmlElement {
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (reason: string, at: number): never => {
    throw new MetadataError(reason, lineAt(src, at));
  };
  const skipTo = (token: string, from: number, what: string): number => {
    const end = src.indexOf(token, from);
    if (end === -1) fail(`unterminated ${what}`, from);
    return end + token.length;
  };
  const readName = (at: number): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(src);
    if (!match) fail("malformed tag", at);
    return match![0];
  };
  const skipSpace = (at: number): number => {
    SPACE.lastIndex = at;
    SPACE.exec(src);
    return SPACE.lastIndex;
  };
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    const textEnd = lt === -1 ? src.length : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      const parent = stack.at(-1);
      if (parent) parent.children.push({ text: decodeRefs(raw, src, i) });
      else if (raw.trim()) fail("text outside the root element", i);
      i = textEnd;
      continue;
    }
    if (src.startsWith("<?", lt)) i = skipTo("?>", lt + 2, "processing instruction");
    else if (src.startsWith("<!--", lt)) i = skipTo("-->", lt + 4, "comment");
    else if (src.startsWith("<![CDATA[", lt)) {
      const end = skipTo("]]>", lt + 9, "CDATA section");
      const parent = stack.at(-1);
      if (!parent) fail("CDATA outside the root element", lt);
      parent!.children.push({ text: src.slice(lt + 9, end - 3) });
      i = end;
    } else if (src.startsWith("<!", lt)) {
      if (root || stack.length) fail("declaration inside the document", lt);
      let depth = 0;
      let j = lt + 2;
      for (; j < src.length; j++) {
        const c = src[j];
        if (c === "[") depth++;
        else if (c === "]") depth--;
        else if (c === ">" && depth <= 0) break;
      }
      if (j >= src.length) fail("unterminated declaration", lt);
      i = j + 1;
    } else if (src.startsWith("</", lt)) {
      const name = readName(lt + 2);
      const close = skipSpace(lt + 2 + name.length);
      if (src[close] !== ">") fail("malformed end tag", lt);
      const open = stack.pop();
      if (!open || open.qname !== name) fail("end tag does not match its start tag", lt);
      open!.contentEnd = lt;
      open!.end = close + 1;
      if (!stack.length) root = open!;
      i = close + 1;
    } else {
      if (root) fail("more than one root element", lt);
      const qname = readName(lt + 1);
      const colon = qname.indexOf(":");
      const element: XmlElement = {
        qname,
        local: colon === -1 ? qname : qname.slice(colon + 1),
        prefix: colon === -1 ? "" : qname.slice(0, colon + 1),
        attrs: new Map(),
        children: [],
        start: lt,
        contentStart: 0,
        contentEnd: 0,
        end: 0,
        selfClosing: false,
      };
      let j = lt + 1 + qname.length;
      for (;;) {
        const before = j;
        j = skipSpace(j);
        if (src.startsWith("/>", j)) {
          element.selfClosing = true;
          j += 2;
          break;
        }
        if (src[j] === ">") {
          j += 1;
          break;
        }
        if (j === before) fail("malformed tag", j);
        const attr = readName(j);
        j = skipSpace(j + attr.length);
        if (src[j] !== "=") fail("malformed attribute", j);
        j = skipSpace(j + 1);
        const quote = src[j];
        if (quote !== '"' && quote !== "'") fail("malformed attribute", j);
        const close = src.indexOf(quote!, j + 1);
        if (close === -1) fail("unterminated attribute", j);
        const raw = src.slice(j + 1, close);
        if (raw.includes("<")) fail("malformed attribute", j);
        if (element.attrs.has(attr)) fail("repeated attribute", j);
        element.attrs.set(attr, decodeRefs(raw, src, j + 1));
        j = close + 1;
      }
      element.contentStart = j;
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      if (element.selfClosing) {
        element.contentEnd = j;
        element.end = j;
        if (!parent) root = element;
      } else stack.push(element);
      i = j;
    }
  }
  if (stack.length) fail("the file ends inside an element", src.length);
  if (!root) fail("no root element", src.length);
  return root!;
}

function childElements(element: XmlElement, local?: string): XmlElement[] {
  return element.children.filter(
    (c): c is XmlElement => isElement(c) && (local === undefined || c.local === local),
  );
}

/** The element's own text (text and CDATA of its direct children), trimmed; null when empty. */
function textOf(element: XmlElement | undefined): string | null {
  if (!element) return null;
  const text = element.children
    .filter((c): c is XmlText => !isElement(c))
    .map((c) => c.text)
    .join("")
    .trim();
  return text.length > 0 ? text : null;
}

function child(element: XmlElement | undefined, local: string): XmlElement | undefined {
  return element ? childElements(element, local)[0] : undefined;
}

/** An attribute by its local name, whatever its prefix. */
function attribute(element: XmlElement | undefined, local: string): string | null {
  if (!element) return null;
  for (const [name, value] of element.attrs)
    if ((name === local || name.endsWith(`:${local}`)) && !name.startsWith("xmlns")) return value || null;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Documents

type PersonValues = Partial<Record<SenderField, string>>;

interface NamedPerson {
  element: XmlElement;
  role: "sender" | "recipient";
  values: PersonValues;
  /** A name written in one element ("Dr. Jörg Müller") where the export has no parts. */
  fullName: string | null;
  title: string | null;
  birthDate: string | null;
}

interface DocumentRecord {
  id: string;
  file: StoreFile;
  text: string;
  encoding: string;
  note?: string;
  /** Stored gzip-compressed: written back compressed. */
  gzip: boolean;
  persons: NamedPerson[];
  /** The scan, relative to the store root: the one the metadata names, else the file of the same name. */
  pdfRel: string;
  /** The scan is a file of the store's listing (never reached through a link). */
  scanListed: boolean;
  received: Date | null;
  closed: Date | null;
  archive: string | null;
  fields: JsonObject;
}

/** The people a document names: every sender, co-signer and addressee, and each `person` inside one of them. */
function personsOf(root: XmlElement): NamedPerson[] {
  const elements = childElements(root).filter((c) => Object.hasOwn(PERSON_ELEMENTS, c.local));
  return elements.flatMap((element) => {
    const persons = childElements(element, "person");
    return (persons.length ? persons : [element]).map((person) => ({
      element: person,
      role: PERSON_ELEMENTS[element.local]!,
      values: Object.fromEntries(
        SENDER_FIELDS.map((f) => [f, textOf(child(person, f))]).filter(([, v]) => v),
      ) as PersonValues,
      fullName: textOf(child(person, "name")),
      title: textOf(child(person, "titel")),
      birthDate: textOf(child(person, "geburtsdatum")),
    }));
  });
}

/**
 * The scan the metadata names, relative to the store root: a name beside the metadata or a path
 * below its folder, never one that leads out of the store.
 */
function scanPath(dir: string, name: string | null): string | null {
  if (!name || !/\.pdf$/i.test(name) || name.includes("\\") || name.startsWith("/")) return null;
  const path = posix.normalize(`${dir}${name}`);
  return path.startsWith("../") || path === ".." ? null : path;
}

/**
 * Dates as exports write them: ISO 8601 (a date alone is a Berlin day), German "31.12.2015" with
 * an optional time in Berlin wall-clock time, epoch seconds. Null when the text is no date.
 */
function recordDate(text: string | null): Date | null {
  if (!text) return null;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!german && !iso) return parseLogTime(text);
  const [year, month, day] = german ? [german[3]!, german[2]!, german[1]!] : [iso![1]!, iso![2]!, iso![3]!];
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const time = german?.[4] ? `${german[4].padStart(2, "0")}:${german[5]}:${german[6] ?? "00"}` : "00:00:00";
  const instant = parseBerlinLocal(`${date} ${time}`);
  // 31.02. is no day: the calendar must give back the day that was written.
  return instant && berlinDay(instant) === date ? instant : null;
}

function readDocument(file: StoreFile, decoded: DecodedText): DocumentRecord {
  const root = parseXml(decoded.text);
  if (root.local !== "dokument") throw new MetadataError("an XML file that is not document metadata");
  const id = (attribute(root, "id") ?? textOf(child(root, "id")))?.trim();
  if (!id) throw new MetadataError("document metadata without an id");
  const process = child(root, "vorgang");
  const datei = child(root, "datei");
  // A temporary copy standing in for its lost original is named after it.
  const rel = file.orphanOf ?? file.rel;
  const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
  const pdfRel = scanPath(dir, attribute(datei, "name")) ?? `${rel.replace(/\.xml$/i, "")}.pdf`;
  return {
    id,
    file,
    text: decoded.text,
    encoding: decoded.encoding,
    note: decoded.note,
    gzip: decoded.gzip === true,
    persons: personsOf(root),
    pdfRel,
    scanListed: false,
    received: recordDate(textOf(child(root, "eingangsdatum"))),
    closed: recordDate(textOf(child(process, "abschlussdatum"))),
    archive: textOf(child(process, "archivangebot")),
    fields: {
      id,
      aktenzeichen: textOf(child(root, "aktenzeichen")),
      betreff: textOf(child(root, "betreff")),
      eingangsart: textOf(child(root, "eingangsart")),
      eingangsdatum: textOf(child(root, "eingangsdatum")),
      status: textOf(child(process, "status")),
      abschlussdatum: textOf(child(process, "abschlussdatum")),
      archivangebot: textOf(child(process, "archivangebot")),
      pdf: pdfRel.startsWith(dir) ? pdfRel.slice(dir.length) : pdfRel,
      metadataFile: file.rel,
    },
  };
}

async function loadDocument(file: StoreFile): Promise<DocumentRecord> {
  return readDocument(file, await readMetadata(await readFile(file.abs)));
}

/** Scans listed by lower-cased path: exports write "A.XML" beside "A.PDF" or "a.pdf". */
function scanIndex(pdf: readonly StoreFile[]): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const file of pdf)
    if (!byPath.has(file.rel.toLowerCase())) byPath.set(file.rel.toLowerCase(), file.rel);
  for (const file of pdf) byPath.set(file.rel, file.rel);
  return byPath;
}

/** The listed scan a document names, exact spelling first, else by case. */
function resolveScan(doc: DocumentRecord, scans: Map<string, string>): DocumentRecord {
  const listed = scans.get(doc.pdfRel) ?? scans.get(doc.pdfRel.toLowerCase());
  if (listed) doc.pdfRel = listed;
  doc.scanListed = listed !== undefined;
  return doc;
}

function personContent(person: NamedPerson): JsonObject {
  const content: JsonObject = { ...person.values };
  if (person.title) content.titel = person.title;
  if (person.fullName) content.name = person.fullName;
  if (person.birthDate) content.geburtsdatum = person.birthDate;
  return content;
}

function problemOf(file: StoreFile, error: unknown): ScanProblem {
  if (error instanceof MetadataError)
    return {
      where: file.rel,
      line: error.line,
      reason: `metadata not read: ${error.reason}`,
      unsearched: true,
    };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT")
    return { where: file.rel, reason: "metadata file disappeared before it could be read", unsearched: true };
  return {
    where: file.rel,
    reason: `metadata file could not be read (${code ?? "error"})`,
    unsearched: true,
  };
}

// ---------------------------------------------------------------------------------------------
// The search before parsing (record-prefilter.ts)

/** Tags (a quoted attribute value may hold ">"), CDATA, comments, declarations; text between. */
const SKIM_PARTS =
  /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<(?:[^>"']|"[^"]*"|'[^']*')*>?|[^<]+/g;
const SKIM_ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** References resolved as the parser resolves them; text the parser would refuse is kept as written. */
function lenientRefs(text: string): string {
  try {
    return decodeRefs(text, text, 0);
  } catch {
    return text;
  }
}

/**
 * What the search before parsing needs of a metadata file, without the parser: whether it is
 * whole (cut-off metadata is always parsed and reported), its text content as it stands and
 * folded (with percent escapes decoded beside it, as `mailto:` addresses are read), and the scan it
 * names, relative to the store root. Null when the scan cannot be told for sure without the parser
 * (the metadata names a scan other than the file of the same name, or one through a reference):
 * such a file is parsed, so that its scan is never reported as one without metadata, nor the
 * other way round. The file of the same name is the scan also for metadata the parser would refuse.
 */
function skimMetadata(
  file: StoreFile,
  text: string,
): { folded: string; text: string; scanRel: string } | null {
  let depth = 0;
  let roots = 0;
  let datei: string | null = null;
  for (const [part] of text.matchAll(SKIM_PARTS)) {
    if (part[0] !== "<") continue;
    // Cut off inside a tag, a comment or CDATA: the parser reports where.
    if (!part.endsWith(">") || (part.startsWith("<![CDATA[") && !part.endsWith("]]>"))) return null;
    if (part.startsWith("<!--") && !part.endsWith("-->")) return null;
    if (part.startsWith("<!") || part.startsWith("<?")) continue;
    if (part.startsWith("</")) {
      depth--;
      continue;
    }
    const local = /^<([^\s/>]+)/.exec(part)?.[1]?.replace(/^[^:]*:/, "");
    if (depth === 1 && local === "datei" && datei === null) {
      datei = "";
      for (const [, name, double, single] of part.matchAll(SKIM_ATTRIBUTE)) {
        if ((name === "name" || name!.endsWith(":name")) && !name!.startsWith("xmlns")) {
          datei = double ?? single ?? "";
          break;
        }
      }
      if (datei.includes("&")) return null;
    }
    if (depth === 0) roots++;
    if (!part.endsWith("/>")) depth++;
  }
  // A file cut off with elements still open, or without one root, is parsed: the parser locates
  // the problem, which concerns every search (the missing part may have named anyone).
  if (depth !== 0 || roots !== 1) return null;
  const rel = file.orphanOf ?? file.rel;
  const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
  const sibling = `${rel.replace(/\.xml$/i, "")}.pdf`;
  if (datei && (scanPath(dir, datei) ?? sibling) !== sibling) return null;
  const content = xmlTextContent(text, lenientRefs);
  return {
    folded: foldForSearch(content.includes("%") ? `${content}\n${percentDecoded(content)}` : content),
    text: content,
    scanRel: sibling,
  };
}

// ---------------------------------------------------------------------------------------------
// Matching one person of a document

function addressOf(values: PersonValues): string | null {
  const place = [values.postleitzahl, values.ort].filter(Boolean).join(" ");
  return values.strasse && place ? `${values.strasse}, ${place}` : null;
}

/**
 * A sender is the subject by the rules of ADR 0007: an e-mail address or telephone number that
 * agrees, or the name at the subject's postal address (`familyNameAtAddress`, with the given name
 * or its initial). A date of birth in the record that differs rejects the name.
 *
 * A name alone is a candidate for review (never proven), and only where nothing in the record
 * tells the sender apart from the subject: a letter carries its sender's address, e-mail or
 * telephone, so where it holds contact data of a kind the subject gave and none of it agrees, it
 * is a namesake's letter (Jörg Müller in Gotha is not Jörg Müller in Erfurt) and is not returned.
 */
function matchPerson(compiled: CompiledSubject, sender: NamedPerson): MatchedIdentifier | null {
  const s = sender.values;
  const address = addressOf(s);
  const contact = bestMatch(compiled.email(s.email), compiled.phone(s.telefon));
  if (sender.birthDate && compiled.compareBirthDate(sender.birthDate) === "different") return contact;
  const named =
    s.vorname || s.nachname
      ? compiled.lookedUpPerson(s.vorname, s.nachname, sender.birthDate)
      : compiled.name(sender.fullName);
  // A name written in one element is checked at the address as familyNameAtAddress checks the
  // parts: a written-out given name that agrees (initials alone never match a whole name).
  const wholeNameAtAddress = !s.nachname && named && address ? compiled.postalAddress(address) : null;
  const agreed = bestMatch(
    contact,
    compiled.familyNameAtAddress(s.nachname, address, s.vorname),
    wholeNameAtAddress && {
      ...wholeNameAtAddress,
      recordValue: `${sender.fullName}, ${wholeNameAtAddress.recordValue}`,
    },
  );
  if (agreed || !named) return agreed;
  // Name and a complete, equal date of birth identify the person wherever the letter came from.
  if (named.proven) return named;
  return compiled.nameBesideOtherContact(named, { postalAddress: address, email: s.email, phone: s.telefon });
}

// ---------------------------------------------------------------------------------------------

/** Metadata that could not be read, and the document id it belongs to where its start tag still tells. */
interface Unreadable {
  where: string;
  id: string | null;
  /** A metadata file (counted by the sweep), rather than a folder or link the listing could not search. */
  file: boolean;
}

interface StoreIndex {
  docs: Map<string, DocumentRecord[]>;
  /** A reference not found may be in one of these. */
  unreadable: Unreadable[];
}

/**
 * A listing problem that may hide metadata: a folder or link not searched, an .xml file not read.
 * A stray "liesmich.txt" or an unreadable scan hides no document id.
 */
function mayHideMetadata(problem: ScanProblem): boolean {
  return problem.unsearched && (/\.xml$/i.test(problem.where) || !/\.[A-Za-z0-9]{1,5}$/.test(problem.where));
}

/** The id in the start tag of metadata that cannot be parsed as a whole (an export cut off at its end). */
async function salvageId(file: StoreFile): Promise<string | null> {
  try {
    const { text } = await readMetadata(await readFile(file.abs));
    const start = /<(?:[\p{L}_][\p{L}\p{N}_.-]*:)?dokument\b[^<>]*>/u.exec(text)?.[0];
    const id =
      start && /\s(?:[\p{L}_][\p{L}\p{N}_.-]*:)?id\s*=\s*(["'])([^"'<>&]+)\1/u.exec(start)?.[2]?.trim();
    return id || null;
  } catch {
    return null;
  }
}

/** A search taking part in a pass over the store: its subject, its keys, its own report and the scans it has seen. */
interface DocumentSearcher {
  subject: CompiledSubject;
  keys: RecordKeys | null;
  report: ScanReport;
  onProgress?: FindOptions["onProgress"];
  /** Scans the metadata read so far names (or would have named): the rest are scans without metadata. */
  scans: Set<string>;
}

interface DocumentPassSetup {
  xml: StoreFile[];
  pdf: StoreFile[];
  problems: ScanProblem[];
  listedScans: Map<string, string>;
}

/** Metadata files a pass reads as one unit (a search that starts meanwhile joins from the next unit on). */
const DOCUMENTS_PER_UNIT = 64;

export class RecordsConnector implements SourceConnector {
  readonly kind = "records-management" as const;
  readonly capabilities: ConnectorCapabilities = {
    erase: true,
    restrict: true,
    rectifyFields: SENDER_FIELDS,
  };

  /**
   * @param options.blockingReads read the metadata by blocking calls while searching
   *   (record-files.server.ts); by default on a search thread and not on the main thread.
   */
  constructor(
    readonly id: string,
    private readonly root: string,
    options: { blockingReads?: boolean } = {},
  ) {
    this.blockingReads = options.blockingReads ?? BLOCKING_READS_DEFAULT;
    this.passes = new SharedPasses<DocumentPassSetup, DocumentSearcher, Finding>({
      prepare: async () => {
        const { xml, pdf, problems } = await this.listing();
        return {
          setup: { xml, pdf, problems, listedScans: scanIndex(pdf) },
          units: Math.ceil(xml.length / DOCUMENTS_PER_UNIT),
        };
      },
      admit: (setup, searcher) => {
        searcher.report.total = setup.xml.length;
        for (const problem of setup.problems) reportProblem(searcher.report, problem);
      },
      read: (setup, unit, participants, signal) =>
        this.readDocuments(
          setup,
          setup.xml.slice(unit * DOCUMENTS_PER_UNIT, (unit + 1) * DOCUMENTS_PER_UNIT),
          participants,
          signal,
        ),
      // One document at a time, in the listing's order, as a search alone read them.
      concurrency: 1,
    });
  }

  private readonly blockingReads: boolean;

  /** Every search of this store that runs at the same time shares one pass over its metadata (ADR 0021). */
  private readonly passes: SharedPasses<DocumentPassSetup, DocumentSearcher, Finding>;

  private async listing(): Promise<{ xml: StoreFile[]; pdf: StoreFile[]; problems: ScanProblem[] }> {
    // Not opened to sniff for gzip: the metadata is read whole and told by its content
    // (`readMetadata`), a scan is never read by a search; listed by blocking calls where the
    // files are read so, on a search thread (issue 17 point 3).
    const { files, problems } = await readStoreDirectory(this.id, this.root, (rel) => STORE_FILES.test(rel), {
      gzipByContent: () => true,
      blocking: this.blockingReads,
    });
    // A temporary copy whose original is gone stands in for it (see readStoreDirectory).
    const kind = (f: StoreFile) => (f.orphanOf ?? f.rel).slice(-4).toLowerCase();
    return {
      xml: files.filter((f) => kind(f) === ".xml"),
      pdf: files.filter((f) => kind(f) === ".pdf"),
      problems,
    };
  }

  private async index(): Promise<StoreIndex> {
    const { xml, pdf, problems } = await this.listing();
    const scans = scanIndex(pdf);
    const docs = new Map<string, DocumentRecord[]>();
    const unreadable: Unreadable[] = problems
      .filter(mayHideMetadata)
      .map((p) => ({ where: p.where, id: null, file: false }));
    for (const file of xml) {
      try {
        const doc = resolveScan(await loadDocument(file), scans);
        docs.set(doc.id, [...(docs.get(doc.id) ?? []), doc]);
      } catch (error) {
        unreadable.push({ where: problemOf(file, error).where, id: await salvageId(file), file: true });
      }
    }
    return { docs, unreadable };
  }

  /**
   * Why a reference cannot be said to be absent: metadata that may be its own could not be read
   * (its own cut-off file, or one whose id cannot be told). Other references are not held up by it.
   */
  private static unsure(index: StoreIndex, ref: string): string | null {
    const hiding = index.unreadable.filter((u) => u.id === null || u.id === ref);
    if (!hiding.length) return null;
    const files = hiding
      .slice(0, 5)
      .map((u) => u.where)
      .join(", ");
    return `not among the readable metadata, and ${hiding.length} metadata file(s) or folder(s) that may hold it could not be read (${files}${hiding.length > 5 ? ", …" : ""})`;
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const report: ScanReport = {
      unit: "records",
      scanned: 0,
      total: null,
      findings: 0,
      malformed: 0,
      problems: [],
    };
    const own: DocumentSearcher = {
      subject: compiled,
      // The search before parsing: metadata whose text cannot hold the subject's address, number
      // or family name in any reading is not parsed for this search (record-prefilter.ts).
      keys: recordKeys(subject),
      report,
      onProgress: options.onProgress,
      scans: new Set(),
    };
    const { setup, items } = await this.passes.join(own, options.signal);
    for await (const finding of items) {
      report.findings++;
      yield finding;
    }
    options.signal?.throwIfAborted();
    // A scan without metadata names nobody the search could see: it was not searched.
    for (const file of setup.pdf) {
      if (!own.scans.has(file.rel))
        reportProblem(report, {
          where: file.rel,
          reason: "scan without a metadata file; not searched",
          unsearched: true,
        });
    }
    options.onReport?.(report);
  }

  /**
   * Metadata files read once for every search taking part (ADR 0021): each file is read, decoded
   * and skimmed once (its folded text, record-prefilter.ts), and offered to exactly the searches
   * whose own keys occur in it — the documents each would have parsed alone; the document is
   * parsed once for them, and each matches its persons by its own subject. A search the skim rules
   * out learns only what it would have learnt alone: the scan the metadata names, and a note on
   * its encoding; a document that cannot be parsed is reported to the searches that asked for it.
   */
  private async readDocuments(
    setup: DocumentPassSetup,
    files: readonly StoreFile[],
    participants: readonly Participant<DocumentSearcher, Finding>[],
    signal: AbortSignal,
  ): Promise<void> {
    const { listedScans } = setup;
    const unreadable = (searchers: readonly DocumentSearcher[], file: StoreFile, error: unknown) => {
      // Its scan is part of the same unsearched document, not a second problem.
      const sibling = `${(file.orphanOf ?? file.rel).replace(/\.xml$/i, "")}.pdf`;
      for (const own of searchers) {
        own.report.malformed++;
        reportProblem(own.report, problemOf(file, error));
        own.scans.add(listedScans.get(sibling.toLowerCase()) ?? sibling);
      }
    };
    await yieldBetweenUnits(this.blockingReads);
    for (const file of files) {
      signal.throwIfAborted();
      const active = countRecordRead(participants);
      if (active.length === 0) return;
      let decoded: DecodedText;
      let skim: ReturnType<typeof skimMetadata>;
      try {
        decoded = await readMetadata(await readRecordFile(file.abs, this.blockingReads), this.blockingReads);
        skim = skimMetadata(file, decoded.text);
      } catch (error) {
        unreadable(
          active.map((p) => p.own),
          file,
          error,
        );
        continue;
      }
      const concerned: Participant<DocumentSearcher, Finding>[] = [];
      for (const participant of active) {
        const { own } = participant;
        if (!skim || documentMayConcern(skim, own.keys)) {
          concerned.push(participant);
          continue;
        }
        own.scans.add(
          listedScans.get(skim.scanRel) ?? listedScans.get(skim.scanRel.toLowerCase()) ?? skim.scanRel,
        );
        if (decoded.note)
          reportProblem(own.report, { where: file.rel, reason: decoded.note, unsearched: false });
      }
      if (concerned.length === 0) continue;
      let doc: DocumentRecord;
      try {
        doc = resolveScan(readDocument(file, decoded), listedScans);
      } catch (error) {
        unreadable(
          concerned.map((p) => p.own),
          file,
          error,
        );
        continue;
      }
      for (const participant of concerned) {
        const { own } = participant;
        own.scans.add(doc.pdfRel);
        if (doc.note) reportProblem(own.report, { where: file.rel, reason: doc.note, unsearched: false });
        const finding = this.findingOf(doc, own.subject);
        if (finding && !participant.left) await participant.deliver(finding);
      }
    }
  }

  /** The document as one search's finding: its best matching person, or null when none is the subject. */
  private findingOf(doc: DocumentRecord, compiled: CompiledSubject): Finding | null {
    let best: { sender: NamedPerson; identifier: MatchedIdentifier } | null = null;
    for (const sender of doc.persons) {
      const identifier = matchPerson(compiled, sender);
      if (identifier && (!best || (!best.identifier.proven && identifier.proven)))
        best = { sender, identifier };
    }
    if (!best) return null;
    const others = doc.persons.filter((s) => s !== best!.sender);
    return {
      store: this.id,
      storeKind: this.kind,
      processingActivityId: PROCESSING_ACTIVITY.recordsManagement,
      ref: doc.id,
      matchedIdentifier: best.identifier,
      unproven: !best.identifier.proven,
      role: best.sender.role,
      // A letter signed by several people tells each of them about the others.
      flags: others.length ? ["third-party-data"] : [],
      recordedAt: doc.received,
      content: {
        ...doc.fields,
        [best.sender.role === "sender" ? "absender" : "empfaenger"]: personContent(best.sender),
        ...(others.some((o) => o.role === "sender")
          ? { weitereAbsender: others.filter((o) => o.role === "sender").map(personContent) }
          : {}),
        ...(others.some((o) => o.role === "recipient")
          ? { weitereEmpfaenger: others.filter((o) => o.role === "recipient").map(personContent) }
          : {}),
        pdfVorhanden: doc.scanListed,
      },
    };
  }

  /**
   * The scan goes first: a metadata file left by an interrupted erase is still found and erased
   * again. Only a scan of the store's own listing is deleted, never a file behind a link.
   */
  private async remove(doc: DocumentRecord): Promise<void> {
    if (doc.scanListed) {
      await unlink(join(this.root, doc.pdfRel)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }
    await unlink(doc.file.abs).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    // Confirmed only when the metadata is gone from the store.
    const left = await stat(doc.file.abs).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== "ENOENT",
    );
    if (left) throw new Error("the metadata file is still there after deleting it");
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    let holds: HoldList;
    try {
      holds = await HoldList.open(this.root);
    } catch (error) {
      return {
        ...result,
        failures: refs.map((ref) => ({
          ref,
          reason: `the legal hold list could not be read (${codeOf(error)})`,
        })),
      };
    }
    const index = await this.index();
    for (const ref of new Set(refs)) {
      const docs = index.docs.get(ref);
      if (holds.has(ref)) result.skippedOnHold++;
      else if (!docs) {
        const unsure = RecordsConnector.unsure(index, ref);
        if (unsure) result.failures.push({ ref, reason: unsure });
        else result.notFound++;
      } else {
        const failed: string[] = [];
        for (const doc of docs) {
          try {
            await this.remove(doc);
          } catch (error) {
            failed.push(
              `${doc.file.rel}: ${error instanceof Error && !(error as NodeJS.ErrnoException).code ? error.message : `could not be deleted (${codeOf(error)})`}`,
            );
          }
        }
        if (failed.length) result.failures.push({ ref, reason: failed.join("; ") });
        else result.changed++;
      }
    }
    return result;
  }

  async restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    const unique = [...new Set(refs)];
    let keys = unique;
    if (hold) {
      // A hold is set only on a document the store holds: "restricted" must be true.
      const index = await this.index();
      keys = unique.filter((ref) => {
        if (index.docs.has(ref)) return true;
        const unsure = RecordsConnector.unsure(index, ref);
        if (unsure) result.failures.push({ ref, reason: unsure });
        else result.notFound++;
        return false;
      });
    }
    try {
      // Counted as the other stores count: holds that were set or lifted now, not those already so.
      result.changed = await HoldList.update(this.root, keys, hold, holder);
    } catch (error) {
      result.failures.push(
        ...keys.map((ref) => ({
          ref,
          reason: `the legal hold list could not be written (${codeOf(error)})`,
        })),
      );
    }
    return result;
  }

  /**
   * Rewrites only the changed elements of the person the metadata names, in its own encoding; the scan
   * stays as received. All fields or none: a field that cannot be written fails the whole change.
   * The file is read again afterwards, and only values found there count as changed.
   */
  async rectify(ref: string, changes: Readonly<Record<string, string>>): Promise<ChangeResult> {
    const unknown = Object.keys(changes).filter((f) => !(SENDER_FIELDS as readonly string[]).includes(f));
    if (unknown.length) throw new UnsupportedOperationError(this.id, `changing ${unknown.join(", ")}`);
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    const index = await this.index();
    const docs = index.docs.get(ref);
    if (!docs) {
      const unsure = RecordsConnector.unsure(index, ref);
      if (unsure) result.failures.push({ ref, reason: unsure });
      else result.notFound++;
      return result;
    }
    const wanted = Object.fromEntries(
      Object.entries(changes).map(([field, value]) => [field, value.trim()]),
    ) as PersonValues;
    const failed: string[] = [];
    let changed = false;
    for (const doc of docs) {
      try {
        if (await this.rectifyDocument(doc, wanted)) changed = true;
      } catch (error) {
        failed.push(
          `${doc.file.rel}: ${error instanceof MetadataError ? error.message : `could not be rewritten (${codeOf(error)})`}`,
        );
      }
    }
    if (failed.length) result.failures.push({ ref, reason: failed.join("; ") });
    else if (changed) result.changed = 1;
    return result;
  }

  /** Returns whether the file was rewritten; throws a MetadataError with the reason it could not be. */
  private async rectifyDocument(doc: DocumentRecord, wanted: PersonValues): Promise<boolean> {
    if (doc.persons.length !== 1) {
      throw new MetadataError(
        doc.persons.length
          ? "the document names several persons; which one to change is for staff to decide"
          : "the document names no sender or recipient",
      );
    }
    const person = doc.persons[0]!;
    const edits: { from: number; to: number; text: string }[] = [];
    for (const field of SENDER_FIELDS) {
      const value = wanted[field];
      if (value === undefined || person.values[field] === value) continue;
      if (!value) throw new MetadataError(`an empty ${field} cannot be written`);
      if (NOT_XML.test(value)) throw new MetadataError(`the new ${field} holds characters XML cannot hold`);
      const escaped = escapeValue(value, doc.encoding);
      const existing = childElements(person.element, field);
      if (existing.length > 1) throw new MetadataError(`the person has ${field} more than once`);
      const element = existing[0];
      if (element && element.children.some(isElement))
        throw new MetadataError(`${field} holds further elements`);
      if (element?.selfClosing)
        edits.push({
          from: element.start,
          to: element.end,
          text: `<${element.qname}>${escaped}</${element.qname}>`,
        });
      else if (element) edits.push({ from: element.contentStart, to: element.contentEnd, text: escaped });
      else {
        if (person.element.selfClosing)
          throw new MetadataError(`${field} is missing and the person's element is empty`);
        const qname = `${person.element.prefix}${field}`;
        const siblings = childElements(person.element);
        const last = siblings.at(-1);
        const indent = last
          ? /[ \t]*$/.exec(doc.text.slice(doc.text.lastIndexOf("\n", last.start) + 1, last.start))![0]
          : "";
        const at = last ? last.end : person.element.contentEnd;
        edits.push({ from: at, to: at, text: `${last ? `\n${indent}` : ""}<${qname}>${escaped}</${qname}>` });
      }
    }
    if (!edits.length) return false;
    let text = doc.text;
    for (const edit of edits.sort((a, b) => b.from - a.from))
      text = text.slice(0, edit.from) + edit.text + text.slice(edit.to);
    const bytes = encodeMetadata(text, doc.encoding);
    // Another writer (the DMS itself) may have changed the file since it was read: then nothing is written.
    if ((await readMetadata(await readFile(doc.file.abs))).text !== doc.text)
      throw new MetadataError("the file changed while it was being rectified; try again");
    // A copy left by an interrupted rewrite whose original is gone is written back under the original's name.
    const target = doc.file.orphanOf ? join(this.root, doc.file.orphanOf) : doc.file.abs;
    await removeLeftoverTemps(target);
    await writeFileAtomic(target, doc.gzip ? gzipSync(bytes) : bytes);
    if (doc.file.orphanOf) await removeFile(doc.file.abs);
    // Read back from the store: the change is done only when the file says so.
    const again = await loadDocument({
      ...doc.file,
      rel: doc.file.orphanOf ?? doc.file.rel,
      abs: target,
      orphanOf: undefined,
    });
    const values = again.id === doc.id && again.persons.length === 1 ? again.persons[0]!.values : null;
    const missing = Object.entries(wanted).filter(
      ([field, value]) => values?.[field as SenderField] !== value,
    );
    if (missing.length)
      throw new MetadataError(
        `the file does not show the new ${missing.map(([f]) => f).join(", ")} after writing`,
      );
    return true;
  }

  /** Copies left by interrupted rewrites of metadata whose original is still there (see readStoreDirectory). */
  private async removeLeftovers(): Promise<void> {
    const { problems } = await this.listing();
    const originals = new Set<string>();
    for (const { where } of problems) {
      const temp = /^(.*?)\.([^/]+)\.tmp-\d+-[0-9a-f]+$/.exec(where);
      if (temp && STORE_FILES.test(temp[2]!)) originals.add(`${temp[1]}${temp[2]}`);
    }
    for (const original of originals) await removeLeftoverTemps(join(this.root, original));
  }

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.recordsManagement);
    if (!rule) return result;
    const holds = await HoldList.open(this.root);
    await this.removeLeftovers();
    const index = await this.index();
    result.malformed += index.unreadable.filter((u) => u.file).length;
    const failed: string[] = [];
    for (const docs of index.docs.values()) {
      for (const doc of docs) {
        if (!doc.closed) {
          // A closure date that cannot be read keeps the document, counted for staff.
          if (doc.fields.abschlussdatum) result.malformed++;
          continue;
        }
        if (!rule.isExpired(doc.closed, now)) continue;
        if (holds.has(doc.id)) result.skippedOnHold++;
        else if (!doc.archive || !ARCHIVE_DONE.has(doc.archive)) result.skippedPendingArchive++;
        else {
          try {
            await this.remove(doc);
            result.deleted++;
            noteAffected(result, doc.closed);
          } catch (error) {
            failed.push(`${doc.file.rel} (${codeOf(error)})`);
          }
        }
      }
    }
    if (failed.length)
      throw new StoreError(
        this.id,
        `expired documents could not be deleted: ${failed.join(", ")}; the others were`,
      );
    return result;
  }

  async inspect(refs: readonly string[]): Promise<Map<string, RecordState>> {
    const states = new Map<string, RecordState>();
    let index: StoreIndex;
    let holds: HoldList;
    try {
      [index, holds] = await Promise.all([this.index(), HoldList.open(this.root)]);
    } catch (error) {
      for (const ref of refs)
        states.set(ref, {
          state: "unknown",
          reason:
            error instanceof StoreError ? error.message : `the store could not be read (${codeOf(error)})`,
        });
      return states;
    }
    for (const ref of refs) {
      const docs = index.docs.get(ref);
      const held = holds.holdOf(ref);
      const unsure = docs ? null : RecordsConnector.unsure(index, ref);
      if (docs) {
        // Several copies of one id, or several senders: a value is reported only where all agree, so
        // that a change made to one of them is never confirmed for the document.
        const values = docs.flatMap((doc) => doc.persons.map((person) => person.values));
        const fields = Object.fromEntries(
          SENDER_FIELDS.map((field) => {
            const distinct = new Set(values.map((v) => v[field] ?? null));
            return [field, distinct.size === 1 ? [...distinct][0]! : null];
          }),
        );
        states.set(ref, { state: "present", ...held, fields });
      } else if (unsure) states.set(ref, { state: "unknown", reason: unsure });
      else states.set(ref, { state: "absent", ...held });
    }
    return states;
  }

  async check(): Promise<StoreCheck> {
    try {
      const info = await stat(this.root);
      if (!info.isDirectory())
        return { ok: false, reason: `store "${this.id}": ${this.root} is not a directory` };
      const { xml, pdf, problems } = await this.listing();
      await HoldList.open(this.root);
      const first = xml[0];
      if (first) await readFile(first.abs).then(() => undefined);
      const unsearched = problems.filter((p) => p.unsearched).length;
      return {
        ok: true,
        detail: `${xml.length} metadata files, ${pdf.length} scans${unsearched ? `, ${unsearched} entries that cannot be searched` : ""}`,
      };
    } catch (error) {
      return {
        ok: false,
        reason:
          error instanceof StoreError
            ? error.message
            : `store "${this.id}": cannot be read (${codeOf(error)})`,
      };
    }
  }

  async close(): Promise<void> {}
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error instanceof SyntaxError ? "unreadable" : "error");
}
