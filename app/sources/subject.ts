/**
 * Turns a subject's identifiers into normalised lookup tables once per search, so that every record
 * is compared on keys (app/core/identifiers) and a match names the identifier it came through.
 */
import { z } from "zod";
import {
  emailMailboxKey,
  extractEmailKeys,
  ipTextForms,
  nameKey,
  normaliseBirthDate,
  normaliseIp,
  normalisePhone,
  postalAddressKey,
  userNameKey,
} from "../core/identifiers";
import type { IdentifierKind, MatchedIdentifier, Subject, SubjectIdentifier } from "./connector";

const identifier = z.union([
  z.string().min(1).transform((value) => ({ value, proven: false })),
  z.object({ value: z.string().min(1), proven: z.boolean().default(false) }),
]);
const identifiers = z.array(identifier).default([]);

/** Loose input (plain strings, ISO date strings) → a Subject. */
export const subjectSchema = z.object({
  emails: identifiers,
  names: identifiers,
  phones: identifiers,
  userNames: identifiers,
  ips: z
    .array(
      z.object({
        address: z.string().min(1),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        proven: z.boolean().default(false),
      }),
    )
    .default([]),
  birthDate: z.string().optional(),
  postalAddresses: identifiers,
});

export function parseSubject(input: unknown): Subject {
  return subjectSchema.parse(input);
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
  private readonly names = new Map<string, Entry>();
  private readonly phones = new Map<string, Entry>();
  private readonly userNames = new Map<string, Entry>();
  private readonly addresses = new Map<string, Entry>();
  private readonly ips = new Map<string, IpWindow[]>();
  readonly birthDate: string | null;

  constructor(subject: Subject) {
    const add = (map: Map<string, Entry>, kind: IdentifierKind, id: SubjectIdentifier, key: string | null) => {
      if (!key) return;
      const existing = map.get(key);
      if (!existing || (!existing.proven && id.proven)) map.set(key, { kind, value: id.value, proven: id.proven ?? false });
    };
    for (const id of subject.emails) add(this.emails, "email", id, emailMailboxKey(id.value, EMAIL_OPTIONS));
    for (const id of subject.names) add(this.names, "name", id, nameKey(id.value) || null);
    for (const id of subject.phones) add(this.phones, "phone", id, normalisePhone(id.value));
    for (const id of subject.userNames) add(this.userNames, "userName", id, userNameKey(id.value) || null);
    for (const id of subject.postalAddresses) add(this.addresses, "postalAddress", id, postalAddressKey(id.value) || null);
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
  }

  get hasIps(): boolean {
    return this.ips.size > 0;
  }

  get isEmpty(): boolean {
    return (
      this.emails.size + this.names.size + this.phones.size + this.userNames.size + this.ips.size + this.addresses.size === 0
    );
  }

  /** Byte patterns an IP of the subject can appear as in a log line, for a search before parsing. */
  ipPatterns(): Buffer[] {
    return [...this.ips.keys()].flatMap((key) => ipTextForms(key)).map((text) => Buffer.from(text, "latin1"));
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

  name(recordName: string | null | undefined): MatchedIdentifier | null {
    if (!recordName || this.names.size === 0) return null;
    const hit = this.names.get(nameKey(recordName));
    return hit ? matched(hit, recordName) : null;
  }

  personName(first: string | null | undefined, last: string | null | undefined): MatchedIdentifier | null {
    if (!first && !last) return null;
    return this.name(`${first ?? ""} ${last ?? ""}`.trim());
  }

  /** A looked-up person: name and, where both sides know it, the date of birth. */
  lookedUpPerson(first: string | null | undefined, last: string | null | undefined, birthDate: string | null | undefined): MatchedIdentifier | null {
    const hit = this.personName(first, last);
    if (!hit) return null;
    const recordDate = birthDate ? normaliseBirthDate(birthDate) : null;
    if (this.birthDate && recordDate && this.birthDate !== recordDate) return null;
    return hit;
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
   * A letter signed with an initial ("E. Mustermann"): the postal address matches and the family
   * name is the last part of one of the subject's names.
   */
  familyNameAtAddress(lastName: string | null | undefined, addressText: string | null | undefined): MatchedIdentifier | null {
    if (!lastName) return null;
    const address = this.postalAddress(addressText);
    if (!address) return null;
    const family = nameKey(lastName);
    for (const key of this.names.keys()) if (family && (key === family || key.endsWith(` ${family}`))) return address;
    return null;
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
      const inside = time === undefined ? window.from === -Infinity && window.to === Infinity : time >= window.from && time <= window.to;
      if (inside && (!best || (!best.proven && window.proven))) best = window;
    }
    return best ? matched(best, recordText) : null;
  }
}

function matched(entry: Entry, recordValue: string): MatchedIdentifier {
  return { kind: entry.kind, value: entry.value, recordValue, proven: entry.proven };
}

/** The better of two matches: a proven identifier beats an unproven one, the first wins a tie. */
export function bestMatch(...candidates: (MatchedIdentifier | null | undefined)[]): MatchedIdentifier | null {
  let best: MatchedIdentifier | null = null;
  for (const candidate of candidates) {
    if (candidate && (!best || (!best.proven && candidate.proven))) best = candidate;
  }
  return best;
}

export function compileSubject(subject: Subject): CompiledSubject {
  return new CompiledSubject(subject);
}
