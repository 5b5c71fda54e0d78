/**
 * The people of the sample: German and international names (umlauts, ß, Polish and Turkish
 * letters, double names), deliberately similar names and shared first names, phone numbers and
 * e-mail addresses with the variants people and systems write them in.
 */
import anyAscii from "any-ascii";
import { nameKey, normalisePhone } from "#app/core/identifiers";
import {
  AUTHORITIES,
  CITIES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  MAIL_DOMAINS,
  MOBILE_PREFIXES,
  MORE_CITIES,
  MORE_FAMILY_NAMES,
  MORE_GIVEN_NAMES,
  MORE_STREETS,
  STREETS,
  type Authority,
} from "./pools";
import type { Rng } from "./prng";

export interface Phone {
  country: "49" | "48";
  /** Area code or mobile prefix without the trunk 0. */
  area: string;
  subscriber: string;
  e164: string;
}

export interface PostalAddress {
  street: string;
  houseNumber: string;
  postcode: string;
  city: string;
}

interface Official {
  userName: string;
  userId: string;
  authority: Authority;
  email: string;
  phone: Phone;
  fax: Phone;
}

type Channel =
  | "web"
  | "login"
  | "retrieval"
  | "looked-up"
  | "ticket"
  | "contact-form"
  | "mail-poststelle"
  | "mail-support"
  | "calls"
  | "dms"
  | "fax";

const ALL_CHANNELS: readonly Channel[] = [
  "web",
  "login",
  "retrieval",
  "looked-up",
  "ticket",
  "contact-form",
  "mail-poststelle",
  "mail-support",
  "calls",
  "dms",
  "fax",
];

export interface SamplePerson {
  id: string;
  demo?: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  email: string;
  phones: Phone[];
  address: PostalAddress;
  official?: Official;
  ipv4: string;
  ipv6: string;
  auskunftssperre: boolean;
  channels: Set<Channel>;
}

/** Fixed demo persons: the demo seed and the walkthrough rely on these identifiers. */
export const DEMO_PERSONS = {
  erika: {
    firstName: "Erika",
    lastName: "Mustermann",
    birthDate: "1964-08-12",
    email: "erika.mustermann@example.org",
    phones: ["+4936134610815", "+4915123456789"],
    address: { street: "Heidestraße", houseNumber: "17", postcode: "51147", city: "Köln" },
    userName: "emustermann",
    authorityKey: "ef-buergeramt",
    workEmail: "erika.mustermann@erfurt.example",
    workPhone: "+493616551234",
    fax: "+493616551299",
    ipv4: "198.51.100.23",
    ipv6: "2001:db8:4711::23",
    auskunftssperre: false,
  },
  lukasz: {
    firstName: "Łukasz",
    lastName: "Wiśniewski",
    birthDate: "1988-03-02",
    email: "lukasz.wisniewski@example.net",
    phones: ["+48601234567", "+4917698765432"],
    address: { street: "Krämerbrücke", houseNumber: "5", postcode: "99084", city: "Erfurt" },
    userName: "lwisniewski",
    authorityKey: "lpi-erfurt",
    workEmail: "lukasz.wisniewski@polizei.thueringen.example",
    workPhone: "+493616623118",
    fax: "+493616623199",
    ipv4: "203.0.113.77",
    ipv6: "2001:db8:77::4",
    auskunftssperre: false,
  },
  joerg: {
    firstName: "Jörg",
    lastName: "Weiß",
    birthDate: "1979-11-30",
    email: "joerg.weiss@example.de",
    phones: ["+4936412345678"],
    address: { street: "Am Anger", houseNumber: "3", postcode: "07743", city: "Jena" },
    userName: null,
    authorityKey: null,
    workEmail: null,
    workPhone: null,
    fax: null,
    ipv4: "198.51.100.99",
    ipv6: "2001:db8:99::1",
    auskunftssperre: true,
  },
} as const;

type DemoPersonKey = keyof typeof DEMO_PERSONS;

function phoneFromE164(e164: string): Phone {
  if (e164.startsWith("+48"))
    return { country: "48", area: e164.slice(3, 6), subscriber: e164.slice(6), e164 };
  const rest = e164.slice(3);
  const areaLength = rest.startsWith("1") ? 3 : rest.startsWith("36") && !rest.startsWith("361") ? 4 : 3;
  return { country: "49", area: rest.slice(0, areaLength), subscriber: rest.slice(areaLength), e164 };
}

