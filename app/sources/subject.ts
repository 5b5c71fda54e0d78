/**
 * Turns a subject's identifiers into normalised lookup tables once per search, so that every record
 * is compared on keys (app/core/identifiers) and a match names the identifier it came through.
 * This is the one place the rules of docs/decisions/0007-matching-rules.md live: when a record is
 * the person's, and when a match through a name is only a candidate (`proven: false`) for review.
 */
import {
  type BirthDate,
  compareBirthDates,
  emailMailboxKey,
  extractEmailKeys,
  givenNamesAgree,
  normaliseBirthDate,
  normaliseIp,
  normalisePhone,
  parseBirthDate,
  parsePersonName,
  parsePersonNameFields,
  type PersonNameParts,
  postalAddressKey,
  userNameKey,
} from "../core/identifiers";
import { getCountries, getCountryCallingCode, Metadata, parsePhoneNumberFromString } from "libphonenumber-js";
import { NON_ASCII } from "./byte-patterns";
import type { IdentifierKind, MatchedIdentifier, Subject, SubjectIdentifier } from "./connector";

/**
 * What may stand between two digits of a telephone number that `normalisePhone` reads from ASCII
 * text: libphonenumber's punctuation (space - / . ( ) [ ] ~) or what `e164WithoutPlus` strips
 * (white space, ".", "/", "-"), as many as there are: libphonenumber reads up to 250 characters,
 * `e164WithoutPlus` any number, a line break too (a quoted CSV field may hold one). Letters, ";",
 * "," or any other character end the number for both.
 */
const PHONE_SEPARATORS = "[\\t\\n\\v\\f\\r ()./\\[\\]~-]*";

/**
 * An RFC 3966 phone context, which libphonenumber puts in front of the number before it
 * ("tel:9876543;phone-context=+49361" is +493619876543): the digits are then not in their order.
 */
const PHONE_CONTEXT = ";phone-context=";

/**
 * For each country calling code, the digits a national prefix transform rule of one of its
 * countries puts in front of what it keeps of the number ("0549" for San Marino, "9" for
 * Argentina, "" for Brazil's carrier codes); such a rule rewrites the number, so its national
 * digits need not stand in the text in their order. Read from libphonenumber's metadata, whose
 * types do not declare the rule.
 */
let transformPrefixes: Map<string, string[]> | null = null;

function transformPrefixesOf(callingCode: string): string[] {
  if (!transformPrefixes) {
    transformPrefixes = new Map();
    const metadata = new Metadata();
    for (const country of getCountries()) {
      metadata.selectNumberingPlan(country);
      const plan = metadata.numberingPlan as
        { nationalPrefixTransformRule(): string | undefined } | undefined;
      const rule = plan?.nationalPrefixTransformRule();
      if (!rule) continue;
      const code = getCountryCallingCode(country);
      // A rule of another shape than "<digits>$<group>" may insert anything: "" begins every number.
      const prefix = /^(\d*)\$\d$/.exec(rule)?.[1] ?? "";
      transformPrefixes.set(code, [...(transformPrefixes.get(code) ?? []), prefix]);
    }
  }
  return transformPrefixes.get(callingCode) ?? [];
}

/**
 * "+tag" sub-addresses are folded for every domain: the convention (RFC 5233) is near universal,
 * and a person who used a tagged address must find those records; the record's own spelling stays
 * visible in `recordValue` for the review.
 */
const EMAIL_OPTIONS = { foldPlusAliasEverywhere: true };

interface Entry {
  kind: IdentifierKind;
  value: string;
  proven: boolean;
}

interface IpWindow extends Entry {
  from: number;
  to: number;
}

export class CompiledSubject {
  private readonly emails = new Map<string, Entry>();
  private readonly phones = new Map<string, Entry>();
  private readonly userNames = new Map<string, Entry>();
  private readonly addresses = new Map<string, Entry>();
  private readonly ips = new Map<string, IpWindow[]>();
  private readonly parsedNames: { entry: Entry; parts: PersonNameParts }[] = [];
  /** "YYYY-MM-DD" when the subject gave a complete date of birth. */
  readonly birthDate: string | null;
  private readonly birth: BirthDate | null;

