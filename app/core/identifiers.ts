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
import validator from "validator";

// ---------------------------------------------------------------------------------------------
// E-mail

/** The address as written, cleaned up: trimmed, NFC, lower-case; null if it is not an address. */
export function normaliseEmail(raw: string): string | null {
  const text = stripAngleBrackets(raw.normalize("NFC").trim());
  if (!validator.isEmail(text, { allow_utf8_local_part: true })) return null;
  return text.toLowerCase();
}

/**
 * The mailbox an address delivers to. Beyond case this folds only what the mail providers
 * themselves document (validator's provider table: Gmail ignores dots and "+tag", googlemail.com
 * is gmail.com, Outlook/iCloud "+tag", Yahoo "-tag"). For any other domain "+tag" may be a different
 * mailbox, so it is kept unless `foldPlusAliasEverywhere` is asked for.
 */
export function emailMailboxKey(raw: string, options: { foldPlusAliasEverywhere?: boolean } = {}): string | null {
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

/** Every address in a header-like text ("Name <a@b>, c@d"), as mailbox keys. */
export function extractEmailKeys(text: string, options: { foldPlusAliasEverywhere?: boolean } = {}): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(/[^\s<>,;"'()]+@[^\s<>,;"'()]+/g)) {
    const key = emailMailboxKey(match[0], options);
    if (key) keys.push(key);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

export const DEFAULT_PHONE_REGION: CountryCode = "DE";

/**
 * E.164 ("+49361573635800") for any notation an exchange or a person writes: national with trunk
 * prefix, 0049…, +49 (0)…, with brackets, slashes, hyphens or spaces. Null if it cannot be a number.
 */
export function normalisePhone(raw: string, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): string | null {
  const text = raw.normalize("NFKC").trim();
  if (!/\d/.test(text)) return null;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: defaultRegion });
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

// ---------------------------------------------------------------------------------------------
// IP addresses

/**
 * One canonical text per address: dotted decimal for IPv4 (also when written as IPv4-mapped IPv6),
 * RFC 5952 for IPv6. Accepts brackets, a port and a zone id as logs and proxies write them.
 */
export function normaliseIp(raw: string): string | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort?.[1]) text = v4WithPort[1];
  text = text.replace(/%[\w.-]+$/, "");
  // People and logs mean decimal when they write 010.001.002.003; inet_aton would read octal.
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text)) text = text.split(".").map((octet) => String(Number(octet))).join(".");
  if (!ipaddr.isValid(text)) return null;
  return ipaddr.process(text).toString();
}

/**
 * The texts in which a canonical address can stand in a log line, for a byte search before any
 * parsing: an IPv4 address also covers its ::ffff: form; IPv6 in compressed, upper-case and
 * uncompressed forms.
 */
export function ipTextForms(canonical: string): string[] {
  const address = ipaddr.parse(canonical);
  if (address.kind() === "ipv4") return [address.toString()];
  const v6 = address as ipaddr.IPv6;
  const compressed = v6.toString();
  const normalized = v6.toNormalizedString();
  const fixedLength = normalized.split(":").map((group) => group.padStart(4, "0")).join(":");
  return [...new Set([compressed, compressed.toUpperCase(), normalized, fixedLength])];
}

// ---------------------------------------------------------------------------------------------
// Names

// German spelling equivalences the transliteration library cannot know: it maps ä to "a", but a
// German writes Müller as Mueller when the keyboard has no umlaut.
const GERMAN_EQUIVALENTS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", ẞ: "ss", Ä: "Ae", Ö: "Oe", Ü: "Ue" };

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
export function personNameKey(firstName: string | null | undefined, lastName: string | null | undefined): string {
  return nameKey([firstName ?? "", lastName ?? ""].join(" "));
}

/** User names of the login server are case-insensitive. */
export function userNameKey(raw: string): string {
  return raw.normalize("NFKC").trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Dates of birth and postal addresses

/** "1964-08-12" from ISO or German notation ("12.08.1964", "12.8.1964"); null if neither. */
export function normaliseBirthDate(raw: string): string | null {
  const text = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (german) return `${german[3]}-${german[2]!.padStart(2, "0")}-${german[1]!.padStart(2, "0")}`;
  return null;
}

/** Comparison key of a postal address line: name-style folding, "Straße"/"Str." as "str". */
export function postalAddressKey(raw: string): string {
  return nameKey(raw.replace(/,/g, " "))
    .replace(/(\w)(strasse|str)\b/g, "$1 str")
    .replace(/\bstrasse\b/g, "str");
}
