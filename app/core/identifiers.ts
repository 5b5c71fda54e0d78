/**
 * Normalisation of the identifiers a data subject can be found by. Every source store writes the
 * same person differently (Mueller/Müller, +49 (0)361 …/0361 …, ::ffff:1.2.3.4/1.2.3.4, upper-case
 * e-mail), so every comparison runs on the keys made here, never on the raw text. The rules come
 * from maintained libraries (libphonenumber-js, ipaddr.js, validator, any-ascii) and Unicode
 * normalisation; the few German-specific rules are the ones the libraries cannot know.
 * Pure: no I/O.
 */
import anyAscii from "any-ascii";
import ipaddr from "ipaddr.js";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
// The package, not Node's deprecated built-in of the same name: the trailing path keeps Node from
// resolving the built-in, and the package runs in the browser too (app/core is bundled there).
import punycode from "punycode/punycode.js";
import validator from "validator";

// ---------------------------------------------------------------------------------------------
// E-mail

/**
 * The address as written, cleaned up: trimmed, NFC, lower-case, without a `mailto:` scheme, angle
 * brackets or the root dot after the domain; an internationalised domain in its Unicode form
 * whether the record wrote it so or as punycode (`xn--…`). Null if it is not an address.
 */
export function normaliseEmail(raw: string): string | null {
  const text = addressText(raw);
  const at = text.lastIndexOf("@");
  if (at <= 0) return null;
  const domain = canonicalDomain(text.slice(at + 1));
  if (!domain) return null;
  const address = `${text.slice(0, at)}@${domain}`;
  if (!validator.isEmail(address, { allow_utf8_local_part: true })) return null;
  return address.toLowerCase();
}

/**
 * The mailbox an address delivers to. Beyond case this folds only what the mail providers
 * themselves document (validator's provider table: Gmail ignores dots and "+tag", googlemail.com
 * is gmail.com, Outlook/iCloud "+tag", Yahoo "-tag"). For any other domain "+tag" may be a different
 * mailbox, so it is kept unless `foldPlusAliasEverywhere` is asked for.
 */
export function emailMailboxKey(
  raw: string,
  options: { foldPlusAliasEverywhere?: boolean } = {},
): string | null {
  const address = normaliseEmail(raw);
  if (!address) return null;
  const folded = validator.normalizeEmail(address) || address;
  if (!options.foldPlusAliasEverywhere) return folded;
  const at = folded.lastIndexOf("@");
  const local = folded.slice(0, at);
  const plus = local.indexOf("+");
  return plus > 0 ? `${local.slice(0, plus)}${folded.slice(at)}` : folded;
}

function stripAngleBrackets(text: string): string {
  return text.startsWith("<") && text.endsWith(">") ? text.slice(1, -1).trim() : text;
}

/** `<mailto:a@b?subject=x>` → `a@b`: web forms and HTML mails hand addresses over as URIs. */
function addressText(raw: string): string {
  let text = stripAngleBrackets(raw.normalize("NFC").trim());
  if (/^mailto:/i.test(text)) {
    text = text.slice("mailto:".length).replace(/\?.*$/s, "");
    try {
      text = decodeURIComponent(text);
    } catch {
      // A stray "%" is part of the text, not an escape.
    }
    text = stripAngleBrackets(text.normalize("NFC").trim());
  }
  return text;
}

/**
 * One spelling per domain: the WHATWG URL parser applies UTS #46 (the IDNA processing browsers
 * use; the same in Node and in the browser), so `müller-bau.example`, `MÜLLER-bau.example` and
 * `xn--mller-bau-q9a.example` get one ASCII form, which punycode.js turns back into Unicode for
 * people to read. A trailing root dot ("example.org.") names the same domain.
 */