  constructor(subject: Subject) {
    const add = (
      map: Map<string, Entry>,
      kind: IdentifierKind,
      id: SubjectIdentifier,
      key: string | null,
    ) => {
      if (!key) return;
      const existing = map.get(key);
      if (!existing || (!existing.proven && id.proven))
        map.set(key, { kind, value: id.value, proven: id.proven ?? false });
    };
    for (const id of subject.emails) add(this.emails, "email", id, emailMailboxKey(id.value, EMAIL_OPTIONS));
    for (const id of subject.names) {
      const parts = parsePersonName(id.value);
      if (!parts || parts.given.length === 0) continue;
      this.parsedNames.push({ entry: { kind: "name", value: id.value, proven: id.proven ?? false }, parts });
    }
    for (const id of subject.phones) add(this.phones, "phone", id, normalisePhone(id.value));
    for (const id of subject.userNames) add(this.userNames, "userName", id, userNameKey(id.value) || null);
    for (const id of subject.postalAddresses)
      add(this.addresses, "postalAddress", id, postalAddressKey(id.value) || null);
    for (const ip of subject.ips) {
      const key = normaliseIp(ip.address);
      if (!key) continue;
      const windows = this.ips.get(key) ?? [];
      windows.push({
        kind: "ip",
        value: ip.address,
        proven: ip.proven ?? false,
        from: ip.from ? ip.from.getTime() : -Infinity,
        to: ip.to ? ip.to.getTime() : Infinity,
      });
      this.ips.set(key, windows);
    }
    this.birthDate = subject.birthDate ? normaliseBirthDate(subject.birthDate) : null;
    this.birth = subject.birthDate ? parseBirthDate(subject.birthDate) : null;
  }

  get hasIps(): boolean {
    return this.ips.size > 0;
  }

  get isEmpty(): boolean {
    return (
      this.emails.size +
        this.parsedNames.length +
        this.phones.size +
        this.userNames.size +
        this.ips.size +
        this.addresses.size ===
      0
    );
  }

  /**
   * The search keys (see `searchKeys`) a record must carry to be matched by this subject through an
   * e-mail address, phone, user name or name: an index of a store's records under their keys finds
   * every record a scan would, and the matcher then decides on the parsed record.
   */
  searchKeys(): string[] {
    const keys = new Set<string>();
    for (const key of this.emails.keys()) keys.add(`e:${key}`);
    for (const key of this.phones.keys()) keys.add(`p:${key}`);
    for (const key of this.userNames.keys()) keys.add(`u:${key}`);
    for (const { parts } of this.parsedNames) for (const key of nameSearchKeys(parts)) keys.add(key);
    return [...keys];
  }

  /**
   * Expressions over bytes (app/sources/byte-patterns.ts) of which every text that `normalisePhone`
   * reads as one of the subject's numbers holds one, for a search before parsing. Written in ASCII,
   * such a text holds the national significant number's digits in order with only
   * `PHONE_SEPARATORS` between them — national with trunk 0, +49 (0)…, 0049…, E.164 with or
   * without "+", brackets, slashes, hyphens, spaces: libphonenumber takes off the country code, a
   * national prefix or a carrier code in front and an extension behind — unless it is an RFC 3966
   * number with a phone context (`PHONE_CONTEXT`). A text with any other character may be one
   * through NFKC (fullwidth digits and separators, "㊸") or libphonenumber's Arabic-Indic digits:
   * `NON_ASCII`, which a search over bytes tries only on pieces that hold such a byte. Null when a
   * number's national digits cannot be told or a national prefix transform rule may have made
   * them (`transformPrefixesOf`): every record must then be parsed. Numbers spelt with letters
   * (vanity numbers) libphonenumber does not read.
   */
  phoneExpressions(): string[] | null {
    const expressions: string[] = [];
    for (const key of this.phones.keys()) {
      const parsed = parsePhoneNumberFromString(key);
      if (!parsed?.nationalNumber) return null;
      const national = parsed.nationalNumber;
      if (transformPrefixesOf(parsed.countryCallingCode).some((prefix) => national.startsWith(prefix)))
        return null;
      expressions.push([...national].join(PHONE_SEPARATORS));
    }
    return expressions.length > 0 ? [...expressions, PHONE_CONTEXT, NON_ASCII] : [];
  }

  /** The canonical texts (`normaliseIp`) of the subject's IP addresses. */
  ipKeys(): string[] {
    return [...this.ips.keys()];
  }

  /** The subject's user names as `userNameKey` compares them (NFKC, trimmed, lower case). */
  userNameKeys(): string[] {
    return [...this.userNames.keys()];
  }

  /** Any address in a header-like text ("Name <a@b>, c@d"). */
  email(recordText: string | null | undefined): MatchedIdentifier | null {
    if (!recordText || this.emails.size === 0) return null;
    for (const key of extractEmailKeys(recordText, EMAIL_OPTIONS)) {
      const hit = this.emails.get(key);
      if (hit) return matched(hit, recordText);
    }
    return null;
  }

  /**
   * A name written as one text ("Dr. Jörg Müller", "Müller, Jörg Peter"). A name alone never proves
   * that a record is the person's (namesakes exist), so the match is always `proven: false`.
   */
  name(recordName: string | null | undefined): MatchedIdentifier | null {
    if (!recordName || this.parsedNames.length === 0) return null;
    const hit = this.nameEntry(parsePersonName(recordName));
    return hit ? candidate(hit.entry, recordName) : null;
  }