/** The notations a person, a form or an exchange writes a number in; all mean the same E.164. */
export function phoneNotations(phone: Phone): string[] {
  const { area, subscriber: sub } = phone;
  if (phone.country === "48") {
    return [
      `+48 ${area} ${sub.slice(0, 3)} ${sub.slice(3)}`,
      `0048${area}${sub}`,
      `+48${area}${sub}`,
      `(+48) ${area}-${sub}`,
    ];
  }
  const split = Math.min(2, sub.length - 2);
  const grouped = sub.replace(/(\d{2})(?=\d{2,})/g, "$1 ");
  return [
    `0${area} ${sub}`,
    `+49 (0)${area} ${sub.slice(0, split)}-${sub.slice(split)}`,
    `0049${area}${sub}`,
    `(0${area}) ${grouped}`,
    `+49 ${area} ${sub}`,
    `0${area}/${sub}`,
    `+49${area}${sub}`,
    `0${area}-${sub}`,
  ];
}

/**
 * Number shapes (prefix and subscriber length) whose first number normalisePhone gave back as
 * written. Whether a number with a country code is possible depends on its country and its length
 * only, so the others of the shape are too; parsing each (~30 µs) was most of the time it took to
 * make 60 000 people. A shape that came back otherwise is parsed number by number.
 */
const PLAIN_SHAPES = new Map<string, boolean>();

function germanE164(prefix: string, subscriber: string): string | null {
  const written = `+49${prefix}${subscriber}`;
  const shape = `${prefix}/${subscriber.length}`;
  if (PLAIN_SHAPES.get(shape)) return written;
  const e164 = normalisePhone(written);
  if (!PLAIN_SHAPES.has(shape)) PLAIN_SHAPES.set(shape, e164 === written);
  return e164;
}

export function randomGermanPhone(rng: Rng, area: string | null, registry: Registry): Phone {
  for (;;) {
    const mobile = area === null;
    const prefix = area ?? rng.pick(MOBILE_PREFIXES);
    const subscriber = mobile
      ? rng.digits(1).replace("0", "3") + rng.digits(6 + rng.int(0, 1))
      : String(rng.int(2, 9)) + rng.digits(area.length >= 4 ? 5 : 6);
    const e164 = germanE164(prefix, subscriber);
    if (e164 && !registry.phones.has(e164)) {
      registry.phones.add(e164);
      return { country: "49", area: prefix, subscriber, e164 };
    }
  }
}

/** The person's address of an e-mail address as people write it: case, "+tag", NFD, spaces. */
export function emailVariant(rng: Rng, email: string): string {
  const [local, domain] = email.split("@") as [string, string];
  switch (rng.int(0, 5)) {
    case 0:
      return `${local.replace(/(^|\.)(\p{L})/gu, (_m, dot: string, c: string) => dot + c.toUpperCase())}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`;
    case 1:
      return `${local}+${rng.pick(["kontakt", "behoerde", "post", "tlrz"])}@${domain}`;
    case 2:
      return email.toUpperCase();
    case 3:
      return email.normalize("NFD");
    default:
      return email;
  }
}