function canonicalDomain(domain: string): string | null {
  const bare = domain.replace(/\.$/, "");
  if (!bare || /[\s/?#@:[\]\\%]/.test(bare)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${bare}`).hostname;
  } catch {
    return null;
  }
  try {
    return punycode.toUnicode(ascii) || null;
  } catch {
    return null;
  }
}

/** Every address in a header-like text ("Name <a@b>, c@d"), as mailbox keys. */
export function extractEmailKeys(
  text: string,
  options: { foldPlusAliasEverywhere?: boolean } = {},
): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(/[^\s<>,;"'()]+@[^\s<>,;"'()]+/g)) {
    const key = emailMailboxKey(match[0], options);
    if (key) keys.push(key);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

const DEFAULT_PHONE_REGION: CountryCode = "DE";

/**
 * E.164 ("+49361573635800") for any notation an exchange or a person writes: national with trunk
 * prefix, 0049…, +49 (0)…, with brackets, slashes, hyphens or spaces, a `tel:` URI, and E.164
 * digits without the "+" as exchanges log them ("493619876543"). Null if it cannot be a number.
 */
export function normalisePhone(
  raw: string,
  defaultRegion: CountryCode = DEFAULT_PHONE_REGION,
): string | null {
  const text = raw.normalize("NFKC").trim().replace(/^tel:/i, "");
  if (!/\d/.test(text)) return null;
  const international = e164WithoutPlus(text);
  if (international) return international;
  const parsed = parsePhone(text, defaultRegion);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

/**
 * libphonenumber-js (1.13) checks an RFC 3966 phone context ("tel:9876543;phone-context=+49361")
 * with regular expressions that carry the global flag and so keep their `lastIndex` from one call
 * to the next: after a text with a valid phone context was read, the next one is refused, and so
 * on in turn — a record would be the person's or not depending on the records before it. A
 * refusal sets them back to the start, so such a text is parsed once more when it was refused.
 */
function parsePhone(text: string, region: CountryCode) {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region });
  if (parsed || !text.includes(";phone-context=")) return parsed;
  return parsePhoneNumberFromString(text, { defaultCountry: region });
}

/**
 * Digits only, no trunk "0" and no "+", 11 to 15 of them: E.164 as call-detail records and
 * provisioning systems write it. People write national numbers with the trunk "0", so a number
 * without it that is long enough to carry a country code and valid as one is read as one; a
 * shorter one ("3619876543") stays a national number of the default region.
 */
function e164WithoutPlus(text: string): string | null {
  const digits = text.replace(/[\s./-]/g, "");
  if (!/^[1-9]\d{10,14}$/.test(digits)) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isValid() ? parsed.number : null;
}

// ---------------------------------------------------------------------------------------------
// IP addresses

/**
 * One canonical text per address: dotted decimal for IPv4 (also when written as IPv4-mapped IPv6),
 * RFC 5952 for IPv6. Accepts brackets, a port and a zone id as logs and proxies write them.
 *
 * IPv4 is read only as logs and people write it: four decimal parts of one to three digits, each
 * at most 255, leading zeros read as decimal (010.001.002.003 is 10.1.2.3), alone or as the dotted
 * tail of an IPv6 address. The other inet_aton spellings ipaddr.js accepts — one integer
 * (167838211), fewer parts (10.1.515, 10.258), hex or octal parts (0xa.1.2.3, 0012.1.2.3) — are
 * refused: no log writes them, a field holding a bare number or a duration ("0.042") is no
 * address, and the search before parsing (app/sources/byte-patterns.ts `ipExpressions`) finds
 * only the dotted decimal forms, so reading the others would match some lines and miss others.
 */
export function normaliseIp(raw: string): string | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort?.[1]) text = v4WithPort[1];
  text = text.replace(/%[\w.-]+$/, "");
  if (!text.includes(":")) return dottedQuad(text);
  // IPv6, perhaps with its last 32 bits as a dotted IPv4 address, which must be a dotted quad too.
  const tail = /^(.*:)([^:]*\.[^:]*)$/.exec(text);
  if (tail) {
    const quad = dottedQuad(tail[2]!);
    if (quad === null) return null;
    text = `${tail[1]}${quad}`;
  }
  if (!ipaddr.IPv6.isValid(text)) return null;
  return ipaddr.process(text).toString();
}