  /** A name kept in two fields (given names, family name); see `name`. */
  personName(first: string | null | undefined, last: string | null | undefined): MatchedIdentifier | null {
    if (this.parsedNames.length === 0) return null;
    const hit = this.nameEntry(parsePersonNameFields(first, last));
    return hit ? candidate(hit.entry, [first, last].filter(Boolean).join(" ")) : null;
  }

  /**
   * The subject's name that a record's name is, by the rules of ADR 0007: the family names are equal
   * (never one the end of the other), and the given names agree with at least one written out on
   * both sides (a record may add or leave out middle names); or both names are the same words in
   * the same order.
   */
  private nameEntry(
    record: PersonNameParts | null,
    options: { initialsSuffice?: boolean } = {},
  ): { entry: Entry; full: boolean } | null {
    if (!record || record.given.length === 0) return null;
    let best: { entry: Entry; full: boolean } | null = null;
    for (const { entry, parts } of this.parsedNames) {
      // The same words in the same order agree fully only where a given name is written out.
      const sameWords =
        parts.full === record.full ? (record.given.some((g) => !g.initials) ? "full" : "initial") : null;
      const agreement =
        sameWords ?? (parts.family === record.family ? givenNamesAgree(parts.given, record.given) : null);
      if (!agreement || (agreement === "initial" && !options.initialsSuffice)) continue;
      const full = agreement === "full";
      // A written-out given name beats an initial; then a proven name beats an unproven one.
      if (!best || (full && !best.full) || (full === best.full && !best.entry.proven && entry.proven))
        best = { entry, full };
    }
    return best;
  }

  /**
   * A person a record names together with a date of birth (a looked-up person, a hit of a
   * register). A date that differs from the subject's rejects the match; the match proves the
   * record is the person's only when both dates are complete and equal, else it is unproven.
   */
  lookedUpPerson(
    first: string | null | undefined,
    last: string | null | undefined,
    birthDate: string | null | undefined,
  ): MatchedIdentifier | null {
    const hit = this.nameEntry(parsePersonNameFields(first, last));
    if (!hit) return null;
    const dates = this.compareBirthDate(birthDate);
    if (dates === "different") return null;
    const recordName = [first, last].filter(Boolean).join(" ");
    // Complete, equal dates: the match proves as far as the name is proven (now or by a later proof).
    return dates === "same" ? matched(hit.entry, recordName) : candidate(hit.entry, recordName);
  }

  /**
   * A name alone in a record that carries its person's own contact data (a letter's sender block):
   * where it holds a postal address, e-mail address or telephone number of a kind the subject gave,
   * and none of them was the subject's (the caller tried them first), the record is a namesake's —
   * Jörg Müller writing from Gotha is not Jörg Müller of Erfurt — and is not returned. Otherwise
   * the name stays a candidate for review (unproven). See ADR 0007.
   */
  nameBesideOtherContact(
    named: MatchedIdentifier,
    record: { postalAddress?: string | null; email?: string | null; phone?: string | null },
  ): MatchedIdentifier | null {
    const comparable =
      (Boolean(record.postalAddress) && this.addresses.size > 0) ||
      (Boolean(record.email) && this.emails.size > 0) ||
      (Boolean(record.phone) && this.phones.size > 0);
    return comparable ? null : { ...named, proven: false, provenBy: [] };
  }

  /** The subject's date of birth against a record's, in any notation `parseBirthDate` reads. */
  compareBirthDate(recordDate: string | null | undefined): "same" | "different" | "unknown" {
    return compareBirthDates(this.birth, recordDate ? parseBirthDate(recordDate) : null);
  }

  /**
   * One mailbox of a header or an address field: the address, else the display name beside it.
   * A display name beside an address that is not the subject's is a candidate only (`proven:
   * false`): anyone can put any name before their address.
   */
  mailbox(
    displayName: string | null | undefined,
    address: string | null | undefined,
  ): MatchedIdentifier | null {
    return this.email(address) ?? this.name(displayName);
  }

  phone(recordText: string | null | undefined): MatchedIdentifier | null {
    if (!recordText || this.phones.size === 0) return null;
    const key = normalisePhone(recordText);
    const hit = key ? this.phones.get(key) : undefined;
    return hit ? matched(hit, recordText) : null;
  }

  userName(recordText: string | null | undefined): MatchedIdentifier | null {
    if (!recordText || this.userNames.size === 0) return null;
    const hit = this.userNames.get(userNameKey(recordText));
    return hit ? matched(hit, recordText) : null;
  }

  postalAddress(recordText: string | null | undefined): MatchedIdentifier | null {
    if (!recordText || this.addresses.size === 0) return null;
    const hit = this.addresses.get(postalAddressKey(recordText));
    return hit ? matched(hit, recordText) : null;
  }