/** Name spellings as they end up in records: with or without umlauts, upper case, "Last, First". */
export function nameVariant(
  rng: Rng,
  person: { firstName: string; lastName: string },
): { first: string; last: string } {
  const german = (text: string) =>
    text.replace(
      /[äöüÄÖÜß]/g,
      (c) => ({ ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss" })[c] ?? c,
    );
  switch (rng.int(0, 5)) {
    case 0:
      return { first: german(person.firstName), last: german(person.lastName) };
    case 1:
      return { first: person.firstName, last: person.lastName.toUpperCase() };
    case 2:
      return { first: anyAscii(german(person.firstName)), last: anyAscii(german(person.lastName)) };
    default:
      return { first: person.firstName, last: person.lastName };
  }
}

export function formatAddress(address: PostalAddress): string {
  return `${address.street} ${address.houseNumber}, ${address.postcode} ${address.city}`;
}

/**
 * The level of variety a unique draw starts on. Raised once `CROWDED_IN_A_ROW` draws in a row found
 * every attempt on it taken: a data centre's people then skip pools that are full (most of the cost
 * of naming 100 000 people), while a small sample, whose pools never fill, draws as it always did.
 */
interface Floor {
  level: number;
  crowded: number;
}

const CROWDED_IN_A_ROW = 16;

function settle(floor: Floor, level: number, top: number): void {
  if (level === floor.level) floor.crowded = 0;
  else if (++floor.crowded >= CROWDED_IN_A_ROW && floor.level < top) {
    floor.level++;
    floor.crowded = 0;
  }
}

interface Registry {
  nameKeys: Set<string>;
  emails: Set<string>;
  ips: Set<string>;
  userNames: Set<string>;
  addresses: Set<string>;
  phones: Set<string>;
  floors: { name: Floor; address: Floor };
}

export function newRegistry(): Registry {
  return {
    nameKeys: new Set(),
    emails: new Set(),
    ips: new Set(),
    userNames: new Set(),
    addresses: new Set(),
    phones: new Set(),
    floors: { name: { level: 0, crowded: 0 }, address: { level: 0, crowded: 0 } },
  };
}

function localPart(first: string, last: string): string {
  return nameKey(`${first} ${last}`).replace(/ /g, ".");
}

const ALL_GIVEN_NAMES: readonly string[] = [...new Set([...GIVEN_NAMES, ...MORE_GIVEN_NAMES])];
const ALL_FAMILY_NAMES: readonly string[] = [...new Set([...FAMILY_NAMES, ...MORE_FAMILY_NAMES])];
/** Given names that are not already double: the parts of "Anna Lena" or "Karl-Heinz". */
const SINGLE_GIVEN_NAMES = ALL_GIVEN_NAMES.filter((n) => !/[- ]/.test(n));
const SINGLE_FAMILY_NAMES = ALL_FAMILY_NAMES.filter((n) => !/[- ]/.test(n));

/** Attempts at one level of `uniqueName` before it reaches for a richer one. */
const ATTEMPTS_PER_LEVEL = 4;

/**
 * A name on a level of variety: 0 the small pools (what small samples get), 1 the larger pools,
 * 2 a middle name or a double given name, 3 a double family name as well. About 22 million
 * distinct keys on level 3, so a data centre's 100 000 people and their strangers stay unique.
 */
function nameOnLevel(rng: Rng, level: number): { firstName: string; lastName: string } {
  if (level === 0) return { firstName: rng.pick(GIVEN_NAMES), lastName: rng.pick(FAMILY_NAMES) };
  let firstName = rng.pick(ALL_GIVEN_NAMES);
  let lastName = rng.pick(ALL_FAMILY_NAMES);
  if (level >= 2) {
    const second = rng.pick(SINGLE_GIVEN_NAMES);
    const first = rng.pick(SINGLE_GIVEN_NAMES);
    // Hyphenated ("Anna-Lena") or a middle name ("Thomas Peter"), never the same name twice.
    if (second !== first) firstName = rng.chance(0.35) ? `${first}-${second}` : `${first} ${second}`;
  }
  if (level >= 3) {
    const other = rng.pick(SINGLE_FAMILY_NAMES);
    const base = rng.pick(SINGLE_FAMILY_NAMES);
    if (other !== base) lastName = `${base}-${other}`;
  }
  return { firstName, lastName };
}

/**
 * A name no one else in the sample has (not even in another spelling). Starts from the small pools
 * and grows richer only while names collide, so small samples keep their familiar names.
 */
export function uniqueName(rng: Rng, registry: Registry): { firstName: string; lastName: string } {
  const floor = registry.floors.name;
  for (let attempt = floor.level * ATTEMPTS_PER_LEVEL; ; attempt++) {
    const level = Math.min(3, Math.floor(attempt / ATTEMPTS_PER_LEVEL));
    const name = nameOnLevel(rng, level);
    const key = nameKey(`${name.firstName} ${name.lastName}`);
    if (registry.nameKeys.has(key)) continue;
    registry.nameKeys.add(key);
    settle(floor, level, 3);
    return name;
  }
}

export function uniqueEmail(
  rng: Rng,
  registry: Registry,
  first: string,
  last: string,
  domain?: string,
): string {
  for (let attempt = 0; ; attempt++) {
    const base = attempt === 0 ? localPart(first, last) : `${localPart(first, last)}${rng.int(1, 99)}`;
    // A few people keep the letters of their name in the address (RFC 6531), so NFC matters.
    const local =
      rng.chance(0.05) && /[äöü]/i.test(first + last)
        ? `${first}.${last}`.toLowerCase().replace(/\s+/g, "")
        : base;
    const email = `${local}@${domain ?? rng.pick(MAIL_DOMAINS)}`;
    if (!registry.emails.has(email)) {
      registry.emails.add(email);
      return email;
    }
  }
}

export function uniqueIpv4(rng: Rng, registry: Registry): string {
  for (;;) {
    const ip = `${rng.pick([84, 91, 185, 217, 46, 79, 93, 178])}.${rng.int(1, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    if (!registry.ips.has(ip)) {
      registry.ips.add(ip);
      return ip;
    }
  }
}

export function uniqueIpv6(rng: Rng, registry: Registry): string {
  for (;;) {
    const groups = [
      rng.pick(["2a02:8109", "2003:e5", "2a01:c22", "2001:16b8"]),
      rng.hex(4).replace(/^0+(?=.)/, ""),
    ];
    const ip = `${groups.join(":")}:${rng.hex(3).replace(/^0+(?=.)/, "")}::${rng.hex(4).replace(/^0+(?=.)/, "")}`;
    if (!registry.ips.has(ip)) {
      registry.ips.add(ip);
      return ip;
    }
  }
}

function uniqueAddress(rng: Rng, registry: Registry): PostalAddress {
  const floor = registry.floors.address;
  for (let attempt = floor.level * ATTEMPTS_PER_LEVEL; ; attempt++) {
    // The small pools hold about 25 000 addresses; a data centre's people move to more streets and towns.
    const more = attempt >= ATTEMPTS_PER_LEVEL;
    const city = more && rng.chance(0.5) ? rng.pick(MORE_CITIES) : rng.pick(CITIES);
    const street = more && rng.chance(0.6) ? rng.pick(MORE_STREETS) : rng.pick(STREETS);
    const suffix = rng.chance(more ? 0.4 : 0.1) ? (more ? rng.pick(["a", "b", "c"]) : "a") : "";
    const address = {
      street,
      houseNumber: `${rng.int(1, 120)}${suffix}`,
      postcode: city.postcode,
      city: city.city,
    };
    const key = formatAddress(address);
    if (!registry.addresses.has(key)) {
      registry.addresses.add(key);
      settle(floor, more ? 1 : 0, 1);
      return address;
    }
  }
}

function birthDate(rng: Rng): string {
  return `${rng.int(1940, 2004)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
}

function userNameFor(registry: Registry, first: string, last: string): string {
  const base = `${nameKey(first).charAt(0)}${nameKey(last).replace(/ /g, "")}`.slice(0, 16);
  let name = base;
  for (let i = 2; registry.userNames.has(name); i++) name = `${base}${i}`;
  registry.userNames.add(name);
  return name;
}

function demoPerson(key: DemoPersonKey, registry: Registry): SamplePerson {
  const demo = DEMO_PERSONS[key];
  registry.nameKeys.add(nameKey(`${demo.firstName} ${demo.lastName}`));
  registry.emails.add(demo.email);
  registry.ips.add(demo.ipv4);
  registry.ips.add(demo.ipv6);
  registry.addresses.add(formatAddress(demo.address));
  for (const phone of [...demo.phones, demo.workPhone, demo.fax]) if (phone) registry.phones.add(phone);
  let official: Official | undefined;
  if (demo.userName && demo.authorityKey && demo.workEmail && demo.workPhone && demo.fax) {
    registry.userNames.add(demo.userName);
    registry.emails.add(demo.workEmail);
    official = {
      userName: demo.userName,
      userId: `U-${key === "erika" ? "100001" : "100002"}`,
      authority: AUTHORITIES.find((a) => a.key === demo.authorityKey)!,
      email: demo.workEmail,
      phone: phoneFromE164(demo.workPhone),
      fax: phoneFromE164(demo.fax),
    };
  }
  const channels = new Set<Channel>(ALL_CHANNELS);
  if (!official) {
    channels.delete("login");
    channels.delete("retrieval");
  }
  return {
    id: `demo-${key}`,
    demo: key,
    firstName: demo.firstName,
    lastName: demo.lastName,
    birthDate: demo.birthDate,
    email: demo.email,
    phones: demo.phones.map(phoneFromE164),
    address: { ...demo.address },
    official,
    ipv4: demo.ipv4,
    ipv6: demo.ipv6,
    auskunftssperre: demo.auskunftssperre,
    channels,
  };
}

/**
 * Namesakes: every `1 / share`-th person (demo persons never) takes the name of someone before
 * them, chosen with `rng` — a stream of its own, so the other people stay what the seed gave.
 */
export interface NamesakeOptions {
  share: number;
  rng: Rng;
}

/** The demo persons first, then `count` more people with random channels. */
export function createPeople(
  rng: Rng,
  count: number,
  registry: Registry,
  namesakes?: NamesakeOptions,
): SamplePerson[] {
  const people: SamplePerson[] = (Object.keys(DEMO_PERSONS) as DemoPersonKey[]).map((key) =>
    demoPerson(key, registry),
  );
  const first = people.length;
  const every = namesakes && namesakes.share > 0 ? Math.max(2, Math.round(1 / namesakes.share)) : 0;
  let officials = 0;
  for (let i = 0; people.length < count; i++) {
    // The unique name is drawn even for a namesake, so the main stream does not shift.
    let { firstName, lastName } = uniqueName(rng, registry);
    const namesakeOf =
      every && (i + 1) % every === 0 ? people[namesakes!.rng.int(first, people.length - 1)]! : undefined;
    if (namesakeOf) ({ firstName, lastName } = namesakeOf);
    const city = rng.pick(CITIES);
    const phones = [randomGermanPhone(rng, rng.chance(0.6) ? city.areaCode : null, registry)];
    if (rng.chance(0.3)) phones.push(randomGermanPhone(rng, null, registry));
    const isOfficial = officials < 4 || rng.chance(0.18);
    let official: Official | undefined;
    if (isOfficial) {
      officials++;
      const authority = AUTHORITIES[officials % AUTHORITIES.length]!;
      // Four-digit extensions first; authorities sharing an area code run out of them past ~8 000
      // officials (a data centre's sample), so five digits then.
      let extension = String(rng.int(1000, 8999));
      for (let attempt = 1; registry.phones.has(`+49${authority.areaCode}655${extension}`); attempt++) {
        extension = attempt < 20 ? String(rng.int(1000, 8999)) : String(rng.int(10000, 89999));
      }
      registry.phones.add(`+49${authority.areaCode}655${extension}`);
      registry.phones.add(`+49${authority.areaCode}6558${extension}`);
      official = {
        userName: userNameFor(registry, firstName, lastName),
        userId: `U-${String(200000 + i)}`,
        authority,
        email: uniqueEmail(rng, registry, firstName, lastName, authority.mailDomain),
        phone: {
          country: "49",
          area: authority.areaCode,
          subscriber: `655${extension}`,
          e164: `+49${authority.areaCode}655${extension}`,
        },
        fax: {
          country: "49",
          area: authority.areaCode,
          subscriber: `6558${extension}`,
          e164: `+49${authority.areaCode}6558${extension}`,
        },
      };
    }
    const channels = new Set<Channel>();
    const wants: [Channel, number][] = [
      ["web", 0.7],
      ["looked-up", 0.3],
      ["ticket", 0.3],
      ["contact-form", 0.15],
      ["mail-poststelle", 0.3],
      ["mail-support", 0.25],
      ["calls", 0.35],
      ["dms", 0.3],
      ["fax", 0.08],
    ];
    for (const [channel, probability] of wants) if (rng.chance(probability)) channels.add(channel);
    if (official) {
      channels.add("web");
      channels.add("login");
      channels.add("retrieval");
    }
    if (channels.size === 0) channels.add(rng.pick(["web", "calls", "mail-poststelle"] as const));
    let born = birthDate(rng);
    // Namesakes born on the same day exist, but the key could tell them apart only by address.
    while (born === namesakeOf?.birthDate) born = birthDate(namesakes!.rng);
    people.push({
      id: `p${String(people.length + 1).padStart(5, "0")}`,
      firstName,
      lastName,
      birthDate: born,
      email: uniqueEmail(rng, registry, firstName, lastName),
      phones,
      address: uniqueAddress(rng, registry),
      official,
      ipv4: uniqueIpv4(rng, registry),
      ipv6: uniqueIpv6(rng, registry),
      auskunftssperre: rng.chance(0.1),
      channels,
    });
  }
  return people;
}