/** "a.b.c.d" with decimal parts of one to three digits, each at most 255, as "a.b.c.d" without leading zeros; else null. */
function dottedQuad(text: string): string | null {
  if (!/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text)) return null;
  const octets = text.split(".").map(Number);
  return octets.every((octet) => octet <= 255) ? octets.join(".") : null;
}

// ---------------------------------------------------------------------------------------------
// Names

// German spelling equivalences the transliteration library cannot know: it maps ä to "a", but a
// German writes Müller as Mueller when the keyboard has no umlaut.
const GERMAN_EQUIVALENTS: Record<string, string> = {
  ä: "ae",
  ö: "oe",
  ü: "ue",
  ß: "ss",
  ẞ: "ss",
  Ä: "Ae",
  Ö: "Oe",
  Ü: "Ue",
};

/**
 * Comparison key of a personal name: NFKC, "Last, First" turned into "First Last", ä/ö/ü/ß as
 * ae/oe/ue/ss, other letters folded to ASCII (Łukasz → lukasz, José → jose), lower case, hyphens
 * and dots of double names and initials as single spaces. Müller, MUELLER and Mueller share a key;
 * Muller (a different spelling) does not.
 */
export function nameKey(raw: string): string {
  let text = raw.normalize("NFKC").trim();
  const comma = text.indexOf(",");
  if (comma > 0) text = `${text.slice(comma + 1)} ${text.slice(0, comma)}`;
  text = text.replace(/[äöüßẞÄÖÜ]/g, (letter) => GERMAN_EQUIVALENTS[letter] ?? letter);
  return anyAscii(text)
    .toLowerCase()
    .replace(/['`´]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Key of a full name given as parts; empty parts are left out. */
export function personNameKey(
  firstName: string | null | undefined,
  lastName: string | null | undefined,
): string {
  return nameKey([firstName ?? "", lastName ?? ""].join(" "));
}

/** One given name: its key ("hans peter" for Hans-Peter), or the initials it is written as ("H.-P."). */
export interface GivenName {
  key: string;
  /** The letters' keys when written as initials ("J." → ["j"], "H.-P." → ["h", "p"], "Ö." → ["oe"]); null for a written-out name. */
  initials: string[] | null;
}

/** A personal name split the way matching needs it (docs/decisions/0007-matching-rules.md). */
export interface PersonNameParts {
  /** Given names in the order written; titles, honorifics and "jun."/"sen." left out. */
  given: GivenName[];
  /** Key of the whole family name, particles and double names included ("von der heide", "schmidt mueller"). */
  family: string;
  /** Key of the name without titles, given names first: what two spellings of one name share. */
  full: string;
}

// Academic and professional titles and forms of address: not part of a name, and written or left
// out at will ("Dr. Jörg Müller", "Herrn Prof. Dr. med. Müller", "Dipl.-Ing. J. Müller").
const TITLE_TOKEN =
  /^(?:(?:dr|prof|professor|dipl|diplom|ing|mag|lic|med|dent|vet|rer|nat|pol|oec|soc|phil|jur|theol|habil|h\.?c|herr|herrn|frau|hr|fr|mr|mrs|ms|mx)\.?(?:-\p{L}+\.?)*|(?:dr|prof)\.(?:\p{L}+\.)+)$/iu;
// Generation suffixes separate father and son only where both are written; left out like titles.
const SUFFIX_TOKEN = /^(?:jun|jr|sen|sr)\.?$/i;
// Lower-case particles belong to the family name ("Karl von der Heide" is a von der Heide).
const PARTICLES = new Set([
  "von",
  "vom",
  "zu",
  "zum",
  "zur",
  "van",
  "der",
  "den",
  "de",
  "di",
  "da",
  "del",
  "della",
  "du",
  "le",
  "la",
  "ten",
  "ter",
  "dos",
  "das",
]);

function nameTokens(text: string): string[] {
  return text
    .normalize("NFKC")
    .split(/\s+/)
    .filter((token) => token && !TITLE_TOKEN.test(token) && !SUFFIX_TOKEN.test(token));
}

/** "J." "J" "H.-P." are initials; "J.P." is two of them. */
function givenNames(tokens: readonly string[]): GivenName[] {
  const names: GivenName[] = [];
  for (const token of tokens) {
    if (/^(?:\p{L}\.){2,}$/u.test(token)) {
      for (const letter of token.split(".").filter(Boolean))
        names.push({ key: nameKey(letter), initials: [nameKey(letter)] });
      continue;
    }
    const parts = token.split("-").filter(Boolean);
    const initials = parts.length > 0 && parts.every((part) => /^\p{L}\.?$/u.test(part));
    const key = nameKey(token);
    if (key) names.push({ key, initials: initials ? parts.map((part) => nameKey(part)) : null });
  }
  return names;
}

function partsOf(given: GivenName[], family: string): PersonNameParts | null {
  if (!family) return null;
  return { given, family, full: [...given.map((g) => g.key), family].join(" ") };
}

/**
 * A name written as one text: "Jörg Peter Müller", "Müller, Jörg", "Dr. Jörg Müller",
 * "Karl von der Heide", "MÜLLER Jörg". Without a comma the last word is the family name (with the
 * particles before it), unless the first word alone is in capitals; a double family name is
 * written with a hyphen ("Schmidt-Müller"), which keeps it one word.
 */
export function parsePersonName(raw: string): PersonNameParts | null {
  const text = raw.normalize("NFKC").trim();
  const comma = text.indexOf(",");
  if (comma > 0) {
    const before = nameTokens(text.slice(0, comma));
    const after = nameTokens(text.slice(comma + 1).replace(/,/g, " "));
    // "Jörg Müller, Dr." / "Müller, Jörg": a part of titles only is no given name.
    if (after.length > 0 && before.length > 0) return partsOf(givenNames(after), nameKey(before.join(" ")));
    return parsePersonName([...before, ...after].join(" "));
  }
  const tokens = nameTokens(text);
  if (tokens.length === 0) return null;
  // Registers and forms write the family name in capitals, also first ("MÜLLER Jörg Peter").
  const capitals = (token: string) => /^\p{Lu}{2,}(?:[-'’]\p{Lu}{2,})*$/u.test(token);
  if (tokens.length > 1 && capitals(tokens[0]!) && !tokens.slice(1).some(capitals)) {
    return partsOf(givenNames(tokens.slice(1)), nameKey(tokens[0]!));
  }
  let start = tokens.length - 1;
  while (start > 1 && PARTICLES.has(tokens[start - 1]!.toLowerCase())) start--;
  return partsOf(givenNames(tokens.slice(0, start)), nameKey(tokens.slice(start).join(" ")));
}

/** A name a record keeps in two fields; one empty field means the other may hold the whole name. */
export function parsePersonNameFields(
  first: string | null | undefined,
  last: string | null | undefined,
): PersonNameParts | null {
  const given = first?.trim() ?? "";
  const family = last?.trim() ?? "";
  if (!given && !family) return null;
  if (!given) return parsePersonName(family);
  if (!family) return parsePersonName(given);
  return partsOf(givenNames(nameTokens(given)), nameKey(nameTokens(family).join(" ")));
}

function givenMatch(a: GivenName, b: GivenName): "full" | "initial" | null {
  if (!a.initials && !b.initials) return a.key === b.key ? "full" : null;
  if (a.initials && b.initials) return a.initials.join(" ") === b.initials.join(" ") ? "initial" : null;
  const initials = (a.initials ?? b.initials)!;
  const parts = (a.initials ? b : a).key.split(" ");
  if (initials.length === 1) return parts[0]!.startsWith(initials[0]!) ? "initial" : null;
  return initials.length === parts.length && initials.every((letter, i) => parts[i]!.startsWith(letter))
    ? "initial"
    : null;
}

/**
 * Do two lists of given names agree? Every given name of the shorter list must stand for its own
 * one of the longer list (a record may add middle names, or leave them out); `full` when at least
 * one of them is written out on both sides, `initial` when only initials agree.
 */
export function givenNamesAgree(a: readonly GivenName[], b: readonly GivenName[]): "full" | "initial" | null {
  if (a.length === 0 || b.length === 0) return null;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const used = new Set<number>();
  let full = false;
  // Written-out names first, so that an initial cannot take the place a full name needs.
  const order = [...shorter].sort((x, y) => Number(Boolean(x.initials)) - Number(Boolean(y.initials)));
  for (const name of order) {
    let chosen = -1;
    let kind: "full" | "initial" | null = null;
    for (let i = 0; i < longer.length; i++) {
      if (used.has(i)) continue;
      const match = givenMatch(name, longer[i]!);
      if (match === "full") {
        chosen = i;
        kind = match;
        break;
      }
      if (match && chosen === -1) {
        chosen = i;
        kind = match;
      }
    }
    if (chosen === -1) return null;
    used.add(chosen);
    if (kind === "full") full = true;
  }
  return full ? "full" : "initial";
}

/** User names of the login server are case-insensitive. */
export function userNameKey(raw: string): string {
  return raw.normalize("NFKC").trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Dates of birth and postal addresses

/** A date of birth as far as it is known: registers write unknown months and days as 00. */
export interface BirthDate {
  year: number;
  month: number | null;
  day: number | null;
}

function birthDateOf(year: number, month: number, day: number): BirthDate | null {
  if (year < 1800 || year > 2200 || month > 12 || day > 31) return null;
  if (month === 0 && day !== 0) return null;
  if (month !== 0 && day !== 0) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1) return null;
  }
  return { year, month: month || null, day: day || null };
}

/**
 * A date of birth in the notations records use: ISO ("1980-01-01", also with a time of day as
 * databases export dates), German ("01.01.1980", "1.1.1980"), compact ("19800101", or "01011980"
 * where only that reading is a date), and XMeld's partial dates ("1980-00-00", "00.00.1980", a year
 * alone). Null when unreadable (two-digit years, slashes, impossible days): never guessed.
 */
export function parseBirthDate(raw: string): BirthDate | null {
  const text = raw.normalize("NFKC").trim();
  let m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(
      text,
    );
  if (m) return birthDateOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(?:-(\d{2}))?$/.exec(text);
  if (m) return birthDateOf(Number(m[1]), Number(m[2] ?? 0), 0);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (m) return birthDateOf(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{8})$/.exec(text);
  if (m) {
    const digits = m[1]!;
    return (
      birthDateOf(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6))) ??
      birthDateOf(Number(digits.slice(4)), Number(digits.slice(2, 4)), Number(digits.slice(0, 2)))
    );
  }
  return null;
}

/** "1964-08-12" from any notation `parseBirthDate` reads, when day and month are known; else null. */
export function normaliseBirthDate(raw: string): string | null {
  const date = parseBirthDate(raw);
  if (!date || date.month === null || date.day === null) return null;
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

/**
 * `same` only when both dates are complete and equal; `different` when a part both know differs;
 * `unknown` when either is missing or partial and nothing known differs.
 */
export function compareBirthDates(
  a: BirthDate | null,
  b: BirthDate | null,
): "same" | "different" | "unknown" {
  if (!a || !b) return "unknown";
  if (a.year !== b.year) return "different";
  if (a.month !== null && b.month !== null && a.month !== b.month) return "different";
  if (a.day !== null && b.day !== null && a.month !== null && b.month !== null && a.day !== b.day)
    return "different";
  return a.month !== null && b.month !== null && a.day !== null && b.day !== null ? "same" : "unknown";
}

/** Comparison key of a postal address line: name-style folding, "Straße"/"Str." as "str". */
export function postalAddressKey(raw: string): string {
  return nameKey(raw.replace(/,/g, " "))
    .replace(/(\w)(strasse|str)\b/g, "$1 str")
    .replace(/\bstrasse\b/g, "str");
}