  /**
   * A record that names the sender with a postal address ("E. Mustermann, Heidestraße 17"): the
   * address is the subject's, the family name is EQUAL to one of the subject's (a wife "Anna
   * Müller" or a mother-in-law "Schmidt-Müller" at the same address is not "Jörg Müller"), and the
   * given name or its initial agrees. Proven as the address is when a given name is written out;
   * an initial alone is a candidate only (a son "Jonas" shares the initial and the address).
   * Without a given name there is no match.
   */
  familyNameAtAddress(
    lastName: string | null | undefined,
    addressText: string | null | undefined,
    firstName?: string | null,
  ): MatchedIdentifier | null {
    if (!lastName || !firstName) return null;
    const address = this.postalAddress(addressText);
    if (!address) return null;
    const hit = this.nameEntry(parsePersonNameFields(firstName, lastName), { initialsSuffice: true });
    if (!hit) return null;
    const recordValue = `${firstName} ${lastName}, ${address.recordValue}`;
    // An initial alone stays a candidate, whatever proves the address: a son shares it.
    return hit.full ? { ...address, recordValue } : { ...address, recordValue, proven: false, provenBy: [] };
  }

  /** An IP in the record at `at`; with a window, only inside it. */
  ip(recordText: string | null | undefined, at: Date | null): MatchedIdentifier | null {
    if (!recordText || this.ips.size === 0) return null;
    const key = normaliseIp(recordText);
    const windows = key ? this.ips.get(key) : undefined;
    if (!windows) return null;
    const time = at?.getTime();
    let best: IpWindow | undefined;
    for (const window of windows) {
      const inside =
        time === undefined
          ? window.from === -Infinity && window.to === Infinity
          : time >= window.from && time <= window.to;
      if (inside && (!best || (!best.proven && window.proven))) best = window;
    }
    return best ? matched(best, recordText) : null;
  }
}

/** A match that proves as far as the subject's identifier it came through is proven. */
function matched(entry: Entry, recordValue: string): MatchedIdentifier {
  const { kind, value, proven } = entry;
  return { kind, value, recordValue, proven, provenBy: [{ kind, value }] };
}

/** A match no proof can make proven (a name alone, ADR 0007): a candidate for the review only. */
function candidate(entry: Entry, recordValue: string): MatchedIdentifier {
  return { kind: entry.kind, value: entry.value, recordValue, proven: false, provenBy: [] };
}

/** The better of two matches: a proven identifier beats an unproven one, the first wins a tie. */
export function bestMatch(...candidates: (MatchedIdentifier | null | undefined)[]): MatchedIdentifier | null {
  let best: MatchedIdentifier | null = null;
  for (const candidate of candidates) {
    if (candidate && (!best || (!best.proven && candidate.proven))) best = candidate;
  }
  return best;
}

/**
 * A name's search keys: its full key (what "the same words in the same order" compares), and its
 * family name with the first letter of each given name. Two names that `nameEntry` accepts always
 * share one: either their full keys are equal, or their family names are, and some given name of
 * one agrees with one of the other — written out or as an initial, agreeing names start with the
 * same letter. A name without given names matches nothing and has no keys.
 */
function nameSearchKeys(parts: PersonNameParts | null): string[] {
  if (!parts || parts.given.length === 0) return [];
  return [`w:${parts.full}`, ...new Set(parts.given.map((g) => `n:${parts.family} ${g.key[0]}`))];
}

/**
 * The keys a record is indexed under, from the same normalisation the matcher compares with: a
 * record field that `CompiledSubject.email` / `phone` / `userName` / `personName` / `name` /
 * `lookedUpPerson` could accept yields a key that the subject's `searchKeys()` contains. Keys are
 * a superset filter only: a record found through them is parsed and matched as in a scan.
 */
export const searchKeys = {
  email: (text: string | null | undefined): string[] =>
    text ? extractEmailKeys(text, EMAIL_OPTIONS).map((key) => `e:${key}`) : [],
  phone(text: string | null | undefined): string[] {
    const key = text ? normalisePhone(text) : null;
    return key ? [`p:${key}`] : [];
  },
  userName: (text: string | null | undefined): string[] => (text ? [`u:${userNameKey(text)}`] : []),
  /** A name kept in two fields (given names, family name). */
  personName: (first: string | null | undefined, last: string | null | undefined): string[] =>
    nameSearchKeys(parsePersonNameFields(first, last)),
  /** A name written as one text. */
  name: (text: string | null | undefined): string[] => (text ? nameSearchKeys(parsePersonName(text)) : []),
};

export function compileSubject(subject: Subject): CompiledSubject {
  return new CompiledSubject(subject);
}
